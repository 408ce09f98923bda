import { json } from "@sveltejs/kit";
import type { RequestHandler } from "@sveltejs/kit";

// Two Handles in a sequence(), a store each: their sessions add up on locals.
export const GET: RequestHandler = async ({ locals }) => {
  const auth = locals.sessions.auth!;
  const cart = locals.sessions.cart!;
  auth.set("count", (auth.get("count") ?? 0) + 1);
  cart.set("count", (cart.get("count") ?? 0) + 10);
  await Promise.all([auth.save(), cart.save()]);
  return json({ auth: auth.get("count"), cart: cart.get("count"), session: locals.session === undefined ? "absent" : "present" });
};
