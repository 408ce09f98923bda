// web-sessions/workers in workerd: the Workers example and an adapter probe, bundled with esbuild
// as wrangler would and run in Miniflare.
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO } from "./support/runtime.ts";
import { SECRET } from "./support/browser.ts";
import { countThreeTimes } from "./runtimes/counter-flow.ts";
import type { Get } from "./runtimes/counter-flow.ts";

const workerdVersion = createRequire(import.meta.url)("workerd/package.json").version as string;

/** Bundles a worker entry for workerd, as `wrangler deploy` does. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO, entry)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
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

  it("examples/workers answers 500 when SESSION_SECRET is not bound (ERR_SESSION_CONFIG, not a session)", async () => {
    const { get } = await worker("examples/workers/worker.ts", {});
    const response = await get("/");
    expect(response.status).toBe(500);
    expect(response.headers.getSetCookie()).toEqual([]);
    await response.arrayBuffer();
  }, 30_000);

  it("builds the configuration once per env, hands env and ctx to the handler, and serves named sessions", async () => {
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
    expect(bodies).toEqual([1, 2, 3].map((count) => ({ count, bNew: true, configBuilds: 1, greeting: "hi", waitUntil: "function" })));
  }, 30_000);
});
