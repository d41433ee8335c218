/**
 * npm run ingest -- [--corpus DIR] [--data DIR] [--embeddings lsa|hashed|combined|openai] [--refit] [--export [DIR]]
 * Builds (or incrementally updates) the index of the corpus folder; prints a progress bar and a summary.
 * `--export DIR` then writes the Worker's index artifact (default dist/index-artifact; src/cli/export-index.ts).
 */
import { parseArgs } from "node:util";
import { ingestCorpus, type IngestProgress } from "../adapters/node/corpus-index.js";
import { openDatabase } from "../adapters/node/database.js";
import { embeddingConfig } from "../adapters/node/runtime.js";
import { dbPath, loadEnv } from "../env.js";
import { exportIndexArtifact, formatExportSummary, withExportDefault } from "./export-index.js";
import { progressBar } from "./progress.js";

const LABELS: Record<IngestProgress["stage"], string> = {
  read: "read",
  split: "split",
  fit: "fit",
  embed: "embed",
  bm25: "bm25",
  hnsw: "hnsw",
  write: "write",
  commit: "commit",
  done: "done",
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: withExportDefault(process.argv.slice(2)),
    options: {
      corpus: { type: "string" },
      data: { type: "string" },
      embeddings: { type: "string" },
      refit: { type: "boolean", default: false },
      export: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log("usage: npm run ingest -- [--corpus DIR] [--data DIR] [--embeddings lsa|hashed|combined|openai] [--refit] [--export [DIR]]");
    return;
  }
  const env = loadEnv({
    ...process.env,
    ...(values.corpus ? { FCE_CORPUS_DIR: values.corpus } : {}),
    ...(values.data ? { FCE_DATA_DIR: values.data, FCE_DB_PATH: process.env.FCE_DB_PATH ?? `${values.data}/fce.db` } : {}),
    ...(values.embeddings ? { FCE_EMBEDDINGS: values.embeddings } : {}),
  });
  const db = openDatabase(dbPath(env));
  const bars = new Map<string, ReturnType<typeof progressBar>>();
  const summary = await ingestCorpus({
    corpusDir: env.FCE_CORPUS_DIR,
    dataDir: env.FCE_DATA_DIR,
    db,
    embedding: embeddingConfig(env),
    refit: values.refit,
    onProgress: (p) => {
      if (p.stage === "done") return;
      let bar = bars.get(p.stage);
      if (!bar) bars.set(p.stage, (bar = progressBar(LABELS[p.stage])));
      bar.update(p.done, p.total);
    },
  });
  const exported = values.export ? await exportIndexArtifact({ db, dataDir: env.FCE_DATA_DIR, outDir: values.export, scenariosDir: env.FCE_SCENARIOS_DIR }) : undefined;
  db.$client.close();
  for (const p of summary.problems) console.error(`skipped ${p.path}${p.field ? ` (${p.field})` : ""}: ${p.message}`);
  console.log(
    `indexed ${summary.documents} documents, ${summary.chunks} chunks in ${summary.seconds.toFixed(2)} s ` +
      `(embedded ${summary.embedded}, reused ${summary.reused}, unchanged documents ${summary.unchangedDocuments}` +
      `${summary.refitted ? ", embedder fitted" : ""}; ${summary.problems.length} problems) -> generation ${summary.generation}`,
  );
  if (exported) console.log(formatExportSummary(exported));
}

main().catch((e: unknown) => {
  console.error(`ingest failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
