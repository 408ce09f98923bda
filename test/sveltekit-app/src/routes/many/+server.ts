import { json } from "@sveltejs/kit";
import type { RequestHandler } from "@sveltejs/kit";

// Two names: a record by name, and no `session` to pick one by accident.
export const GET: RequestHandler = async ({ locals }) => {
  const cart = locals.sessions.cart!;
  cart.set("count", (cart.get("count") ?? 0) + 1);
  await cart.save();
  let unnamed = "";
  await locals.loadSession().catch((error: { code: string }) => (unnamed = error.code));
  return json({ cart: cart.get("count"), prefsNew: locals.sessions.prefs!.isNew, session: locals.session === undefined ? "absent" : "present", unnamed });
};
