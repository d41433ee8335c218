/**
 * Hybrid retrieval: BM25 over the passages' terms and k-nearest-neighbour search over their
 * embeddings, fused by reciprocal rank fusion. Queries are expanded with the glossary
 * (romanised, Japanese and English forms of one concept) before both searches.
 */
import type { Chunk, DocumentMeta, Passage, SearchMode } from "../types.js";
import type { Bm25Index, WeightedTerm } from "./bm25.js";
import { Glossary } from "./glossary.js";
import { hasJapanese, tokenize } from "./tokenize.js";

export interface VectorSearch {
  search(vector: number[], k: number): Promise<Array<{ id: string; score: number }>>;
}

export interface HybridOptions {
  /** How many candidates each retriever contributes before fusion. */
  candidates: number;
  /** RRF constant: larger flattens the contribution of rank. */
  rrfK: number;
  /** Weights of the two rankings in the fusion. */
  bm25Weight: number;
  vectorWeight: number;
  /** Weight of glossary expansion terms relative to the query's own terms. */
  expansionWeight: number;
  /**
   * Multiplier of the fused score of passages from our own compiled cards (kind "card"): published
   * sources are cited first, cards fill in where the sources are silent or garbled (the JEQF table).
   */
  cardWeight: number;
  /**
   * "rrf": reciprocal rank fusion. "score": a convex combination of BM25 scores (divided by the best)
   * and cosine similarities (min-max scaled over the candidates), `bm25Weight` : `vectorWeight`.
   */
  fusion: "rrf" | "score";
}

export const DEFAULT_HYBRID: HybridOptions = { candidates: 50, rrfK: 20, bm25Weight: 3, vectorWeight: 1, expansionWeight: 0.6, cardWeight: 0.5, fusion: "score" };

/** The text a passage is indexed under: its document title and heading path give context to short passages. */
export function indexText(chunk: Chunk, document: { title: string }, headingWeight = 2): string {
  const headings = chunk.headingPath.filter((h) => h !== document.title);
  const repeated: string[] = [];
  for (let i = 0; i < headingWeight; i++) repeated.push(...headings);
  return [document.title, ...repeated, chunk.text].join("\n");
}

export interface HybridDeps {
  bm25: Bm25Index;
  vectors: VectorSearch;
  embed: (text: string) => Promise<number[]> | number[];
  lookup: (chunkId: string) => { chunk: Chunk; document: DocumentMeta } | undefined;
  glossary?: Glossary;
  options?: Partial<HybridOptions>;
}

export class HybridRetriever {
  private readonly deps: HybridDeps;
  private readonly options: HybridOptions;
  private readonly glossary: Glossary;

  constructor(deps: HybridDeps) {
    this.deps = deps;
    this.options = { ...DEFAULT_HYBRID, ...deps.options };
    this.glossary = deps.glossary ?? Glossary.empty();
  }

  /** The query with the Japanese glossary terms it uses replaced by their English names. */
  gloss(query: string): string {
    return this.glossary.gloss(query);
  }

  /** Query terms with weights: the query's own terms, then glossary expansions at a lower weight. */
  queryTerms(query: string): { terms: WeightedTerm[]; expansions: string[] } {
    const weights = new Map<string, number>();
    const own = tokenize(query);
    for (const t of own) weights.set(t, 1);
    const expansions = this.glossary.expand(query);
    // Expansions bridge a vocabulary gap (a romanised or Japanese term the passages do not use): at
    // full expansion weight when the query's own terms are missing from the corpus, and only as a
    // light hint when the corpus already uses the query's wording.
    // A Japanese question over a mostly English corpus always has a vocabulary gap.
    const missing = own.filter((t) => this.deps.bm25.documentFrequency(t) === 0).length;
    const gap = hasJapanese(query) ? 1 : own.length ? missing / own.length : 1;
    const weight = this.options.expansionWeight * Math.max(0.25, gap);
    for (const e of expansions) {
      for (const t of tokenize(e)) if (!weights.has(t)) weights.set(t, weight);
    }
    return { terms: [...weights].map(([term, w]) => ({ term, weight: w })), expansions };
  }

  async search(query: string, options: { k: number; mode?: SearchMode }): Promise<Passage[]> {
    const { k, mode = "hybrid" } = options;
    const n = Math.max(this.options.candidates, k);
    const { terms, expansions } = this.queryTerms(query);
    const lexical = mode === "vector" ? [] : this.deps.bm25.search(terms, n);
    let semantic: Array<{ id: string; score: number }> = [];
    if (mode !== "bm25") {
      const text = expansions.length ? `${query}\n${expansions.join(" ")}` : query;
      semantic = await this.deps.vectors.search(await this.deps.embed(text), n);
    }

    const fused = new Map<string, Passage["signals"] & { score: number }>();
    const entry = (id: string) => {
      let e = fused.get(id);
      if (!e) fused.set(id, (e = { score: 0 }));
      return e;
    };
    const { rrfK, bm25Weight, vectorWeight, fusion } = this.options;
    const maxBm25 = lexical[0]?.score ?? 1;
    const positive = semantic.filter((h) => h.score > 0);
    const maxCos = positive[0]?.score ?? 1;
    const minCos = positive.length > 1 ? positive[positive.length - 1]!.score : 0;
    const total = bm25Weight + vectorWeight;
    lexical.forEach((hit, rank) => {
      const e = entry(hit.id);
      e.bm25 = hit.score;
      e.bm25Rank = rank + 1;
      if (mode === "bm25") e.score += hit.score;
      else if (fusion === "rrf") e.score += bm25Weight / (rrfK + rank + 1);
      else e.score += (bm25Weight / total) * (hit.score / maxBm25);
    });
    positive.forEach((hit, rank) => {
      // A vector "hit" with no similarity at all is noise, not a match (filtered above).
      const e = entry(hit.id);
      e.vector = hit.score;
      e.vectorRank = rank + 1;
      if (mode === "vector") e.score += hit.score;
      else if (fusion === "rrf") e.score += vectorWeight / (rrfK + rank + 1);
      else e.score += (vectorWeight / total) * ((hit.score - minCos) / (maxCos - minCos || 1));
    });

    const ranked: Passage[] = [];
    for (const [id, { score, ...signals }] of fused) {
      const found = this.deps.lookup(id);
      if (!found) continue;
      // The source prior is part of the hybrid ranking; the single-channel modes stay raw, for comparison.
      const weight = mode === "hybrid" && found.document.kind === "card" ? this.options.cardWeight : 1;
      ranked.push({ chunk: found.chunk, document: found.document, score: score * weight, signals });
    }
    ranked.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
    return ranked.slice(0, k);
  }
}
