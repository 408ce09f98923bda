/**
 * Turns a benchmark run into bench/RESULTS.md and bench/chart.svg. The chart is a hand-written
 * SVG string: two bar panels need no chart library.
 */

import type { Kind } from "./variants.ts";
import type { RedisResults } from "./redis-stores.ts";
import type { MemoryResults } from "./stores.ts";

export interface Row {
  id: string;
  label: string;
  kind: Kind;
  /** Median requests/s over the rounds. */
  rps: number;
  /** Median over rounds of this row's requests/s over bare Hono's in the same round. */
  vsBare: number;
  /** The same against the floor app (bare Hono + one AES-GCM round trip of the same bytes). */
  vsFloor: number;
  /** Bytes of the Set-Cookie header, or undefined for rows that set none. */
  setCookieBytes: number | undefined;
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  os: string;
  node: string;
  pinned: string;
  commit: string;
  versions: Record<string, string>;
  rounds: number;
  ms: number;
  seconds?: number;
}

export interface Target {
  what: string;
  value: string;
  goal: string;
  met: boolean;
}

export interface Results {
  machine: Machine;
  rows: Row[];
  targets: Target[];
  memory: MemoryResults | undefined;
  redis: RedisResults[] | undefined;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "—");

/** The main table, as Markdown. */
export function mainTable(rows: readonly Row[], only?: (row: Row) => boolean): string {
  const lines = [
    "| | requests/s | µs/request | × bare | × floor app | Set-Cookie bytes |",
    "|---|--:|--:|--:|--:|--:|",
  ];
  for (const row of rows.filter(only ?? (() => true))) {
    const label = row.kind === "ours" ? `**${row.label}**` : row.label;
    const bytes = row.setCookieBytes === undefined ? "—" : String(row.setCookieBytes);
    lines.push(`| ${label} | ${int(row.rps)} | ${fixed(1e6 / row.rps, 1)} | ${fixed(row.vsBare, 2)} | ${fixed(row.vsFloor, 2)} | ${bytes} |`);
  }
  return lines.join("\n");
}

export function markdown(results: Results): string {
  const { machine: m, rows, targets, memory, redis } = results;
  const versions = Object.entries(m.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  const byId = new Map(rows.map((row) => [row.id, row]));
  const us = (id: string) => 1e6 / byId.get(id)!.rps;
  const out: string[] = [];
  out.push("# Benchmark results", "");
  out.push(`Written by \`npm run bench\` (bench/run.ts) on ${m.date}${m.seconds ? `, in ${Math.round(m.seconds)} s` : ""}. Do not edit by hand.`, "");
  out.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.os}; ${m.pinned}.`);
  out.push(`- Node ${m.node}; ${versions}; web-sessions at ${m.commit}.`);
  out.push(
    `- Method: in process through \`app.request()\`, one request at a time, the cookie of each response sent with the next; every answer is checked (the counter one higher, the nine other fields equal) and the run fails otherwise. ${m.rounds} interleaved rounds of ${m.ms} ms per row; requests/s is the median over rounds, and each ratio is the median of the per-round ratios against the row measured in the same round, so load from other work on the machine cancels out.`,
  );
  out.push(
    "- Work per request, the same for every row: read a counter and nine profile fields (user id, name, email, two roles, locale, theme, plan, verified, last login: the 10-field session of test/stores/cookie.test.ts), add one to the counter, save, answer the fields as JSON.",
    "",
  );
  out.push("## Cookie sessions", "");
  out.push(mainTable(rows), "");
  out.push(
    "Floors: bare Hono plus what any cookie session must do with the same JSON bytes — base64url alone; an HMAC-SHA-256 sign and verify; an AES-256-GCM encrypt and decrypt, keys imported once, Node's native base64url, IVs drawn from a pool. **The floor app** is the AES-GCM one. The null-store row runs web-sessions with a store that does nothing (no crypto, no JSON), to show the cost of the middleware itself.",
    "",
  );
  out.push("### Targets", "");
  out.push("| target | measured | goal | |", "|---|--:|--:|---|");
  for (const t of targets) out.push(`| ${t.what} | ${t.value} | ${t.goal} | ${t.met ? "met" : "**not met**"} |`);
  out.push("");
  if (byId.has("ws-null") && byId.has("floor-aes") && byId.has("ws-encrypted")) {
    out.push("### Where the time goes (µs per request, this run)", "");
    const bare = us("bare");
    const steps: [string, number][] = [
      ["bare Hono, app.request() and reading the JSON answer", bare],
      ["a middleware at all (Hono's compose, one more async step)", us("empty-middleware") - bare],
      ["web-sessions' own machinery (cookie parsing, jar, Session, Set-Cookie) — null-store row", us("ws-null") - us("empty-middleware")],
      ["the CookieStore's work (two WebCrypto calls, JSON, base64url, payload)", us("ws-encrypted") - us("ws-null")],
    ];
    out.push("| step | µs |", "|---|--:|");
    for (const [what, value] of steps) out.push(`| ${what} | ${fixed(value, 1)} |`);
    out.push(`| **web-sessions CookieStore (encrypted), total** | **${fixed(us("ws-encrypted"), 1)}** |`);
    out.push(`| the floor app, for comparison (bare Hono ${fixed(bare, 1)} + ${fixed(us("floor-aes") - bare, 1)}) | ${fixed(us("floor-aes"), 1)} |`);
    out.push(`| **above the floor app** | **${fixed(us("ws-encrypted") - us("floor-aes"), 1)}** |`, "");
    out.push(
      "Steps are differences between rows of this run. `npm run bench:profile` splits the time above the floor by function and by where the code lives (bench/PROFILE.md).",
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
  if (redis?.length) {
    out.push("## Redis stores over loopback", "");
    out.push(
      `UpstashRedisStore against the Upstash-compatible test endpoint (test/support/upstash-endpoint.ts, in this process) over loopback HTTP, and RedisStore over TCP, both in front of Redis on 127.0.0.1; ${redis[0]!.requests} requests of the same handler each, alternating between the stores:`,
      "",
    );
    out.push("| store | transport | round trips per request | Redis commands per request | load + save, median | load + save, p90 | whole request, median |", "|---|---|--:|--:|--:|--:|--:|");
    for (const r of redis) {
      out.push(`| ${r.label} | ${r.transport} | ${fixed(r.roundTrips, 2)} | ${fixed(r.commands, 2)} | ${fixed(r.storeMedianMs, 2)} ms | ${fixed(r.storeP90Ms, 2)} ms | ${fixed(r.requestMedianMs, 2)} ms |`);
    }
    out.push("");
  }
  out.push("![requests per second and Set-Cookie bytes](chart.svg)", "");
  return out.join("\n");
}

const COLORS: Record<Kind, string> = { ours: "#2563eb", peer: "#ea580c", floor: "#9ca3af", baseline: "#d1d5db" };

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Two horizontal bar panels: requests/s of every row, and Set-Cookie bytes of the rows that set one. */
export function chart(results: Results): string {
  const { machine } = results;
  // The ablation rows (empty middleware, null store) stay in the tables; the chart shows the rest.
  const order: Kind[] = ["baseline", "floor", "ours", "peer"];
  const rows = results.rows
    .filter((row) => row.id !== "empty-middleware" && row.id !== "ws-null")
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const width = 900;
  const labelWidth = 320;
  const barMax = width - labelWidth - 190;
  const rowHeight = 24;
  const parts: string[] = [];
  let y = 0;
  const text = (x: number, ty: number, content: string, attrs = "") => parts.push(`<text x="${x}" y="${ty}"${attrs}>${escape(content)}</text>`);

  y += 28;
  text(16, y, "Cookie session round trip: requests per second (higher is better)", ' font-weight="bold" font-size="15"');
  y += 18;
  text(16, y, `10-field session, read + increment + save; Node ${machine.node}, one core, ${machine.date.slice(0, 10)}`, ' fill="#555"');
  y += 14;
  const maxRps = Math.max(...rows.map((r) => r.rps));
  for (const row of rows) {
    y += rowHeight;
    const w = Math.max(1, (row.rps / maxRps) * barMax);
    text(labelWidth - 8, y - 7, row.label, ` text-anchor="end"${row.kind === "ours" ? ' font-weight="bold"' : ""}`);
    parts.push(`<rect x="${labelWidth}" y="${y - rowHeight + 5}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${COLORS[row.kind]}" rx="2"/>`);
    text(labelWidth + w + 6, y - 7, `${int(row.rps)}/s · ${fixed(1e6 / row.rps, 0)} µs · ${fixed(row.vsFloor, 2)}× floor`, ' fill="#333"');
  }

  // The MemoryStore's cookie carries a signed id, not the session: not the same thing to compare.
  const cookieRows = rows.filter((r) => r.setCookieBytes !== undefined && r.kind !== "baseline" && r.id !== "ws-memory");
  y += 40;
  text(16, y, "Set-Cookie header for the same session, bytes (lower is better)", ' font-weight="bold" font-size="15"');
  y += 8;
  const maxBytes = Math.max(...cookieRows.map((r) => r.setCookieBytes!));
  for (const row of cookieRows) {
    y += rowHeight;
    const w = Math.max(1, (row.setCookieBytes! / maxBytes) * barMax);
    text(labelWidth - 8, y - 7, row.label, ` text-anchor="end"${row.kind === "ours" ? ' font-weight="bold"' : ""}`);
    parts.push(`<rect x="${labelWidth}" y="${y - rowHeight + 5}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${COLORS[row.kind]}" rx="2"/>`);
    text(labelWidth + w + 6, y - 7, `${row.setCookieBytes} B`, ' fill="#333"');
  }

  y += 34;
  let x = 16;
  for (const [kind, name] of [["ours", "web-sessions"], ["peer", "peers"], ["floor", "floors"], ["baseline", "baselines"]] as [Kind, string][]) {
    parts.push(`<rect x="${x}" y="${y - 11}" width="12" height="12" fill="${COLORS[kind]}" rx="2"/>`);
    text(x + 18, y, name);
    x += 130;
  }
  y += 16;
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
