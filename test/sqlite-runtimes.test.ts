// SqliteStore in the runtimes whose SQLite clients Node lacks: D1 inside workerd (Miniflare, a
// real D1 binding), bun:sqlite under `bun test`, node:sqlite under `deno test`. Each runs the
// store conformance suite and test/sqlite-cases.ts; vitest checks every case ran and passed.
import { Miniflare } from "miniflare";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteCases } from "./sqlite-cases.ts";
import { REPO, binary, run, versionOf } from "./support/runtime.ts";
import { runWorkerCases, serverStoreCaseCount, workerCases } from "./support/worker-cases.ts";
import { bundleForWorkerd } from "./support/workerd-bundle.ts";

const workerdVersion = createRequire(import.meta.url)("workerd/package.json").version as string;

/** How many cases the conformance suite (server store, shared backend) and sqlite-cases.ts declare. */
function declaredCases(): number {
  let count = serverStoreCaseCount();
  sqliteCases(() => void count++, () => undefined as never);
  return count;
}

const mf = new Miniflare({
  modules: true,
  script: await bundleForWorkerd(join(REPO, "test/runtimes/sqlite/d1-worker.ts"), undefined, ["node:*"]),
  compatibilityDate: "2025-09-01",
  // node:assert/strict, which the framework-free cases assert with.
  compatibilityFlags: ["nodejs_compat"],
  d1Databases: ["DB"],
});
afterAll(() => mf.dispose());
const cases = await workerCases(mf);

describe(`SqliteStore on D1 inside workerd ${workerdVersion} (Miniflare)`, () => {
  it("declares the whole conformance suite and SqliteStore's own cases", () => {
    expect(cases).toHaveLength(declaredCases());
  });

  runWorkerCases(mf, cases);
});

describe(`SqliteStore on bun:sqlite (${versionOf("bun")})`, () => {
  it("passes the conformance suite and SqliteStore's own cases under bun test", async () => {
    const { code, output } = await run(binary("bun"), ["test", "./test/runtimes/sqlite/bun_sqlite_test.ts"]);
    const passed = /^\s*(\d+) pass$/m.exec(output);
    const failed = /^\s*(\d+) fail$/m.exec(output);
    expect(passed && failed, output).not.toBeNull();
    expect({ code, passed: Number(passed![1]), failed: Number(failed![1]) }, output).toEqual({ code: 0, passed: declaredCases(), failed: 0 });
  }, 120_000);
});

describe(`SqliteStore on node:sqlite (${versionOf("deno")})`, () => {
  it("passes the conformance suite and SqliteStore's own cases under deno test, type-checked", async () => {
    const { code, output } = await run(binary("deno"), ["test", "-A", "test/runtimes/sqlite/deno_sqlite_test.ts"], { DENO_DIR: join(REPO, ".deno") });
    const summary = /^(ok|FAILED) \| (\d+) passed \| (\d+) failed/m.exec(output);
    expect(summary, output).not.toBeNull();
    // One more Deno.test closes the database.
    expect({ code, passed: Number(summary![2]), failed: Number(summary![3]) }, output).toEqual({ code: 0, passed: declaredCases() + 1, failed: 0 });
  }, 120_000);
});
