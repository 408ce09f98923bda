// web-sessions/workers in workerd: the Workers example and an adapter probe, bundled with esbuild
// as wrangler would and run in Miniflare.
import { Miniflare } from "miniflare";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO, run } from "./support/runtime.ts";
import { SECRET } from "./support/browser.ts";
import { freePort } from "./support/free-port.ts";
import { bundleForWorkerd } from "./support/workerd-bundle.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import { countThreeTimes, httpGet } from "./runtimes/counter-flow.ts";
import type { Get } from "./runtimes/counter-flow.ts";
import { getSession, withSessions } from "../adapters/workers.ts";
import type { WorkersExecutionContext } from "../adapters/workers.ts";
import { CookieStore } from "../src/index.ts";
import type { SessionError } from "../src/errors.ts";

const workerdVersion = createRequire(import.meta.url)("workerd/package.json").version as string;

function bundle(entry: string): Promise<string> {
  return bundleForWorkerd(join(REPO, entry));
}

const running: Miniflare[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((mf) => mf.dispose()));
});

async function worker(entry: string, bindings: Record<string, string>): Promise<{ get: Get; mf: Miniflare }> {
  const mf = new Miniflare({ modules: true, script: await bundle(entry), compatibilityDate: "2025-09-01", bindings });
  running.push(mf);
  await mf.ready;
  const get: Get = async (path, cookie) =>
    (await mf.dispatchFetch(`http://localhost${path}`, {
      headers: cookie ? { Cookie: cookie } : {},
      redirect: "manual",
    })) as unknown as Response;
  return { get, mf };
}

describe(`workerd ${workerdVersion} (Miniflare)`, () => {
  it("examples/workers (Hono, CookieStore, secret from env) counts 1, 2, 3 as the cookie comes back", async () => {
    const { get } = await worker("examples/workers/worker.ts", { SESSION_SECRET: SECRET });
    await countThreeTimes(get);
  }, 30_000);

  it("examples/workers with UpstashRedisStore (bindings to the test endpoint) counts 1, 2, 3: one load and one save per request", async () => {
    const endpoint = await startUpstashEndpoint();
    try {
      const { get } = await worker("examples/workers/worker.ts", {
        SESSION_SECRET: SECRET,
        UPSTASH_REDIS_REST_URL: endpoint.url,
        UPSTASH_REDIS_REST_TOKEN: endpoint.token,
      });
      await countThreeTimes(get);
      // Four requests: the two that carried a cookie loaded it; all four saved.
      const names = endpoint.commands.map(([name]) => name);
      expect(names.filter((name) => name === "hgetall")).toHaveLength(2);
      expect(names.filter((name) => name === "evalsha")).toHaveLength(4);
      expect(endpoint.requests).toBe(6);
    } finally {
      await endpoint.close();
    }
  }, 30_000);

  it("examples/workers answers 500 when SESSION_SECRET is not bound (ERR_SESSION_CONFIG, not a session)", async () => {
    const { get } = await worker("examples/workers/worker.ts", {});
    const response = await get("/");
    expect(response.status).toBe(500);
    expect(response.headers.getSetCookie()).toEqual([]);
    await response.arrayBuffer();
  }, 30_000);

  it("builds the configuration once per env, hands env and ctx to the handler, and serves lazy named sessions through loadSession", async () => {
    const { get } = await worker("test/runtimes/workers/adapter-worker.ts", { SESSION_SECRET: SECRET, GREETING: "hi" });
    let cookie: string | undefined;
    const bodies: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await get("/", cookie);
      const lines = response.headers.getSetCookie();
      expect(lines.map((line) => line.split("=")[0])).toEqual(["a"]);
      cookie = lines[0]!.split(";")[0];
      bodies.push(await response.json());
    }
    expect(bodies).toEqual(
      [1, 2, 3].map((count) => ({
        count,
        aAgain: true,
        bBeforeLoad: "ERR_SESSION_MISSING",
        configBuilds: 1,
        greeting: "hi",
        waitUntil: "function",
      })),
    );
  }, 30_000);
});

const WRANGLER = join(REPO, "node_modules", ".bin", "wrangler");
const WRANGLER_CONFIG = "examples/workers/wrangler.toml";
// No login, no telemetry, no prompts.
const WRANGLER_ENV = { WRANGLER_SEND_METRICS: "false", CI: "true" };

describe("wrangler with examples/workers/wrangler.toml", () => {
  it("bundles the Worker with `wrangler deploy --dry-run`", async () => {
    expect(existsSync(WRANGLER), "wrangler is missing: run `npm ci`").toBe(true);
    const outdir = mkdtempSync(join(tmpdir(), "web-sessions-wrangler-"));
    try {
      const { code, output } = await run(WRANGLER, ["deploy", "--dry-run", "--outdir", outdir, "-c", WRANGLER_CONFIG], WRANGLER_ENV);
      expect(code, output).toBe(0);
      expect(output).toContain("--dry-run: exiting now.");
      const bundled = readFileSync(join(outdir, "worker.js"), "utf8");
      expect(bundled).toContain("ERR_SESSION_CONFIG"); // the library is inside
      expect(bundled).not.toMatch(/from\s*["']node:/); // and needs no Node built-ins
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it("serves it with `wrangler dev` (secret from .dev.vars): the counter goes 1, 2, 3 over HTTP", async () => {
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const args = ["dev", "-c", WRANGLER_CONFIG, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"];
    const child = spawn(WRANGLER, args, { cwd: REPO, env: { ...process.env, ...WRANGLER_ENV }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (chunk) => (log += chunk));
    child.stderr.on("data", (chunk) => (log += chunk));
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 45_000;
      while (!/Ready on/.test(log)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await countThreeTimes(httpGet(base));
    } finally {
      // The whole process group: wrangler and the workerd it started.
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(undefined)));
    }
  }, 60_000);
});

describe("withSessions (web-sessions/workers), called directly", () => {
  const ctx: WorkersExecutionContext = { waitUntil: () => {}, passThroughOnException: () => {} };
  const counter = async (request: Request) => {
    const session = getSession<{ count: number }>(request);
    session.set("count", (session.get("count") ?? 0) + 1);
    await session.save();
    return Response.json({ count: session.get("count") });
  };

  it("builds the configuration once per env object, not per request", async () => {
    const built: string[] = [];
    const handler = withSessions((env: { SESSION_SECRET: string; NAME: string }) => {
      built.push(env.NAME);
      return { store: new CookieStore({ secrets: env.SESSION_SECRET }) };
    }, counter);
    const one = { SESSION_SECRET: SECRET, NAME: "one" };
    const two = { SESSION_SECRET: SECRET, NAME: "two" };
    for (const env of [one, one, two, one, two]) {
      expect((await handler(new Request("http://localhost/"), env, ctx)).status).toBe(200);
    }
    expect(built).toEqual(["one", "two"]);
  });

  it("fails each request with ERR_SESSION_CONFIG while the env's configuration is wrong, and caches no failure", async () => {
    let calls = 0;
    const handler = withSessions((env: { SESSION_SECRET: string }) => {
      calls++;
      return { store: new CookieStore({ secrets: env.SESSION_SECRET }) };
    }, counter);
    const env = { SESSION_SECRET: "short" };
    for (let i = 0; i < 2; i++) {
      await expect(handler(new Request("http://localhost/"), env, ctx)).rejects.toMatchObject({ code: "ERR_SESSION_CONFIG" } satisfies Partial<SessionError>);
    }
    expect(calls).toBe(2);
  });

  it("takes a fixed configuration too, and hands env and ctx to the handler unchanged", async () => {
    const env = { GREETING: "hi" };
    const handler = withSessions({ store: new CookieStore({ secrets: SECRET }) }, async (request, e: typeof env, c: WorkersExecutionContext) =>
      Response.json({ same: e === env && c === ctx, id: getSession(request).id.length > 0 }),
    );
    expect(await (await handler(new Request("http://localhost/"), env, ctx)).json()).toEqual({ same: true, id: true });
  });
});
