import { redirect } from "@sveltejs/kit";
import type { Actions, ServerLoad } from "@sveltejs/kit";

// Counts this browser's visits; autoSave writes the session when the request ends.
export const load: ServerLoad = ({ locals }) => {
  const count = (locals.session.get("count") ?? 0) + 1;
  locals.session.set("count", count);
  return { count, user: locals.session.get("user") ?? null };
};

export const actions: Actions = {
  signIn: async ({ locals, request }) => {
    const user = String((await request.formData()).get("user") ?? "").trim();
    if (!user) return { missing: true };
    await locals.session.regenerate(); // a new id at sign-in: a planted cookie cannot ride the login
    locals.session.set("user", user);
    redirect(303, "/");
  },
  signOut: async ({ locals }) => {
    await locals.session.destroy();
    redirect(303, "/");
  },
};
