/**
 * The ports the app needs. Runtime-specific implementations live under `src/adapters/`;
 * the core and the routes only see these interfaces, so Node, Workers and tests share one app.
 */
import type { Chunk, DocumentMeta, Passage, SearchMode } from "./core/types.js";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SearchOptions {
  k: number;
  mode?: SearchMode;
}

/** Retrieval over the indexed corpus (hybrid BM25 + vector). */
export interface Retriever {
  search(query: string, options: SearchOptions): Promise<Passage[]>;
  /** The query with the Japanese glossary terms it uses replaced by their English names. */
  gloss?(query: string): string;
}

/** Read access to the indexed corpus: documents and passages. */
export interface CorpusReader {
  stats(): { documents: number; chunks: number };
  getChunk(id: string): { chunk: Chunk; document: DocumentMeta } | undefined;
  getDocument(id: string): { document: DocumentMeta; body: string; chunks: Chunk[] } | undefined;
  listDocuments(): DocumentMeta[];
}

/** Nearest-neighbour search over embedding vectors, keyed by chunk id. */
export interface VectorIndex {
  readonly dimensions: number;
  size(): number;
  /** Top-k chunk ids by cosine similarity (higher is closer). */
  search(vector: number[], k: number): Promise<Array<{ id: string; score: number }>>;
}

/** Turns text into vectors (a LangChain `Embeddings` is adapted to this). */
export interface QueryEmbedder {
  embedQuery(text: string): Promise<number[]>;
}

/** A chat model for the optional LLM answerer and grader. */
export interface ChatModel {
  readonly name: string;
  /** Returns the model's reply text; rejects on error or time-out. */
  complete(messages: Array<{ role: "system" | "user" | "assistant"; content: string }>, options?: { timeoutMs?: number }): Promise<string>;
}

/** Problems found while loading data (broken corpus files, broken scenario files). Listed by /healthz. */
export interface Problem {
  path: string;
  field?: string;
  message: string;
}
