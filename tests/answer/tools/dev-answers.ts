/**
 * Dev harness (not a test): runs the extractive answerer over a QA file with the live index and prints
 * answers, supports and the calibration curve.
 *   npx tsx tests/answer/tools/dev-answers.ts --qa /work/shared/eval/qa-dev.jsonl [--data DIR] [--k 8] [--verbose]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCorpusIndex } from "../../../src/adapters/node/corpus-index.js";
import { openDatabase } from "../../../src/adapters/node/database.js";
import { answerExtractive, calibrateThreshold } from "../../../src/core/answer/index.js";

interface Qa {
  id: string;
  question: string;
  answerable: boolean;
  answer_contains?: string[];
}

const { values } = parseArgs({
  options: {
    qa: { type: "string" },
    data: { type: "string", default: "data" },
    k: { type: "string", default: "8" },
    verbose: { type: "boolean", short: "v", default: false },
    threshold: { type: "string" },
  },
});
const items: Qa[] = readFileSync(values.qa!, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Qa);
const db = openDatabase(`${values.data}/fce.db`);
const index = await loadCorpusIndex({ db, dataDir: values.data! });
const examples: Array<{ support: number; answerable: boolean }> = [];
let contains = 0;
let answerable = 0;
for (const q of items) {
  const passages = await index.retriever.search(q.question, { k: Number(values.k) });
  const r = answerExtractive(q.question, passages, values.threshold ? { threshold: Number(values.threshold) } : {});
  examples.push({ support: r.support, answerable: q.answerable });
  const ok = q.answerable ? (q.answer_contains ?? []).every((s) => r.answer.toLowerCase().includes(s.toLowerCase())) : r.abstained;
  if (q.answerable) {
    answerable++;
    if (ok && !r.abstained) contains++;
  }
  const d = r.diagnostics!;
  const f = Object.entries(d.factors ?? {}).filter(([, v]) => v !== 1).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(" ");
  const v = passages[0]?.signals.vector ?? 0;
  console.log(`${ok ? "OK " : "BAD"} ${q.id} ${q.answerable ? "A" : "U"} support=${r.support.toFixed(3)} best=${d.bestCoverage.toFixed(2)} union=${d.unionCoverage.toFixed(2)} vec=${v.toFixed(2)} ${f} ${r.abstained ? "ABSTAIN" : ""} ${q.question}`);
  if (values.verbose || !ok) {
    console.log(`    ${r.answer.slice(0, 400)}`);
    console.log(`    diag ${JSON.stringify(r.diagnostics)}`);
    if (!q.answerable || !ok) console.log(`    top: ${passages.slice(0, 3).map((p) => p.chunk.id).join(", ")}`);
  }
}
db.$client.close();
const cal = calibrateThreshold(examples);
console.log(`answer_contains ok: ${contains}/${answerable}`);
console.log(`calibrated threshold ${cal.threshold}`);
for (const p of cal.curve) console.log(`  t=${p.threshold.toFixed(3)} abstain(unans)=${p.abstainRateUnanswerable.toFixed(2)} falseAbstain=${p.falseAbstainRate.toFixed(2)}`);
