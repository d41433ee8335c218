/**
 * Concatenation of embedders with weights: e.g. LSA (latent, co-occurrence) beside hashed n-grams
 * (exact and near-exact terms, which LSA blurs: "level 7" vs "level 8"). Each part is unit-length,
 * scaled by the square root of its weight, so cosine = weighted mean of the parts' cosines.
 */
import { normalizeInPlace } from "./vector-math.js";
import type { TextEmbedder } from "./text-embedder.js";

export interface CombinedJson {
  kind: "combined";
  version: 1;
  parts: Array<{ weight: number; model: unknown }>;
}

export class CombinedEmbedder implements TextEmbedder {
  readonly kind = "combined";
  readonly dimensions: number;
  readonly id: string;

  constructor(readonly parts: Array<{ weight: number; embedder: TextEmbedder }>) {
    this.dimensions = parts.reduce((s, p) => s + p.embedder.dimensions, 0);
    this.id = `combined(${parts.map((p) => `${p.weight}*${p.embedder.id}`).join("+")})`;
  }

  embed(text: string): Float32Array {
    const out = new Float32Array(this.dimensions);
    let offset = 0;
    for (const { weight, embedder } of this.parts) {
      const v = embedder.embed(text);
      const scale = Math.sqrt(weight);
      for (let i = 0; i < v.length; i++) out[offset + i] = v[i]! * scale;
      offset += embedder.dimensions;
    }
    return normalizeInPlace(out) as Float32Array;
  }

  toJSON(): CombinedJson {
    return { kind: "combined", version: 1, parts: this.parts.map((p) => ({ weight: p.weight, model: p.embedder.toJSON() })) };
  }
}
