/** Dev helper: prints the top-scored units for one question.  npx tsx tests/answer/tools/explain.ts "question" [--data DIR] */
import { parseArgs } from "node:util";
import { loadCorpusIndex } from "../../../src/adapters/node/corpus-index.js";
import { openDatabase } from "../../../src/adapters/node/database.js";
import { analyzePassages } from "../../../src/core/answer/index.js";

const { values, positionals } = parseArgs({ options: { data: { type: "string", default: "data" }, k: { type: "string", default: "8" } }, allowPositionals: true });
const question = positionals.join(" ");
const db = openDatabase(`${values.data}/fce.db`);
const index = await loadCorpusIndex({ db, dataDir: values.data! });
const passages = await index.retriever.search(question, { k: Number(values.k) });
passages.forEach((p, i) => console.log(`P${i} ${p.chunk.id} score=${p.score.toFixed(4)} ${JSON.stringify(p.signals)}`));
const a = analyzePassages(question, passages);
console.log(JSON.stringify({ terms: a.question.terms, expects: a.question.expects, entities: a.question.entities, weights: [...a.weights] }));
for (const u of [...a.units].sort((x, y) => y.score - x.score).slice(0, 12)) {
  console.log(`${u.score.toFixed(3)} cov=${u.coverage.toFixed(3)} tb=${u.typeBonus.toFixed(2)} P${u.passageIndex} ${u.informative ? "" : "(uninf)"} [${[...u.matched].join(",")}] ${JSON.stringify(u.unit.text).slice(0, 150)}`);
}
db.$client.close();
