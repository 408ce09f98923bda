// The benchmark (npm run bench) is not timed here: this only proves that every row it measures
// still round-trips its session intact, and that the harness fails loudly when one does not.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { LOGIN } from "../bench/fixture.ts";
import { checkRoundTrips } from "../bench/harness.ts";
import type { RouteResult } from "../bench/measure.ts";
import { READ_VARIANTS } from "../bench/read-variants.ts";
import { chart, markdown } from "../bench/report.ts";
import type { Results } from "../bench/report.ts";
import { VARIANTS } from "../bench/variants.ts";
import type { Variant } from "../bench/variants.ts";
import { measureWorkerd } from "../bench/workerd.ts";

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

  // One tiny round on each other runtime: every row of both routes round-trips intact there too.
  it("runs both routes' rows inside workerd", async () => {
    const result = await measureWorkerd({ rounds: 1, ms: 5, warmup: 1 });
    expect(result.counter.rows.map((row) => row.id)).toEqual(VARIANTS.map((v) => v.id));
    expect(result.read.rows.map((row) => row.id)).toEqual(READ_VARIANTS.map((v) => v.id));
    expect(result.read.rows.every((row) => row.rps > 0)).toBe(true);
  }, 60_000);

  for (const [runtime, args] of [
    ["deno", ["run", "-A", "--no-check", "bench/runtime.ts"]],
    ["bun", ["bench/runtime.ts"]],
  ] as const) {
    it(`runs both routes' rows under ${runtime}`, () => {
      const env = { ...process.env, ROUNDS: "1", MS: "5", WARMUP: "1", DENO_DIR: process.env.DENO_DIR ?? `${root}node_modules/.deno-dir` };
      const child = spawnSync(`${root}node_modules/.bin/${runtime}`, [...args], { cwd: root, env, encoding: "utf8" });
      expect(child.status, child.stderr).toBe(0);
      const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "))!;
      const result = JSON.parse(line.slice("RESULT ".length));
      expect(result.counter.rows).toHaveLength(VARIANTS.length);
      expect(result.read.rows).toHaveLength(READ_VARIANTS.length);
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
    expect(md).toContain("| Deno 2 | read-only | 3,000 |");
    expect(md).toContain("### Where the time goes");
    expect(md).toContain("**800 bytes** per value the store sealed");
    const svg = chart(results);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("@hono/session");
    expect(svg).toContain("read-only route");
  });
});
