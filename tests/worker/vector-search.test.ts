/**
 * The Worker's vector searches, in Node: the TS search of hnswlib's saved graph returns exactly what
 * hnswlib-node returns (ids and scores), the flat search is exact, and Vectorize is used through the
 * same interface (against a fake binding: Vectorize has no local emulator).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_EF_SEARCH, HnswVectorIndex } from "../../src/adapters/node/hnsw-vector-index.js";
import { FlatVectorIndex } from "../../src/adapters/worker/flat-vector-index.js";
import { HnswGraphIndex } from "../../src/adapters/worker/hnsw-graph-index.js";
import { VECTORIZE_MAX_TOP_K, VectorizeVectorSearch, vectorizeNdjson } from "../../src/adapters/worker/vectorize-index.js";
import type { VectorizeBinding } from "../../src/adapters/worker/bindings.js";
import { HashedEmbedder } from "../../src/core/retrieval/embeddings/hashed.js";
import { LocalEmbeddings } from "../../src/core/retrieval/embeddings/index.js";
import { mulberry32 } from "../../src/core/util/hash.js";
import { tempDir } from "../helpers/temp.js";

const tmp = tempDir("fce-vec-");
afterAll(() => tmp.cleanup());

function randomVectors(n: number, dims: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n * dims);
  // Clustered data (as embeddings are): a few centres plus noise, so neighbourhoods are uneven.
  const centres = Array.from({ length: 8 }, () => Array.from({ length: dims }, () => rand() * 2 - 1));
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length]!;
    for (let d = 0; d < dims; d++) out[i * dims + d] = c[d]! + (rand() * 2 - 1) * 0.8;
  }
  return out;
}

const rows = (v: Float32Array, dims: number) => Array.from({ length: v.length / dims }, (_, i) => Array.from(v.subarray(i * dims, (i + 1) * dims)));

async function buildPair(n: number, dims: number, seed: number) {
  const vectors = randomVectors(n, dims, seed);
  const ids = Array.from({ length: n }, (_, i) => `doc#${i}-${(i * 2654435761) % 99991}`);
  const embeddings = new LocalEmbeddings(HashedEmbedder.fit([["a"]], dims));
  const node = await HnswVectorIndex.build(embeddings, ids, rows(vectors, dims), dims);
  const dir = join(tmp.path, `hnsw-${n}-${dims}-${seed}`);
  await node.save(dir);
  const buf = readFileSync(join(dir, "hnswlib.index"));
  const graph = new HnswGraphIndex(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), ids, dims, DEFAULT_EF_SEARCH);
  return { node, graph, ids, vectors };
}

describe("HnswGraphIndex (hnswlib's graph searched in TypeScript)", () => {
  // 192 = the LSA default (multiple of 16), 20 (multiple of 4), 37 (residuals), 3 (tiny).
  for (const [n, dims] of [
    [1500, 192],
    [2500, 20],
    [1200, 37],
    [400, 3],
  ] as const) {
    it(`returns hnswlib-node's neighbours and scores exactly (${n} vectors of ${dims} dimensions)`, async () => {
      const { node, graph } = await buildPair(n, dims, n + dims);
      const queries = rows(randomVectors(40, dims, 7 * dims), dims);
      for (const [i, q] of queries.entries()) {
        for (const k of [1, 5, 50, 120]) {
          const expected = await node.search(q, k);
          const got = await graph.search(q, k);
          expect(got, `query ${i}, k ${k}`).toEqual(expected);
        }
      }
      // A narrower beam (more approximate) still matches.
      node.setEf(10);
      graph.setEf(10);
      for (const q of queries.slice(0, 10)) expect(await graph.search(q, 10)).toEqual(await node.search(q, 10));
    });
  }

  it("rejects a truncated file and a dimension mismatch", async () => {
    const { ids } = await buildPair(50, 16, 1);
    const buf = readFileSync(join(tmp.path, "hnsw-50-16-1", "hnswlib.index"));
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    expect(() => new HnswGraphIndex(ab.slice(0, 40), ids, 16, 64)).toThrow(/truncated/);
    expect(() => new HnswGraphIndex(ab.slice(0, ab.byteLength - 8), ids, 16, 64)).toThrow(/truncated/);
    expect(() => new HnswGraphIndex(ab, ids, 32, 64)).toThrow(/32-dimensional/);
    expect(() => new HnswGraphIndex(ab, ids.slice(0, 10), 16, 64)).toThrow(/no chunk id/);
  });
});

describe("FlatVectorIndex (exact)", () => {
  it("ranks by cosine similarity exactly, and equals the graph search when the beam covers every vector", async () => {
    const dims = 48;
    const { graph, ids, vectors } = await buildPair(600, dims, 3);
    const flat = new FlatVectorIndex(ids, vectors, dims);
    expect(flat.size()).toBe(600);
    graph.setEf(600);
    for (const q of rows(randomVectors(25, dims, 99), dims)) {
      const exact = rows(vectors, dims)
        .map((v, i) => {
          let dot = 0;
          let nv = 0;
          let nq = 0;
          for (let d = 0; d < dims; d++) {
            dot += v[d]! * q[d]!;
            nv += v[d]! * v[d]!;
            nq += q[d]! * q[d]!;
          }
          return { id: ids[i]!, score: dot / Math.sqrt(nv * nq) };
        })
        .sort((a, b) => b.score - a.score);
      const got = await flat.search(q, 20);
      expect(got.map((h) => h.id)).toEqual(exact.slice(0, 20).map((h) => h.id));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(exact[i]!.score, 5));
      expect(await graph.search(q, 20)).toEqual(got);
    }
  });

  it("checks its input", async () => {
    expect(() => new FlatVectorIndex(["a", "b"], new Float32Array(5), 2)).toThrow(/expected 2 x 2/);
    const flat = new FlatVectorIndex(["a", "b"], Float32Array.from([1, 0, 0, 1]), 2);
    await expect(flat.search([1, 0, 0], 1)).rejects.toThrow(/3 dimensions/);
    expect(await flat.search([1, 0.1], 5)).toEqual([
      { id: "a", score: expect.closeTo(0.995, 3) },
      { id: "b", score: expect.closeTo(0.0995, 3) },
    ]);
    expect(await flat.search([1, 0], 0)).toEqual([]);
  });
});

describe("VectorizeVectorSearch (through the VectorSearch interface, fake binding)", () => {
  const ids = ["doc#0-a", "doc#1-b", "doc#2-c"];
  const calls: Array<{ topK?: number }> = [];
  const fake: VectorizeBinding = {
    async query(_vector, options) {
      calls.push({ topK: options?.topK });
      // Vectorize answers with its own ids (the row numbers) and cosine scores, best first.
      return { matches: [{ id: "2", score: 0.9 }, { id: "0", score: 0.5 }, { id: "17", score: 0.4 }, { id: "x", score: 0.3 }] };
    },
  };

  it("maps Vectorize ids (rows) back to chunk ids, drops unknown ones, and caps topK", async () => {
    const search = new VectorizeVectorSearch(fake, ids, 2);
    expect(await search.search([1, 0], 50)).toEqual([
      { id: "doc#2-c", score: 0.9 },
      { id: "doc#0-a", score: 0.5 },
    ]);
    expect(calls.at(-1)!.topK).toBe(3);
    const many = new VectorizeVectorSearch(fake, Array.from({ length: 500 }, (_, i) => `c${i}`), 2);
    await many.search([1, 0], 400);
    expect(calls.at(-1)!.topK).toBe(VECTORIZE_MAX_TOP_K);
    await expect(search.search([1, 0, 0], 5)).rejects.toThrow(/3 dimensions/);
  });

  it("writes the NDJSON that wrangler vectorize insert reads, one row per vector", () => {
    const lines = [...vectorizeNdjson(Float32Array.from([1, 0, 0.5, 0.25]), 2)];
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { id: "0", values: [1, 0] },
      { id: "1", values: [0.5, 0.25] },
    ]);
  });
});
