// web-sessions/bun and the store conformance suite under the real Bun, through `bun test`.
import { describe, expect, it } from "vitest";
import { binary, conformanceCaseCount, run, versionOf } from "./support/runtime.ts";

// test() cases in test/runtimes/bun/serve_test.ts.
const SERVE_CASES = 2;

describe(`Bun (${versionOf("bun")})`, () => {
  it("passes the conformance suite and the Bun.serve tests", async () => {
    // Explicit paths: a bare `bun test` would also pick up the Deno files.
    const { code, output } = await run(binary("bun"), ["test", "./test/runtimes/bun/"]);
    const passed = /^\s*(\d+) pass$/m.exec(output);
    const failed = /^\s*(\d+) fail$/m.exec(output);
    expect(passed && failed, output).not.toBeNull();
    expect({ code, passed: Number(passed![1]), failed: Number(failed![1]) }, output).toEqual({
      code: 0,
      passed: conformanceCaseCount() + SERVE_CASES,
      failed: 0,
    });
  }, 120_000);
});
