// The benchmark (npm run bench) is not timed here: this only proves that every row it measures
// still round-trips its session intact, and that the harness fails loudly when one does not.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { sessionCookieHeader, sessionCookieValue } from "../bench/browser-cookie.ts";
import { cpuNs, parseSchedstat } from "../bench/cpu-time.ts";
import { LOGIN } from "../bench/fixture.ts";
import { checkRoundTrips, spread } from "../bench/harness.ts";
import type { RouteResult } from "../bench/measure.ts";
import { READ_VARIANTS } from "../bench/read-variants.ts";
import { allowedCpus, descendants } from "../bench/pinning.ts";
import { chart, markdown, readmeSection, targetsTable } from "../bench/report.ts";
import type { Results, Row } from "../bench/report.ts";
import { BUSY_ID } from "../bench/spin.ts";
import { guardVerdict, machinery, minimalMiddleware, runtimeComparisons, runtimeTargets } from "../bench/targets.ts";
import { VARIANTS } from "../bench/variants.ts";
import type { Variant } from "../bench/variants.ts";
import { measureWorkerd, sanityHolds, sanityNote, workerdMethod } from "../bench/workerd.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("bench rows", () => {
  for (const variant of VARIANTS) {
    it(`${variant.label}: the counter goes up and the profile comes back intact`, async () => {
      const client = await checkRoundTrips(variant.label, await variant.make(), variant.setsCookie, 6);
      expect(client.count).toBe(6);
      if (variant.setsCookie) expect(client.setCookieBytes).toBeGreaterThan(40);
    });
  }

  for (const variant of READ_VARIANTS) {
    it(`${variant.label}: the read-only route signs in once, then reads the profile back unchanged`, async () => {
      const client = await checkRoundTrips(variant.label, await variant.make(), variant.setsCookie, 6, "read");
      expect(client.count).toBe(6);
      if (variant.setsCookie) expect(client.cookie).not.toBe("");
      // web-sessions saves nothing on a read.
      if (variant.kind === "ours") expect(client.readSetCookies).toBe(0);
    });
  }

  it("sends the rows that set no cookie the encrypted CookieStore's cookie, and the null store a token as long", async () => {
    const value = await sessionCookieValue();
    // About 350 characters: the 10-field session, sealed (base64url and the key's id).
    expect(value).toMatch(/^[A-Za-z0-9_.-]{300,500}$/);
    const encrypted = await checkRoundTrips("encrypted", await VARIANTS.find((v) => v.id === "ws-encrypted")!.make(), true, 1);
    expect(encrypted.cookie).toHaveLength(`session=${value}`.length);
    for (const route of ["counter", "read"] as const) {
      for (const variant of route === "read" ? READ_VARIANTS : VARIANTS) {
        const client = await checkRoundTrips(variant.label, await variant.make(), variant.setsCookie, 2, route);
        if (!variant.setsCookie) expect(client.cookie, variant.label).toBe(await sessionCookieHeader());
        // The null store's and the minimal middleware's tokens: the same value, so the same header.
        if (variant.id === "ws-null" || variant.id === "minimal-middleware") expect(client.cookie, variant.label).toBe(await sessionCookieHeader());
      }
    }
  });

  it("fails a row that sets no cookie when its answer carries one", async () => {
    const leaky = new Hono();
    let count = 0;
    leaky.get("/", (c) => {
      c.header("Set-Cookie", "s=x; Path=/");
      return c.json({ ...LOGIN, count: ++count });
    });
    await expect(checkRoundTrips("leaky", leaky, false, 1)).rejects.toThrow(/a Set-Cookie from a row that sets none/);
    const leakyRead = new Hono();
    leakyRead.get("/", (c) => {
      c.header("Set-Cookie", "s=x; Path=/");
      return c.json({ ...LOGIN, count: 1 });
    });
    await expect(checkRoundTrips("leaky read", leakyRead, false, 1, "read")).rejects.toThrow(/a Set-Cookie from a row that sets none/);
  });

  // One tiny round on each other runtime: every row of both routes round-trips intact there too.
  it("runs both routes' rows inside workerd", async () => {
    const result = await measureWorkerd({ rounds: 2, ms: 5, warmup: 1 });
    // The counter route gains the busy-loop row that checks the timing method.
    expect(result.counter.rows.map((row) => row.id)).toEqual([VARIANTS[0]!.id, BUSY_ID, ...VARIANTS.slice(1).map((v) => v.id)]);
    expect(result.read.rows.map((row) => row.id)).toEqual(READ_VARIANTS.map((v) => v.id));
    for (const row of [...result.counter.rows, ...result.read.rows]) {
      expect(row.rps).toBeGreaterThan(0);
      expect(row.roundRps).toHaveLength(2);
    }
    // Cookie columns come back from the worker's clients.
    expect(result.counter.rows.find((row) => row.id === "ws-encrypted")!.setCookieBytes).toBeGreaterThan(300);
    expect(result.read.rows.find((row) => row.id === "ws-encrypted")!.setCookiesPerRead).toBe(0);
    // Timed from Node: the loop alone took measurable time on Node's clock.
    expect(result.sanity.loopUs).toBeGreaterThan(0);
    expect(result.sanity.outsideMs).toBeGreaterThan(0);
    expect(Number.isFinite(result.sanity.rowOverBareUs)).toBe(true);
    expect(result.method).toContain("timed from Node");
    expect(result.notes![0]).toContain("Sanity check of the timing");
    if (process.platform === "linux") expect(result.method).toMatch(/workerd's threads: CPUs allowed: [0-9]/);
    if (process.platform === "linux") expect(result.sanity.clock).toBe("cpu");
  }, 60_000);

  for (const [runtime, args] of [
    ["deno", ["run", "-A", "--no-check", "bench/runtime.ts"]],
    ["bun", ["bench/runtime.ts"]],
  ] as const) {
    it(`runs both routes' rows under ${runtime}`, () => {
      const env = { ...process.env, ROUNDS: "1", MS: "5", WARMUP: "1", DENO_DIR: process.env.DENO_DIR ?? `${root}node_modules/.deno-dir` };
      // Started pinned, as bench/run.ts starts it: the runtime reports the CPU it inherited.
      const pinned = process.platform === "linux" && spawnSync("taskset", ["-c", "0", "true"]).status === 0;
      const command = [...(pinned ? ["taskset", "-c", "0"] : []), `${root}node_modules/.bin/${runtime}`, ...args];
      const child = spawnSync(command[0]!, command.slice(1), { cwd: root, env, encoding: "utf8" });
      expect(child.status, child.stderr).toBe(0);
      const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "))!;
      const result = JSON.parse(line.slice("RESULT ".length));
      expect(result.counter.rows).toHaveLength(VARIANTS.length);
      expect(result.read.rows).toHaveLength(READ_VARIANTS.length);
      expect(result.counter.rows[0].roundRps).toHaveLength(1);
      if (pinned) expect(result.method).toContain("CPUs allowed: 0");
    }, 60_000);
  }

  it("fails loudly when a round trip loses the session", async () => {
    const forgetful = new Hono();
    forgetful.get("/", (c) => {
      c.header("Set-Cookie", "s=x; Path=/");
      return c.json({ ...LOGIN, count: 1 }); // always 1: the session never comes back
    });
    await expect(checkRoundTrips("forgetful", forgetful, true, 3)).rejects.toThrow(/round trip not intact: expected count 2/);
    const wrongField = new Hono();
    let count = 0;
    wrongField.get("/", (c) => c.json({ ...LOGIN, roles: ["admin"], count: ++count }));
    await expect(checkRoundTrips("wrong field", wrongField, false, 1)).rejects.toThrow(/round trip not intact/);
  });

  it("writes the results as Markdown and an SVG chart", () => {
    const route = (name: "counter" | "read", variants: Variant[]): RouteResult => ({
      route: name,
      fastestPeer: "@hono/session",
      rows: variants.map((v, i) => ({
        id: v.id,
        label: v.label,
        kind: v.kind,
        rps: 1000 * (i + 1),
        vsBare: 1,
        vsFloor: 1,
        vsFastestPeer: 2,
        setCookieBytes: v.setsCookie && name === "counter" ? 400 : undefined,
        setCookiesPerRead: name === "read" && v.setsCookie ? 0 : undefined,
      })),
    });
    const runtime = (name: string) => ({ runtime: name, method: "in process", counter: route("counter", VARIANTS), read: route("read", READ_VARIANTS) });
    const results: Results = {
      machine: { date: "2026-01-01 00:00 UTC", cpu: "CPU", cores: 2, os: "linux", node: "v20", pinned: "pinned", commit: "abc", versions: { hono: "4" }, rounds: 1, ms: 1 },
      runtimes: [runtime("Node v20"), runtime("Deno 2")],
      skipped: [],
      targets: [{ what: "t", value: "1", goal: "1", met: true }],
      cache: { entries: 1000, sealedBytes: 800, openedBytes: 780 },
      memory: undefined,
      latency: [],
    };
    const md = markdown(results);
    expect(md).toContain("| **web-sessions CookieStore (encrypted)** |");
    expect(md).toContain("## Deno 2");
    const encryptedRead = READ_VARIANTS.findIndex((v) => v.id === "ws-encrypted");
    expect(md).toContain(`| Deno 2 | read-only | ${((encryptedRead + 1) * 1000).toLocaleString("en-US")} |`);
    expect(md).toContain("are sent one anyway");
    expect(md).toContain("| the minimal session middleware, for comparison");
    expect(md).toContain("### Where the time goes");
    expect(md).toContain("**800 bytes** per value the store sealed");
    const svg = chart(results);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("@hono/session");
    expect(svg).toContain("read-only route");
  });
});

describe("bench targets", () => {
  it("spread: median, interpolated quartiles, extremes and the IQR", () => {
    expect(spread([5, 1, 3, 2, 4])).toEqual({ median: 3, q1: 2, q3: 4, min: 1, max: 5, iqr: 2 });
    // Between values: q1 of [1, 2, 3, 4] is a quarter of the way from 1 to 4 by rank (1.75).
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4, iqr: 1.5 });
    expect(spread([7])).toEqual({ median: 7, q1: 7, q3: 7, min: 7, max: 7, iqr: 0 });
  });

  // Rounds of rows measured together: bare Hono at 10 µs, 20 µs, 10 µs per request.
  const row = (id: string, roundRps: number[]): Row => ({ id, label: id, kind: "ours", rps: roundRps[0]!, roundRps, vsBare: 1, vsFloor: 1, setCookieBytes: undefined });
  const bare = [100_000, 50_000, 100_000];
  const counterRows = [
    row("bare", bare),
    row("floor-aes", [10_000, 5_000, 10_000]),
    // The null store: 13, 22, 11.5 µs; so 3, 2, 1.5 µs over bare round by round.
    row("ws-null", [1e6 / 13, 1e6 / 22, 1e6 / 11.5]),
    row("ws-encrypted", [9_000, 5_500, 9_500]),
    // The minimal middleware: 10.5, 21, 10.5 µs; so 0.5, 1, 0.5 µs over bare.
    row("minimal-middleware", [1e6 / 10.5, 1e6 / 21, 1e6 / 10.5]),
  ];
  const readRows = [row("bare", bare), row("ws-encrypted", [90_000, 40_000, 88_000])];
  const result = (runtime: string) => ({
    runtime,
    method: "m",
    counter: { route: "counter" as const, rows: counterRows, fastestPeer: undefined },
    read: { route: "read" as const, rows: readRows, fastestPeer: undefined },
  });

  it("takes machinery and ratios round by round, then the median", () => {
    expect(minimalMiddleware(counterRows)!.median).toBeCloseTo(0.5, 9);
    expect(runtimeComparisons(result("Node v20"))[0]!.value!.max).toBeCloseTo(1, 9);
    const m = machinery(counterRows)!;
    expect(m.median).toBeCloseTo(2, 9);
    expect(m.min).toBeCloseTo(1.5, 9);
    expect(m.max).toBeCloseTo(3, 9);
    const [mach, read, counter] = runtimeTargets(result("Node v20"));
    expect(mach).toMatchObject({ what: "machinery", goal: 2, met: true });
    // Per round 0.9, 0.8, 0.88: median 0.88 ≥ 0.85.
    expect(read!.value!.median).toBeCloseTo(0.88, 9);
    expect(read!.met).toBe(true);
    // Per round 0.9, 1.1, 0.95: median 0.95 < 1.
    expect(counter!.value!.median).toBeCloseTo(0.95, 9);
    expect(counter!.met).toBe(false);
    // workerd's goal is 5 µs; a runtime missing a row has no value and does not meet its target.
    expect(runtimeTargets(result("workerd (Miniflare 4)"))[0]!.goal).toBe(5);
    const missing = runtimeTargets({ ...result("Bun 1"), counter: { route: "counter", rows: [row("bare", bare)], fastestPeer: undefined } });
    expect(missing[0]).toMatchObject({ value: undefined, met: false });
    expect(missing[2]).toMatchObject({ value: undefined, met: false });
  });

  it("the workerd sanity check holds only when the busy row matches the loop alone within 20%", () => {
    const check = (rowOverBareUs: number, loopUs: number, clock: "cpu" | "wall" = "wall") => ({ rowOverBareUs, loopUs, insideMs: 10, outsideMs: 11, clock });
    expect(sanityHolds(check(50, 50))).toBe(true);
    expect(sanityHolds(check(40, 50))).toBe(true);
    expect(sanityHolds(check(60, 50))).toBe(true);
    expect(sanityHolds(check(39.9, 50))).toBe(false);
    expect(sanityHolds(check(60.1, 50))).toBe(false);
    expect(sanityHolds(check(Number.NaN, 50))).toBe(false);
    expect(sanityNote(check(51, 50))).toContain("reads **51.0 µs** per request over bare Hono; the loop alone, timed the same way in the same rounds, takes **50.0 µs** (1.02×; they agree within 20%)");
    expect(sanityNote(check(5, 50))).toContain("(0.10×; **they differ by more than 20%");
    expect(sanityNote(check(5, 50))).toContain("the worker's own clock read 10.0 ms in all, Node's clock 11.0 ms");
    expect(sanityNote(check(5, 50, "cpu"))).toContain("the worker's own clock read 10.0 ms in all, workerd's CPU time 11.0 ms");
  });

  it("the workerd method says which clock timed it, and when workerd's CPU time could not be read", () => {
    const method = (byCpu: boolean, wanted: "cpu" | "wall") => workerdMethod({ rounds: 15, ms: 120, byCpu, wanted, pinned: "CPUs allowed: 0" });
    expect(method(true, "cpu")).toContain("timed by workerd's own CPU time");
    expect(method(true, "cpu")).toContain("sized to about 60 ms");
    expect(method(true, "cpu")).toContain("the faster counts");
    expect(method(true, "cpu")).toContain("15 rounds counted");
    expect(method(true, "cpu")).toMatch(/; workerd's threads: CPUs allowed: 0$/);
    expect(method(false, "cpu")).toContain("Node's wall clock, because workerd's CPU time could not be read here");
    expect(method(false, "wall")).toContain("timed by Node's wall clock around the dispatch;");
  });

  it("reads a thread's CPU time from its schedstat line", () => {
    expect(parseSchedstat("857599 816291 2\n")).toBe(857599);
    expect(parseSchedstat("123456789012345 0 17")).toBe(123456789012345);
    expect(parseSchedstat("")).toBeNaN();
    expect(parseSchedstat("12 34")).toBeNaN();
    expect(parseSchedstat("x 1 2")).toBeNaN();
  });

  it("sums the CPU time of a process's threads, and says nothing where it cannot", () => {
    if (process.platform === "linux") expect(cpuNs([process.pid])).toBeGreaterThan(0);
    expect(cpuNs([])).toBeUndefined();
    expect(cpuNs([2 ** 30])).toBeUndefined();
  });

  it("the guard fails only beyond the goal plus the run's own IQR", () => {
    const s = (median: number, iqr: number) => ({ median, iqr, q1: median - iqr / 2, q3: median + iqr / 2, min: 0, max: 9 });
    expect(guardVerdict(s(2.9, 1), 2)).toEqual({ pass: true, limit: 3 });
    expect(guardVerdict(s(3, 1), 2).pass).toBe(true);
    expect(guardVerdict(s(3.01, 1), 2).pass).toBe(false);
    expect(guardVerdict(s(2.5, 0), 2).pass).toBe(false);
  });

  it("writes the targets table for every runtime in RESULTS.md and the Performance page", () => {
    const table = targetsTable([result("Node v20"), result("workerd (Miniflare 4)")]);
    expect(table).toContain("| Node v20 | web-sessions' machinery: null-store row − bare Hono, counter route | 2.0 µs | IQR 0.8 (rounds 1.5 to 3.0) | ≤ 2 µs | met |");
    expect(table).toContain("| workerd (Miniflare 4) | web-sessions' machinery: null-store row − bare Hono, counter route | 2.0 µs | IQR 0.8 (rounds 1.5 to 3.0) | ≤ 5 µs | met |");
    expect(table).toContain("| Node v20 | read-only route (a cache hit): encrypted CookieStore × bare Hono | 0.88× | IQR 0.05 (rounds 0.80 to 0.90) | ≥ 0.85× | met |");
    expect(table).toContain("× the floor app (bare Hono + one AES-GCM round trip) | 0.95× | IQR 0.10 (rounds 0.90 to 1.10) | ≥ 1× | **not met** |");
    // For comparison, no goal: the least any session middleware adds.
    expect(table).toContain("| Node v20 | minimal session middleware − bare Hono, counter route (for comparison) | 0.5 µs | IQR 0.3 (rounds 0.5 to 1.0) | — | no goal |");
    const results: Results = {
      machine: { date: "2026-01-01 00:00 UTC", cpu: "CPU", cores: 2, os: "linux", node: "v20", pinned: "pinned", commit: "abc", versions: {}, rounds: 3, ms: 1 },
      runtimes: [{ ...result("Node v20"), notes: ["A note on the method."] }],
      skipped: [],
      targets: [{ what: "Set-Cookie of the 10-field session (encrypted)", value: "417 B", goal: "≤ 430 B", met: true }],
      cache: undefined,
      memory: undefined,
      latency: [],
    };
    const md = markdown(results);
    expect(md).toContain("### Targets on every runtime");
    expect(md).toContain(table.split("\n")[2]!);
    expect(md).toContain("### Other targets (Node)");
    expect(md).toContain("| Set-Cookie of the 10-field session (encrypted) | 417 B | ≤ 430 B | met |");
    expect(md).toContain("A note on the method.");
    const page = readmeSection(results);
    expect(page).toContain(table.split("\n")[3]!);
    expect(page).toContain("npm run bench:guard");
    expect(page).toContain("Set-Cookie for the session: 417 B.");
  });

  // The guard's verdict path, not its timing: goals no run can miss or meet.
  for (const [goal, status, verdict] of [
    ["100000", 0, /PASS: web-sessions' machinery on Node, -?[0-9.]+ µs, is within/],
    ["-100000", 1, /FAIL: web-sessions' machinery on Node is -?[0-9.]+ µs per request, above its -100000 µs goal by more than this run's spread/],
  ] as const) {
    it(`npm run bench:guard exits ${status} with the numbers (goal ${goal} µs)`, () => {
      const env: NodeJS.ProcessEnv = { ...process.env, GUARD_ROUNDS: "3", GUARD_MS: "5", GOAL_US: goal };
      delete env.BENCH_CHILD;
      const child = spawnSync(process.execPath, ["--import", "tsx", "bench/guard.ts"], { cwd: root, env, encoding: "utf8" });
      expect(child.status, child.stderr).toBe(status);
      expect(child.stdout).toMatch(/machinery \(null store − bare Hono, per round\): median -?[0-9.]+ µs, IQR [0-9.]+ µs/);
      const canPin = process.platform === "linux" && spawnSync("taskset", ["-c", "0", "true"]).status === 0;
      expect(child.stdout).toContain(canPin ? "pinned to CPU 0 with taskset -c 0" : "not pinned (no taskset here)");
      expect(child.stdout + child.stderr).toMatch(verdict);
    }, 60_000);
  }

  it("reads which CPUs a process and its children may use", async () => {
    if (process.platform !== "linux") return;
    expect(allowedCpus().length).toBeGreaterThan(0);
    expect(allowedCpus(2 ** 30)).toEqual([]);
    const child = spawn("taskset", ["-c", "0", "sleep", "30"]);
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      // taskset replaces itself with sleep, which keeps the pinning.
      let found: number[] = [];
      for (let i = 0; i < 500 && found.length === 0; i++) {
        found = descendants(process.pid, "sleep");
        if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(found).toEqual([child.pid]);
      expect(allowedCpus(child.pid!)).toEqual(["0"]);
    } finally {
      child.kill();
    }
  });
});
