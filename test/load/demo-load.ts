/**
 * `npm run test:load`: the demo under a bounded loopback load (autocannon, concurrency 50), once with
 * the CookieStore and once with a MemoryStore bounded by `maxEntries`. Every connection loops through
 * a visit: sign in without a cookie (a new session), three pages with its cookie (each a save), a
 * page with a forged cookie, and the sign-in form. Fails on any error or unexpected status, or when
 * memory after GC keeps growing once the store is full. Prints requests/s, p99 and memory.
 *
 * `LOAD_SECONDS` (default 30, or 3 with `--short`, as `npm run test:load:short` runs it) sets each
 * run's length; a warm-up of a sixth of it (at least 2 s) comes first.
 * `LOAD_STORES` (default `cookie,memory`) picks the stores.
 */
import autocannon from "autocannon";
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const SECONDS = Number(process.env.LOAD_SECONDS ?? (process.argv.includes("--short") ? 3 : 30));
const CONNECTIONS = 50;
const MAX_ENTRIES = 5_000;
// Growth of heap-after-GC allowed between a third into the run and its end: noise, not a leak.
const HEAP_SLACK = 8 * 1024 * 1024;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  sessions?: number;
}

interface Step {
  label: string;
  expect: number;
  request: autocannon.Request;
}

type Context = { cookie?: string };

const withCookie = (value: (context: Context) => string | undefined) => (request: autocannon.Request, context: Context) => {
  const cookie = value(context);
  return { ...request, headers: { ...request.headers, ...(cookie ? { cookie } : {}) } };
};

/** One visit's requests; `origin` is the server's, which the demo's forms must come from. */
function visit(origin: string): Step[] {
  return [
    {
      label: "POST /login (no cookie)",
      expect: 302,
      request: {
        method: "POST",
        path: "/login",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: "username=load&password=password",
        onResponse: (_status, _body, context: Context, headers: Record<string, string | string[]>) => {
          const lines = [headers["set-cookie"] ?? headers["Set-Cookie"] ?? []].flat();
          context.cookie = lines.find((line) => line.startsWith("session="))?.split(";")[0];
        },
      },
    },
    ...[1, 2, 3].map((n) => ({
      label: `GET / (its cookie, visit ${n})`,
      expect: 200,
      request: { method: "GET" as const, path: "/", setupRequest: withCookie((context) => context.cookie) },
    })),
    {
      label: "GET / (forged cookie)",
      expect: 302,
      request: { method: "GET", path: "/", setupRequest: withCookie(() => "session=AAAA.9999999999.forgedforgedforgedforged00.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") },
    },
    { label: "GET /login (no cookie)", expect: 200, request: { method: "GET", path: "/login" } },
  ];
}

function startServer(store: string): Promise<{ child: ChildProcess; port: number; memory(): Promise<Memory> }> {
  const child = fork(fileURLToPath(new URL("./demo-server.ts", import.meta.url)), {
    env: { ...process.env, STORE: store, MAX_ENTRIES: String(MAX_ENTRIES) },
    execArgv: ["--import", "tsx", "--expose-gc"],
  });
  const memory = () =>
    new Promise<Memory>((resolve) => {
      child.once("message", (message) => resolve(message as Memory));
      child.send("memory");
    });
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve({ child, port: (message as { port: number }).port, memory }));
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function run(store: string): Promise<boolean> {
  const server = await startServer(store);
  const url = `http://127.0.0.1:${server.port}`;
  const steps = visit(url);
  const seen = steps.map(() => new Map<number, number>());
  const requests = steps.map((step, i) => {
    const onResponse = step.request.onResponse;
    return {
      ...step.request,
      onResponse: (status: number, body: string, context: Context, headers: Record<string, string | string[]>) => {
        seen[i]!.set(status, (seen[i]!.get(status) ?? 0) + 1);
        onResponse?.(status, body, context, headers);
      },
    };
  });
  const load = (duration: number) => autocannon({ url, connections: CONNECTIONS, duration, requests });

  const before = await server.memory();
  await load(Math.max(2, Math.round(SECONDS / 6)));
  for (const counts of seen) counts.clear();

  // Memory is sampled while the load runs, every sixth of it; the MemoryStore is full by the second sample.
  const running = load(SECONDS);
  const samples: Memory[] = [];
  for (let i = 1; i < 6; i++) {
    await new Promise((resolve) => setTimeout(resolve, (SECONDS * 1000) / 6));
    samples.push(await server.memory());
  }
  const third = samples[1]!;
  const result = await running;
  const after = await server.memory();

  server.child.send("stop");
  await new Promise((resolve) => server.child.once("exit", resolve));

  const unexpected = steps.flatMap((step, i) =>
    [...seen[i]!].filter(([status]) => status !== step.expect).map(([status, count]) => `${step.label}: ${count} × ${status} (expected ${step.expect})`),
  );
  const growth = after.heapUsed - third.heapUsed;
  const failures = [
    ...(result.errors ? [`${result.errors} connection errors`] : []),
    ...(result.timeouts ? [`${result.timeouts} timeouts`] : []),
    ...unexpected,
    ...steps.filter((_, i) => seen[i]!.size === 0).map((step) => `${step.label}: no response at all`),
    ...(growth > HEAP_SLACK ? [`heap after GC grew by ${mb(growth)} from a third into the run to its end`] : []),
    ...(after.sessions !== undefined && after.sessions > MAX_ENTRIES ? [`${after.sessions} sessions held, over maxEntries ${MAX_ENTRIES}`] : []),
  ];

  const label = store === "cookie" ? "CookieStore (encrypted)" : `MemoryStore (maxEntries ${MAX_ENTRIES})`;
  console.log(`\n${label}: ${SECONDS} s, ${CONNECTIONS} connections`);
  console.log(`  requests: ${result.requests.total} (${Math.round(result.requests.average)}/s), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
  console.log(`  errors ${result.errors}, timeouts ${result.timeouts}, statuses: ${steps.map((step, i) => `${step.label} ${[...seen[i]!].map(([s, n]) => `${n}×${s}`).join(" ")}`).join("; ")}`);
  const sessions = (m: Memory) => (m.sessions === undefined ? "" : `, ${m.sessions} sessions held`);
  console.log(`  memory after GC: before rss ${mb(before.rss)} heap ${mb(before.heapUsed)}${sessions(before)}`);
  for (const [i, sample] of samples.entries()) {
    console.log(`                   ${i + 1}/6 in  rss ${mb(sample.rss)} heap ${mb(sample.heapUsed)} external ${mb(sample.external)}${sessions(sample)}`);
  }
  console.log(`                   after  rss ${mb(after.rss)} heap ${mb(after.heapUsed)} external ${mb(after.external)}${sessions(after)}`);
  for (const failure of failures) console.log(`  FAIL ${failure}`);
  return failures.length === 0;
}

const results: boolean[] = [];
for (const store of (process.env.LOAD_STORES ?? "cookie,memory").split(",")) results.push(await run(store.trim()));
const ok = results.every(Boolean);
console.log(ok ? "\nload: passed" : "\nload: FAILED");
process.exit(ok ? 0 : 1);
