/**
 * The cost of web-sessions/sveltekit's Handle per request, in process on Node: the Handle around a
 * route that counts (read, +1, save) or only reads, against the route called bare. SvelteKit's own
 * rendering is left out (the route is a plain function), so the difference is what the Handle and
 * the store add. Rounds alternate; prints medians as a Markdown table.
 *
 * Run it with `npx tsx bench/sveltekit.ts` (ROUNDS, default 7; MS per variant and round, default 300).
 */
import type { RequestEvent } from "@sveltejs/kit";
import { handleSessions } from "../adapters/sveltekit.ts";
import type { SessionLocals } from "../adapters/sveltekit.ts";
import { CookieStore } from "../src/index.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const MS = Number(process.env.MS ?? 300);
const handle = handleSessions({ store: new CookieStore({ secrets: "a-benchmark-secret-of-at-least-32-characters" }) });

type Route = (locals: SessionLocals<{ count: number }>) => Promise<Response>;
const counter: Route = async (locals) => {
  locals.session.set("count", (locals.session.get("count") ?? 0) + 1);
  await locals.session.save();
  return Response.json({ count: locals.session.get("count") });
};
const reader: Route = async (locals) => Response.json({ count: locals.session.get("count") ?? 0 });
const bare: Route = async () => Response.json({ count: 1 });

function call(route: Route, cookie: string, wrapped: boolean): Promise<Response> {
  const event = { request: new Request("http://localhost/", { headers: { Cookie: cookie } }), locals: {} } as unknown as RequestEvent;
  const resolve = async (resolved: RequestEvent) => route(resolved.locals as unknown as SessionLocals<{ count: number }>);
  return wrapped ? Promise.resolve(handle({ event, resolve })) : resolve(event);
}

const cookie = (await call(counter, "", true)).headers.getSetCookie()[0]!.split(";")[0]!;

async function rate(route: Route, wrapped: boolean): Promise<number> {
  let done = 0;
  const end = performance.now() + MS;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) await (await call(route, cookie, wrapped)).arrayBuffer();
    done += 50;
  }
  return (done * 1000) / MS;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`Node ${process.version}, ${ROUNDS} rounds of ${MS} ms, medians\n`);
console.log("| route | bare route | through handleSessions (CookieStore) | added per request |\n|---|--:|--:|--:|");
for (const [name, route] of [["counter", counter], ["read-only", reader]] as const) {
  const plain: number[] = [];
  const wrapped: number[] = [];
  await rate(bare, false);
  await rate(route, true);
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(await rate(bare, false));
    wrapped.push(await rate(route, true));
  }
  const [a, b] = [median(plain), median(wrapped)];
  console.log(`| ${name} | ${Math.round(a).toLocaleString("en")}/s | ${Math.round(b).toLocaleString("en")}/s | ${(1000 / b - 1000 / a).toFixed(3)} ms |`);
}
