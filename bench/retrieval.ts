/**
 * Retrieval benchmark: ingest throughput and query latency on the bundled corpus and on synthetic
 * corpora, and hnswlib's approximate kNN against exact brute force on the same (real) embedding vectors.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ingestCorpus, loadCorpusIndex, type LoadedCorpusIndex } from "../src/adapters/node/corpus-index.js";
import { openDatabase } from "../src/adapters/node/database.js";
import { DEFAULT_EF_SEARCH } from "../src/adapters/node/hnsw-vector-index.js";
import { parseQaLines } from "../src/core/retrieval/metrics.js";
import { mulberry32 } from "../src/core/util/hash.js";
import { percentile, type Row } from "./stats.js";

export interface RetrievalBenchOptions {
  corpusDir: string;
  workDir: string;
  sizes: number[];
  queries: number;
  qaFile?: string;
  log: (line: string) => void;
}

/** Sentences of the bundled corpus: the material synthetic passages are drawn from. */
function sentencePool(index: LoadedCorpusIndex): string[] {
  const out: string[] = [];
  for (const d of index.reader.listDocuments()) {
    for (const c of index.reader.getDocument(d.id)!.chunks) {
      for (const s of c.text.split(/(?<=[.!?。])\s+|\n+/)) if (s.trim().length > 30) out.push(s.trim());
    }
  }
  return out;
}

/** Writes a synthetic corpus of about `chunks` passages (10 per document) drawn from the pool. */
function writeSyntheticCorpus(dir: string, pool: string[], chunks: number, seed: number): void {
  mkdirSync(dir, { recursive: true });
  const rand = mulberry32(seed);
  const pick = () => pool[Math.floor(rand() * pool.length)]!;
  const docs = Math.ceil(chunks / 10);
  for (let d = 0; d < docs; d++) {
    const sections: string[] = [];
    for (let s = 0; s < 10; s++) {
      const sentences: string[] = [];
      // Each passage mixes 4 to 7 corpus sentences with a few made-up names, so passages differ.
      const n = 2 + Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) sentences.push(pick());
      sentences.push(`Institution ${Math.floor(rand() * 50_000)} in region ${Math.floor(rand() * 300)} filed case ${d * 10 + s}.`);
      sections.push(`## Section ${s + 1}\n\n${sentences.join(" ")}`);
    }
    writeFileSync(join(dir, `doc-${d}.md`), `---\nid: synthetic-${d}\ntitle: Synthetic document ${d}\nkind: document\n---\n\n# Synthetic document ${d}\n\n${sections.join("\n\n")}\n`);
  }
}

async function timeQueries(index: LoadedCorpusIndex, questions: string[]): Promise<{ p50: number; p95: number }> {
  // Warm up, then time each query end to end (tokenise, expand, BM25, embed, HNSW, fuse, look up).
  for (const q of questions.slice(0, 10)) await index.retriever.search(q, { k: 5 });
  const times: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await index.retriever.search(q, { k: 5 });
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** hnswlib top-10 against the exact top-10 (brute force over the same stored vectors). */
async function knnRecall(index: LoadedCorpusIndex, dataDir: string, questions: string[]): Promise<{ recall: number; exactMs: number; hnswMs: number }> {
  const gen = index.generation;
  const dir = join(dataDir, "index", `gen-${gen}`);
  const ids = JSON.parse(readFileSync(join(dir, "vector-ids.json"), "utf8")) as string[];
  const buf = readFileSync(join(dir, "vectors.f32"));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const dims = all.length / ids.length;
  let found = 0;
  let total = 0;
  let exactMs = 0;
  let hnswMs = 0;
  for (const q of questions) {
    const v = await index.embedQuery(q);
    let t = performance.now();
    const scores = new Float32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      let s = 0;
      const off = i * dims;
      for (let j = 0; j < dims; j++) s += all[off + j]! * v[j]!;
      scores[i] = s;
    }
    const exact = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, 10).map((i) => ids[i]!);
    exactMs += performance.now() - t;
    t = performance.now();
    const approx = new Set((await index.vectors.search(v, 10)).map((h) => h.id));
    hnswMs += performance.now() - t;
    found += exact.filter((id) => approx.has(id)).length;
    total += exact.length;
  }
  return { recall: found / total, exactMs: exactMs / questions.length, hnswMs: hnswMs / questions.length };
}

export async function benchRetrieval(options: RetrievalBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const qa = options.qaFile ? parseQaLines(readFileSync(options.qaFile, "utf8")).map((q) => q.question) : [];

  const runOne = async (label: string, corpusDir: string, dataDir: string, questions: string[]) => {
    const db = openDatabase(join(dataDir, "fce.db"));
    const stageStart = new Map<string, number>();
    const stageEnd = new Map<string, number>();
    const summary = await ingestCorpus({
      corpusDir,
      dataDir,
      db,
      onProgress: (p) => {
        const now = performance.now();
        if (!stageStart.has(p.stage)) stageStart.set(p.stage, now);
        stageEnd.set(p.stage, now);
      },
    });
    options.log(`${label}: stages ${[...stageStart].map(([s, t]) => `${s} ${((stageEnd.get(s)! - t) / 1000).toFixed(1)}s`).join(", ")}`);
    const index = await loadCorpusIndex({ db, dataDir });
    const latency = await timeQueries(index, questions);
    const knn = await knnRecall(index, dataDir, questions.slice(0, 200));
    const mem = process.memoryUsage();
    db.$client.close();
    const row: Row = {
      corpus: label,
      chunks: summary.chunks,
      "ingest s": round(summary.seconds, 1),
      "ingest chunks/s": Math.round(summary.chunks / summary.seconds),
      "search p50 ms": round(latency.p50, 2),
      "search p95 ms": round(latency.p95, 2),
      [`hnsw recall@10 (ef=${DEFAULT_EF_SEARCH})`]: round(knn.recall, 4),
      "exact kNN ms": round(knn.exactMs, 2),
      "hnsw kNN ms": round(knn.hnswMs, 3),
      "kNN speed-up": round(knn.exactMs / Math.max(knn.hnswMs, 1e-6), 1),
      "rss MiB": Math.round(mem.rss / 2 ** 20),
    };
    options.log(JSON.stringify(row));
    rows.push(row);
    return index;
  };

  // The bundled corpus, queried with the dev questions plus passage-derived questions.
  const bundledIndex = await runOne("bundled", options.corpusDir, join(options.workDir, "bundled"), []);
  const pool = sentencePool(bundledIndex);
  const rand = mulberry32(7);
  const makeQuestions = (n: number) => {
    const out = [...qa];
    while (out.length < n) {
      const s = pool[Math.floor(rand() * pool.length)]!.split(/\s+/);
      const start = Math.floor(rand() * Math.max(1, s.length - 8));
      out.push(s.slice(start, start + 4 + Math.floor(rand() * 6)).join(" "));
    }
    return out.slice(0, n);
  };
  const questions = makeQuestions(options.queries);
  rows.pop();
  await runOne("bundled", options.corpusDir, join(options.workDir, "bundled-2"), questions);

  for (const size of options.sizes) {
    const dir = join(options.workDir, `synthetic-${size}`);
    writeSyntheticCorpus(join(dir, "corpus"), pool, size, size);
    await runOne(`synthetic ${size.toLocaleString("en")}`, join(dir, "corpus"), join(dir, "data"), questions);
  }
  return rows;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
