import type { RequestHandler } from "@sveltejs/kit";

// Changes the session without saving: autoSave writes it.
export const GET: RequestHandler = ({ locals }) => {
  locals.session.set("count", 41);
  return new Response("changed");
};
