/**
 * /api/ask under load: the Node server in this process, the load from a second process on loopback.
 * `distinctQuestions` and `measureAsk` are shared with the Worker benchmark (bench/worker.ts), so both
 * runtimes are measured the same way.
 */
import { serve } from "@hono/node-server";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createNodeRuntime } from "../src/adapters/node/runtime.js";
import { parseQaLines } from "../src/core/retrieval/metrics.js";
import { mulberry32 } from "../src/core/util/hash.js";
import { loadEnv } from "../src/env.js";
import type { CorpusReader } from "../src/ports.js";
import { percentile, type Row } from "./stats.js";

export interface AskBenchOptions {
  workDir: string;
  qaFile?: string;
  concurrency: number[];
  seconds: number;
  log: (l: string) => void;
}

const round = (x: number) => Math.round(x * 10) / 10;

/** The development questions, or one question when there is no QA file. */
export function devQuestions(qaFile?: string): string[] {
  return qaFile ? parseQaLines(readFileSync(qaFile, "utf8")).map((q) => q.question) : ["What is a diploma mill?"];
}

/** 5,000 different questions (no two alike, so none is answered from the cache): fragments of corpus sentences. */
export function distinctQuestions(reader: CorpusReader): string[] {
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

/** Writes the two question sets as request bodies (one JSON per line) for the load client. */
export function writeBodies(workDir: string, prefix: string, repeated: string[], distinct: string[]): { repeated: string; distinct: string } {
  const files = { repeated: join(workDir, `${prefix}-bodies-repeated.jsonl`), distinct: join(workDir, `${prefix}-bodies-distinct.jsonl`) };
  writeFileSync(files.repeated, repeated.map((question) => JSON.stringify({ question })).join("\n"));
  writeFileSync(files.distinct, distinct.map((question) => JSON.stringify({ question })).join("\n"));
  return files;
}

/** Sequential latency with one client, then the load client for each question set and concurrency. */
export async function measureAsk(url: string, questions: string[], files: { repeated: string; distinct: string }, options: AskBenchOptions, tag: Record<string, string> = {}): Promise<Row[]> {
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
    options.log(JSON.stringify({ ...tag, ...row }));
    rows.push(row);
  }
  return rows;
}

export async function benchAsk(options: AskBenchOptions): Promise<Row[]> {
  // One load generator stands for many users: the per-identity rate limit is off for the benchmark.
  const env = loadEnv({ FCE_CORPUS_DIR: "corpus", FCE_DATA_DIR: join(options.workDir, "ask-data"), FCE_LLM_BASE_URL: "", FCE_LLM_MODEL: "", FCE_RATE_LIMIT_ASK_PER_MINUTE: "0" });
  const runtime = await createNodeRuntime(env, { log: () => {}, refreshIntervalMs: 0 });
  const server = serve({ fetch: runtime.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ask`;
  const questions = devQuestions(options.qaFile);
  const files = writeBodies(options.workDir, "ask", questions, distinctQuestions(runtime.index().reader));
  try {
    return await measureAsk(url, questions, files, options);
  } finally {
    server.close();
    runtime.close();
  }
}
