import type { RequestHandler } from "@sveltejs/kit";

export const GET: RequestHandler = async ({ locals }) => {
  locals.session.set("count", 1);
  await locals.session.save();
  return new Response("saved");
};
