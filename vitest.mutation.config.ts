// The test files Stryker runs for each mutant (npm run test:mutation): those that exercise src/ and
// adapters/hono.ts in this process. The runtime suites (workerd, Deno, Bun, the packed tarball),
// the browser test and the two-process demo run the code elsewhere, out of Stryker's reach; the
// benchmark rows only measure.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/base64url.test.ts",
      "test/codec.test.ts",
      "test/cookie.test.ts",
      "test/options.test.ts",
      "test/json.test.ts",
      "test/session.test.ts",
      "test/with-sessions.test.ts",
      "test/hono.test.ts",
      "test/examples.test.ts",
      "test/demo.test.ts",
      "test/node.test.ts",
      "test/gaps.test.ts",
      "test/model.test.ts",
      "test/fuzz.test.ts",
      "test/fuzz-upstash.test.ts",
      "test/upstash-faults.test.ts",
      "test/stores/*.test.ts",
    ],
    // Read by the model-based test, which then runs a fifth of its sequences per mutant.
    env: { MUTATION_RUN: "1" },
  },
});
