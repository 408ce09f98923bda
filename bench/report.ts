/**
 * Turns a benchmark run into bench/RESULTS.md and bench/chart.svg. The chart is a hand-written
 * SVG string: two bar panels need no chart library.
 */

import type { CacheMemory } from "./cache-memory.ts";
import type { MemoryResults, StoreLatency } from "./stores.ts";
import type { Kind } from "./variants.ts";
import type { RouteResult, RuntimeResult } from "./measure.ts";
import type { DurableObjectResults } from "./durable-objects.ts";
import { runtimeComparisons, runtimeTargets } from "./targets.ts";
import type { RuntimeComparison, RuntimeTarget } from "./targets.ts";

export interface Row {
  id: string;
  label: string;
  kind: Kind;
  /** Median requests/s over the rounds. */
  rps: number;
  /** Requests/s of each round, in round order (round k of every row of a route ran in the same pass). */
  roundRps?: number[];
  /** Median over rounds of this row's requests/s over bare Hono's in the same round. */
  vsBare: number;
  /** The same against the floor app (bare Hono + one AES-GCM round trip of the same bytes). */
  vsFloor: number;
  /** The same against the fastest peer of each round. */
  vsFastestPeer?: number;
  /** Bytes of the Set-Cookie header, or undefined for rows that set none. */
  setCookieBytes: number | undefined;
  /** Read route: Set-Cookie lines sent per read (a library that re-sends its cookie on reads). */
  setCookiesPerRead?: number;
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  os: string;
  node: string;
  pinned: string;
  /** The 1, 5 and 15 minute load averages when the run started. */
  load?: string;
  /** The same when it ended. */
  loadEnd?: string;
  commit: string;
  versions: Record<string, string>;
  rounds: number;
  ms: number;
  runtimeRounds?: number;
  runtimeMs?: number;
  seconds?: number;
  /** Characters of the session cookie's value sent to every row (bench/browser-cookie.ts). */
  cookieChars?: number;
}

export interface Target {
  what: string;
  value: string;
  goal: string;
  met: boolean;
}

export interface Results {
  machine: Machine;
  /** Node first, then the other runtimes that ran. */
  runtimes: RuntimeResult[];
  /** Runtimes left out, with the reason. */
  skipped: string[];
  targets: Target[];
  cache: CacheMemory | undefined;
  memory: MemoryResults | undefined;
  /** The per-request table of the server stores. */
  latency: StoreLatency[];
  durableObjects?: DurableObjectResults | undefined;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (n: number | undefined, digits: number) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : "—");

/** A route's table, as Markdown. */
export function mainTable(rows: readonly Row[], only?: (row: Row) => boolean): string {
  const read = rows.some((row) => row.setCookiesPerRead !== undefined);
  const lines = [
    `| | requests/s | µs/request | × bare | × floor app | × fastest peer | ${read ? "Set-Cookie per read" : "Set-Cookie bytes"} |`,
    "|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const row of rows.filter(only ?? (() => true))) {
    const label = row.kind === "ours" ? `**${row.label}**` : row.label;
    const last = read ? fixed(row.setCookiesPerRead, 2) : row.setCookieBytes === undefined ? "—" : String(row.setCookieBytes);
    lines.push(`| ${label} | ${int(row.rps)} | ${fixed(1e6 / row.rps, 1)} | ${fixed(row.vsBare, 2)} | ${fixed(row.vsFloor, 2)} | ${fixed(row.vsFastestPeer, 2)} | ${last} |`);
  }
  return lines.join("\n");
}

/** web-sessions' encrypted CookieStore against the fastest peer, per runtime and route. */
export function standing(runtimes: readonly RuntimeResult[]): string {
  const lines = [
    "| runtime | route | web-sessions CookieStore (encrypted), requests/s | × bare Hono | fastest peer | its requests/s | web-sessions × fastest peer | bare Hono × fastest peer (the ceiling) |",
    "|---|---|--:|--:|---|--:|--:|--:|",
  ];
  for (const r of runtimes) {
    for (const result of [r.counter, r.read]) {
      const ours = result.rows.find((row) => row.id === "ws-encrypted");
      const peer = result.rows.find((row) => row.label === result.fastestPeer);
      const bare = result.rows.find((row) => row.id === "bare");
      if (!ours) continue;
      const route = result.route === "counter" ? "counter (read, +1, save)" : "read-only";
      lines.push(`| ${r.runtime} | ${route} | ${int(ours.rps)} | ${fixed(ours.vsBare, 2)} | ${result.fastestPeer ?? "—"} | ${peer ? int(peer.rps) : "—"} | **${fixed(ours.vsFastestPeer, 2)}×** | ${fixed(bare?.vsFastestPeer, 2)}× |`);
    }
  }
  return lines.join("\n");
}

/** A measured value and its spread over rounds, as table cells. */
function valueCells(t: RuntimeTarget | RuntimeComparison): { value: string; spread: string } {
  const digits = t.unit === "µs" ? 1 : 2;
  const show = (n: number) => (t.unit === "µs" ? `${fixed(n, digits)} µs` : `${fixed(n, digits)}×`);
  const v = t.value;
  return {
    value: v ? show(v.median) : "—",
    spread: v ? `IQR ${fixed(v.iqr, digits)} (rounds ${fixed(v.min, digits)} to ${fixed(v.max, digits)})` : "—",
  };
}

/** One target's measured value, spread and goal, as table cells. */
export function targetCells(t: RuntimeTarget): { value: string; spread: string; goal: string; verdict: string } {
  return {
    ...valueCells(t),
    goal: t.unit === "µs" ? `≤ ${t.goal} µs` : `≥ ${t.goal}×`,
    verdict: t.met ? "met" : "**not met**",
  };
}

/** The issue's three targets on every runtime that ran, one line each, then the comparisons (no goal). */
export function targetsTable(runtimes: readonly RuntimeResult[]): string {
  const lines = ["| runtime | target | measured (median of rounds) | spread over rounds | goal | |", "|---|---|--:|--:|--:|---|"];
  for (const r of runtimes) {
    for (const t of runtimeTargets(r)) {
      const c = targetCells(t);
      lines.push(`| ${r.runtime} | ${t.label} | ${c.value} | ${c.spread} | ${c.goal} | ${c.verdict} |`);
    }
    for (const t of runtimeComparisons(r)) {
      const c = valueCells(t);
      lines.push(`| ${r.runtime} | ${t.label} | ${c.value} | ${c.spread} | — | no goal |`);
    }
  }
  return lines.join("\n");
}

function timeSteps(rows: readonly Row[]): string[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  if (!["bare", "empty-middleware", "ws-null", "floor-aes", "ws-encrypted"].every((id) => byId.has(id))) return [];
  const us = (id: string) => 1e6 / byId.get(id)!.rps;
  const out: string[] = ["### Where the time goes, counter route (µs per request, this run)", ""];
  const bare = us("bare");
  const steps: [string, number][] = [
    ["bare Hono, app.request() and reading the JSON answer", bare],
    ["a middleware at all (Hono's compose, one more async step)", us("empty-middleware") - bare],
    ["web-sessions' own machinery (cookie parsing, jar, Session, Set-Cookie) — null-store row", us("ws-null") - us("empty-middleware")],
    ["the CookieStore's work (one encrypt, a cache hit instead of the decrypt, JSON, base64url)", us("ws-encrypted") - us("ws-null")],
  ];
  out.push("| step | µs |", "|---|--:|");
  for (const [what, value] of steps) out.push(`| ${what} | ${fixed(value, 1)} |`);
  out.push(`| **web-sessions CookieStore (encrypted), total** | **${fixed(us("ws-encrypted"), 1)}** |`);
  if (byId.has("minimal-middleware")) out.push(`| the minimal session middleware, for comparison (bare Hono ${fixed(bare, 1)} + ${fixed(us("minimal-middleware") - bare, 1)}) | ${fixed(us("minimal-middleware"), 1)} |`);
  out.push(`| the floor app, for comparison (bare Hono ${fixed(bare, 1)} + ${fixed(us("floor-aes") - bare, 1)}) | ${fixed(us("floor-aes"), 1)} |`);
  out.push("");
  out.push(
    "Steps are differences between rows of this run. `npm run bench:profile` splits the time by function and by where the code lives (bench/PROFILE.md).",
    "",
  );
  return out;
}

export function markdown(results: Results): string {
  const { machine: m, runtimes, skipped, targets, cache, memory, latency, durableObjects: d } = results;
  const versions = Object.entries(m.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  const out: string[] = [];
  out.push("# Benchmark results", "");
  out.push(`Written by \`npm run bench\` (bench/run.ts) on ${m.date}${m.seconds ? `, in ${Math.round(m.seconds)} s` : ""}. Do not edit by hand.`, "");
  out.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.os}; ${m.pinned}${m.load ? `; load average ${m.load} when the run started${m.loadEnd ? `, ${m.loadEnd} when it ended` : ""}` : ""}.`);
  out.push(`- ${runtimes.map((r) => r.runtime).join(", ")}; ${versions}; web-sessions at ${m.commit}.`);
  out.push(
    `- Method: in process through \`app.request()\` on every runtime (inside the worker on workerd), one request at a time, the cookie of each response sent with the next; every answer is checked (the counter one higher, or unchanged on the read-only route, and the nine other fields equal) and the run fails otherwise. Rows are interleaved: every round runs every row for the same slice of time (${m.rounds} rounds of ${m.ms} ms on Node${m.runtimeRounds ? `, ${m.runtimeRounds} of ${m.runtimeMs} ms elsewhere` : ""}); requests/s is the median over rounds, and each ratio is the median of the per-round ratios against the row measured in the same round, so load from other work on the machine cancels out; on Node, Deno and Bun each timed slice follows an untimed quarter slice of the same row, so the garbage the row before it left is collected before the clock starts (the rotation keeps each row's neighbour, and bare Hono, after @hono/session, paid for that library's garbage). On workerd, whose clock does not move during pure computation on Cloudflare and moves in whole milliseconds under Miniflare, no timing is read inside the worker: Node times each batch from outside by workerd's own CPU time, read from Linux's /proc before and after (one \`dispatchFetch\` that runs a batch of one row's requests, two batches of half the slice back to back with the faster counted because a full garbage collection lands in whichever batch is running, less the median of the round's empty dispatches), bare Hono is measured the same way in the same rounds, and a busy-loop row checks that the method shows a known amount of work (see the workerd section).`,
  );
  out.push(
    `- The same request for every row: a browser signed in to an app sends its session cookie with every request, whether or not the app reads it, so bare Hono and the empty-middleware row, which set no cookie, are sent one anyway, as long as the encrypted CookieStore's: \`session=<value>\`, the value of that store's cookie after a real login with the 10-field session, made once per run${m.cookieChars ? ` (${m.cookieChars} characters)` : ""}. Their client reads the Set-Cookie lines of each answer, as the session rows' client does, and checks there are none. The null-store row's store and the minimal session middleware hand out a fixed token of that same value, so their requests carry a header of the same size. Building a Request with a Cookie header of that size costs about 5 µs on Node (undici validates each header), about 2 µs on Deno and Bun and more in workerd; a bare Hono sent no cookie would charge that cost to the middleware, though any app behind a signed-in browser pays it.`,
    "- Two routes, the same 10-field session (user id, name, email, two roles, locale, theme, plan, verified, last login and a counter: the session of test/stores/cookie.test.ts). **Counter**: read the fields, add one to the counter, save. **Read-only**: sign in once, then read the fields and save nothing; each peer is read the way its README shows.",
    "",
  );
  out.push("## Where web-sessions stands", "");
  out.push(standing(runtimes), "");
  out.push("The last column is bare Hono, with no session at all, against the same peer: no session library can pass it.", "");
  if (skipped.length) out.push(`Not run: ${skipped.join("; ")}.`, "");
  out.push("### Targets on every runtime", "");
  out.push(targetsTable(runtimes), "");
  out.push(
    "Each value is taken round by round from rows measured in the same rounds (the null-store row's µs per request minus bare Hono's; the encrypted CookieStore's requests/s over bare Hono's or the floor app's), then the median over rounds; the spread is the interquartile range (IQR) of those per-round values, with the lowest and highest round. The machinery is everything web-sessions adds to a request besides its store's work, Hono's step for any middleware included (the first two steps of \"Where the time goes\" below, which uses medians instead). `npm run bench:guard` checks the same difference on Node in about a minute, with the two apps timed alone by CPU time (bench/app-timing.ts: no client, whose garbage made its rounds disagree by several µs), so it reads lower than this table. The minimal session middleware line has no goal: it is the same difference for a hand-written middleware (bench/minimal-session.ts) that does only what every cookie session middleware must — read the Cookie header, find the session's value with indexOf and slice, look the session up in a Map (on the read-only route, a copy of it for the request), hand it to the handler with `c.set`, `await next()`, and on the counter route save it and append one Set-Cookie — so it is the least any Hono session middleware can add, and web-sessions' machinery beyond it is what web-sessions itself adds.",
    "",
  );
  out.push("### Other targets (Node)", "");
  out.push("| target | measured | goal | |", "|---|--:|--:|---|");
  for (const t of targets) out.push(`| ${t.what} | ${t.value} | ${t.goal} | ${t.met ? "met" : "**not met**"} |`);
  out.push("");
  for (const [i, r] of runtimes.entries()) {
    out.push(`## ${r.runtime}`, "");
    out.push(`Measured ${r.method}.`, "");
    for (const note of r.notes ?? []) out.push(note, "");
    out.push("### Counter route", "", mainTable(r.counter.rows), "");
    out.push("### Read-only route", "", mainTable(r.read.rows), "");
    if (i === 0) {
      out.push(
        "Floors: bare Hono plus what any cookie session must do with the same JSON bytes — base64url alone; an HMAC-SHA-256 sign and verify; an AES-256-GCM encrypt and decrypt (on the read-only route, one decrypt), keys imported once, the runtime's native base64url, IVs drawn from a pool. **The floor app** is the AES-GCM one. The null-store row runs web-sessions with a store that does nothing (no crypto, no JSON), to show the cost of the middleware itself; the minimal session middleware row, hand-written with no store, crypto or checks at all, shows the least any session middleware adds; the `cache: 0` rows show the CookieStore without its opened-value cache.",
        "",
      );
      out.push(...timeSteps(r.counter.rows));
    }
  }
  if (cache) {
    out.push("## The opened-value cache", "");
    out.push(
      `Heap per entry for the 10-field session, after a GC (the heap a store with \`cache: ${int(cache.entries)}\` frees when dropped, over its ${int(cache.entries)} entries; median of three): **${fixed(cache.sealedBytes, 0)} bytes** per value the store sealed, **${fixed(cache.openedBytes, 0)} bytes** per value it opened from a request. The default \`cache: 1000\` holds about ${fixed((Math.max(cache.sealedBytes, cache.openedBytes) * 1000) / 2 ** 20, 1)} MB at most.`,
      "",
    );
  }
  if (memory) {
    out.push("## MemoryStore at scale", "");
    out.push("One store with `maxEntries: 1_000_000`, filled with 10-field sessions between measurements (the measured client's session is one of those held):", "");
    out.push("| sessions held | requests/s | µs/request | bare Hono, same rounds (µs) | × bare | heap (MB, after GC) |", "|--:|--:|--:|--:|--:|--:|");
    for (const p of memory.growing) {
      out.push(`| ${int(p.held)} | ${int(p.rps)} | ${fixed(1e6 / p.rps, 1)} | ${fixed(1e6 / p.bareRps, 1)} | ${fixed(p.vsBare, 2)} | ${fixed(p.heapMB, 0)} |`);
    }
    out.push(
      "",
      "A large heap slows every request of the process a little, bare Hono's too (V8's garbage collector has more to walk), so the store's own cost is the ratio to bare Hono measured in the same rounds.",
    );
    const b = memory.bounded;
    out.push("");
    out.push(
      `Heap per session held: ${fixed(memory.bytesPerSession, 0)} bytes. Bounded: a store with \`maxEntries: ${int(b.maxEntries)}\` after ${int(b.created)} sessions holds ${int(b.held)}, serves ${int(b.rps)} requests/s (${fixed(b.vsBare, 2)}× bare), heap ${fixed(b.heapMB, 0)} MB.`,
      "",
    );
  }
  if (latency.length) {
    out.push("## Server stores per request", "");
    out.push(
      `The counter route on Node, ${latency[0]!.requests} requests through each store: the MemoryStore in process; UpstashRedisStore against the Upstash-compatible test endpoint (test/support/upstash-endpoint.ts, in this process) over loopback HTTP, and RedisStore over TCP, both in front of Redis on 127.0.0.1, requests alternating between the Redis stores; DenoKvStore on @deno/kv over a SQLite file in a temporary folder (its round trips are KV operations, and "load + save" the time inside them). SqliteStore on better-sqlite3 and @libsql/client over SQLite files in a temporary folder (WAL), and on Miniflare's local D1 reached from Node over loopback (its round trips and commands are SQL statements; bench/sqlite-store.ts also times the raw client running the same statements). PostgresStore over node-postgres (a Pool, a Client, and a Pool with synchronous_commit off) and postgres.js against the machine's PostgreSQL through a loopback proxy that counts round trips (bench/postgres-store.ts also times the raw clients running the same statements). "load + save" is otherwise the time inside the store's two calls; round trips and commands are counted at the backend.`,
      "",
    );
    out.push("| store | reaches its data | round trips per request | commands per request | load + save, median | load + save, p90 | whole request, median |", "|---|---|--:|--:|--:|--:|--:|");
    for (const row of latency) {
      out.push(
        `| ${row.label} | ${row.transport} | ${fixed(row.roundTrips, 2)} | ${fixed(row.commands, 2)} | ${fixed(row.storeMedianMs, 3)} ms | ${fixed(row.storeP90Ms, 3)} ms | ${fixed(row.requestMedianMs, 3)} ms |`,
      );
    }
    out.push("");
  }
  if (d) {
    out.push("## DurableObjectStore in workerd", "");
    out.push(
      `workerd ${d.workerd} through Miniflare, SQLite-backed objects on this machine (bench/durable-objects.ts); ${d.requests} requests of the same handler, timed inside the Worker, whose clock moves in whole milliseconds:`,
      "",
      "| store | transport | round trips per request | load + save, median | load + save, p90 | whole request, median | whole request, mean |",
      "|---|---|--:|--:|--:|--:|--:|",
      `| DurableObjectStore | Durable Object RPC | ${fixed(d.roundTrips, 2)} | ${fixed(d.storeMedianMs, 0)} ms | ${fixed(d.storeP90Ms, 0)} ms | ${fixed(d.requestMedianMs, 0)} ms | ${fixed(d.requestMeanMs, 2)} ms |`,
      "",
    );
  }
  out.push("![requests per second on every runtime, both routes](chart.svg)", "");
  return out.join("\n");
}

/** The Performance page (docs/performance.md): the chart and where web-sessions stands, from this run. */
export function readmeSection(results: Results): string {
  const { machine: m, runtimes, targets, cache, latency } = results;
  const out: string[] = ["![requests per second on Node, Deno, Bun and workerd, both routes, against the peers](../bench/chart.svg)", ""];
  out.push(
    `Measured by \`npm run bench\` on ${m.date}, one core of a shared ${m.cores}-core ${m.cpu}${m.load ? ` (load average ${m.load} when the run started${m.loadEnd ? `, ${m.loadEnd} when it ended` : ""})` : ""}, web-sessions at ${m.commit}. Every runtime runs the same Hono handlers in process (inside the worker on workerd), with the same 10-field session; the **counter** route reads it, adds one and saves, the **read-only** route reads it and saves nothing. From [bench/RESULTS.md](../bench/RESULTS.md), the encrypted \`CookieStore\` against the fastest peer on each runtime and route:`,
    "",
  );
  out.push("| runtime | counter route | read-only route |", "|---|--:|--:|");
  for (const r of runtimes) {
    const cell = (result: RouteResult) => {
      const ours = result.rows.find((row) => row.id === "ws-encrypted");
      return ours ? `${int(ours.rps)}/s, **${fixed(ours.vsFastestPeer, 2)}×** ${result.fastestPeer ?? "—"}` : "—";
    };
    out.push(`| ${r.runtime} | ${cell(r.counter)} | ${cell(r.read)} |`);
  }
  out.push("");
  const bytes = targets.find((t) => t.what.startsWith("Set-Cookie"));
  const node = runtimes[0];
  out.push("Targets on every runtime, from the same run ([bench/RESULTS.md](../bench/RESULTS.md) says how they are taken):", "", targetsTable(runtimes), "");
  if (bytes) out.push(`Set-Cookie for the session: ${bytes.value}.`, "");
  const withAndWithout = (result: RouteResult | undefined) => {
    const on = result?.rows.find((row) => row.id === "ws-encrypted");
    const off = result?.rows.find((row) => row.id === "ws-encrypted-nocache");
    return on && off ? `${int(on.rps)} against ${int(off.rps)} requests/s` : "—";
  };
  out.push(
    `The opened-value cache makes the difference between the encrypted \`CookieStore\` and its \`cache: 0\` row: a cookie value the store sealed or opened before opens again without WebCrypto${cache ? ` (${fixed(cache.sealedBytes, 0)} bytes per entry, 1000 entries by default)` : ""}; on Node, ${withAndWithout(node?.counter)} on the counter route, ${withAndWithout(node?.read)} on the read-only route.${latency.length ? ` Server stores per request: ${latency.map((row) => `${row.label} ${fixed(row.roundTrips, 0)} round trips, ${fixed(row.storeMedianMs, 2)} ms median and ${fixed(row.storeP90Ms, 2)} ms p90 for load + save`).join("; ")} (over loopback).` : ""} Run it yourself:`,
    "",
  );
  out.push("```sh", "npm run bench          # about eight minutes; writes bench/RESULTS.md, bench/chart.svg and this section", "npm run bench:guard    # about a minute, Node only: fails when web-sessions' machinery exceeds 2 µs by more than the run's spread", "npm run bench:profile  # CPU profiles of the floor app and the encrypted CookieStore: bench/PROFILE.md", "npx tsx bench/redis-stores.ts  # the Redis stores alone, HTTP and TCP (needs Redis on 127.0.0.1:6379)", "```");
  return out.join("\n");
}

const COLORS: Record<Kind, string> = { ours: "#2563eb", peer: "#ea580c", floor: "#9ca3af", baseline: "#d1d5db" };

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// The chart leaves out the ablation rows (they stay in the tables).
// Bold and the legend say which rows are web-sessions': the chart's labels leave the name out.
const chartLabel = (row: Row) => row.label.replace(/^web-sessions /, "").replace("(encrypted, cache: 0)", "(no cache)");
const CHART_ROWS = ["bare", "floor-aes", "ws-encrypted", "ws-encrypted-nocache", "ws-memory", "iron-session", "hono-sessions", "hono-session"];

/**
 * Per runtime, both routes side by side: each row's requests/s as a bar scaled to bare Hono on that
 * runtime and route (so runtimes compare), then Set-Cookie bytes on Node.
 */
export function chart(results: Results): string {
  const { machine, runtimes } = results;
  const width = 1040;
  const column = width / 2;
  const labelWidth = 215;
  const barMax = column - labelWidth - 150;
  const rowHeight = 20;
  const parts: string[] = [];
  let y = 0;
  const text = (x: number, ty: number, content: string, attrs = "") => parts.push(`<text x="${x}" y="${ty}"${attrs}>${escape(content)}</text>`);
  const bar = (x: number, by: number, w: number, kind: Kind) =>
    parts.push(`<rect x="${x}" y="${by - rowHeight + 5}" width="${Math.max(1, w).toFixed(1)}" height="${rowHeight - 7}" fill="${COLORS[kind]}" rx="2"/>`);

  y += 28;
  text(16, y, "Cookie sessions: requests per second, as a share of bare Hono on the same runtime (longer is better)", ' font-weight="bold" font-size="15"');
  y += 18;
  text(16, y, `10-field session; one core of ${machine.cpu}; ${machine.date.slice(0, 10)}. Left: read, +1, save. Right: read only.`, ' fill="#555"');
  for (const r of runtimes) {
    y += 30;
    text(16, y, r.runtime, ' font-weight="bold" font-size="13"');
    const top = y;
    let bottom = y;
    for (const [c, result] of [r.counter, r.read].entries()) {
      let ry = top + 4;
      const x0 = c * column;
      text(x0 + labelWidth + 4, ry + 10, c === 0 ? "counter route" : "read-only route", ' fill="#555" font-style="italic"');
      ry += 12;
      for (const id of CHART_ROWS) {
        const row = result.rows.find((each) => each.id === id);
        if (!row) continue;
        ry += rowHeight;
        const w = Math.min(1, row.vsBare) * barMax;
        text(x0 + labelWidth - 6, ry - 6, chartLabel(row), ` text-anchor="end"${row.kind === "ours" ? ' font-weight="bold"' : ""}`);
        bar(x0 + labelWidth, ry, w, row.kind);
        const peer = row.kind === "ours" && Number.isFinite(row.vsFastestPeer) ? ` · ${fixed(row.vsFastestPeer, 1)}× peer` : "";
        text(x0 + labelWidth + w + 5, ry - 6, `${int(row.rps)}/s${peer}`, ' fill="#333"');
      }
      bottom = Math.max(bottom, ry);
    }
    y = bottom;
  }

  const node = runtimes[0];
  const cookieRows = (node?.counter.rows ?? []).filter((r) => r.setCookieBytes !== undefined && CHART_ROWS.includes(r.id) && r.id !== "ws-memory" && r.id !== "ws-encrypted-nocache" && r.kind !== "baseline");
  if (cookieRows.length) {
    y += 40;
    text(16, y, "Set-Cookie header for the same session, bytes (shorter is better)", ' font-weight="bold" font-size="15"');
    y += 6;
    const maxBytes = Math.max(...cookieRows.map((r) => r.setCookieBytes!));
    for (const row of cookieRows) {
      y += rowHeight;
      const w = (row.setCookieBytes! / maxBytes) * (width - labelWidth - 120);
      text(labelWidth - 6, y - 6, chartLabel(row), ` text-anchor="end"${row.kind === "ours" ? ' font-weight="bold"' : ""}`);
      bar(labelWidth, y, w, row.kind);
      text(labelWidth + w + 5, y - 6, `${row.setCookieBytes} B`, ' fill="#333"');
    }
  }

  y += 34;
  let x = 16;
  for (const [kind, name] of [["ours", "web-sessions"], ["peer", "peers"], ["floor", "floor (AES-GCM)"], ["baseline", "bare Hono"]] as [Kind, string][]) {
    parts.push(`<rect x="${x}" y="${y - 11}" width="12" height="12" fill="${COLORS[kind]}" rx="2"/>`);
    text(x + 18, y, name);
    x += 150;
  }
  y += 16;
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
