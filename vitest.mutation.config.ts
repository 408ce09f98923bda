// The test files Stryker runs for each mutant (npm run test:mutation): every test file that runs
// src/ and adapters/hono.ts in this process. Left out: the runtime suites (workerd with the Durable
// Objects, Deno, Bun, the packed tarball), the browser test, the two-process demo and the Redis Cluster suites (each starts
// six redis-server processes), which run the code elsewhere, out of
// Stryker's reach; and the benchmark rows, which only measure.
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
      "test/durable-objects.test.ts",
      "test/package.test.ts",
      "test/stores/redis-cluster.test.ts",
      "test/stores/redis-cluster-failover.test.ts",
      "test/workers.test.ts",
      "test/workers-cookie-formats.test.ts",
    ],
    // Read by the generated-input tests (test/support/mutation.ts), which then run a tenth of their cases.
    env: { MUTATION_RUN: "1" },
  },
});
