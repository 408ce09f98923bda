// DurableObjectStore inside workerd (Miniflare with SQLite-backed Durable Object bindings): the
// store conformance suite, server-store races included, and the Durable Objects cases, each run as
// one request to test/runtimes/workers/durable-objects-worker.ts.
import { Miniflare } from "miniflare";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { storeConformance } from "../testing/index.ts";
import { nodeExpect } from "./support/assert.ts";
import { REPO } from "./support/runtime.ts";
import { bundleForWorkerd } from "./support/workerd-bundle.ts";

const workerdVersion = createRequire(import.meta.url)("workerd/package.json").version as string;

const mf = new Miniflare({
  modules: true,
  script: await bundleForWorkerd(join(REPO, "test/runtimes/workers/durable-objects-worker.ts"), undefined, ["node:*"]),
  compatibilityDate: "2025-09-01",
  // node:assert/strict, which the framework-free suite asserts with.
  compatibilityFlags: ["nodejs_compat"],
  durableObjects: {
    SESSIONS: { className: "SessionsObject", useSQLite: true },
    OVERLOADED: { className: "OverloadedSessionsObject", useSQLite: true },
    RESETTING: { className: "ResettingSessionsObject", useSQLite: true },
  },
});
afterAll(() => mf.dispose());

const cases = (await (await mf.dispatchFetch("http://localhost/cases")).json()) as string[];

/** How many cases the conformance suite declares for a server store with a shared backend. */
function conformanceCases(): number {
  let count = 0;
  const runner = { describe: (_name: string, body: () => void) => body(), it: () => void count++, expect: nodeExpect };
  storeConformance(runner, "counted", { make: () => undefined as never, serverSide: true, sharedBackend: true });
  return count;
}

describe(`DurableObjectStore in workerd ${workerdVersion} (Miniflare, SQLite-backed objects)`, () => {
  it("declares the whole conformance suite and the Durable Objects cases", () => {
    expect(cases.filter((name) => name.startsWith("DurableObjectStore: store conformance > "))).toHaveLength(conformanceCases());
    expect(cases.filter((name) => name.startsWith("DurableObjectStore in workerd > ")).length).toBeGreaterThanOrEqual(6);
  });

  for (const name of cases) {
    it(name, async () => {
      const response = await mf.dispatchFetch(`http://localhost/run?case=${encodeURIComponent(name)}`, { method: "POST" });
      const result = (await response.json()) as { ok: boolean; error?: string };
      expect(result.error ?? "").toBe("");
      expect(result.ok).toBe(true);
    }, 30_000);
  }
});
