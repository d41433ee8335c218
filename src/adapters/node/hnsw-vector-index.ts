/**
 * The vector index on Node: @langchain/community's HNSWLib store on hnswlib-node (cosine space).
 * Only chunk ids are kept in its docstore; passages live in SQLite.
 */
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { Document } from "@langchain/core/documents";
import type { Embeddings } from "@langchain/core/embeddings";
import type { VectorIndex } from "../../ports.js";

/** hnswlib's search breadth: higher finds more of the exact neighbours, slower. Measured by `npm run bench`. */
export const DEFAULT_EF_SEARCH = 64;

export class HnswVectorIndex implements VectorIndex {
  private constructor(
    private readonly store: HNSWLib,
    readonly dimensions: number,
  ) {}

  static async build(embeddings: Embeddings, ids: string[], vectors: number[][], dimensions: number): Promise<HnswVectorIndex> {
    const store = new HNSWLib(embeddings, { space: "cosine", numDimensions: dimensions });
    if (vectors.length) {
      await store.addVectors(
        vectors,
        ids.map((id) => new Document({ pageContent: "", metadata: { id } })),
      );
    }
    const index = new HnswVectorIndex(store, dimensions);
    index.setEf(DEFAULT_EF_SEARCH);
    return index;
  }

  static async load(directory: string, embeddings: Embeddings): Promise<HnswVectorIndex> {
    const store = await HNSWLib.load(directory, embeddings);
    const dims = (store.args as { numDimensions?: number }).numDimensions ?? 0;
    const index = new HnswVectorIndex(store, dims);
    index.setEf(DEFAULT_EF_SEARCH);
    return index;
  }

  setEf(ef: number): void {
    if (this.size() > 0) this.store.index.setEf(ef);
  }

  async save(directory: string): Promise<void> {
    if (this.size() === 0) throw new Error("cannot save an empty vector index");
    await this.store.save(directory);
  }

  size(): number {
    try {
      return this.store.index.getCurrentCount();
    } catch {
      return 0;
    }
  }

  async search(vector: number[], k: number): Promise<Array<{ id: string; score: number }>> {
    const n = Math.min(k, this.size());
    if (n === 0) return [];
    const hits = await this.store.similaritySearchVectorWithScore(vector, n);
    // hnswlib's cosine space returns the distance 1 - cos.
    return hits.map(([doc, distance]) => ({ id: String(doc.metadata.id), score: 1 - distance }));
  }
}
