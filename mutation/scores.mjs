// Prints the score per file of the last `npm run test:mutation` (mutation/report.json), as the
// Development page (docs/development.md) gives it. Where `npm run test:mutation:static` has run since, its
// results (mutation/static-report.json) replace the static mutants the main run ignored.
// `--survivors` also lists each mutant no test detected.
import { existsSync, readFileSync } from "node:fs";

const read = (name) => JSON.parse(readFileSync(new URL(name, import.meta.url), "utf8"));
const report = read("report.json");
const key = (file, m) => `${file}:${m.location.start.line}:${m.location.start.column}:${m.mutatorName}:${m.replacement}`;
const staticRun = new Map();
if (existsSync(new URL("static-report.json", import.meta.url))) {
  for (const [file, { mutants }] of Object.entries(read("static-report.json").files)) {
    for (const m of mutants) staticRun.set(key(file, m), m.status);
  }
}

const detected = new Set(["Killed", "Timeout"]);
const undetected = new Set(["Survived", "NoCoverage"]);
const rows = [];
let allDetected = 0;
let allValid = 0;
for (const [file, { mutants, source }] of Object.entries(report.files).sort()) {
  const statuses = mutants.map((m) => (m.statusReason?.startsWith("Static") && staticRun.get(key(file, m))) || m.status);
  const found = statuses.filter((s) => detected.has(s)).length;
  const valid = found + statuses.filter((s) => undetected.has(s)).length;
  allDetected += found;
  allValid += valid;
  if (valid) rows.push(`| \`${file}\` | ${valid} | ${((100 * found) / valid).toFixed(1)}% |`);
  if (process.argv.includes("--survivors")) {
    const lines = source.split("\n");
    mutants.forEach((m, i) => {
      if (!undetected.has(statuses[i])) return;
      const { line, column } = m.location.start;
      console.error(`${file}:${line}:${column} ${statuses[i]} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? "")} | ${lines[line - 1].trim().slice(0, 120)}`);
    });
  }
}
console.log("| file | mutants | score |\n|---|--:|--:|");
console.log(rows.join("\n"));
console.log(`| **all** | ${allValid} | **${((100 * allDetected) / allValid).toFixed(1)}%** |`);
