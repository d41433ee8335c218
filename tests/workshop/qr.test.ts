/**
 * The QR encoder against vectors worked out from the standard (ISO/IEC 18004):
 * - the format information of level M for each mask (BCH(15,5), generator 0x537, XOR 0x5412), e.g.
 *   mask 1: data 00001 -> 00001·x^10 mod 10100110111 = 0100110111 -> 000010100110111 XOR
 *   101010000010010 = 101000100100101;
 * - the version information (BCH(18,6), generator 0x1F25) of versions 7 and 10;
 * - Reed-Solomon: the ten error-correction codewords of the classic 1-M example (the data codewords of
 *   "HELLO WORLD"), and for any block, a codeword polynomial with roots α^0..α^(n-1);
 * - the block table against the number of data modules each version has;
 * and the symbol's structure: size, finder patterns with separators, timing patterns, the dark
 * module, both copies of the format information, the version blocks, and the data read back in the
 * placement order (unmasked, de-interleaved, syndromes zero, byte mode header, the text).
 * The encoder's symbols were also checked by hand with a reader (zbarimg) for every mask.
 */
import { describe, expect, it } from "vitest";
import { byteCapacity, encodeQr, finalCodewords, formatBits, gfExp, gfMul, maskApplies, penalty, placementOrder, qrSvg, rawDataModules, reedSolomon, reservedModules, versionBits, versionFor } from "../../src/workshop/qr.js";

const FORMAT_M = ["101010000010010", "101000100100101", "101111001111100", "101101101001011", "100010111111001", "100000011001110", "100111110010111", "100101010100000"];
/** Data and error-correction codewords per block, level M (from the standard's table). */
const BLOCKS: Array<{ ec: number; data: number[] }> = [
  { ec: 10, data: [16] },
  { ec: 16, data: [28] },
  { ec: 26, data: [44] },
  { ec: 18, data: [32, 32] },
  { ec: 24, data: [43, 43] },
  { ec: 16, data: [27, 27, 27, 27] },
  { ec: 18, data: [31, 31, 31, 31] },
  { ec: 22, data: [38, 38, 39, 39] },
  { ec: 22, data: [36, 36, 36, 37, 37] },
  { ec: 26, data: [43, 43, 43, 43, 44] },
];

/** Evaluates a codeword polynomial (highest degree first) at x. */
function evalPoly(coeffs: number[], x: number): number {
  let y = 0;
  for (const c of coeffs) y = gfMul(y, x) ^ c;
  return y;
}

describe("QR encoder", () => {
  it("computes the format and version information of the standard", () => {
    for (let mask = 0; mask < 8; mask++) expect(formatBits(mask).toString(2).padStart(15, "0")).toBe(FORMAT_M[mask]);
    expect(versionBits(7).toString(2).padStart(18, "0")).toBe("000111110010010100");
    expect(versionBits(10).toString(2).padStart(18, "0")).toBe("001010010011010011");
  });

  it("computes Reed-Solomon codewords", () => {
    const hello = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(hello, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
    // Any block: data followed by its error correction is a multiple of the generator.
    const data = Array.from({ length: 43 }, (_, i) => (i * 37 + 11) & 0xff);
    const block = [...data, ...reedSolomon(data, 26)];
    for (let i = 0; i < 26; i++) expect(evalPoly(block, gfExp(i))).toBe(0);
    block[5] = block[5]! ^ 1;
    expect([...Array(26).keys()].some((i) => evalPoly(block, gfExp(i)) !== 0)).toBe(true);
  });

  it("has a block table that fills each version exactly", () => {
    for (let v = 1; v <= 10; v++) {
      const { ec, data } = BLOCKS[v - 1]!;
      const total = data.reduce((a, b) => a + b, 0) + ec * data.length;
      expect(Math.floor(rawDataModules(v) / 8)).toBe(total);
      const order = placementOrder(17 + 4 * v, reservedModules(v));
      expect(order.length).toBe(rawDataModules(v)); // every non-function module gets a bit
    }
    expect(rawDataModules(1)).toBe(208);
    expect(rawDataModules(7)).toBe(1568);
    expect(byteCapacity(1)).toBe(14);
    expect(byteCapacity(10)).toBe(213);
    expect(versionFor(14)).toBe(1);
    expect(versionFor(15)).toBe(2);
    expect(versionFor(213)).toBe(10);
    expect(versionFor(214)).toBeUndefined();
    expect(() => encodeQr("x".repeat(214))).toThrow(/do not fit/);
  });

  function decode(text: string, options: { mask?: number } = {}) {
    const qr = encodeQr(text, options);
    const n = qr.size;
    const m = qr.modules;
    expect(n).toBe(17 + 4 * qr.version);
    expect(m).toHaveLength(n);
    for (const row of m) expect(row).toHaveLength(n);
    // Finder patterns (7x7: ring, light ring, 3x3 core) with light separators.
    for (const [r0, c0] of [
      [0, 0],
      [0, n - 7],
      [n - 7, 0],
    ] as const) {
      for (let dr = 0; dr < 7; dr++) {
        for (let dc = 0; dc < 7; dc++) {
          const ring = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
          expect(m[r0 + dr]![c0 + dc]).toBe(ring !== 2);
        }
      }
    }
    for (let i = 0; i < 8; i++) {
      expect(m[7]![i]).toBe(false);
      expect(m[i]![7]).toBe(false);
      expect(m[7]![n - 1 - i]).toBe(false);
      expect(m[n - 8]![i]).toBe(false);
    }
    // Timing patterns and the dark module.
    for (let i = 8; i < n - 8; i++) {
      expect(m[6]![i]).toBe(i % 2 === 0);
      expect(m[i]![6]).toBe(i % 2 === 0);
    }
    expect(m[n - 8]![8]).toBe(true);
    // Both copies of the format information (bit 14 first).
    const a: boolean[] = [];
    for (let c = 0; c <= 5; c++) a.push(m[8]![c]!);
    a.push(m[8]![7]!, m[8]![8]!, m[7]![8]!);
    for (let r = 5; r >= 0; r--) a.push(m[r]![8]!);
    const b: boolean[] = [];
    for (let r = n - 1; r >= n - 7; r--) b.push(m[r]![8]!);
    for (let c = n - 8; c < n; c++) b.push(m[8]![c]!);
    const bits = (xs: boolean[]) => xs.map((x) => (x ? "1" : "0")).join("");
    expect(bits(a)).toBe(FORMAT_M[qr.mask]);
    expect(bits(b)).toBe(FORMAT_M[qr.mask]);
    // Version information (versions 7+): bit i at (row i/3, column n-11+i%3), and transposed.
    if (qr.version >= 7) {
      const vb = versionBits(qr.version);
      for (let i = 0; i < 18; i++) {
        const bit = ((vb >>> i) & 1) === 1;
        expect(m[Math.floor(i / 3)]![n - 11 + (i % 3)]).toBe(bit);
        expect(m[n - 11 + (i % 3)]![Math.floor(i / 3)]).toBe(bit);
      }
    }
    // Read the codewords back: unmask in placement order, de-interleave, check each block.
    const order = placementOrder(n, reservedModules(qr.version));
    const stream: number[] = [];
    for (let i = 0; i + 8 <= order.length; i += 8) {
      let byte = 0;
      for (let k = 0; k < 8; k++) {
        const [r, c] = order[i + k]!;
        byte = (byte << 1) | (m[r]![c]! !== maskApplies(qr.mask, r, c) ? 1 : 0);
      }
      stream.push(byte);
    }
    const { ec, data } = BLOCKS[qr.version - 1]!;
    const blocks = data.map(() => [] as number[]);
    let at = 0;
    for (let i = 0; i < Math.max(...data); i++) data.forEach((len, j) => i < len && blocks[j]!.push(stream[at++]!));
    const ecs = data.map(() => [] as number[]);
    for (let i = 0; i < ec; i++) ecs.forEach((e) => e.push(stream[at++]!));
    blocks.forEach((blk, j) => {
      const cw = [...blk, ...ecs[j]!];
      for (let i = 0; i < ec; i++) expect(evalPoly(cw, gfExp(i))).toBe(0);
    });
    const all = blocks.flat();
    const bitsOf = all.map((x) => x.toString(2).padStart(8, "0")).join("");
    expect(bitsOf.slice(0, 4)).toBe("0100"); // byte mode
    const countBits = qr.version <= 9 ? 8 : 16;
    const length = parseInt(bitsOf.slice(4, 4 + countBits), 2);
    const bytes: number[] = [];
    for (let i = 0; i < length; i++) bytes.push(parseInt(bitsOf.slice(4 + countBits + 8 * i, 12 + countBits + 8 * i), 2));
    // finalCodewords agrees with what was read
    expect(stream.slice(0, at)).toEqual(finalCodewords(all, qr.version));
    return { qr, text: new TextDecoder().decode(new Uint8Array(bytes)) };
  }

  it("builds well-formed symbols that read back as the text, for every mask and several versions", () => {
    const texts = ["http://localhost:8787/w/K7QX2M", "https://fce.example.ac.jp/w/ABCDEF?lang=ja", `https://example.org/${"y".repeat(95)}`, `日本語 https://example.org/${"z".repeat(170)}`];
    const versions = new Set<number>();
    for (const t of texts) {
      for (let mask = 0; mask < 8; mask++) expect(decode(t, { mask }).text).toBe(t);
      const auto = decode(t);
      versions.add(auto.qr.version);
      // The chosen mask has the lowest penalty.
      const scores = [...Array(8).keys()].map((mask) => penalty(encodeQr(t, { mask }).modules));
      expect(scores[auto.qr.mask]).toBe(Math.min(...scores));
    }
    expect([...versions].sort((x, y) => x - y)).toEqual([3, 7, 10]);
  });

  it("is stable and renders as an inline SVG", () => {
    const url = "http://localhost:8787/w/K7QX2M";
    expect(encodeQr(url)).toEqual(encodeQr(url));
    const svg = qrSvg(url);
    const size = encodeQr(url).size + 8;
    expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}"`));
    expect(svg).toContain(`<title>${url}</title>`);
    expect(svg).not.toContain("<script");
    expect(qrSvg('a"<b>&')).toContain("<title>a&quot;&lt;b&gt;&amp;</title>");
    // One unit square per dark module (runs merged): the path covers exactly the dark modules.
    const dark = encodeQr(url).modules.flat().filter(Boolean).length;
    const covered = [...svg.matchAll(/M\d+ \d+h(\d+)v1h-\d+z/g)].reduce((s, m) => s + Number(m[1]), 0);
    expect(covered).toBe(dark);
  });
});
