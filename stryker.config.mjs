// Mutation testing (npm run test:mutation): Stryker changes src/ and adapters/hono.ts one small
// edit at a time and checks that some test fails on each. mutation/EQUIVALENT.md lists survivors
// that cannot be killed, with the reason.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: ["src/**/*.ts", "adapters/hono.ts"],
  // Error-message texts: changing one breaks no behaviour worth a test.
  mutator: { excludedMutations: ["StringLiteral"] },
  coverageAnalysis: "perTest",
  concurrency: 2,
  // TypeScript 7 has no JS API, so Stryker's tsconfig step crashes; a file that does not exist
  // makes it skip that step (the sources run through vitest's own transform anyway).
  tsconfigFile: "tsconfig.stryker-none.json",
  // `npm run test:mutation -- --incremental` reruns only mutants whose code or tests changed.
  incrementalFile: "mutation/incremental.json",
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "mutation/report.html" },
  tempDirName: ".stryker-tmp",
};
