// DurableObjectStore inside workerd (Miniflare with SQLite-backed Durable Object bindings): the
// store conformance suite, server-store races included, and the Durable Objects cases, each run as
// one request to test/runtimes/workers/durable-objects-worker.ts.
import { Miniflare } from "miniflare";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "./support/runtime.ts";
import { runWorkerCases, serverStoreCaseCount, workerCases } from "./support/worker-cases.ts";
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

const cases = await workerCases(mf);

describe(`DurableObjectStore in workerd ${workerdVersion} (Miniflare, SQLite-backed objects)`, () => {
  it("declares the whole conformance suite and the Durable Objects cases", () => {
    expect(cases.filter((name) => name.startsWith("DurableObjectStore: store conformance > "))).toHaveLength(serverStoreCaseCount());
    expect(cases.filter((name) => name.startsWith("DurableObjectStore in workerd > ")).length).toBeGreaterThanOrEqual(6);
  });

  runWorkerCases(mf, cases);
});
