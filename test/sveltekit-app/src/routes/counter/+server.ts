import { json } from "@sveltejs/kit";
import type { RequestHandler } from "@sveltejs/kit";

// A counter endpoint that saves explicitly.
export const GET: RequestHandler = async ({ locals }) => {
  const count = (locals.session.get("count") ?? 0) + 1;
  locals.session.set("count", count);
  await locals.session.save();
  return json({ count });
};
