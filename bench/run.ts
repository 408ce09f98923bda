/**
 * `npm run bench`: web-sessions against bare Hono, the floors and the peers on two routes (the
 * counter: read, +1, save; and a read-only one), under Node, Deno, Bun and workerd, then the cache's
 * memory and the server stores; writes bench/RESULTS.md and bench/chart.svg. About five minutes.
 *
 * Where `taskset` exists the run re-executes itself pinned to CPU 0 (Deno, Bun and workerd, started
 * from it, inherit the pinning, and each table says which CPUs its threads were allowed): WebCrypto
 * calls hop to a thread pool and back, and on a shared 2-core machine unpinned runs swing widely.
 *
 * Environment: BENCH_CPU (default 0) picks the CPU to pin to; ROUNDS (default 7) and MS (default
 * 350) per row and round on Node; RUNTIME_ROUNDS (7) and RUNTIME_MS (250) on the other runtimes;
 * ONLY=id,id to run some rows on Node alone (then no files are written); RUNTIMES=0 to skip Deno,
 * Bun and workerd; STORES=0 to skip the stores. The Redis stores alone: `npx tsx bench/redis-stores.ts`;
 * the workerd part alone, printed with its rounds and not written: `npx tsx bench/workerd-only.ts`.
 */

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release } from "node:os";
import { fileURLToPath } from "node:url";
import { measureCacheMemory } from "./cache-memory.ts";
import type { CacheMemory } from "./cache-memory.ts";
import { sessionCookieValue } from "./browser-cookie.ts";
import { newClient } from "./harness.ts";
import { measureRoute } from "./measure.ts";
import { READ_VARIANTS } from "./read-variants.ts";
import { chart, markdown, readmeSection } from "./report.ts";
import type { Results, Target } from "./report.ts";
import { describeRedisResult, measureRedisStores } from "./redis-stores.ts";
import { measureMemoryLatency, measureMemoryStore } from "./stores.ts";
import type { StoreLatency } from "./stores.ts";
import { describeDurableObjectResult, measureDurableObjectStore } from "./durable-objects.ts";
import { describeDenoKvResult, measureDenoKvStore } from "./deno-kv-store.ts";
import { measurePostgresStore } from "./postgres-store.ts";
import { measureSqliteStore } from "./sqlite-store.ts";
import { allowedCpus, describeCpus, runPinned } from "./pinning.ts";
import { runtimeTargets } from "./targets.ts";
import { BARE_ID, FLOOR_ID, VARIANTS } from "./variants.ts";
import { measureWorkerd } from "./workerd.ts";
import type { RuntimeResult } from "./measure.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));
const started = performance.now();

// Re-run pinned (where taskset exists) with --expose-gc, so heap sizes are measured after a GC.
runPinned(fileURLToPath(import.meta.url), ["--expose-gc"]);

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const MS = Number(process.env.MS ?? 350);
const RUNTIME_ROUNDS = Number(process.env.RUNTIME_ROUNDS ?? 7);
const RUNTIME_MS = Number(process.env.RUNTIME_MS ?? 250);
const only = process.env.ONLY?.split(",");
const log = (line: string) => console.log(line);
const load = loadavg().map((n) => n.toFixed(2)).join(", ");

const pick = (list: typeof VARIANTS) => list.filter((v) => !only || only.includes(v.id) || v.id === BARE_ID || v.id === FLOOR_ID);
log(`web-sessions bench: Node ${process.version}, ${process.env.BENCH_PINNED}, load average ${load}`);
log(`Node, ${ROUNDS} rounds × ${MS} ms per row:`);
const nodeOptions = { rounds: ROUNDS, ms: MS, warmup: 1000, log };
const runtimes: RuntimeResult[] = [
  {
    runtime: `Node ${process.version}`,
    method: ["in process, app.request()", describeCpus(allowedCpus())].filter(Boolean).join("; "),
    counter: await measureRoute("counter", pick(VARIANTS), nodeOptions),
    read: await measureRoute("read", pick(READ_VARIANTS), nodeOptions),
  },
];
const skipped: string[] = [];

if (process.env.RUNTIMES !== "0" && !only) {
  const env = { ...process.env, ROUNDS: String(RUNTIME_ROUNDS), MS: String(RUNTIME_MS), WARMUP: "1000", DENO_DIR: process.env.DENO_DIR ?? `${root}node_modules/.deno-dir` };
  for (const [name, args] of [
    ["Deno", ["run", "-A", "--no-check", "bench/runtime.ts"]],
    ["Bun", ["bench/runtime.ts"]],
  ] as const) {
    const binary = `${root}node_modules/.bin/${name.toLowerCase()}`;
    if (!existsSync(binary)) {
      skipped.push(`${name}: not installed (npm ci installs it from devDependencies)`);
      continue;
    }
    log(`${name}, ${RUNTIME_ROUNDS} rounds × ${RUNTIME_MS} ms per row:`);
    const child = spawnSync(binary, [...args], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 2 ** 20 });
    const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    // A runtime that fails is reported as not run, with why, rather than losing the whole run.
    if (child.status !== 0 || !line) skipped.push(`${name}: the run failed (exit ${child.status}; its output is above)`);
    else runtimes.push(JSON.parse(line.slice("RESULT ".length)) as RuntimeResult);
  }
  log(`workerd, ${RUNTIME_ROUNDS} rounds × ${RUNTIME_MS} ms per row:`);
  try {
    const workerd = await measureWorkerd({ rounds: RUNTIME_ROUNDS, ms: RUNTIME_MS, warmup: 1000, log });
    log(`  ${workerd.notes![0]!.replaceAll("**", "")}`);
    runtimes.push(workerd);
  } catch (error) {
    log(String((error as Error).stack ?? error));
    skipped.push(`workerd: the run failed (${(error as Error).message.split("\n")[0]})`);
  }
}

// The targets (machinery, read route × bare, counter × floor) are computed per runtime by
// bench/targets.ts when the report is written; these are the other, Node-only ones.
const targets: Target[] = [];
const counter = runtimes[0]!.counter.rows.find((row) => row.id === "ws-encrypted");
if (counter) {
  targets.push({ what: "Set-Cookie of the 10-field session (encrypted)", value: `${counter.setCookieBytes} B`, goal: "≤ 430 B", met: counter.setCookieBytes! <= 430 });
}

let cache: CacheMemory | undefined;
let memory: Results["memory"];
let durableObjects: Results["durableObjects"];
const latency: StoreLatency[] = [];
if (!only) {
  cache = await measureCacheMemory(1000);
  log(`Opened-value cache: ${cache.sealedBytes.toFixed(0)} bytes per sealed value, ${cache.openedBytes.toFixed(0)} per opened one`);
}
if (process.env.STORES !== "0" && !only) {
  log("Server stores:");
  const bare = await newClient("bare Hono (no session)", await VARIANTS.find((v) => v.id === BARE_ID)!.make(), false);
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
  latency.push(await measureMemoryLatency(400));
  const redis = await measureRedisStores(400, log);
  for (const result of redis ?? []) log(describeRedisResult(result));
  latency.push(...(redis ?? []));
  const kv = await measureDenoKvStore(400);
  log(`  ${describeDenoKvResult(kv)}`);
  latency.push({
    label: "DenoKvStore",
    transport: `${kv.runtime}, SQLite file`,
    requests: kv.requests,
    roundTrips: kv.operations,
    commands: undefined,
    storeMedianMs: kv.kvMedianMs,
    storeP90Ms: kv.kvP90Ms,
    requestMedianMs: kv.requestMedianMs,
  });
  for (const sqlite of await measureSqliteStore(400)) {
    log(`  SqliteStore (${sqlite.client}): ${sqlite.statements.toFixed(2)} statements per request, load + save median ${sqlite.storeMedianMs.toFixed(3)} ms (raw client, same statements: ${sqlite.rawMedianMs.toFixed(3)} ms)`);
    latency.push({
      label: "SqliteStore",
      transport: sqlite.client,
      requests: sqlite.requests,
      roundTrips: sqlite.statements,
      commands: sqlite.statements,
      storeMedianMs: sqlite.storeMedianMs,
      storeP90Ms: sqlite.storeP90Ms,
      requestMedianMs: sqlite.requestMedianMs,
    });
  }
  // The store rows; bench/postgres-store.ts also times the raw clients running the same statements.
  for (const row of await measurePostgresStore(400)) {
    const client = /^PostgresStore \((.+)\)$/.exec(row.label)?.[1];
    if (client === undefined) continue;
    log(`  PostgresStore (${client}): ${row.roundTrips.toFixed(2)} round trips per request, load + save median ${row.loadSaveMedianMs.toFixed(3)} ms`);
    latency.push({
      label: "PostgresStore",
      transport: client,
      requests: row.requests,
      roundTrips: row.roundTrips,
      commands: row.roundTrips,
      storeMedianMs: row.loadSaveMedianMs,
      storeP90Ms: row.loadSaveP90Ms,
      requestMedianMs: row.requestMedianMs,
    });
  }
  durableObjects = await measureDurableObjectStore(400);
  log(describeDurableObjectResult(durableObjects));
}

const version = (name: string) => (JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")) as { version: string }).version;
const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" });
const dirty = spawnSync("git", ["status", "--porcelain", "--", "src", "adapters", "bench/*.ts"], { encoding: "utf8" }).stdout.trim() !== "";
const results: Results = {
  machine: {
    date: new Date().toISOString().replace("T", " ").slice(0, 16) + " UTC",
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: cpus().length,
    os: `${platform()} ${release()}`,
    node: process.version,
    pinned: process.env.BENCH_PINNED ?? "",
    load,
    loadEnd: loadavg().map((n) => n.toFixed(2)).join(", "),
    commit: git.status === 0 ? git.stdout.trim() + (dirty ? " (with uncommitted changes)" : "") : "unknown",
    versions: Object.fromEntries(["hono", "iron-session", "hono-sessions", "@hono/session", "@upstash/redis", "redis", "ioredis"].map((name) => [name, version(name)])),
    rounds: ROUNDS,
    ms: MS,
    runtimeRounds: RUNTIME_ROUNDS,
    runtimeMs: RUNTIME_MS,
    cookieChars: (await sessionCookieValue()).length,
  },
  runtimes,
  skipped,
  targets,
  cache,
  memory,
  latency,
  durableObjects,
};
results.machine.seconds = (performance.now() - started) / 1000;

const md = markdown(results);
log("");
log(md.slice(md.indexOf("### Targets on every runtime")));
if (!only) {
  writeFileSync(`${here}RESULTS.md`, md);
  writeFileSync(`${here}chart.svg`, chart(results));
  // The Performance page, between its markers, so its numbers are this run's.
  const page = `${root}docs/performance.md`;
  const readme = readFileSync(page, "utf8");
  const [begin, end] = ["<!-- bench:begin -->", "<!-- bench:end -->"];
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from >= 0 && to > from) writeFileSync(page, `${readme.slice(0, from + begin.length)}\n${readmeSection(results)}\n${readme.slice(to)}`);
  log(`Wrote bench/RESULTS.md, bench/chart.svg and docs/performance.md (${Math.round(results.machine.seconds)} s).`);
}
if (targets.some((t) => !t.met) || runtimes.some((r) => runtimeTargets(r).some((t) => !t.met))) log("Some targets were not met: see the tables above.");
