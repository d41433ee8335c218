/**
 * /api/ask under load: the Node server in this process, the load from a second process on loopback.
 */
import { serve } from "@hono/node-server";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createNodeRuntime } from "../src/adapters/node/runtime.js";
import { parseQaLines } from "../src/core/retrieval/metrics.js";
import { loadEnv } from "../src/env.js";
import { mulberry32 } from "../src/core/util/hash.js";
import { percentile, type Row } from "./stats.js";

export async function benchAsk(options: { workDir: string; qaFile?: string; concurrency: number[]; seconds: number; log: (l: string) => void }): Promise<Row[]> {
  // One load generator stands for many users: the per-identity rate limit is off for the benchmark.
  const env = loadEnv({ FCE_CORPUS_DIR: "corpus", FCE_DATA_DIR: join(options.workDir, "ask-data"), FCE_LLM_BASE_URL: "", FCE_LLM_MODEL: "", FCE_RATE_LIMIT_ASK_PER_MINUTE: "0" });
  const runtime = await createNodeRuntime(env, { log: () => {}, refreshIntervalMs: 0 });
  const server = serve({ fetch: runtime.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ask`;
  const questions = options.qaFile ? parseQaLines(readFileSync(options.qaFile, "utf8")).map((q) => q.question) : ["What is a diploma mill?"];
  const repeatedFile = join(options.workDir, "ask-bodies-repeated.jsonl");
  writeFileSync(repeatedFile, questions.map((question) => JSON.stringify({ question })).join("\n"));
  // Distinct questions (no two alike, so no answer comes from the cache): fragments of corpus sentences.
  const reader = runtime.index().reader;
  const sentences = reader.listDocuments().flatMap((d) => reader.getDocument(d.id)!.chunks.flatMap((c) => c.text.split(/(?<=[.!?。])\s+|\n+/))).filter((t) => t.split(/\s+/).length >= 6);
  const rand = mulberry32(11);
  const distinct = new Set<string>();
  while (distinct.size < 5000) {
    const words = sentences[Math.floor(rand() * sentences.length)]!.split(/\s+/);
    const start = Math.floor(rand() * Math.max(1, words.length - 6));
    distinct.add(`What does it say about ${words.slice(start, start + 3 + Math.floor(rand() * 5)).join(" ")}?`);
  }
  const distinctFile = join(options.workDir, "ask-bodies-distinct.jsonl");
  writeFileSync(distinctFile, [...distinct].map((question) => JSON.stringify({ question })).join("\n"));

  // Sequential latency first (one client, no queueing).
  const single: number[] = [];
  for (let i = 0; i < 3 * questions.length; i++) {
    const t = performance.now();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: questions[i % questions.length] }) });
    await res.arrayBuffer();
    single.push(performance.now() - t);
  }
  const rows: Row[] = [{ questions: "dev, repeated", clients: 1, requests: single.length, errors: 0, rps: Math.round(1000 / (single.reduce((a, b) => a + b, 0) / single.length)), "p50 ms": round(percentile(single, 50)), "p95 ms": round(percentile(single, 95)), "p99 ms": round(percentile(single, 99)) }];
  const runs = options.concurrency.flatMap((c) => [
    { c, file: distinctFile, label: "distinct" },
    { c, file: repeatedFile, label: "dev, repeated" },
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
    options.log(JSON.stringify(row));
    rows.push(row);
  }
  server.close();
  runtime.close();
  return rows;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
