// Four session setups, picked by path: the main one (autoSave), several names, two Handles with a
// store each in a sequence(), and a store that is down (an Upstash endpoint where nothing listens,
// from DOWN_URL).
import type { Handle, HandleServerError } from "@sveltejs/kit";
import { sequence } from "@sveltejs/kit/hooks";
import { handleSessions } from "../../../adapters/sveltekit.ts";
import { CookieStore, MemoryStore, SessionError } from "../../../src/index.ts";
import { UpstashRedisStore } from "../../../src/stores/upstash.ts";

const secrets = process.env.SESSION_SECRET!;

const main = handleSessions({ store: new MemoryStore({ secrets }), autoSave: true });
const many = handleSessions({ names: ["cart", "prefs"], store: new MemoryStore({ secrets }) });
const two = sequence(
  handleSessions({ name: "auth", store: new MemoryStore({ secrets }) }),
  handleSessions({ name: "cart", store: new CookieStore({ secrets }) }),
);
const down = handleSessions({ store: new UpstashRedisStore({ url: process.env.DOWN_URL!, token: "token", secrets }) });

export const handle: Handle = (input) => {
  const path = input.event.url.pathname;
  if (path.startsWith("/many")) return many(input);
  if (path.startsWith("/two")) return two(input);
  return (path.startsWith("/down") ? down : main)(input);
};

// The error's code reaches the test through the error response's body.
export const handleError: HandleServerError = ({ error }) => ({
  message: error instanceof SessionError ? error.code : "Internal Error",
});
