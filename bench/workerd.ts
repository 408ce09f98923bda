/**
 * The cookie-session tables inside workerd: bench/worker.ts bundled as `wrangler deploy` would
 * bundle it and run by Miniflare, which measures both routes there (see bench/worker.ts for why
 * the loop runs inside the worker).
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundleForWorkerd } from "../test/support/workerd-bundle.ts";
import type { Route } from "./harness.ts";
import type { RouteResult, RuntimeResult } from "./measure.ts";

export async function measureWorkerd(options: { rounds: number; ms: number; warmup: number }): Promise<RuntimeResult> {
  const script = await bundleForWorkerd(fileURLToPath(new URL("./worker.ts", import.meta.url)));
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-09-01" });
  try {
    const measure = async (route: Route): Promise<RouteResult> => {
      const query = new URLSearchParams({ route, rounds: String(options.rounds), ms: String(options.ms), warmup: String(options.warmup) });
      const res = await mf.dispatchFetch(`http://localhost/measure?${query}`, { method: "POST" });
      if (res.status !== 200) throw new Error(`workerd ${route} route: ${res.status} ${await res.text()}`);
      return (await res.json()) as RouteResult;
    };
    const counter = await measure("counter");
    const read = await measure("read");
    const miniflare = JSON.parse(readFileSync(new URL("../node_modules/miniflare/package.json", import.meta.url), "utf8")) as { version: string };
    return { runtime: `workerd (Miniflare ${miniflare.version})`, method: `inside the worker, app.request() (workerd under Miniflare ticks its clock in whole milliseconds: at most ${(100 / options.ms).toFixed(1)}% of a ${options.ms} ms slice)`, counter, read };
  } finally {
    await mf.dispose();
  }
}
