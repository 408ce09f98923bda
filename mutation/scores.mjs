// Reads the JSON report of the last `npm run test:mutation` and prints the score per file, as the
// README's Development section gives it; with `--survivors`, each surviving mutant as well.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(new URL("report.json", import.meta.url), "utf8"));
const detected = new Set(["Killed", "Timeout"]);
const undetected = new Set(["Survived", "NoCoverage"]);
const rows = [];
let allDetected = 0;
let allValid = 0;
for (const [file, { mutants, source }] of Object.entries(report.files).sort()) {
  const found = mutants.filter((m) => detected.has(m.status)).length;
  const valid = found + mutants.filter((m) => undetected.has(m.status)).length;
  allDetected += found;
  allValid += valid;
  rows.push(`| \`${file}\` | ${valid} | ${valid ? ((100 * found) / valid).toFixed(1) : "—"}% |`);
  if (process.argv.includes("--survivors")) {
    const lines = source.split("\n");
    for (const m of mutants.filter((m) => undetected.has(m.status))) {
      const { line, column } = m.location.start;
      console.error(`${file}:${line}:${column} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? "")} | ${lines[line - 1].trim().slice(0, 120)}`);
    }
  }
}
console.log("| file | mutants | score |\n|---|--:|--:|");
console.log(rows.join("\n"));
console.log(`| **all** | ${allValid} | **${((100 * allDetected) / allValid).toFixed(1)}%** |`);
