/**
 * npm run eval -- --qa FILE [--k 5] [--json]
 * Retrieval figures (recall@k, MRR@10) for bm25, vector and hybrid search over the live index.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCorpusIndex } from "../adapters/node/corpus-index.js";
import { openDatabase } from "../adapters/node/database.js";
import { embeddingConfig } from "../adapters/node/runtime.js";
import { answerExtractive, calibrateThreshold, DEFAULT_SUPPORT_THRESHOLD } from "../core/answer/index.js";
import { firstRelevantRank, isRelevant, parseQaLines, retrievalFigures, round, type QaItem, type RetrievalFigures } from "../core/retrieval/metrics.js";
import type { SearchMode } from "../core/types.js";
import { dbPath, loadEnv } from "../env.js";
import { questionForAnswer } from "../services/ask.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      qa: { type: "string" },
      k: { type: "string", default: "5" },
      json: { type: "boolean", default: false },
      data: { type: "string" },
      verbose: { type: "boolean", short: "v", default: false },
    },
    strict: true,
  });
  if (!values.qa) throw new Error("missing --qa FILE (a JSON-lines file shaped like shared/eval/qa-dev.jsonl)");
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error(`--k must be a whole number from 1 to 100 (got ${values.k})`);
  let text: string;
  try {
    text = readFileSync(values.qa, "utf8");
  } catch (e) {
    throw new Error(`cannot read --qa ${values.qa}: ${(e as Error).message}`);
  }
  const items = parseQaLines(text, values.qa);
  const env = loadEnv({ ...process.env, ...(values.data ? { FCE_DATA_DIR: values.data, FCE_DB_PATH: `${values.data}/fce.db` } : {}) });
  const db = openDatabase(dbPath(env));
  const index = await loadCorpusIndex({ db, dataDir: env.FCE_DATA_DIR, embedding: embeddingConfig(env) });

  const withGold = items.filter((q) => q.answerable && q.gold?.length);
  const retrieval: Record<string, RetrievalFigures> = {};
  for (const mode of ["bm25", "vector", "hybrid"] as SearchMode[]) {
    const ranks: number[] = [];
    for (const q of withGold) {
      const passages = await index.retriever.search(q.question, { k: Math.max(10, k), mode });
      const rank = firstRelevantRank(passages, q.gold!);
      ranks.push(rank);
      if (values.verbose && (rank === 0 || rank > 1)) console.error(`${mode} ${q.id} rank=${rank} ${q.question}`);
    }
    const figures = retrievalFigures(ranks, k);
    retrieval[mode] = figures;
  }
  // Answers: the same pipeline as POST /api/ask (retrieve 8 passages, extractive answer).
  const answerRows: Array<{ item: QaItem; abstained: boolean; support: number; correct: boolean; cited: boolean }> = [];
  for (const q of items) {
    const passages = await index.retriever.search(q.question, { k: 8 });
    const result = answerExtractive(questionForAnswer(index.retriever, q.question), passages);
    const text = result.answer.toLowerCase();
    const correct = q.answerable && !result.abstained && (q.answer_contains ?? []).every((s) => text.includes(s.toLowerCase()));
    const citedChunks = result.citations.map((c) => passages.find((p) => p.chunk.id === c.chunkId)).filter((p) => p !== undefined);
    const cited = !!q.gold?.length && citedChunks.some((p) => isRelevant(p, q.gold!));
    answerRows.push({ item: q, abstained: result.abstained, support: result.support, correct, cited });
    if (values.verbose && q.answerable && !correct) console.error(`answer ${q.id} abstained=${result.abstained} support=${result.support.toFixed(3)}: ${result.answer.slice(0, 160)}`);
    if (values.verbose && q.answerable && !result.abstained && !cited) console.error(`citation ${q.id} cites ${result.citations.map((c) => c.chunkId).join(", ")}: ${result.answer.slice(0, 200)}`);
    if (values.verbose && !q.answerable && !result.abstained) console.error(`answer ${q.id} (unanswerable) answered, support=${result.support.toFixed(3)}: ${result.answer.slice(0, 160)}`);
  }
  db.$client.close();
  const answerable = answerRows.filter((r) => r.item.answerable);
  const unanswerable = answerRows.filter((r) => !r.item.answerable);
  const answered = answerable.filter((r) => !r.abstained);
  const share = (n: number, d: number) => (d ? round(n / d) : 0);
  const answersFigures = {
    answer_accuracy: share(answerable.filter((r) => r.correct).length, answerable.length),
    abstain_rate_unanswerable: share(unanswerable.filter((r) => r.abstained).length, unanswerable.length),
    false_abstain_rate: share(answerable.filter((r) => r.abstained).length, answerable.length),
    citation_hit: share(answered.filter((r) => r.cited).length, answered.length),
  };
  const calibration = calibrateThreshold(answerRows.map((r) => ({ support: r.support, answerable: r.item.answerable })));

  console.log(`retrieval over ${withGold.length} answerable questions (index ${index.generation})`);
  console.log(`mode     recall@${k}  mrr@10`);
  for (const [mode, f] of Object.entries(retrieval)) console.log(`${mode.padEnd(8)} ${f["recall@5"].toFixed(3).padStart(9)}  ${f["mrr@10"].toFixed(3)}`);
  console.log(`\nanswers over ${answerable.length} answerable and ${unanswerable.length} unanswerable questions (extractive, threshold ${DEFAULT_SUPPORT_THRESHOLD})`);
  for (const [name, value] of Object.entries(answersFigures)) console.log(`${name.padEnd(26)} ${value.toFixed(3)}`);
  console.log(`\nabstention trade-off (support threshold -> abstain rate on unanswerable / false-abstain rate on answerable):`);
  for (const p of calibration.curve.filter((_, i, a) => a.length <= 40 || i % Math.ceil(a.length / 40) === 0 || i === a.length - 1)) {
    console.log(`  ${p.threshold.toFixed(3)}  ${p.abstainRateUnanswerable.toFixed(2)} / ${p.falseAbstainRate.toFixed(2)}`);
  }
  console.log(`  best on this set: ${calibration.threshold.toFixed(3)}`);
  if (values.json) console.log(JSON.stringify({ retrieval, answers: answersFigures }));
}

main().catch((e: unknown) => {
  console.error(`eval failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
