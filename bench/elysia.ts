/**
 * The cost of web-sessions/elysia per request, in process (`app.handle`) under Bun: a bare Elysia
 * route against the same route with the plugin and an encrypted CookieStore, on the counter
 * (read, +1, save) and a read-only route. Rounds alternate between the apps, so machine noise
 * falls on each alike; prints medians as a Markdown table.
 *
 * Run it with `npx bun bench/elysia.ts` (ROUNDS, default 7; MS per app and round, default 300).
 */
import { Elysia } from "elysia";
import { CookieStore } from "../src/index.ts";
import { sessions } from "../adapters/elysia.ts";

const ROUNDS = Number(Bun.env.ROUNDS ?? 7);
const MS = Number(Bun.env.MS ?? 300);
const secret = "a-benchmark-secret-of-at-least-32-characters";

const bare = new Elysia().get("/", () => ({ count: 1 })).get("/read", () => ({ count: 1 }));
const withSessions = new Elysia()
  .use(sessions<{ count: number }>({ store: new CookieStore({ secrets: secret }) }))
  .get("/", async ({ session }) => {
    session.set("count", (session.get("count") ?? 0) + 1);
    await session.save();
    return { count: session.get("count") };
  })
  .get("/read", ({ session }) => ({ count: session.get("count") ?? 0 }));

// A cookie holding a session, as a returning browser sends it.
const first = await withSessions.handle(new Request("http://localhost/"));
const cookie = first.headers.getSetCookie()[0]!.split(";")[0]!;

/** Requests per second of `app` on `path` for MS milliseconds. */
async function rate(app: { handle(request: Request): Promise<Response> }, path: string): Promise<number> {
  const url = "http://localhost" + path;
  let done = 0;
  const end = performance.now() + MS;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) await (await app.handle(new Request(url, { headers: { Cookie: cookie } }))).arrayBuffer();
    done += 50;
  }
  return (done * 1000) / MS;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];
for (const path of ["/", "/read"]) {
  const plain: number[] = [];
  const plugged: number[] = [];
  await rate(bare, path);
  await rate(withSessions, path); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(await rate(bare, path));
    plugged.push(await rate(withSessions, path));
  }
  const [a, b] = [median(plain), median(plugged)];
  rows.push(`| ${path === "/" ? "counter" : "read-only"} | ${Math.round(a).toLocaleString("en")}/s | ${Math.round(b).toLocaleString("en")}/s | ${(1000 / b - 1000 / a).toFixed(3)} ms |`);
}
console.log(`Elysia ${(await import("elysia/package.json")).version} on Bun ${Bun.version}, ${ROUNDS} rounds of ${MS} ms, medians\n`);
console.log("| route | bare Elysia | with sessions (CookieStore) | added per request |\n|---|--:|--:|--:|");
console.log(rows.join("\n"));
