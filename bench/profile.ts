/**
 * `npm run bench:profile`: where the time of a benchmark row goes, from the runtime's CPU profiler.
 *
 * Each row runs alone for a few seconds, pinned to one core where `taskset` exists, after a
 * warm-up; self time is then summed by where the code lives and divided by the requests served,
 * in µs per request. RUNTIME picks the runtime: `node` (default, a child under `node --cpu-prof`),
 * `bun` (a child under `bun --cpu-prof`) or `workerd` (the row inside workerd under Miniflare,
 * profiled through its V8 inspector; one bundled script, so the table by file is empty there and
 * the table by function is the one to read). Deno 2.9 has no `--cpu-prof`; its inspector
 * (`--inspect-wait`) would serve the same way workerd's does.
 *
 *   npm run bench:profile                          the floor app and the encrypted CookieStore side
 *                                                  by side (Node), written to bench/profiles/floor-vs-ours.md
 *   npm run bench:profile -- ws-null 8             one row for 8 s, printed
 *   npm run bench:profile -- read:ws-encrypted     a row of the read-only route
 *   RUNTIME=workerd npm run bench:profile -- ws-null
 *   STUB_CRYPTO=1 npm run bench:profile -- ...     WebCrypto calls replaced by synchronous stand-ins
 *                                                  (bench/stub-crypto.ts): the JavaScript alone
 *
 * The raw profiles stay in bench/profiles/ (open them in Chrome DevTools or speedscope).
 * bench/PROFILE.md says what they showed.
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../test/support/free-port.ts";
import { findRow, serveRow } from "./profile-row.ts";
import type { Served } from "./profile-row.ts";
import { stubCrypto } from "./stub-crypto.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..");

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profiled {
  id: string;
  label: string;
  /** µs per request under the profiler. */
  perRequest: number;
  /** Self time in µs per request, by category and by function. */
  byCategory: Map<string, number>;
  byFunction: Map<string, number>;
  file: string;
}

const RUNTIME = process.env.RUNTIME ?? "node";
const canPin = process.platform === "linux" && spawnSync("taskset", ["-c", "0", "true"]).status === 0;

if (RUNTIME === "workerd" && !process.env.BENCH_PROFILE_CHILD && typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "function") {
  // The inspector speaks over a WebSocket, global in Node 20 only with this flag.
  const again = spawnSync(process.execPath, ["--experimental-websocket", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(again.status ?? 1);
} else if (process.env.BENCH_PROFILE_CHILD) {
  await child(process.argv[2]!, Number(process.argv[3]));
} else {
  const [id, seconds = id ? "8" : "4"] = process.argv.slice(2);
  if (id) {
    const profiled = await profile(id, Number(seconds));
    console.log(`${profiled.label}: ${profiled.perRequest.toFixed(1)} µs per request under the profiler\n`);
    console.log(table([profiled], (run) => run.byCategory, 30));
    console.log(`\nBy function:\n${table([profiled], (run) => run.byFunction, 40)}`);
    console.log(`\nprofile: ${profiled.file}`);
  } else {
    rmSync(join(here, "profiles"), { recursive: true, force: true });
    // Three runs of each row, alternating, and the median of each figure: runs minutes apart on a
    // shared machine differ by more than the rows do.
    const ids = ["floor-aes", "ws-encrypted"];
    const sides = async (stub: boolean) => {
      const repeats: Profiled[][] = ids.map(() => []);
      for (let i = 0; i < 3; i++) for (const [k, each] of ids.entries()) repeats[k]!.push(await profile(each, Number(seconds), stub));
      return repeats.map(medianOf);
    };
    const out = join(here, "profiles", "floor-vs-ours.md");
    writeFileSync(out, report(await sides(false), await sides(true), Number(seconds)));
    console.log(readFileSync(out, "utf8"));
  }
}

/** In the child: warm up, then serve requests for `seconds`, and print how many. */
async function child(row: string, seconds: number): Promise<void> {
  if (process.env.STUB_CRYPTO) stubCrypto();
  console.log(JSON.stringify(await serveRow(row, seconds)));
}

async function profile(id: string, seconds: number, stub = !!process.env.STUB_CRYPTO): Promise<Profiled> {
  const dir = join(here, "profiles", RUNTIME, id.replace(":", "-"));
  mkdirSync(dir, { recursive: true });
  const { requests, rps, file } = RUNTIME === "workerd" ? await inWorkerd(id, seconds, dir) : inChild(id, seconds, stub, dir);
  const { byCategory, byFunction } = selfTimes(file, requests);
  const label = `${findRow(id).variant.label}${id.startsWith("read:") ? ", read route" : ""} (${RUNTIME})`;
  return { id, label, perRequest: 1e6 / rps, byCategory, byFunction, file: relative(root, file) };
}

/** Node or Bun: a child process under its runtime's `--cpu-prof`. */
function inChild(id: string, seconds: number, stub: boolean, dir: string): Served & { file: string } {
  const before = new Set(readdirSync(dir));
  const script = fileURLToPath(import.meta.url);
  const runtime =
    RUNTIME === "bun"
      ? [join(root, "node_modules", ".bin", "bun"), "--cpu-prof", `--cpu-prof-dir=${dir}`, script]
      : [process.execPath, "--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx", script];
  const command = [...(canPin ? ["taskset", "-c", "0"] : []), ...runtime, id, String(seconds)];
  const run = spawnSync(command[0]!, command.slice(1), {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...process.env, BENCH_PROFILE_CHILD: "1", STUB_CRYPTO: stub ? "1" : "" },
  });
  if (run.status !== 0) throw new Error(`profiling ${id} failed (exit ${run.status})`);
  const served = JSON.parse(run.stdout.trim().split("\n").pop()!) as Served;
  return { ...served, file: join(dir, readdirSync(dir).find((name) => name.endsWith(".cpuprofile") && !before.has(name))!) };
}

/** workerd: the row inside a Miniflare worker, profiled through its V8 inspector. */
async function inWorkerd(id: string, seconds: number, dir: string): Promise<Served & { file: string }> {
  // Imported here: loading Miniflare in a Node or Bun child would land in its profile.
  const { Miniflare } = await import("miniflare");
  const { bundleForWorkerd } = await import("../test/support/workerd-bundle.ts");
  const script = await bundleForWorkerd(fileURLToPath(new URL("./profile-worker.ts", import.meta.url)));
  const inspectorPort = await freePort();
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-09-01", inspectorPort });
  try {
    await mf.ready;
    const [target] = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { webSocketDebuggerUrl: string }[];
    const inspector = await connect(target!.webSocketDebuggerUrl);
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.start");
    const res = await mf.dispatchFetch(`http://localhost/?${new URLSearchParams({ row: id, seconds: String(seconds) })}`);
    if (res.status !== 200) throw new Error(`profiling ${id} in workerd: ${await res.text()}`);
    const served = (await res.json()) as Served;
    const { profile } = (await inspector.send("Profiler.stop")) as { profile: unknown };
    inspector.close();
    const file = join(dir, `workerd-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return { ...served, file };
  } finally {
    await mf.dispose();
  }
}

/** A minimal Chrome DevTools Protocol client: send a method, get its result. */
async function connect(url: string): Promise<{ send(method: string, params?: object): Promise<unknown>; close(): void }> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve) => {
        const id = ++next;
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/** Self time per request, summed by category and by function. */
function selfTimes(path: string, requests: number): { byCategory: Map<string, number>; byFunction: Map<string, number> } {
  const profile = JSON.parse(readFileSync(path, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  for (const node of profile.nodes) {
    const us = (time.get(node.id) ?? 0) / requests;
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    add(byCategory, category(functionName, url), us);
    add(byFunction, `${functionName || "(anonymous)"} ${place(url)}${url ? `:${lineNumber + 1}` : ""}`, us);
  }
  return { byCategory, byFunction };
}

function place(url: string): string {
  if (!url) return "(native)";
  const path = url.replace(/^file:\/\//, "");
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = path.slice(nm + "node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return path.startsWith("node:") ? path : relative(root, path);
}

/** Groups code by what it does for the request. */
function category(name: string, url: string): string {
  const where = place(url);
  if (where === "(native)") {
    if (name === "(idle)") return "waiting for WebCrypto's thread pool (idle)";
    if (name === "(garbage collector)") return "garbage collector";
    return "engine and native code (program, builtins)";
  }
  if (/^node:internal\/crypto\//.test(where)) return "WebCrypto calls (argument checks, job dispatch and completion)";
  if (/undici|webstreams|abort_controller|js_transferable|node:internal\/url|node:internal\/streams|node:buffer|node:internal\/buffer|node:internal\/encoding|node:internal\/util|node:internal\/event_target/.test(where)) {
    return "Request, Response, Headers, bodies, TextEncoder (Node's undici and streams)";
  }
  if (where === "hono") return "Hono (routing, context, compose)";
  if (where.startsWith("src/") || where.startsWith("adapters/")) return `web-sessions: ${where}`;
  if (where.startsWith("bench/")) return `benchmark code: ${where}`;
  if (/esm|cjs|modules|bootstrap|tsx|esbuild|lexer/.test(where)) return "module loading (start-up)";
  return `other: ${where}`;
}

/** A Markdown table of `runs` side by side over the keys of `pick(run)`, largest last-run value first. */
function table(runs: readonly Profiled[], pick: (run: Profiled) => Map<string, number>, limit: number): string {
  const last = runs[runs.length - 1]!;
  const value = (run: Profiled, key: string) => pick(run).get(key) ?? 0;
  const keys = [...new Set(runs.flatMap((run) => [...pick(run).keys()]))].sort((a, b) => value(last, b) - value(last, a));
  const both = runs.length === 2;
  const lines = [
    `| | ${runs.map((run) => run.label).join(" | ")} |${both ? " difference |" : ""}`,
    `|---|${runs.map(() => "--:").join("|")}|${both ? "--:|" : ""}`,
  ];
  for (const key of keys.slice(0, limit)) {
    const cells = runs.map((run) => value(run, key).toFixed(2)).join(" | ");
    lines.push(`| ${key} | ${cells} |${both ? ` ${(value(runs[1]!, key) - value(runs[0]!, key)).toFixed(2)} |` : ""}`);
  }
  return lines.join("\n");
}

/** One profile of several runs of a row: the median of each figure. */
function medianOf(runs: readonly Profiled[]): Profiled {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  const merge = (pick: (run: Profiled) => Map<string, number>) => {
    const keys = new Set(runs.flatMap((run) => [...pick(run).keys()]));
    return new Map([...keys].map((key) => [key, mid(runs.map((run) => pick(run).get(key) ?? 0))]));
  };
  return {
    ...runs[0]!,
    perRequest: mid(runs.map((run) => run.perRequest)),
    byCategory: merge((run) => run.byCategory),
    byFunction: merge((run) => run.byFunction),
    file: runs.map((run) => run.file).join(", "),
  };
}

function report(runs: readonly Profiled[], stubbed: readonly Profiled[], seconds: number): string {
  const [floor, ours] = runs as [Profiled, Profiled];
  const [stubFloor, stubOurs] = stubbed as [Profiled, Profiled];
  const total = (run: Profiled) => [...run.byCategory.values()].reduce((a, b) => a + b, 0);
  return [
    "# Where the time goes",
    "",
    `Written by \`npm run bench:profile\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version}: each row alone for ${seconds} s under \`node --cpu-prof\`, pinned to one core, after 3,000 warm-up requests, three times alternating with the other row; each figure is the median of the three. Self time by category, in µs per request (start-up included, so totals run above the per-request time); the profiler itself slows everything down, so compare the rows with each other, not with bench/RESULTS.md. Raw profiles in bench/profiles/.`,
    "",
    "## With WebCrypto",
    "",
    `Per request under the profiler: ${floor.label} ${floor.perRequest.toFixed(1)} µs (profile total ${total(floor).toFixed(1)}), ${ours.label} ${ours.perRequest.toFixed(1)} µs (profile total ${total(ours).toFixed(1)}).`,
    "",
    table(runs, (run) => run.byCategory, 40),
    "",
    "Reading it: a WebCrypto call on Node runs as a job on libuv's thread pool. \"WebCrypto calls\" is the main thread's share (converting the algorithm dictionary, copying the inputs, queuing the job; on one core, also the time the pool thread runs while the main thread is switched out inside `job.run()`), and \"waiting\" is the main thread idle until the job is done. Each row makes one encrypt and one decrypt; web-sessions also passes the cookie name as additional data, which Node converts and copies on every call. web-sessions' own JavaScript is the rows named after its files; the floor's handler is `bench/variants.ts`.",
    "",
    "## The JavaScript alone",
    "",
    `The same with WebCrypto's calls replaced by synchronous stand-ins (bench/stub-crypto.ts, same sizes, no thread pool): what is left is JavaScript. Per request under the profiler: ${stubFloor.label} ${stubFloor.perRequest.toFixed(1)} µs, ${stubOurs.label} ${stubOurs.perRequest.toFixed(1)} µs.`,
    "",
    table(stubbed, (run) => run.byCategory, 25),
    "",
    `## Top functions of ${ours.label}`,
    "",
    table([ours], (run) => run.byFunction, 40),
    "",
  ].join("\n");
}
