/**
 * Okapi BM25 over pre-tokenised passages. Pure TypeScript, serialisable to JSON, so the same index
 * is built on Node and searched on Workers.
 */

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface Bm25Params {
  k1: number;
  b: number;
}

export interface Bm25Json {
  version: 1;
  params: Bm25Params;
  ids: string[];
  docLen: number[];
  /** term -> [docIndex, tf, docIndex, tf, ...] */
  postings: Record<string, number[]>;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

export class Bm25Index {
  readonly params: Bm25Params;
  readonly ids: string[];
  private readonly docLen: Float32Array;
  private readonly avgdl: number;
  private readonly postings: Map<string, { docs: Uint32Array; tfs: Float32Array }>;

  private constructor(params: Bm25Params, ids: string[], docLen: ArrayLike<number>, postings: Map<string, { docs: Uint32Array; tfs: Float32Array }>) {
    this.params = params;
    this.ids = ids;
    this.docLen = Float32Array.from(docLen);
    let total = 0;
    for (const l of this.docLen) total += l;
    this.avgdl = ids.length ? total / ids.length : 0;
    this.postings = postings;
  }

  static build(docs: Array<{ id: string; tokens: string[] }>, params: Bm25Params = DEFAULT_BM25): Bm25Index {
    const lists = new Map<string, number[]>();
    const docLen: number[] = [];
    docs.forEach((doc, di) => {
      docLen.push(doc.tokens.length);
      const tf = new Map<string, number>();
      for (const t of doc.tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let list = lists.get(t);
        if (!list) lists.set(t, (list = []));
        list.push(di, n);
      }
    });
    return new Bm25Index(params, docs.map((d) => d.id), docLen, Bm25Index.packPostings(lists));
  }

  static fromJSON(json: Bm25Json): Bm25Index {
    if (json.version !== 1) throw new Error(`Unsupported BM25 index version ${String(json.version)}`);
    return new Bm25Index(json.params, json.ids, json.docLen, Bm25Index.packPostings(new Map(Object.entries(json.postings))));
  }

  private static packPostings(lists: Map<string, number[]>): Map<string, { docs: Uint32Array; tfs: Float32Array }> {
    const out = new Map<string, { docs: Uint32Array; tfs: Float32Array }>();
    for (const [t, flat] of lists) {
      const n = flat.length / 2;
      const docs = new Uint32Array(n);
      const tfs = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        docs[i] = flat[2 * i]!;
        tfs[i] = flat[2 * i + 1]!;
      }
      out.set(t, { docs, tfs });
    }
    return out;
  }

  toJSON(): Bm25Json {
    const postings: Record<string, number[]> = {};
    for (const [t, { docs, tfs }] of this.postings) {
      const flat: number[] = new Array(docs.length * 2);
      for (let i = 0; i < docs.length; i++) {
        flat[2 * i] = docs[i]!;
        flat[2 * i + 1] = tfs[i]!;
      }
      postings[t] = flat;
    }
    return { version: 1, params: this.params, ids: this.ids, docLen: Array.from(this.docLen), postings };
  }

  get size(): number {
    return this.ids.length;
  }

  /** Inverse document frequency (BM25+ style, never negative). */
  idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.ids.length - df + 0.5) / (df + 0.5));
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Scores every passage containing a query term; returns the top k, best first. */
  search(terms: WeightedTerm[], k: number): Array<{ id: string; index: number; score: number }> {
    const { k1, b } = this.params;
    const merged = new Map<string, number>();
    for (const { term, weight } of terms) merged.set(term, Math.max(merged.get(term) ?? 0, weight));
    const acc = new Float64Array(this.ids.length);
    const touched: number[] = [];
    for (const [term, weight] of merged) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term) * weight;
      const { docs, tfs } = list;
      const lenScale = (k1 * b) / (this.avgdl || 1);
      const base = k1 * (1 - b);
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        if (acc[d] === 0) touched.push(d);
        acc[d] = acc[d]! + ((idf * tf * (k1 + 1)) / (tf + base + lenScale * this.docLen[d]!));
      }
    }
    const scores = new Map<number, number>();
    for (const d of touched) scores.set(d, acc[d]!);
    return topK(scores, k).map(([index, score]) => ({ id: this.ids[index]!, index, score }));
  }
}

/** The k largest entries of a score map, best first (ties broken by lower index for determinism). */
export function topK(scores: Map<number, number>, k: number): Array<[number, number]> {
  if (k <= 0) return [];
  const heap: Array<[number, number]> = [];
  const worse = (a: [number, number], b: [number, number]) => a[1] < b[1] || (a[1] === b[1] && a[0] > b[0]);
  for (const entry of scores) {
    if (heap.length < k) {
      heap.push(entry);
      if (heap.length === k) heap.sort((x, y) => (worse(x, y) ? -1 : worse(y, x) ? 1 : 0));
      continue;
    }
    if (!worse(heap[0]!, entry)) continue;
    // Replace the worst and restore order by insertion (k is small).
    heap[0] = entry;
    for (let i = 0; i + 1 < heap.length && worse(heap[i + 1]!, heap[i]!); i++) {
      const t = heap[i]!;
      heap[i] = heap[i + 1]!;
      heap[i + 1] = t;
    }
  }
  return heap.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
}
