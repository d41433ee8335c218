/**
 * Optional: Cloudflare Vectorize behind the same `VectorSearch` interface, for indexes past what the
 * in-memory search holds (see README.md). Vectorize has no local emulator, so this adapter is tested
 * only through the interface, against a fake binding (tests/worker/vector-search.test.ts).
 *
 * Vectors are uploaded with their row number in vectors.f32 as the Vectorize id (chunk ids can be
 * longer than Vectorize's 64-byte id limit); `ids` (vector-ids.json) maps a row back to its chunk id.
 * Create the index with the artifact's dimensions and `--metric cosine`, and upload the NDJSON that
 * `vectorizeNdjson` writes (`wrangler vectorize insert NAME --file vectors.ndjson`).
 *
 * Unlike the HNSW graph search, Vectorize's ranking is its own (approximate, float rounding of its
 * own): expect near-identical but not always identical top-5 lists compared with the Node server.
 */
import type { VectorSearch } from "../../core/retrieval/hybrid.js";
import type { VectorizeBinding } from "./bindings.js";

/** Vectorize returns at most 100 matches when values and metadata are not requested. */
export const VECTORIZE_MAX_TOP_K = 100;

export class VectorizeVectorSearch implements VectorSearch {
  constructor(
    private readonly index: VectorizeBinding,
    private readonly ids: readonly string[],
    readonly dimensions: number,
  ) {}

  size(): number {
    return this.ids.length;
  }

  async search(vector: number[], k: number): Promise<Array<{ id: string; score: number }>> {
    const topK = Math.min(k, VECTORIZE_MAX_TOP_K, this.ids.length);
    if (topK <= 0) return [];
    if (vector.length !== this.dimensions) throw new Error(`query vector has ${vector.length} dimensions, the index ${this.dimensions}`);
    const { matches } = await this.index.query(vector, { topK, returnValues: false, returnMetadata: "none" });
    const out: Array<{ id: string; score: number }> = [];
    for (const m of matches) {
      const id = this.ids[Number(m.id)];
      if (id !== undefined && /^\d+$/.test(m.id)) out.push({ id, score: m.score });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}

/** The vectors as Vectorize NDJSON lines ({"id": "<row>", "values": [...]}) for `wrangler vectorize insert`. */
export function* vectorizeNdjson(vectors: Float32Array, dimensions: number): Generator<string> {
  for (let r = 0; r * dimensions < vectors.length; r++) {
    yield JSON.stringify({ id: String(r), values: Array.from(vectors.subarray(r * dimensions, (r + 1) * dimensions)) });
  }
}
