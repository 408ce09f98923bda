import { json } from "@sveltejs/kit";
import type { RequestHandler } from "@sveltejs/kit";

export const GET: RequestHandler = ({ locals }) =>
  json({
    count: locals.session.get("count") ?? null,
    user: locals.session.get("user") ?? null,
    saved: locals.session.get("saved") ?? null,
    unsaved: locals.session.get("unsaved") ?? null,
  });
