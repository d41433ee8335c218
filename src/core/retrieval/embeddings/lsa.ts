/**
 * Latent semantic analysis: TF-IDF over the corpus' terms, reduced by a truncated SVD fitted on the
 * corpus (randomised range finder + power iterations, then an exact eigen-decomposition of the small
 * projected matrix by Jacobi rotations). Passages and queries are projected on the same right singular
 * vectors, so terms that co-occur (and glossary synonyms, fitted as extra pseudo-documents) land close.
 *
 * Pure TypeScript and deterministic (seeded). The fitted model serialises to JSON.
 */
import { hash64, mulberry32 } from "../../util/hash.js";
import { tokenize } from "../tokenize.js";
import { normalizeInPlace } from "./vector-math.js";
import type { TextEmbedder } from "./text-embedder.js";

export interface LsaOptions {
  dimensions: number;
  /** Extra columns of the random range finder. */
  oversample?: number;
  powerIterations?: number;
  seed?: number;
  /** Terms seen in fewer documents are left out of the vocabulary. */
  minDf?: number;
}

export interface LsaJson {
  kind: "lsa";
  version: 1;
  dimensions: number;
  vocabulary: string[];
  idf: number[];
  /** Row-major V x dimensions projection matrix (right singular vectors). */
  projection: number[];
}

type SparseRow = { idx: Int32Array; val: Float64Array };

export class LsaEmbedder implements TextEmbedder {
  readonly kind = "lsa";
  readonly dimensions: number;
  private readonly vocab: Map<string, number>;
  private readonly idf: Float64Array;
  /** V x dimensions, row-major. */
  private readonly projection: Float32Array;
  readonly id: string;

  private constructor(vocabulary: string[], idf: ArrayLike<number>, projection: ArrayLike<number>, dimensions: number) {
    this.vocab = new Map(vocabulary.map((t, i) => [t, i]));
    this.idf = Float64Array.from(idf);
    this.projection = Float32Array.from(projection);
    this.dimensions = dimensions;
    // The id changes whenever the fitted model changes, so stored vectors are reused only with their model.
    const stride = Math.max(1, Math.floor(this.projection.length / 4096));
    const sample: string[] = [vocabulary.join(" ")];
    for (let i = 0; i < this.projection.length; i += stride) sample.push(this.projection[i]!.toFixed(5));
    this.id = `lsa-${dimensions}-${hash64(sample.join(","))}`;
  }

  static fromJSON(json: LsaJson): LsaEmbedder {
    if (json.kind !== "lsa" || json.version !== 1) throw new Error("Not an LSA model (kind/version mismatch)");
    return new LsaEmbedder(json.vocabulary, json.idf, json.projection, json.dimensions);
  }

  toJSON(): LsaJson {
    return {
      kind: "lsa",
      version: 1,
      dimensions: this.dimensions,
      vocabulary: [...this.vocab.keys()],
      idf: Array.from(this.idf),
      projection: Array.from(this.projection, (x) => Math.round(x * 1e7) / 1e7),
    };
  }

  /** Fits the model on tokenised texts (passages plus any pseudo-documents such as glossary entries). */
  static fit(texts: string[][], options: LsaOptions): LsaEmbedder {
    const { oversample = 12, powerIterations = 3, seed = 42 } = options;
    // On a large corpus, a term seen in one passage only adds no co-occurrence to learn from.
    const minDf = options.minDf ?? (texts.length > 2000 ? 2 : 1);
    const df = new Map<string, number>();
    for (const tokens of texts) for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
    const vocabulary = [...df.entries()].filter(([, n]) => n >= minDf).map(([t]) => t).sort();
    const vocab = new Map(vocabulary.map((t, i) => [t, i]));
    const n = texts.length;
    const V = vocabulary.length;
    const idf = new Float64Array(V);
    vocabulary.forEach((t, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(t)!)) + 1));
    const rows = texts.map((tokens) => tfidfRow(tokens, vocab, idf));

    const k = Math.max(1, Math.min(options.dimensions, n - 1, V - 1));
    const l = Math.min(k + oversample, n, V);
    const rand = mulberry32(seed);
    const gauss = () => {
      const u = Math.max(rand(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    };
    // Omega: V x l random matrix; Y = X * Omega (n x l).
    const omega = new Float64Array(V * l);
    for (let i = 0; i < omega.length; i++) omega[i] = gauss();
    let Y = mulSparseDense(rows, omega, l, n);
    orthonormalizeColumns(Y, n, l);
    for (let it = 0; it < powerIterations; it++) {
      const Z = mulSparseTransposeDense(rows, Y, l, V); // V x l = X^T Y
      orthonormalizeColumns(Z, V, l);
      Y = mulSparseDense(rows, Z, l, n); // n x l = X Z
      orthonormalizeColumns(Y, n, l);
    }
    // B = Q^T X  (l x V), stored row-major.
    const Bt = mulSparseTransposeDense(rows, Y, l, V); // V x l = X^T Q = B^T
    // C = B B^T = Bt^T Bt (l x l)
    const C = new Float64Array(l * l);
    for (let v = 0; v < V; v++) {
      const off = v * l;
      for (let i = 0; i < l; i++) {
        const bi = Bt[off + i]!;
        if (bi === 0) continue;
        for (let j = i; j < l; j++) C[i * l + j] = C[i * l + j]! + (bi * Bt[off + j]!);
      }
    }
    for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) C[i * l + j] = C[j * l + i]!;
    const { values, vectors } = jacobiEigen(C, l);
    const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, k);
    // Right singular vectors: v_j = B^T u_j / sigma_j  (V x k)
    const projection = new Float32Array(V * k);
    order.forEach((col, j) => {
      const sigma = Math.sqrt(Math.max(values[col]!, 1e-12));
      for (let v = 0; v < V; v++) {
        let s = 0;
        const off = v * l;
        for (let i = 0; i < l; i++) s += Bt[off + i]! * vectors[i * l + col]!;
        projection[v * k + j] = s / sigma;
      }
    });
    // Round-trip through the stored form, so a fitted model and the same model loaded from disk are
    // identical to the bit (and share an id: their vectors are interchangeable).
    return LsaEmbedder.fromJSON(new LsaEmbedder(vocabulary, idf, projection, k).toJSON());
  }

  /** True when the term is in the fitted vocabulary. */
  knows(term: string): boolean {
    return this.vocab.has(term);
  }

  embedTokens(tokens: string[]): Float32Array {
    const row = tfidfRow(tokens, this.vocab, this.idf);
    const out = new Float32Array(this.dimensions);
    const k = this.dimensions;
    for (let a = 0; a < row.idx.length; a++) {
      const off = row.idx[a]! * k;
      const w = row.val[a]!;
      for (let j = 0; j < k; j++) out[j] = out[j]! + (w * this.projection[off + j]!);
    }
    return normalizeInPlace(out) as Float32Array;
  }

  embed(text: string): Float32Array {
    return this.embedTokens(tokenize(text));
  }
}

/** Sublinear TF x IDF, L2-normalised, over the known vocabulary. */
function tfidfRow(tokens: string[], vocab: Map<string, number>, idf: Float64Array): SparseRow {
  const tf = new Map<number, number>();
  for (const t of tokens) {
    const i = vocab.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from(tf.keys());
  const val = new Float64Array(idx.length);
  let norm = 0;
  idx.forEach((i, a) => {
    const w = (1 + Math.log(tf.get(i)!)) * idf[i]!;
    val[a] = w;
    norm += w * w;
  });
  norm = Math.sqrt(norm) || 1;
  for (let a = 0; a < val.length; a++) val[a] = val[a]! / norm;
  return { idx, val };
}

/** X (n sparse rows over V) times D (V x l, row-major) -> n x l. */
function mulSparseDense(rows: SparseRow[], D: Float64Array, l: number, n: number): Float64Array {
  const out = new Float64Array(n * l);
  rows.forEach((row, r) => {
    const o = r * l;
    for (let a = 0; a < row.idx.length; a++) {
      const off = row.idx[a]! * l;
      const w = row.val[a]!;
      for (let j = 0; j < l; j++) out[o + j] = out[o + j]! + (w * D[off + j]!);
    }
  });
  return out;
}

/** X^T (V x n) times D (n x l) -> V x l. */
function mulSparseTransposeDense(rows: SparseRow[], D: Float64Array, l: number, V: number): Float64Array {
  const out = new Float64Array(V * l);
  rows.forEach((row, r) => {
    const o = r * l;
    for (let a = 0; a < row.idx.length; a++) {
      const off = row.idx[a]! * l;
      const w = row.val[a]!;
      for (let j = 0; j < l; j++) out[off + j] = out[off + j]! + (w * D[o + j]!);
    }
  });
  return out;
}

/**
 * Modified Gram-Schmidt on the columns of a rows x cols row-major matrix, in place. Works on a
 * column-major copy so that every inner loop runs over contiguous memory.
 */
function orthonormalizeColumns(M: Float64Array, rows: number, cols: number): void {
  const T = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) T[j * rows + r] = M[r * cols + j]!;
  for (let j = 0; j < cols; j++) {
    const oj = j * rows;
    for (let p = 0; p < j; p++) {
      const op = p * rows;
      let d = 0;
      for (let r = 0; r < rows; r++) d += T[oj + r]! * T[op + r]!;
      for (let r = 0; r < rows; r++) T[oj + r] = T[oj + r]! - d * T[op + r]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += T[oj + r]! ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < rows; r++) T[oj + r] = norm > 1e-12 ? T[oj + r]! / norm : 0;
  }
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) M[r * cols + j] = T[j * rows + r]!;
}

/** Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi rotations. */
function jacobiEigen(S: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(S);
  const Vm = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Vm[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += A[i]! ** 2;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! ** 2;
    // Converged when the off-diagonal mass is negligible relative to the whole matrix.
    if (off <= 1e-24 * total || off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = Vm[k * n + p]!;
          const vkq = Vm[k * n + q]!;
          Vm[k * n + p] = c * vkp - s * vkq;
          Vm[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i]!;
  return { values, vectors: Vm };
}
