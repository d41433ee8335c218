/**
 * Searches the HNSW graph that the Node server built (hnswlib's saved `hnswlib.index`) in pure
 * TypeScript: same graph, same greedy descent and base-layer beam search (ef), same float32 distance
 * arithmetic, same heap order on ties. So the Worker returns the same neighbours, with the same
 * scores, as hnswlib-node on the Node server, including where HNSW is approximate (with ef=64 and
 * 50 candidates per query, HNSW misses some of the exact top 50 on a third of the dev questions,
 * which shifts the fused scores; an exact flat search then ranks 2 of 30 dev questions' top 5
 * differently from the Node server).
 *
 * File layout (hnswlib 0.8, `HierarchicalNSW::saveIndex`, little-endian, size_t = 8 bytes): a header
 * (offsetLevel0, maxElements, count, sizeDataPerElement, labelOffset, offsetData: size_t; maxLevel:
 * int; entryPoint: uint32; maxM, maxM0, M: size_t; mult: double; efConstruction: size_t), then
 * `count` level-0 records of `sizeDataPerElement` bytes (uint32 link count (low 16 bits), maxM0
 * uint32 links, the unit vector as float32, the uint64 label), then for each element a uint32 byte
 * length and its upper-level link lists (per level: uint32 count and maxM uint32 links).
 */
import type { VectorIndex } from "../../ports.js";
import { innerProductF32, normalizeF32 } from "./flat-vector-index.js";

const f32 = Math.fround;
const HEADER_BYTES = 8 * 6 + 4 + 4 + 8 * 3 + 8 + 8;

type Pair = [dist: number, id: number];

/**
 * A max-heap on the first element with libstdc++'s `std::priority_queue` algorithms (`__push_heap`,
 * `__adjust_heap`), so that elements of equal distance come out in the same order as in hnswlib.
 */
class StdHeap {
  readonly a: Pair[] = [];

  get size(): number {
    return this.a.length;
  }

  top(): Pair {
    return this.a[0]!;
  }

  push(value: Pair): void {
    this.a.push(value);
    this.siftUp(this.a.length - 1, 0, value);
  }

  pop(): void {
    const a = this.a;
    const len = a.length - 1;
    if (len <= 0) {
      a.pop();
      return;
    }
    const value = a[len]!;
    a[len] = a[0]!;
    this.adjust(0, len, value);
    a.pop();
  }

  private siftUp(hole: number, top: number, value: Pair): void {
    const a = this.a;
    let parent = Math.floor((hole - 1) / 2);
    while (hole > top && a[parent]![0] < value[0]) {
      a[hole] = a[parent]!;
      hole = parent;
      parent = Math.floor((hole - 1) / 2);
    }
    a[hole] = value;
  }

  private adjust(hole: number, len: number, value: Pair): void {
    const a = this.a;
    const top = hole;
    let second = hole;
    while (second < Math.floor((len - 1) / 2)) {
      second = 2 * (second + 1);
      if (a[second]![0] < a[second - 1]![0]) second--;
      a[hole] = a[second]!;
      hole = second;
    }
    if ((len & 1) === 0 && second === Math.floor((len - 2) / 2)) {
      second = 2 * (second + 1);
      a[hole] = a[second - 1]!;
      hole = second - 1;
    }
    this.siftUp(hole, top, value);
  }
}

export class HnswGraphIndex implements VectorIndex {
  readonly dimensions: number;
  private readonly count: number;
  private readonly maxLevel: number;
  private readonly entryPoint: number;
  /** uint32 view of the whole file (every record is 4-byte aligned). */
  private readonly u32: Uint32Array;
  private readonly f32view: Float32Array;
  private readonly level0Start: number; // in uint32 units
  private readonly stride0: number; // in uint32 units
  private readonly dataOffset: number; // in uint32 units, inside a level-0 record
  private readonly linkLists: Array<{ start: number; levels: number }>; // start in uint32 units
  private readonly linkStride: number; // uint32 units per upper level
  private readonly labels: Uint32Array;
  private ef: number;
  private visited: Uint32Array;
  private visitTag = 0;

  /**
   * `file` is hnswlib.index; `labelToId` maps hnswlib labels (the docstore keys) to chunk ids;
   * `ef` is the search breadth the Node server uses (DEFAULT_EF_SEARCH).
   */
  constructor(
    file: ArrayBuffer,
    private readonly labelToId: string[],
    dimensions: number,
    ef: number,
  ) {
    if (file.byteLength < HEADER_BYTES) throw new Error("hnsw index file is truncated");
    const view = new DataView(file);
    const size = (at: number) => Number(view.getBigUint64(at, true));
    const offsetLevel0 = size(0);
    const count = size(16);
    const sizeDataPerElement = size(24);
    const labelOffset = size(32);
    const offsetData = size(40);
    this.maxLevel = view.getInt32(48, true);
    this.entryPoint = view.getUint32(52, true);
    const maxM = size(56);
    if (offsetLevel0 !== 0 || sizeDataPerElement % 4 || labelOffset % 4 || offsetData % 4) throw new Error("unsupported hnsw index layout");
    if (labelOffset - offsetData !== dimensions * 4) {
      throw new Error(`hnsw index vectors are not ${dimensions}-dimensional`);
    }
    if (HEADER_BYTES + count * sizeDataPerElement > file.byteLength) throw new Error("hnsw index file is truncated");
    this.dimensions = dimensions;
    this.count = count;
    this.u32 = new Uint32Array(file, 0, Math.floor(file.byteLength / 4));
    this.f32view = new Float32Array(file, 0, Math.floor(file.byteLength / 4));
    this.level0Start = HEADER_BYTES / 4;
    this.stride0 = sizeDataPerElement / 4;
    this.dataOffset = offsetData / 4;
    this.labels = new Uint32Array(count);
    for (let i = 0; i < count; i++) this.labels[i] = size(HEADER_BYTES + i * sizeDataPerElement + labelOffset);
    this.linkStride = maxM + 1;
    this.linkLists = new Array(count);
    let at = HEADER_BYTES + count * sizeDataPerElement;
    for (let i = 0; i < count; i++) {
      if (at + 4 > file.byteLength) throw new Error("hnsw index file is truncated");
      const bytes = view.getUint32(at, true);
      at += 4;
      this.linkLists[i] = { start: at / 4, levels: bytes / (this.linkStride * 4) };
      at += bytes;
    }
    if (at > file.byteLength) throw new Error("hnsw index file is truncated");
    for (const label of this.labels) if (label >= labelToId.length) throw new Error(`hnsw label ${label} has no chunk id`);
    this.ef = ef;
    this.visited = new Uint32Array(count);
  }

  setEf(ef: number): void {
    this.ef = ef;
  }

  size(): number {
    return this.count;
  }

  private distance(q: Float32Array, id: number): number {
    const offset = this.level0Start + id * this.stride0 + this.dataOffset;
    return f32(1 - innerProductF32(q, this.f32view, offset, this.dimensions));
  }

  /** Link count and first link position (uint32 units) of `id` at `level`. */
  private links(id: number, level: number): [count: number, first: number] {
    const at = level === 0 ? this.level0Start + id * this.stride0 : this.linkLists[id]!.start + (level - 1) * this.linkStride;
    return [this.u32[at]! & 0xffff, at + 1];
  }

  async search(vector: number[], k: number): Promise<Array<{ id: string; score: number }>> {
    const n = Math.min(k, this.count);
    if (n <= 0) return [];
    if (vector.length !== this.dimensions) throw new Error(`query vector has ${vector.length} dimensions, the index ${this.dimensions}`);
    const q = normalizeF32(vector);

    // Greedy descent through the upper levels.
    let current = this.entryPoint;
    let currentDist = this.distance(q, current);
    for (let level = this.maxLevel; level > 0; level--) {
      let changed = true;
      while (changed) {
        changed = false;
        const [size, first] = this.links(current, level);
        for (let i = 0; i < size; i++) {
          const cand = this.u32[first + i]!;
          const d = this.distance(q, cand);
          if (d < currentDist) {
            currentDist = d;
            current = cand;
            changed = true;
          }
        }
      }
    }

    // Beam search of the base layer (hnswlib's searchBaseLayerST, bare-bone variant).
    const ef = Math.max(this.ef, n);
    if (++this.visitTag === 0xffffffff) {
      this.visited.fill(0);
      this.visitTag = 1;
    }
    const tag = this.visitTag;
    const top = new StdHeap();
    const candidates = new StdHeap();
    const d0 = this.distance(q, current);
    let lowerBound = d0;
    top.push([d0, current]);
    candidates.push([-d0, current]);
    this.visited[current] = tag;
    while (candidates.size > 0) {
      const [negDist, node] = candidates.top();
      if (-negDist > lowerBound) break;
      candidates.pop();
      const [size, first] = this.links(node, 0);
      for (let j = 0; j < size; j++) {
        const cand = this.u32[first + j]!;
        if (this.visited[cand] === tag) continue;
        this.visited[cand] = tag;
        const dist = this.distance(q, cand);
        if (top.size < ef || lowerBound > dist) {
          candidates.push([-dist, cand]);
          top.push([dist, cand]);
          while (top.size > ef) top.pop();
          if (top.size > 0) lowerBound = top.top()[0];
        }
      }
    }
    while (top.size > n) top.pop();
    // hnswlib returns the survivors ordered by (distance, label).
    const out = top.a.map(([dist, id]) => ({ dist, label: this.labels[id]! }));
    out.sort((a, b) => a.dist - b.dist || a.label - b.label);
    return out.map(({ dist, label }) => ({ id: this.labelToId[label]!, score: 1 - dist }));
  }
}
