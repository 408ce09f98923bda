// web-sessions/deno and the store conformance suite under the real Deno, through `deno test`.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, binary, conformanceCaseCount, run, versionOf } from "./support/runtime.ts";

// Deno.test cases in test/runtimes/deno/serve_test.ts.
const SERVE_CASES = 2;

describe(`Deno (${versionOf("deno")})`, () => {
  it("passes the conformance suite and the Deno.serve tests, type-checked against Deno's types", async () => {
    const { code, output } = await run(binary("deno"), ["test", "-A", "test/runtimes/deno/"], {
      DENO_DIR: join(REPO, ".deno"),
    });
    const summary = /^(ok|FAILED) \| (\d+) passed \| (\d+) failed/m.exec(output);
    expect(summary, output).not.toBeNull();
    expect({ code, passed: Number(summary![2]), failed: Number(summary![3]) }, output).toEqual({
      code: 0,
      passed: conformanceCaseCount() + SERVE_CASES,
      failed: 0,
    });
  }, 120_000);

  it("publishes to JSR (dry run): deno.json maps every subpath, no slow types", async () => {
    const { code, output } = await run(binary("deno"), ["publish", "--dry-run", "--allow-dirty"], {
      DENO_DIR: join(REPO, ".deno"),
    });
    expect(code, output).toBe(0);
    expect(output).toContain("Success Dry run complete");
    expect(output).not.toMatch(/^(error|warning)/im);
    for (const file of ["src/index.ts", "adapters/hono.ts", "adapters/workers.ts", "adapters/deno.ts", "adapters/bun.ts", "LICENSE"]) {
      expect(output).toContain(`/${file} (`);
    }
    expect(output).not.toMatch(/\/(test|examples|bench)\//);
  }, 120_000);
});
