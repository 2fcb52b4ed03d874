#!/usr/bin/env node
// Prints one line per mocha JSON report (passes/cases), then each failed case with the first line
// of its error: what scripts/conformance-*.sh show per run and what their tables record.
// Usage: scripts/mocha-summary.mjs REPORT.json
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8");
let report;
try {
  report = JSON.parse(text.slice(text.indexOf("{")));
} catch {
  console.log("no mocha report (the suite did not run): " + text.slice(0, 300));
  process.exit(1);
}
const { passes, tests } = report.stats;
console.log(`passed ${passes}/${tests}`);
for (const f of report.failures) {
  console.log(`  FAILED ${f.fullTitle}: ${String(f.err?.message ?? "").split("\n")[0]}`);
}
process.exit(report.failures.length === 0 ? 0 : 1);
