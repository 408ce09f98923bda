import { redirect } from "@sveltejs/kit";
import type { Actions, ServerLoad } from "@sveltejs/kit";

// GET /login?as=NAME signs in from the load; POST (the form) from the action. Both redirect.
export const load: ServerLoad = async ({ locals, url }) => {
  const name = url.searchParams.get("as");
  if (!name) return {};
  locals.session.set("user", name); // saved by autoSave after the redirect
  redirect(307, "/me");
};

export const actions: Actions = {
  default: async ({ locals, request }) => {
    const form = await request.formData();
    await locals.session.regenerate();
    locals.session.set("user", String(form.get("user")));
    await locals.session.save();
    redirect(303, "/me");
  },
};
