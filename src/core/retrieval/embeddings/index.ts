/**
 * Local embedders behind one interface, the LangChain `Embeddings` wrapper used by the vector store,
 * and an optional OpenAI-compatible endpoint (used only when configured).
 */
import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import type { Glossary } from "../glossary.js";
import { tokenize } from "../tokenize.js";
import { CombinedEmbedder, type CombinedJson } from "./combined.js";
import { HashedEmbedder, type HashedJson } from "./hashed.js";
import { LsaEmbedder, type LsaJson } from "./lsa.js";
import type { TextEmbedder } from "./text-embedder.js";

export type { TextEmbedder } from "./text-embedder.js";
export { HashedEmbedder } from "./hashed.js";
export { LsaEmbedder } from "./lsa.js";

export type LocalEmbedderKind = "lsa" | "hashed" | "combined";

export const DEFAULT_LSA_DIMENSIONS = 192;
export const COMBINED_WEIGHTS = { lsa: 0.5, hashed: 0.5 };

/**
 * Fits a local embedder on the passages' index texts. Glossary entries are added as pseudo-documents,
 * so LSA places 学士, gakushi and "bachelor's degree" near each other.
 */
export function fitEmbedder(kind: LocalEmbedderKind, texts: string[], glossary?: Glossary, dimensions?: number): TextEmbedder {
  const docs = texts.map((t) => tokenize(t));
  for (const entry of glossary?.entries ?? []) {
    const tokens = entry.terms.flatMap((t) => tokenize(t));
    // Repeat the entry so that its co-occurrences weigh like a short passage's.
    docs.push([...tokens, ...tokens]);
  }
  if (kind === "hashed") return HashedEmbedder.fit(docs, dimensions ?? 1024);
  const lsa = LsaEmbedder.fit(docs, { dimensions: dimensions ?? DEFAULT_LSA_DIMENSIONS });
  if (kind === "lsa") return lsa;
  return new CombinedEmbedder([
    { weight: COMBINED_WEIGHTS.lsa, embedder: lsa },
    { weight: COMBINED_WEIGHTS.hashed, embedder: HashedEmbedder.fit(docs, 1024) },
  ]);
}

export function embedderFromJSON(json: unknown): TextEmbedder {
  const kind = (json as { kind?: string } | null)?.kind;
  if (kind === "lsa") return LsaEmbedder.fromJSON(json as LsaJson);
  if (kind === "hashed") return HashedEmbedder.fromJSON(json as HashedJson);
  if (kind === "combined") {
    const c = json as CombinedJson;
    return new CombinedEmbedder(c.parts.map((p) => ({ weight: p.weight, embedder: embedderFromJSON(p.model) })));
  }
  throw new Error(`Unknown embedder kind ${JSON.stringify(kind)}`);
}

/** A local embedder as a LangChain `Embeddings`: offline, deterministic, synchronous under the hood. */
export class LocalEmbeddings extends Embeddings {
  readonly embedder: TextEmbedder;

  constructor(embedder: TextEmbedder, params: EmbeddingsParams = {}) {
    super(params);
    this.embedder = embedder;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => Array.from(this.embedder.embed(d)));
  }

  async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedder.embed(document));
  }
}

/** Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (Ollama, vLLM, llama.cpp, OpenAI). */
export class OpenAICompatibleEmbeddings extends Embeddings {
  constructor(
    private readonly config: { baseUrl: string; model: string; apiKey?: string; timeoutMs?: number; batchSize?: number },
    params: EmbeddingsParams = {},
  ) {
    super(params);
  }

  get id(): string {
    return `openai:${this.config.baseUrl}:${this.config.model}`;
  }

  private async request(input: string[]): Promise<number[][]> {
    const url = `${this.config.baseUrl.replace(/\/+$/, "")}/embeddings`;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {}) },
      body: JSON.stringify({ model: this.config.model, input }),
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 30_000),
    });
    if (!res.ok) throw new Error(`embeddings endpoint ${url} answered ${res.status}`);
    const body = (await res.json()) as { data?: Array<{ embedding: number[]; index: number }> };
    if (!Array.isArray(body.data) || body.data.length !== input.length) throw new Error(`embeddings endpoint ${url} returned a malformed body`);
    return [...body.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const size = this.config.batchSize ?? 64;
    const out: number[][] = [];
    for (let i = 0; i < documents.length; i += size) out.push(...(await this.request(documents.slice(i, i + size))));
    return out;
  }

  async embedQuery(document: string): Promise<number[]> {
    return (await this.request([document]))[0]!;
  }
}
