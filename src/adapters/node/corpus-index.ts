/**
 * Building and loading the on-disk corpus index.
 *
 * Layout under `${dataDir}/index/`: one folder per generation (`gen-<id>/`) holding the fitted
 * embedder, the vectors, the BM25 index and the HNSW index, plus a manifest. Documents and chunks of
 * the live generation are rows in SQLite, and `index_meta.generation` names the live folder.
 *
 * An ingest builds the new generation aside (`gen-<id>.tmp`, renamed when complete), then switches
 * SQLite's rows and the generation key in one transaction. Killed at any point before that
 * transaction, the previous generation stays live and complete; leftovers are removed next time.
 */
import { inMemoryCorpus } from "../../core/corpus-reader.js";
import type { Embeddings } from "@langchain/core/embeddings";
import { eq } from "drizzle-orm";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_SPLIT, splitDocument, type SplitOptions } from "../../core/ingest/split.js";
import { Bm25Index, type Bm25Json } from "../../core/retrieval/bm25.js";
import { embedderFromJSON, fitEmbedder, LocalEmbeddings, LsaEmbedder, OpenAICompatibleEmbeddings, type LocalEmbedderKind, type TextEmbedder } from "../../core/retrieval/embeddings/index.js";
import { Glossary } from "../../core/retrieval/glossary.js";
import { HybridRetriever, indexText, type HybridOptions } from "../../core/retrieval/hybrid.js";
import { tokenize } from "../../core/retrieval/tokenize.js";
import type { Chunk, DocumentMeta, SourceDocument } from "../../core/types.js";
import { hash64 } from "../../core/util/hash.js";
import { chunks as chunksTable, documents as documentsTable, indexMeta } from "../../db/schema/index.js";
import type { CorpusReader, Problem } from "../../ports.js";
import { readCorpus } from "./corpus-files.js";
import type { NodeDatabase } from "./database.js";
import { HnswVectorIndex } from "./hnsw-vector-index.js";

export type EmbeddingConfig = { kind: LocalEmbedderKind; dimensions?: number } | { kind: "openai"; baseUrl: string; model: string; apiKey?: string };

interface Manifest {
  version: 1;
  generation: string;
  createdAt: string;
  embedder: { kind: string; id: string; dimensions: number };
  glossaryHash: string;
  split: SplitOptions;
  documents: Array<{ id: string; contentHash: string }>;
  chunks: number;
}

export interface IngestProgress {
  stage: "read" | "split" | "fit" | "embed" | "bm25" | "hnsw" | "write" | "commit" | "done";
  done: number;
  total: number;
}

export interface IngestOptions {
  corpusDir: string;
  dataDir: string;
  db: NodeDatabase;
  embedding?: EmbeddingConfig;
  /** Refit the local embedder even when the previous model could be kept. */
  refit?: boolean;
  split?: SplitOptions;
  onProgress?: (p: IngestProgress) => void;
  /** Test hook: runs after the new generation is on disk, just before the switch. */
  beforeCommit?: () => void | Promise<void>;
}

export interface IngestSummary {
  generation: string;
  documents: number;
  chunks: number;
  embedded: number;
  reused: number;
  refitted: boolean;
  unchangedDocuments: number;
  problems: Problem[];
  seconds: number;
}

/** Share of a new chunk's terms the kept model has never seen, above which the model is refitted. */
const MAX_UNSEEN_SHARE = 0.2;

const indexRoot = (dataDir: string) => join(dataDir, "index");
const genDir = (dataDir: string, gen: string) => join(indexRoot(dataDir), `gen-${gen}`);

export function currentGeneration(db: NodeDatabase): string | undefined {
  return db.select().from(indexMeta).where(eq(indexMeta.key, "generation")).get()?.value;
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

function vectorsToBuffer(vectors: Float32Array[], dims: number): Buffer {
  const out = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => out.set(v, i * dims));
  return Buffer.from(out.buffer);
}

function bufferToVectors(buf: Buffer, dims: number): Float32Array[] {
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const out: Float32Array[] = [];
  for (let i = 0; i + dims <= all.length; i += dims) out.push(all.subarray(i, i + dims));
  return out;
}

function makeEmbeddings(config: EmbeddingConfig, local?: TextEmbedder): Embeddings & { id?: string } {
  if (config.kind === "openai") return new OpenAICompatibleEmbeddings(config);
  if (!local) throw new Error("a local embedder is needed");
  return new LocalEmbeddings(local);
}

/** Previous generation's state, for incremental ingest; undefined when there is none or it is unreadable. */
async function loadPrevious(db: NodeDatabase, dataDir: string) {
  const gen = currentGeneration(db);
  if (!gen) return undefined;
  const dir = genDir(dataDir, gen);
  try {
    const manifest = await readJson<Manifest>(join(dir, "manifest.json"));
    const ids = await readJson<string[]>(join(dir, "vector-ids.json"));
    const vectors = bufferToVectors(await readFile(join(dir, "vectors.f32")), manifest.embedder.dimensions);
    const embedder = existsSync(join(dir, "embedder.json")) ? embedderFromJSON(await readJson(join(dir, "embedder.json"))) : undefined;
    const byId = new Map(ids.map((id, i) => [id, vectors[i]!]));
    const docHashes = new Map(manifest.documents.map((d) => [d.id, d.contentHash]));
    return { gen, manifest, vectors: byId, embedder, docHashes };
  } catch {
    return undefined;
  }
}

/** Removes generation folders that are not live (failed or superseded builds). */
async function removeStaleGenerations(dataDir: string, live: string | undefined): Promise<void> {
  const root = indexRoot(dataDir);
  if (!existsSync(root)) return;
  for (const name of await readdir(root)) {
    if (name.startsWith("gen-") && name !== `gen-${live}`) await rm(join(root, name), { recursive: true, force: true });
  }
}

export async function ingestCorpus(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { db, dataDir } = options;
  const embedding = options.embedding ?? { kind: "lsa" };
  const split = options.split ?? DEFAULT_SPLIT;
  const progress = options.onProgress ?? (() => {});

  progress({ stage: "read", done: 0, total: 1 });
  const corpus = await readCorpus(options.corpusDir);
  progress({ stage: "read", done: 1, total: 1 });
  if (corpus.documents.length === 0) {
    const why = corpus.problems.length ? ` (${corpus.problems.length} broken files)` : "";
    throw new Error(`No readable documents in ${options.corpusDir}${why}: the previous index is kept.`);
  }
  const previous = await loadPrevious(db, dataDir);
  await removeStaleGenerations(dataDir, previous?.gen);

  // Split. Chunk ids depend only on document id, position and text, so unchanged documents keep theirs.
  const allChunks: Chunk[] = [];
  const unchanged = new Set<string>();
  for (const [i, doc] of corpus.documents.entries()) {
    if (previous?.docHashes.get(doc.id) === doc.contentHash) unchanged.add(doc.id);
    allChunks.push(...(await splitDocument(doc.id, doc.body, split)));
    progress({ stage: "split", done: i + 1, total: corpus.documents.length });
  }
  const docById = new Map(corpus.documents.map((d) => [d.id, d]));
  const texts = allChunks.map((c) => indexText(c, docById.get(c.documentId)!));

  // Embedder: keep the previous model when it still describes the corpus, else fit anew.
  const glossaryHash = hash64(corpus.glossaryText);
  let local: TextEmbedder | undefined;
  let refitted = false;
  if (embedding.kind !== "openai") {
    const prevModel = previous?.embedder;
    let keep =
      !options.refit &&
      prevModel !== undefined &&
      prevModel.kind === embedding.kind &&
      previous!.manifest.glossaryHash === glossaryHash &&
      (embedding.dimensions === undefined || embedding.dimensions === prevModel.dimensions);
    if (keep && prevModel instanceof LsaEmbedder) {
      // Refit when the new passages bring many terms the model has never seen.
      let total = 0;
      let unseen = 0;
      allChunks.forEach((c, i) => {
        if (unchanged.has(c.documentId)) return;
        for (const t of tokenize(texts[i]!)) {
          total++;
          if (!prevModel.knows(t)) unseen++;
        }
      });
      if (total > 0 && unseen / total > MAX_UNSEEN_SHARE) keep = false;
    }
    progress({ stage: "fit", done: 0, total: 1 });
    local = keep ? prevModel : fitEmbedder(embedding.kind, texts, corpus.glossary, embedding.dimensions);
    progress({ stage: "fit", done: 1, total: 1 });
    refitted = !keep;
  }
  const embeddings = makeEmbeddings(embedding, local);
  const embedderId = local ? local.id : (embeddings as OpenAICompatibleEmbeddings).id;

  // Vectors: reuse those of unchanged documents embedded by the same model.
  const reuse = previous && previous.manifest.embedder.id === embedderId;
  const vectors: Array<Float32Array | undefined> = allChunks.map((c) => (reuse && unchanged.has(c.documentId) ? previous.vectors.get(c.id) : undefined));
  const todo = vectors.flatMap((v, i) => (v ? [] : [i]));
  const batch = 64;
  for (let b = 0; b < todo.length; b += batch) {
    const slice = todo.slice(b, b + batch);
    const out = await embeddings.embedDocuments(slice.map((i) => texts[i]!));
    slice.forEach((i, j) => (vectors[i] = Float32Array.from(out[j]!)));
    progress({ stage: "embed", done: Math.min(b + batch, todo.length), total: todo.length });
  }
  if (todo.length === 0) progress({ stage: "embed", done: 0, total: 0 });
  const dims = vectors[0]?.length ?? 0;

  progress({ stage: "bm25", done: 0, total: 1 });
  const bm25 = Bm25Index.build(allChunks.map((c, i) => ({ id: c.id, tokens: tokenize(texts[i]!) })));
  progress({ stage: "bm25", done: 1, total: 1 });

  progress({ stage: "hnsw", done: 0, total: allChunks.length });
  const hnsw = await HnswVectorIndex.build(embeddings, allChunks.map((c) => c.id), vectors.map((v) => Array.from(v!)), dims);
  progress({ stage: "hnsw", done: allChunks.length, total: allChunks.length });

  // Write the new generation aside, then rename it into place.
  const generation = `${Date.now().toString(36)}-${hash64(String(Math.random())).slice(0, 6)}`;
  const finalDir = genDir(dataDir, generation);
  const tmpDir = `${finalDir}.tmp`;
  await mkdir(tmpDir, { recursive: true });
  progress({ stage: "write", done: 0, total: 1 });
  const manifest: Manifest = {
    version: 1,
    generation,
    createdAt: new Date().toISOString(),
    embedder: { kind: embedding.kind, id: embedderId, dimensions: dims },
    glossaryHash,
    split,
    documents: corpus.documents.map((d) => ({ id: d.id, contentHash: d.contentHash })),
    chunks: allChunks.length,
  };
  await Promise.all([
    writeFile(join(tmpDir, "bm25.json"), JSON.stringify(bm25.toJSON())),
    writeFile(join(tmpDir, "vector-ids.json"), JSON.stringify(allChunks.map((c) => c.id))),
    writeFile(join(tmpDir, "vectors.f32"), vectorsToBuffer(vectors as Float32Array[], dims)),
    local ? writeFile(join(tmpDir, "embedder.json"), JSON.stringify(local.toJSON())) : Promise.resolve(),
    writeFile(join(tmpDir, "glossary.json"), JSON.stringify(corpus.glossary.entries)),
    hnsw.save(join(tmpDir, "hnsw")),
  ]);
  // The manifest is written last: a folder without it is incomplete.
  await writeFile(join(tmpDir, "manifest.json"), JSON.stringify(manifest, null, 1));
  await rename(tmpDir, finalDir);
  progress({ stage: "write", done: 1, total: 1 });

  await options.beforeCommit?.();

  progress({ stage: "commit", done: 0, total: 1 });
  db.transaction((tx) => {
    tx.delete(chunksTable).run();
    tx.delete(documentsTable).run();
    for (const d of corpus.documents) {
      tx.insert(documentsTable)
        .values({
          id: d.id,
          title: d.title,
          publisher: d.publisher ?? null,
          date: d.date ?? null,
          language: d.language,
          url: d.url ?? null,
          kind: d.kind,
          path: d.path,
          sources: d.sources ? JSON.stringify(d.sources) : null,
          body: d.body,
          contentHash: d.contentHash,
        })
        .run();
    }
    for (let i = 0; i < allChunks.length; i += 500) {
      tx.insert(chunksTable)
        .values(allChunks.slice(i, i + 500).map((c) => ({ ...c, headingPath: JSON.stringify(c.headingPath) })))
        .run();
    }
    tx.insert(indexMeta).values({ key: "generation", value: generation }).onConflictDoUpdate({ target: indexMeta.key, set: { value: generation } }).run();
  });
  progress({ stage: "commit", done: 1, total: 1 });
  await removeStaleGenerations(dataDir, generation);
  progress({ stage: "done", done: 1, total: 1 });

  return {
    generation,
    documents: corpus.documents.length,
    chunks: allChunks.length,
    embedded: todo.length,
    reused: allChunks.length - todo.length,
    refitted,
    unchangedDocuments: unchanged.size,
    problems: corpus.problems,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The live index in memory: what the app's ports are built from. */
export interface LoadedCorpusIndex {
  generation: string;
  retriever: HybridRetriever;
  reader: CorpusReader;
  bm25: Bm25Index;
  vectors: HnswVectorIndex;
  embedQuery: (text: string) => Promise<number[]>;
  embedderId: string;
}

function rowToMeta(row: typeof documentsTable.$inferSelect): DocumentMeta {
  return {
    id: row.id,
    title: row.title,
    publisher: row.publisher ?? undefined,
    date: row.date ?? undefined,
    language: row.language,
    url: row.url ?? undefined,
    kind: row.kind,
    path: row.path,
    sources: row.sources ? JSON.parse(row.sources) : undefined,
  };
}

export async function loadCorpusIndex(options: { db: NodeDatabase; dataDir: string; embedding?: EmbeddingConfig; hybrid?: Partial<HybridOptions> }): Promise<LoadedCorpusIndex> {
  const { db, dataDir } = options;
  const generation = currentGeneration(db);
  if (!generation) throw new Error("No index yet: run `npm run ingest` (or start the server, which builds one).");
  const dir = genDir(dataDir, generation);
  if (!existsSync(join(dir, "manifest.json"))) throw new Error(`The live index folder ${dir} is missing or incomplete: run \`npm run ingest\`.`);
  const manifest = await readJson<Manifest>(join(dir, "manifest.json"));

  let embeddings: Embeddings;
  if (manifest.embedder.kind === "openai") {
    const config = options.embedding;
    if (config?.kind !== "openai") throw new Error("The index was built with an OpenAI-compatible embedder: set FCE_EMBEDDINGS=openai and its endpoint, or re-run ingest.");
    embeddings = makeEmbeddings(config);
  } else {
    embeddings = new LocalEmbeddings(embedderFromJSON(await readJson(join(dir, "embedder.json"))));
  }
  const [bm25Json, vectors, glossaryEntries] = await Promise.all([
    readJson<Bm25Json>(join(dir, "bm25.json")),
    HnswVectorIndex.load(join(dir, "hnsw"), embeddings),
    readJson<Array<{ terms: string[] }>>(join(dir, "glossary.json")),
  ]);
  const bm25 = Bm25Index.fromJSON(bm25Json);

  const { reader, lookup } = inMemoryCorpus(
    db
      .select()
      .from(documentsTable)
      .all()
      .map((row) => ({ ...rowToMeta(row), body: row.body })),
    db
      .select()
      .from(chunksTable)
      .orderBy(chunksTable.documentId, chunksTable.position)
      .all()
      .map((row): Chunk => ({ ...row, headingPath: JSON.parse(row.headingPath) as string[] })),
  );
  const embedQuery = (text: string) => embeddings.embedQuery(text);
  const retriever = new HybridRetriever({
    bm25,
    vectors,
    embed: embedQuery,
    lookup,
    glossary: new Glossary(glossaryEntries),
    options: options.hybrid,
  });
  return { generation, retriever, reader, bm25, vectors, embedQuery, embedderId: manifest.embedder.id };
}

export type { SourceDocument };
