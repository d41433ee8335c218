/**
 * Hashed n-gram embeddings: word unigrams and bigrams plus character 3- to 5-grams of each word,
 * hashed with a sign into a fixed number of dimensions and weighted by an IDF fitted per bucket.
 * Robust to spelling variants and unseen words; needs no vocabulary.
 */
import { fnv1a32, hash64 } from "../../util/hash.js";
import { tokenize } from "../tokenize.js";
import { normalizeInPlace } from "./vector-math.js";
import type { TextEmbedder } from "./text-embedder.js";

export interface HashedJson {
  kind: "hashed";
  version: 1;
  dimensions: number;
  idf: number[];
}

function features(tokens: string[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  tokens.forEach((t, i) => {
    out.push([`w:${t}`, 1]);
    const next = tokens[i + 1];
    if (next !== undefined) out.push([`b:${t} ${next}`, 0.5]);
    if (t.startsWith("#")) return; // CJK bigrams are already character n-grams
    const w = `<${t}>`;
    for (let n = 3; n <= 5; n++) for (let a = 0; a + n <= w.length; a++) out.push([`c:${w.slice(a, a + n)}`, 0.25]);
  });
  return out;
}

export class HashedEmbedder implements TextEmbedder {
  readonly kind = "hashed";
  readonly dimensions: number;
  readonly id: string;
  private readonly idf: Float32Array;

  private constructor(dimensions: number, idf: ArrayLike<number>) {
    this.dimensions = dimensions;
    this.idf = Float32Array.from(idf);
    this.id = `hashed-${dimensions}-${hash64(Array.from(this.idf, (x) => x.toFixed(4)).join(","))}`;
  }

  static fit(texts: string[][], dimensions = 1024): HashedEmbedder {
    const df = new Float64Array(dimensions);
    for (const tokens of texts) {
      const seen = new Set<number>();
      for (const [f] of features(tokens)) seen.add(fnv1a32(f) % dimensions);
      for (const b of seen) df[b] = df[b]! + (1);
    }
    const n = texts.length;
    const idf = Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
    return HashedEmbedder.fromJSON(new HashedEmbedder(dimensions, idf).toJSON());
  }

  static fromJSON(json: HashedJson): HashedEmbedder {
    if (json.kind !== "hashed" || json.version !== 1) throw new Error("Not a hashed model (kind/version mismatch)");
    return new HashedEmbedder(json.dimensions, json.idf);
  }

  toJSON(): HashedJson {
    return { kind: "hashed", version: 1, dimensions: this.dimensions, idf: Array.from(this.idf, (x) => Math.round(x * 1e5) / 1e5) };
  }

  embedTokens(tokens: string[]): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const [f, w] of features(tokens)) {
      const h = fnv1a32(f);
      const b = h % this.dimensions;
      const sign = (fnv1a32(f, 0x5bd1e995) & 1) === 0 ? 1 : -1;
      v[b] = v[b]! + (sign * w * this.idf[b]!);
    }
    return normalizeInPlace(v) as Float32Array;
  }

  embed(text: string): Float32Array {
    return this.embedTokens(tokenize(text));
  }
}
