// The test files Stryker runs for each mutant (npm run test:mutation): every test file that runs
// src/ and the Hono, SvelteKit and Next.js adapters in this process. Left out: the runtime suites
// (workerd with the Durable Objects, Deno, Bun, Elysia under Bun, the built SvelteKit and Next.js apps, the
// stores under Bun and Deno, the packed tarball), the browser test, the two-process demo and the Redis Cluster suites (each starts six redis-server processes), which
// run the code elsewhere, out of Stryker's reach; the docs check, which runs tsc and deno; the
// benchmark rows, which only measure; and the failovers, which take seconds of wall time each and
// cover no line that the stores' own test files do not.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [
      "test/bench.test.ts",
      "test/bun.test.ts",
      "test/deno.test.ts",
      "test/demo-browser.test.ts",
      "test/demo-distributed.test.ts",
      "test/docs.test.ts",
      "test/durable-objects.test.ts",
      "test/elysia.test.ts",
      "test/next.test.ts",
      "test/package.test.ts",
      "test/stores/redis-sentinel-acked-writes.test.ts",
      "test/stores/redis-sentinel-failover.test.ts",
      "test/postgres-runtimes.test.ts",
      "test/sqlite-runtimes.test.ts",
      "test/stores/sqlite-d1.test.ts",
      "test/sveltekit.test.ts",
      "test/stores/redis-cluster.test.ts",
      "test/stores/redis-cluster-failover.test.ts",
      "test/workers.test.ts",
      "test/workers-cookie-formats.test.ts",
    ],
    // Read by the generated-input tests (test/support/mutation.ts), which then run a tenth of their cases.
    env: { MUTATION_RUN: "1" },
  },
});
