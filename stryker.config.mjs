// Mutation testing (npm run test:mutation): Stryker changes src/ and the Hono, SvelteKit and
// Next.js adapters one small edit at a time and checks that some test fails on each.
// mutation/EQUIVALENT.md lists survivors that cannot be killed, with the reason.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  // The Durable Objects code runs only inside workerd (it imports cloudflare:workers), out of
  // Stryker's reach like the Workers adapter; test/durable-objects.test.ts covers it there.
  mutate: ["src/**/*.ts", "adapters/hono.ts", "adapters/sveltekit.ts", "adapters/next.ts", "adapters/next-cookies.ts", "!src/stores/durable-objects.ts", "!src/server-store/durable-objects/**"],
  // Error-message texts: changing one breaks no behaviour worth a test.
  mutator: { excludedMutations: ["StringLiteral"] },
  coverageAnalysis: "perTest",
  // A mutant that only module loading reaches (a top-level constant no test runs again) needs the
  // whole suite rerun for it, which would triple the run; Stryker reports those as Ignored. Mutants
  // reached both at load and by tests still run, against the tests that reach them.
  ignoreStatic: true,
  concurrency: 2,
  // TypeScript 7 has no JS API, so Stryker's tsconfig step crashes; a file that does not exist
  // makes it skip that step (the sources run through vitest's own transform anyway).
  tsconfigFile: "tsconfig.stryker-none.json",
  // `npm run test:mutation -- --incremental` reruns only mutants whose code or tests changed.
  incrementalFile: "mutation/incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "mutation/report.html" },
  jsonReporter: { fileName: "mutation/report.json" },
  tempDirName: ".stryker-tmp",
};
