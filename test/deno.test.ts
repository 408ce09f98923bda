// web-sessions/deno and the store conformance suite under the real Deno, through `deno test`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COUNTED_DENO_KV, REPO, binary, conformanceCaseCount, denoKvCaseCount, run, versionOf } from "./support/runtime.ts";
import { startUpstashEndpoint } from "./support/upstash-endpoint.ts";
import { UPSTASH_ENV } from "./runtimes/subjects.ts";

// Deno.test cases in test/runtimes/deno/serve_test.ts.
const SERVE_CASES = 2;
// Deno.test cases of test/runtimes/deno/deno_kv_test.ts beside test/deno-kv-cases.ts: examples/deno/kv.ts.
const DENO_KV_EXAMPLE_CASES = 1;

// The Upstash store's conformance run talks to this endpoint (in front of the test Redis) from the child.
const upstash = await startUpstashEndpoint();
afterAll(() => upstash.close());
const upstashEnv = { [UPSTASH_ENV.url]: upstash.url, [UPSTASH_ENV.token]: upstash.token };

describe(`Deno (${versionOf("deno")})`, () => {
  it("passes the conformance suite (Cookie, Memory, Upstash and Deno KV stores), DenoKvStore's own cases and the Deno.serve tests, type-checked against Deno's types", async () => {
    const { code, output } = await run(binary("deno"), ["test", "-A", "--unstable-kv", "test/runtimes/deno/"], {
      DENO_DIR: join(REPO, ".deno"),
      ...upstashEnv,
    });
    const summary = /^(ok|FAILED) \| (\d+) passed \| (\d+) failed/m.exec(output);
    expect(summary, output).not.toBeNull();
    expect({ code, passed: Number(summary![2]), failed: Number(summary![3]) }, output).toEqual({
      code: 0,
      passed: conformanceCaseCount(upstash, undefined, COUNTED_DENO_KV("Deno.openKv")) + denoKvCaseCount() + DENO_KV_EXAMPLE_CASES + SERVE_CASES,
      failed: 0,
    });
    expect(upstash.requests, "the Upstash store's cases reached the endpoint").toBeGreaterThan(0);
    expect(output, "the DenoKvStore ran on Deno's own KV").toContain("DenoKvStore (Deno.openKv): store conformance");
  }, 120_000);

  it("publishes to JSR (dry run): deno.json maps every subpath, no slow types", async () => {
    const { code, output } = await run(binary("deno"), ["publish", "--dry-run", "--allow-dirty"], {
      DENO_DIR: join(REPO, ".deno"),
    });
    expect(code, output).toBe(0);
    expect(output).toContain("Success Dry run complete");
    expect(output).not.toMatch(/^(error|warning)/im);
    for (const file of ["src/index.ts", "adapters/hono.ts", "adapters/workers.ts", "adapters/deno.ts", "adapters/bun.ts", "adapters/sveltekit.ts", "adapters/next.ts", "src/stores/deno-kv.ts", "testing/index.ts", "LICENSE"]) {
      expect(output).toContain(`/${file} (`);
    }
    // Every subpath of the npm package but Elysia's: its plugin's type is inferred by Elysia (a
    // Bun framework, installed from npm), which JSR refuses as a slow type.
    const npmPaths = Object.keys(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).exports as object);
    const jsrPaths = Object.keys(JSON.parse(readFileSync(join(REPO, "deno.json"), "utf8")).exports as object);
    expect(jsrPaths.sort()).toEqual(npmPaths.filter((path) => path !== "./elysia" && path !== "./package.json").sort());
    // Under the checkout, whatever folder the checkout itself sits in.
    expect(output).toContain(`${REPO}/src/index.ts`);
    for (const folder of ["test", "examples", "bench"]) expect(output).not.toContain(`${REPO}/${folder}/`);
  }, 120_000);
});
