/**
 * npm run eval -- --qa FILE [--k 5] [--json]
 * Retrieval figures (recall@k, MRR@10) for bm25, vector and hybrid search over the live index.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCorpusIndex } from "../adapters/node/corpus-index.js";
import { openDatabase } from "../adapters/node/database.js";
import { embeddingConfig } from "../adapters/node/runtime.js";
import { firstRelevantRank, parseQaLines, retrievalFigures, type RetrievalFigures } from "../core/retrieval/metrics.js";
import type { SearchMode } from "../core/types.js";
import { dbPath, loadEnv } from "../env.js";

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

  const answerable = items.filter((q) => q.answerable && q.gold?.length);
  const retrieval: Record<string, RetrievalFigures> = {};
  for (const mode of ["bm25", "vector", "hybrid"] as SearchMode[]) {
    const ranks: number[] = [];
    for (const q of answerable) {
      const passages = await index.retriever.search(q.question, { k: Math.max(10, k), mode });
      const rank = firstRelevantRank(passages, q.gold!);
      ranks.push(rank);
      if (values.verbose && (rank === 0 || rank > 1)) console.error(`${mode} ${q.id} rank=${rank} ${q.question}`);
    }
    const figures = retrievalFigures(ranks, k);
    retrieval[mode] = figures;
  }
  db.$client.close();

  console.log(`retrieval over ${answerable.length} answerable questions (index ${index.generation})`);
  console.log(`mode     recall@${k}  mrr@10`);
  for (const [mode, f] of Object.entries(retrieval)) console.log(`${mode.padEnd(8)} ${f["recall@5"].toFixed(3).padStart(9)}  ${f["mrr@10"].toFixed(3)}`);
  if (values.json) console.log(JSON.stringify({ retrieval }));
}

main().catch((e: unknown) => {
  console.error(`eval failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
