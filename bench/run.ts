/**
 * `npm run bench`: web-sessions against bare Hono, the floors and the peers, then the server
 * stores; writes bench/RESULTS.md and bench/chart.svg. About two and a half minutes.
 *
 * Where `taskset` exists the run re-executes itself pinned to CPU 0: WebCrypto calls hop to
 * libuv's thread pool and back, and on a shared 2-core machine unpinned runs swing widely.
 *
 * Environment: ROUNDS (default 7) and MS (default 350) per row and round; ONLY=id,id to run some
 * rows (then no files are written); STORES=0 to skip the server stores. The Redis stores alone:
 * `npx tsx bench/redis-stores.ts`.
 */

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import { fileURLToPath } from "node:url";
import { checkRoundTrips, interleave, median, pairedRatio } from "./harness.ts";
import type { Client } from "./harness.ts";
import { chart, markdown } from "./report.ts";
import type { Results, Row, Target } from "./report.ts";
import { describeRedisResult, measureRedisStores } from "./redis-stores.ts";
import { measureMemoryStore } from "./stores.ts";
import { BARE_ID, FLOOR_ID, VARIANTS } from "./variants.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const started = performance.now();

if (!process.env.BENCH_CHILD) {
  // Re-run pinned (where taskset exists) with --expose-gc, so heap sizes are measured after a GC.
  const node = [process.execPath, "--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url)];
  const canPin = platform() === "linux" && spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  const command = canPin ? ["taskset", "-c", "0", ...node] : node;
  const env = { ...process.env, BENCH_CHILD: "1", BENCH_PINNED: canPin ? "pinned to CPU 0 with taskset -c 0" : "not pinned (no taskset here)" };
  const run = spawnSync(command[0]!, command.slice(1), { stdio: "inherit", env });
  process.exit(run.status ?? 1);
}

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const MS = Number(process.env.MS ?? 350);
const only = process.env.ONLY?.split(",");
const log = (line: string) => console.log(line);

const variants = VARIANTS.filter((v) => !only || only.includes(v.id) || v.id === BARE_ID || v.id === FLOOR_ID);
log(`web-sessions bench: Node ${process.version}, ${process.env.BENCH_PINNED}, ${ROUNDS} rounds × ${MS} ms per row`);

// Every row must round-trip intact before anything is timed.
const clients: Client[] = [];
for (const v of variants) clients.push(await checkRoundTrips(v.label, await v.make(), v.setsCookie, 20));
for (const client of clients) for (let i = 0; i < 1000; i++) await client.hit();
log(`${clients.length} rows round-trip intact; warmed up. Measuring (about ${Math.round((clients.length * ROUNDS * MS) / 1000)} s)...`);

const rps = await interleave(clients, ROUNDS, MS, (round) => log(`  round ${round + 1}/${ROUNDS}`));
const index = (id: string) => variants.findIndex((v) => v.id === id);
const bareRps = rps[index(BARE_ID)]!;
const floorRps = rps[index(FLOOR_ID)]!;
const rows: Row[] = variants.map((v, i) => ({
  id: v.id,
  label: v.label,
  kind: v.kind,
  rps: median(rps[i]!),
  vsBare: pairedRatio(rps[i]!, bareRps),
  vsFloor: pairedRatio(rps[i]!, floorRps),
  setCookieBytes: v.setsCookie ? clients[i]!.setCookieBytes : undefined,
}));

const targets: Target[] = [];
const encrypted = index("ws-encrypted");
if (encrypted >= 0) {
  const peers = variants.map((v, i) => (v.kind === "peer" ? i : -1)).filter((i) => i >= 0);
  if (peers.length) {
    // Per round: ours over the fastest peer of that same round.
    const fastestPeer = rps[encrypted]!.map((_, round) => Math.max(...peers.map((i) => rps[i]![round]!)));
    const vsPeer = pairedRatio(rps[encrypted]!, fastestPeer);
    const fastest = peers.reduce((a, b) => (median(rps[a]!) > median(rps[b]!) ? a : b));
    targets.push({ what: `encrypted CookieStore vs the fastest peer (${variants[fastest]!.label})`, value: `${vsPeer.toFixed(2)}×`, goal: "≥ 3×", met: vsPeer >= 3 });
  }
  const row = rows[encrypted]!;
  targets.push({ what: "encrypted CookieStore vs the floor app", value: `${row.vsFloor.toFixed(2)}×`, goal: "≥ 0.8×", met: row.vsFloor >= 0.8 });
  targets.push({ what: "Set-Cookie of the 10-field session (encrypted)", value: `${row.setCookieBytes} B`, goal: "≤ 430 B", met: row.setCookieBytes! <= 430 });
}

let memory: Results["memory"];
let redis: Results["redis"];
if (process.env.STORES !== "0" && !only) {
  log("Server stores:");
  const bare = clients[index(BARE_ID)]!;
  memory = await measureMemoryStore(bare, 5, 250, log);
  const atOne = memory.growing[0]!;
  const atMost = memory.growing[memory.growing.length - 1]!;
  const flat = atMost.vsBare / atOne.vsBare;
  targets.push({
    what: `MemoryStore: cost per request with ${atMost.held.toLocaleString("en-US")} sessions held vs 1 (× bare at each)`,
    value: `${flat.toFixed(2)}`,
    goal: "flat (≥ 0.9)",
    met: flat >= 0.9,
  });
  const b = memory.bounded;
  targets.push({
    what: `MemoryStore: held after ${b.created.toLocaleString("en-US")} sessions with maxEntries ${b.maxEntries.toLocaleString("en-US")}`,
    value: `${b.held.toLocaleString("en-US")} (heap ${b.heapMB.toFixed(0)} MB)`,
    goal: `≤ ${b.maxEntries.toLocaleString("en-US")}`,
    met: b.held <= b.maxEntries,
  });
  redis = await measureRedisStores(400, log);
  for (const result of redis ?? []) log(describeRedisResult(result));
}

const version = (name: string) => (JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")) as { version: string }).version;
const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" });
const results: Results = {
  machine: {
    date: new Date().toISOString().replace("T", " ").slice(0, 16) + " UTC",
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: cpus().length,
    os: `${platform()} ${release()}`,
    node: process.version,
    pinned: process.env.BENCH_PINNED ?? "",
    commit: git.status === 0 ? git.stdout.trim() : "unknown",
    versions: Object.fromEntries(["hono", "iron-session", "hono-sessions", "@hono/session", "@upstash/redis", "redis", "ioredis"].map((name) => [name, version(name)])),
    rounds: ROUNDS,
    ms: MS,
  },
  rows,
  targets,
  memory,
  redis,
};
results.machine.seconds = (performance.now() - started) / 1000;

const md = markdown(results);
log("");
log(md.slice(md.indexOf("## Cookie sessions")));
if (!only) {
  writeFileSync(`${here}RESULTS.md`, md);
  writeFileSync(`${here}chart.svg`, chart(results));
  log(`Wrote bench/RESULTS.md and bench/chart.svg (${Math.round(results.machine.seconds)} s).`);
}
if (targets.some((t) => !t.met)) log("Some targets were not met: see the table above.");
