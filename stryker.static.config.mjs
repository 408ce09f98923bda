// The mutants only module loading reaches (top-level constants, regular expressions, defaults),
// which the main run reports as Ignored: `npm run test:mutation:static` runs them apart, each
// against the whole suite, on the lines the last main run's report (mutation/report.json) lists.
import { readFileSync } from "node:fs";
import base from "./stryker.config.mjs";

const report = JSON.parse(readFileSync("mutation/report.json", "utf8"));
const lines = new Set();
for (const [file, { mutants }] of Object.entries(report.files)) {
  for (const { status, statusReason = "", location } of mutants) {
    if (status === "Ignored" && statusReason.startsWith("Static")) lines.add(`${file}:${location.start.line}-${location.end.line}`);
  }
}

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  ...base,
  mutate: [...lines],
  ignoreStatic: false,
  // Each mutant reruns the whole suite: on a busy machine the default allowance over the dry run
  // reports slow runs as timeouts (counted as killed); an endless loop still ends in one.
  timeoutMS: 60_000,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "mutation/static-report.json" },
};
