/**
 * Exact (flat) nearest-neighbour search over unit vectors: one pass over an N x d Float32Array.
 * Pure TypeScript, so it runs on Workers (hnswlib is a native addon and does not).
 *
 * Cost: N * d multiply-adds per query, i.e. about 50,000 for the bundled corpus (260 x 192) and
 * 19 million for 100,000 passages (a few tens of ms on one Worker core). Past that, use Vectorize
 * behind the same `VectorSearch` interface (see vectorize-index.ts and README.md).
 *
 * Scores are cosine similarities computed the way hnswlib's cosine space computes them on the Node
 * server (vectors normalised in float32; a float32 inner product accumulated in four lanes, 16
 * values per step, as hnswlib's SSE kernel does), so both runtimes rank equal scores equally and
 * fuse the same numbers: same query, same ranked passages.
 */
import type { VectorIndex } from "../../ports.js";

const f32 = Math.fround;

/** Scales a vector to unit length the way hnswlib-node does (float32 sum of squares, float32 division). */
export function normalizeF32(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let s = 0;
  for (let i = 0; i < out.length; i++) s = f32(s + f32(out[i]! * out[i]!));
  const norm = f32(Math.sqrt(Math.abs(s)));
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

/**
 * Float32 inner product of `a` and row `row` of `m` (both length d), in hnswlib's summation order:
 * four lanes accumulate every fourth product; 16-value blocks; the lanes are added at the end, then
 * the tail (d not a multiple of 16 or 4) sequentially.
 */
export function innerProductF32(a: Float32Array, m: Float32Array, offset: number, d: number): number {
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  const block = d % 4 === 0 ? d : d > 16 ? d - (d % 16) : d > 4 ? d - (d % 4) : 0;
  let i = 0;
  for (; i + 4 <= block; i += 4) {
    const o = offset + i;
    l0 = f32(l0 + f32(a[i]! * m[o]!));
    l1 = f32(l1 + f32(a[i + 1]! * m[o + 1]!));
    l2 = f32(l2 + f32(a[i + 2]! * m[o + 2]!));
    l3 = f32(l3 + f32(a[i + 3]! * m[o + 3]!));
  }
  let sum = f32(f32(f32(l0 + l1) + l2) + l3);
  if (i < d) {
    let tail = 0;
    for (; i < d; i++) tail = f32(tail + f32(a[i]! * m[offset + i]!));
    sum = f32(sum + tail);
  }
  return sum;
}

export class FlatVectorIndex implements VectorIndex {
  readonly dimensions: number;
  private readonly ids: string[];
  /** N x d, row-major, each row unit length. */
  private readonly matrix: Float32Array;

  /** `vectors` is N x d row-major (as in `vectors.f32`); rows are normalised here. */
  constructor(ids: string[], vectors: Float32Array, dimensions: number) {
    if (dimensions <= 0 && ids.length > 0) throw new Error("vector dimensions must be positive");
    if (ids.length * dimensions !== vectors.length) {
      throw new Error(`vector data has ${vectors.length} values, expected ${ids.length} x ${dimensions}`);
    }
    this.ids = ids;
    this.dimensions = dimensions;
    this.matrix = new Float32Array(vectors.length);
    for (let r = 0; r < ids.length; r++) {
      this.matrix.set(normalizeF32(vectors.subarray(r * dimensions, (r + 1) * dimensions)), r * dimensions);
    }
  }

  size(): number {
    return this.ids.length;
  }

  async search(vector: number[], k: number): Promise<Array<{ id: string; score: number }>> {
    const n = Math.min(k, this.ids.length);
    if (n <= 0) return [];
    const d = this.dimensions;
    if (vector.length !== d) throw new Error(`query vector has ${vector.length} dimensions, the index ${d}`);
    const q = normalizeF32(vector);
    // Keep the n smallest distances (1 - ip, as float32) in a small sorted buffer.
    const bestDist: number[] = [];
    const bestRow: number[] = [];
    for (let r = 0; r < this.ids.length; r++) {
      const dist = f32(1 - innerProductF32(q, this.matrix, r * d, d));
      if (bestDist.length === n && dist >= bestDist[n - 1]!) continue;
      let at = bestDist.length;
      while (at > 0 && bestDist[at - 1]! > dist) at--;
      bestDist.splice(at, 0, dist);
      bestRow.splice(at, 0, r);
      if (bestDist.length > n) {
        bestDist.pop();
        bestRow.pop();
      }
    }
    return bestRow.map((r, i) => ({ id: this.ids[r]!, score: 1 - bestDist[i]! }));
  }
}
