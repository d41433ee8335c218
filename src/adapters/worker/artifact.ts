/**
 * The index artifact: the live index generation in a compact form a Worker loads (static assets, or
 * any other byte source such as R2). Written by `npm run ingest -- --export DIR` (src/cli/export-index.ts)
 * and read by `loadIndexArtifact` below. Pure TypeScript: no Node-only imports.
 *
 * Files (names relative to the artifact folder; sizes in manifest.json):
 *   manifest.json      format, generation, embedder, counts, and every file with its size in bytes
 *   corpus.json        documents (metadata + body) and their chunks (ids, offsets, heading paths, text)
 *   bm25.json          the BM25 index (Bm25Json)
 *   glossary.json      glossary entries (query expansion)
 *   embedder.json      the fitted local embedder (LSA / hashed / combined), with LSA's projection
 *                      matrix moved to a float32 blob (embedder-N.f32) instead of JSON numbers
 *   vectors.f32        N x d float32 vectors, little-endian, row-major; vector-ids.json names the rows
 *   hnsw.index         hnswlib's graph as the Node server built it (optional; same ranking as Node)
 *   scenarios.json     the practice scenario and path files ({path, text}) for the practice bank
 */
import { inMemoryCorpus, type InMemoryCorpus } from "../../core/corpus-reader.js";
import type { Chunk, DocumentMeta } from "../../core/types.js";
import { Bm25Index, type Bm25Json } from "../../core/retrieval/bm25.js";
import { CombinedEmbedder, type CombinedJson } from "../../core/retrieval/embeddings/combined.js";
import { HashedEmbedder, type HashedJson } from "../../core/retrieval/embeddings/hashed.js";
import { LsaEmbedder, type LsaJson } from "../../core/retrieval/embeddings/lsa.js";
import type { TextEmbedder } from "../../core/retrieval/embeddings/text-embedder.js";
import { Glossary, type GlossaryEntry } from "../../core/retrieval/glossary.js";
import { HybridRetriever, type HybridOptions, type VectorSearch } from "../../core/retrieval/hybrid.js";
import type { CorpusReader, VectorIndex } from "../../ports.js";
import { FlatVectorIndex } from "./flat-vector-index.js";
import { HnswGraphIndex } from "./hnsw-graph-index.js";

export const ARTIFACT_FORMAT = "fce-index-artifact";
export const ARTIFACT_VERSION = 1;
export const ARTIFACT_MANIFEST = "manifest.json";

export interface ArtifactManifest {
  format: typeof ARTIFACT_FORMAT;
  version: typeof ARTIFACT_VERSION;
  /** The index generation this artifact was exported from (the Node server's `index_meta.generation`). */
  generation: string;
  /** When the generation was built, and when it was exported. */
  createdAt: string;
  exportedAt: string;
  embedder: { kind: string; id: string; dimensions: number };
  counts: { documents: number; chunks: number; vectors: number; scenarioFiles: number };
  files: {
    corpus: string;
    bm25: string;
    glossary: string;
    /** Absent when the index was built with a remote (OpenAI-compatible) embedder. */
    embedder?: string;
    /** Float32 blobs referenced from embedder.json as {"$f32": name}. */
    embedderBlobs: string[];
    vectors: string;
    vectorIds: string;
    scenarios: string;
  };
  /** The HNSW graph of the Node server; `ids` names the chunk id of each hnswlib label. */
  hnsw?: { file: string; ids: string; ef: number; space: "cosine" };
  /** Size in bytes of every file of the artifact (manifest excluded). */
  sizes: Record<string, number>;
}

/** corpus.json */
export interface ArtifactCorpus {
  /** In the order the Node server lists them. */
  documents: Array<DocumentMeta & { body: string }>;
  /** Ordered by document, then position. */
  chunks: Chunk[];
}

export interface ScenarioFile {
  path: string;
  text: string;
}

/** Reads one artifact file by name (a static-assets fetch on Workers, a file read in tests). */
export type ArtifactSource = (name: string) => Promise<Response>;

export type VectorSearchChoice = "hnsw" | "flat";

export interface LoadArtifactOptions {
  /**
   * "hnsw" (default when the artifact has the graph): the Node server's graph, searched in TS, same
   * ranking as Node. "flat": exact search over vectors.f32. Or any `VectorSearch` (e.g. Vectorize),
   * built from the loaded ids and vectors.
   */
  vectorSearch?: VectorSearchChoice | ((loaded: { ids: string[]; vectors: Float32Array; dimensions: number }) => VectorSearch);
  /** Query embedder when the index was built with a remote embedder (FCE_EMBEDDINGS=openai). */
  remoteEmbedder?: (text: string) => Promise<number[]>;
  hybrid?: Partial<HybridOptions>;
}

export interface LoadedArtifact {
  manifest: ArtifactManifest;
  generation: string;
  retriever: HybridRetriever;
  reader: CorpusReader;
  vectors: VectorSearch & Partial<Pick<VectorIndex, "size" | "dimensions">>;
  vectorSearch: string;
  scenarioFiles: ScenarioFile[];
}

async function ok(source: ArtifactSource, name: string): Promise<Response> {
  const res = await source(name);
  if (!res.ok) throw new Error(`index artifact file ${name}: HTTP ${res.status} (was the artifact built and uploaded with the Worker? npm run ingest -- --export DIR)`);
  return res;
}

const json = async <T>(source: ArtifactSource, name: string): Promise<T> => (await ok(source, name)).json() as Promise<T>;
const bytes = async (source: ArtifactSource, name: string): Promise<ArrayBuffer> => (await ok(source, name)).arrayBuffer();

/** Rebuilds a local embedder from embedder.json, putting float32 blobs back where they were cut out. */
export function embedderFromArtifactJson(model: unknown, blobs: Map<string, Float32Array>): TextEmbedder {
  const restore = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(restore);
    if (v && typeof v === "object") {
      const ref = (v as { $f32?: unknown }).$f32;
      if (typeof ref === "string") {
        const blob = blobs.get(ref);
        if (!blob) throw new Error(`embedder blob ${ref} is missing from the artifact`);
        return blob;
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    }
    return v;
  };
  const build = (m: unknown): TextEmbedder => {
    const kind = (m as { kind?: unknown } | null)?.kind;
    // LsaEmbedder copies its projection into a Float32Array: a float32 blob gives the same model as JSON numbers.
    if (kind === "lsa") return LsaEmbedder.fromJSON(m as LsaJson);
    if (kind === "hashed") return HashedEmbedder.fromJSON(m as HashedJson);
    if (kind === "combined") return new CombinedEmbedder((m as CombinedJson).parts.map((p) => ({ weight: p.weight, embedder: build(p.model) })));
    throw new Error(`Unknown embedder kind ${JSON.stringify(kind)}`);
  };
  return build(restore(model));
}

export function readerOf(corpus: ArtifactCorpus): InMemoryCorpus {
  return inMemoryCorpus(corpus.documents, corpus.chunks);
}

/** Loads the artifact into a `CorpusReader` and a `HybridRetriever` (the same ranking code as on Node). */
export async function loadIndexArtifact(source: ArtifactSource, options: LoadArtifactOptions = {}): Promise<LoadedArtifact> {
  const manifest = await json<ArtifactManifest>(source, ARTIFACT_MANIFEST);
  if (manifest.format !== ARTIFACT_FORMAT || manifest.version !== ARTIFACT_VERSION) {
    throw new Error(`not an index artifact of version ${ARTIFACT_VERSION} (format ${JSON.stringify(manifest.format)}, version ${JSON.stringify(manifest.version)})`);
  }
  const f = manifest.files;
  const choice = options.vectorSearch ?? (manifest.hnsw ? "hnsw" : "flat");
  const [corpus, bm25Json, glossaryEntries, embedderJson, blobList, vectorBuf, vectorIds, scenarioFiles, hnswBuf, hnswIds] = await Promise.all([
    json<ArtifactCorpus>(source, f.corpus),
    json<Bm25Json>(source, f.bm25),
    json<GlossaryEntry[]>(source, f.glossary),
    f.embedder ? json<unknown>(source, f.embedder) : Promise.resolve(undefined),
    Promise.all(f.embedderBlobs.map(async (name) => [name, new Float32Array(await bytes(source, name))] as const)),
    choice === "hnsw" ? Promise.resolve(undefined) : bytes(source, f.vectors),
    json<string[]>(source, f.vectorIds),
    json<ScenarioFile[]>(source, f.scenarios),
    choice === "hnsw" && manifest.hnsw ? bytes(source, manifest.hnsw.file) : Promise.resolve(undefined),
    choice === "hnsw" && manifest.hnsw && manifest.hnsw.ids !== f.vectorIds ? json<string[]>(source, manifest.hnsw.ids) : Promise.resolve(undefined),
  ]);

  let embed: (text: string) => Promise<number[]> | number[];
  if (embedderJson !== undefined) {
    const embedder = embedderFromArtifactJson(embedderJson, new Map(blobList));
    if (embedder.id !== manifest.embedder.id) throw new Error(`the artifact's embedder is ${embedder.id}, its vectors were made by ${manifest.embedder.id}`);
    embed = (text) => Array.from(embedder.embed(text));
  } else {
    if (!options.remoteEmbedder) throw new Error(`the index was built with a remote embedder (${manifest.embedder.id}): configure FCE_EMBEDDINGS_BASE_URL and FCE_EMBEDDINGS_MODEL`);
    embed = options.remoteEmbedder;
  }

  const dims = manifest.embedder.dimensions;
  let vectors: LoadedArtifact["vectors"];
  let vectorSearch: string;
  if (choice === "hnsw") {
    if (!manifest.hnsw || !hnswBuf) throw new Error("the artifact has no HNSW graph: export it again, or use the flat vector search");
    vectors = new HnswGraphIndex(hnswBuf, hnswIds ?? vectorIds, dims, manifest.hnsw.ef);
    vectorSearch = `hnsw (ef ${manifest.hnsw.ef})`;
  } else {
    const data = new Float32Array(vectorBuf!);
    if (choice === "flat") {
      vectors = new FlatVectorIndex(vectorIds, data, dims);
      vectorSearch = "flat (exact)";
    } else {
      vectors = choice({ ids: vectorIds, vectors: data, dimensions: dims });
      vectorSearch = "custom";
    }
  }

  const { reader, lookup } = readerOf(corpus);
  const bm25 = Bm25Index.fromJSON(bm25Json);
  const retriever = new HybridRetriever({ bm25, vectors, embed, lookup, glossary: new Glossary(glossaryEntries), options: options.hybrid });
  return {
    manifest,
    generation: manifest.generation,
    retriever,
    reader,
    vectors,
    vectorSearch,
    scenarioFiles,
  };
}
