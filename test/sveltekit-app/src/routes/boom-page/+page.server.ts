import { error } from "@sveltejs/kit";
import type { ServerLoad } from "@sveltejs/kit";

// The same from a page load, with error(): SvelteKit renders the error page.
export const load: ServerLoad = async ({ locals }) => {
  locals.session.set("saved", 1);
  await locals.session.save();
  locals.session.set("unsaved", 2);
  error(503, "unavailable");
};
