/**
 * POST /api/ask on the Worker (`wrangler dev --local`: workerd and local D1, one process) beside the
 * Node server, measured the same way (bench/ask.ts): sequential latency with one client, then load
 * from a second process (bench/load-client.ts) on loopback, with the same two question sets (distinct
 * questions, so no answer comes from a cache; the dev questions repeated). Both over the same corpus
 * and index build (the Node ingest, exported as the Worker's artifact), extractive answers, no
 * per-client rate limit.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyLocalMigrations, isolatedWranglerConfig, startWranglerDev } from "../scripts/worker-local.js";
import { ingestCorpus } from "../src/adapters/node/corpus-index.js";
import { openDatabase } from "../src/adapters/node/database.js";
import { readerOf, type ArtifactCorpus } from "../src/adapters/worker/artifact.js";
import { exportIndexArtifact } from "../src/cli/export-index.js";
import { parseQaLines } from "../src/core/retrieval/metrics.js";
import { mulberry32 } from "../src/core/util/hash.js";
import { benchAsk } from "./ask.js";
import { percentile, type Row } from "./stats.js";

export interface WorkerBenchOptions {
  workDir: string;
  qaFile?: string;
  concurrency: number[];
  seconds: number;
  log: (l: string) => void;
  /** The Node figures when `--only ask,worker` already measured them (else they are measured here). */
  node?: Row[];
}

const round = (x: number) => Math.round(x * 10) / 10;

/** The distinct questions of bench/ask.ts (same seed, same corpus sentences, so the same 5,000 questions). */
function distinctQuestions(corpus: ArtifactCorpus): string[] {
  const { reader } = readerOf(corpus);
  const sentences = reader.listDocuments().flatMap((d) => reader.getDocument(d.id)!.chunks.flatMap((c) => c.text.split(/(?<=[.!?。])\s+|\n+/))).filter((t) => t.split(/\s+/).length >= 6);
  const rand = mulberry32(11);
  const distinct = new Set<string>();
  while (distinct.size < 5000) {
    const words = sentences[Math.floor(rand() * sentences.length)]!.split(/\s+/);
    const start = Math.floor(rand() * Math.max(1, words.length - 6));
    distinct.add(`What does it say about ${words.slice(start, start + 3 + Math.floor(rand() * 5)).join(" ")}?`);
  }
  return [...distinct];
}

/** Sequential latency, then the load client for each question set and concurrency, against one /api/ask URL. */
async function measureAsk(url: string, questions: string[], files: { repeated: string; distinct: string }, options: WorkerBenchOptions): Promise<Row[]> {
  const single: number[] = [];
  for (let i = 0; i < 3 * questions.length; i++) {
    const t = performance.now();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: questions[i % questions.length] }) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`POST ${url} answered ${res.status}`);
    single.push(performance.now() - t);
  }
  const mean = single.reduce((a, b) => a + b, 0) / single.length;
  const rows: Row[] = [{ questions: "dev, repeated", clients: 1, requests: single.length, errors: 0, rps: Math.round(1000 / mean), "p50 ms": round(percentile(single, 50)), "p95 ms": round(percentile(single, 95)), "p99 ms": round(percentile(single, 99)) }];
  const runs = options.concurrency.flatMap((c) => [
    { c, file: files.distinct, label: "distinct" },
    { c, file: files.repeated, label: "dev, repeated" },
  ]);
  for (const { c, file, label } of runs) {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "bench/load-client.ts", url, "--concurrency", String(c), "--seconds", String(options.seconds), "--bodies", file], { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`load client exited with ${code}`))));
    });
    const r = JSON.parse(out.trim().split("\n").pop()!) as Record<string, number>;
    const row: Row = { questions: label, clients: c, requests: r.requests!, errors: r.errors!, rps: r.rps!, "p50 ms": r.p50_ms!, "p95 ms": r.p95_ms!, "p99 ms": r.p99_ms! };
    options.log(JSON.stringify({ runtime: "worker", ...row }));
    rows.push(row);
  }
  return rows;
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
    const questions = options.qaFile ? parseQaLines(readFileSync(options.qaFile, "utf8")).map((q) => q.question) : ["What is a diploma mill?"];
    const files = { repeated: join(options.workDir, "worker-ask-repeated.jsonl"), distinct: join(options.workDir, "worker-ask-distinct.jsonl") };
    writeFileSync(files.repeated, questions.map((question) => JSON.stringify({ question })).join("\n"));
    const corpus = JSON.parse(readFileSync(join(artifact, "corpus.json"), "utf8")) as ArtifactCorpus;
    writeFileSync(files.distinct, distinctQuestions(corpus).map((question) => JSON.stringify({ question })).join("\n"));
    worker = await measureAsk(`${dev.url}/api/ask`, questions, files, options);
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
