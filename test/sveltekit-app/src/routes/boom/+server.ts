import type { RequestHandler } from "@sveltejs/kit";

// Saves, changes more, then fails: the save's cookie still goes out, the later change is not auto-saved.
export const GET: RequestHandler = async ({ locals }) => {
  locals.session.set("saved", 1);
  await locals.session.save();
  locals.session.set("unsaved", 2);
  throw new Error("boom");
};
