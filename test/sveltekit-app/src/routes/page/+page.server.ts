import type { ServerLoad } from "@sveltejs/kit";

// A page whose load counts; autoSave writes it.
export const load: ServerLoad = ({ locals }) => {
  const count = (locals.session.get("count") ?? 0) + 1;
  locals.session.set("count", count);
  return { count };
};
