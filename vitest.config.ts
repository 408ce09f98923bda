import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Vitest runs one file at a time on a 2-core machine by default (cores - 1). Most files here wait
    // on servers, browsers and builds of their own, so three at once keep both cores busy.
    maxWorkers: 3,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
