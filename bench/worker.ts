/**
 * POST /api/ask on the Worker (`wrangler dev --local`: workerd and local D1, one process) beside the
 * Node server, measured the same way (bench/ask.ts): sequential latency with one client, then load
 * from a second process (bench/load-client.ts) on loopback, with the same two question sets (distinct
 * questions, so no answer comes from a cache; the dev questions repeated). Both over the same corpus
 * and index build (the Node ingest, exported as the Worker's artifact), extractive answers, no
 * per-client rate limit.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { applyLocalMigrations, isolatedWranglerConfig, startWranglerDev } from "../scripts/worker-local.js";
import { ingestCorpus } from "../src/adapters/node/corpus-index.js";
import { openDatabase } from "../src/adapters/node/database.js";
import { readerOf, type ArtifactCorpus } from "../src/adapters/worker/artifact.js";
import { exportIndexArtifact } from "../src/cli/export-index.js";
import { benchAsk, devQuestions, distinctQuestions, measureAsk, writeBodies } from "./ask.js";
import type { Row } from "./stats.js";

export interface WorkerBenchOptions {
  workDir: string;
  qaFile?: string;
  concurrency: number[];
  seconds: number;
  log: (l: string) => void;
  /** The Node figures when `--only ask,worker` already measured them (else they are measured here). */
  node?: Row[];
}

/** Rows of both runtimes, Node then Worker for each number of clients. */
export async function benchWorker(options: WorkerBenchOptions): Promise<Row[]> {
  const node = options.node ?? (await benchAsk({ workDir: options.workDir, qaFile: options.qaFile, concurrency: options.concurrency, seconds: options.seconds, log: options.log }));

  const dataDir = join(options.workDir, "worker-data");
  const artifact = join(options.workDir, "worker-artifact");
  const persistTo = join(options.workDir, "worker-state");
  const db = openDatabase(join(dataDir, "fce.db"));
  try {
    await ingestCorpus({ corpusDir: "corpus", dataDir, db });
    await exportIndexArtifact({ db, dataDir, outDir: artifact, scenariosDir: "scenarios" });
  } finally {
    db.$client.close();
  }
  const config = isolatedWranglerConfig(options.workDir);
  await applyLocalMigrations({ persistTo, config });
  const dev = await startWranglerDev({ persistTo, config, assets: artifact, vars: { FCE_RATE_LIMIT_ASK_PER_MINUTE: "0", FCE_RATE_LIMIT_ATTEMPTS_PER_MINUTE: "0" }, readyTimeoutMs: 120_000 });
  let worker: Row[];
  try {
    const questions = devQuestions(options.qaFile);
    // The same question sets as the Node run (same seed over the same passages).
    const corpus = JSON.parse(readFileSync(join(artifact, "corpus.json"), "utf8")) as ArtifactCorpus;
    const files = writeBodies(options.workDir, "worker-ask", questions, distinctQuestions(readerOf(corpus).reader));
    worker = await measureAsk(`${dev.url}/api/ask`, questions, files, options, { runtime: "worker" });
  } finally {
    await dev.stop();
  }
  const rows: Row[] = [];
  for (const w of worker) {
    const n = node.find((r) => r.clients === w.clients && (r.questions ?? "dev, repeated") === w.questions);
    if (n) rows.push({ runtime: "node", ...n, questions: w.questions! });
    rows.push({ runtime: "worker", ...w });
  }
  return rows;
}
