import { fail } from "@sveltejs/kit";
import type { Actions, ServerLoad } from "@sveltejs/kit";

// A form action that adds a flash (autoSave writes it) and returns data; the load shows and takes them.
export const load: ServerLoad = ({ locals }) => ({ flashes: locals.session.flashes() as string[] });

export const actions: Actions = {
  add: async ({ locals, request }) => {
    const text = String((await request.formData()).get("text") ?? "");
    if (!text) return fail(400, { missing: true });
    locals.session.addFlash(text);
    return { added: text };
  },
};
