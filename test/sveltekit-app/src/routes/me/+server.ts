import { json } from "@sveltejs/kit";
import type { RequestHandler } from "@sveltejs/kit";

export const GET: RequestHandler = ({ locals }) => json({ user: locals.session.get("user") ?? null, id: locals.session.id });
