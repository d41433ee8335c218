/**
 * A small QR code encoder (ISO/IEC 18004) for the workshop's room link: byte mode, error correction
 * level M, versions 1 to 10 (up to 213 bytes), the mask chosen by the standard's penalty rules. The
 * matrix renders as an inline SVG (no script, no image request). Pure TypeScript (Node and Workers).
 *
 * Written from the standard's description: Reed-Solomon over GF(256) with the polynomial 0x11D,
 * BCH(15,5) format information (generator 0x537, mask 0x5412), BCH(18,6) version information
 * (generator 0x1F25), the zig-zag placement of the codewords and the eight data masks.
 */

/** Error-correction codewords per block and the data codewords of each block, level M, versions 1-10. */
const M_BLOCKS: ReadonlyArray<{ ec: number; blocks: number[] }> = [
  { ec: 10, blocks: [16] },
  { ec: 16, blocks: [28] },
  { ec: 26, blocks: [44] },
  { ec: 18, blocks: [32, 32] },
  { ec: 24, blocks: [43, 43] },
  { ec: 16, blocks: [27, 27, 27, 27] },
  { ec: 18, blocks: [31, 31, 31, 31] },
  { ec: 22, blocks: [38, 38, 39, 39] },
  { ec: 22, blocks: [36, 36, 36, 37, 37] },
  { ec: 26, blocks: [43, 43, 43, 43, 44] },
];

export const MAX_VERSION = 10;

/** Centre coordinates of the alignment patterns (rows and columns), versions 1-10. */
const ALIGNMENT: ReadonlyArray<number[]> = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];

/** Format bits of level M: 00 (L = 01, M = 00, Q = 11, H = 10). */
const LEVEL_M_BITS = 0b00;

export interface QrCode {
  version: number;
  size: number;
  mask: number;
  /** `modules[row][col]`: true = dark. */
  modules: boolean[][];
}

// ---------------------------------------------------------------------------------------------
// GF(256) and Reed-Solomon

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
(() => {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
})();

export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

/** α^i in GF(256). */
export function gfExp(i: number): number {
  return EXP[((i % 255) + 255) % 255]!;
}

/** Coefficients (highest degree first, leading 1 omitted) of ∏(x - α^i), i = 0..degree-1. */
function generatorPoly(degree: number): number[] {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j] = next[j]! ^ poly[j]!;
      next[j + 1] = next[j + 1]! ^ gfMul(poly[j]!, gfExp(i));
    }
    poly = next;
  }
  return poly.slice(1);
}

/** The `degree` error-correction codewords of `data`: the remainder of data·x^degree by the generator. */
export function reedSolomon(data: readonly number[], degree: number): number[] {
  const gen = generatorPoly(degree);
  const rem = new Array<number>(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem.shift()!;
    rem.push(0);
    for (let i = 0; i < degree; i++) rem[i] = rem[i]! ^ gfMul(gen[i]!, factor);
  }
  return rem;
}

// ---------------------------------------------------------------------------------------------
// Data codewords

/** Number of modules left for data (and remainder bits) in a version: everything but the function patterns. */
export function rawDataModules(version: number): number {
  let n = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (version >= 7) n -= 36;
  }
  return n;
}

/** Data capacity in bytes (byte mode, level M) of a version. */
export function byteCapacity(version: number): number {
  const dataCodewords = M_BLOCKS[version - 1]!.blocks.reduce((a, b) => a + b, 0);
  const countBits = version <= 9 ? 8 : 16;
  return Math.floor((dataCodewords * 8 - 4 - countBits) / 8);
}

function dataCodewords(bytes: Uint8Array, version: number): number[] {
  const capacity = M_BLOCKS[version - 1]!.blocks.reduce((a, b) => a + b, 0);
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4); // byte mode
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity * 8 - bits.length)); // terminator
  while (bits.length % 8) bits.push(0);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; out.length < capacity; pad ^= 0xec ^ 0x11) out.push(pad);
  return out;
}

/** Splits the data into blocks, adds each block's error correction and interleaves them. */
export function finalCodewords(data: readonly number[], version: number): number[] {
  const { ec, blocks } = M_BLOCKS[version - 1]!;
  const dataBlocks: number[][] = [];
  let at = 0;
  for (const n of blocks) {
    dataBlocks.push(data.slice(at, at + n));
    at += n;
  }
  const ecBlocks = dataBlocks.map((b) => reedSolomon(b, ec));
  const out: number[] = [];
  const longest = Math.max(...blocks);
  for (let i = 0; i < longest; i++) for (const b of dataBlocks) if (i < b.length) out.push(b[i]!);
  for (let i = 0; i < ec; i++) for (const b of ecBlocks) out.push(b[i]!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// BCH codes of the format and version information

/** The 15 format bits of level M with a mask (already XORed with 0x5412). */
export function formatBits(mask: number): number {
  const data = (LEVEL_M_BITS << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | (rem & 0x3ff)) ^ 0x5412;
}

/** The 18 version bits (versions 7 and up). */
export function versionBits(version: number): number {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | (rem & 0xfff);
}

// ---------------------------------------------------------------------------------------------
// The matrix

class Matrix {
  readonly modules: boolean[][];
  readonly reserved: boolean[][];
  constructor(readonly size: number) {
    this.modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
    this.reserved = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }
  fn(row: number, col: number, dark: boolean): void {
    this.modules[row]![col] = dark;
    this.reserved[row]![col] = true;
  }
}

function drawFinder(m: Matrix, row: number, col: number): void {
  // The 7x7 pattern and its one-module light separator, clipped to the symbol.
  for (let dr = -1; dr <= 7; dr++) {
    for (let dc = -1; dc <= 7; dc++) {
      const r = row + dr;
      const c = col + dc;
      if (r < 0 || c < 0 || r >= m.size || c >= m.size) continue;
      const inside = dr >= 0 && dr <= 6 && dc >= 0 && dc <= 6;
      const ring = dr === 0 || dr === 6 || dc === 0 || dc === 6;
      const core = dr >= 2 && dr <= 4 && dc >= 2 && dc <= 4;
      m.fn(r, c, inside && (ring || core));
    }
  }
}

function drawFunctionPatterns(m: Matrix, version: number): void {
  const n = m.size;
  drawFinder(m, 0, 0);
  drawFinder(m, 0, n - 7);
  drawFinder(m, n - 7, 0);
  for (let i = 8; i < n - 8; i++) {
    m.fn(6, i, i % 2 === 0);
    m.fn(i, 6, i % 2 === 0);
  }
  const centres = ALIGNMENT[version - 1]!;
  for (const r of centres) {
    for (const c of centres) {
      // Not where a finder pattern is.
      if ((r === 6 && c === 6) || (r === 6 && c === n - 7) || (r === n - 7 && c === 6)) continue;
      for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) m.fn(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  }
  // Reserve the format areas (written after masking) and the dark module.
  drawFormat(m, 0);
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = n - 11 + (i % 3);
      const b = Math.floor(i / 3);
      m.fn(b, a, dark); // top right: rows 0-5, columns n-11..n-9
      m.fn(a, b, dark); // bottom left: rows n-11..n-9, columns 0-5
    }
  }
}

/** Writes the format information (both copies) and the dark module. Bit 0 is the least significant. */
function drawFormat(m: Matrix, mask: number): void {
  const n = m.size;
  const bits = formatBits(mask);
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  // Around the top-left finder: column 8 going down (bits 0-5, skipping the timing row), then row 8 going left.
  for (let i = 0; i <= 5; i++) m.fn(i, 8, bit(i));
  m.fn(7, 8, bit(6));
  m.fn(8, 8, bit(7));
  m.fn(8, 7, bit(8));
  for (let i = 9; i < 15; i++) m.fn(8, 14 - i, bit(i));
  // The second copy: row 8 under the top-right finder, column 8 beside the bottom-left finder.
  for (let i = 0; i < 8; i++) m.fn(8, n - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) m.fn(n - 15 + i, 8, bit(i));
  m.fn(n - 8, 8, true);
}

/** Which modules of a version belong to function patterns (finders, timing, alignment, format and version information). */
export function reservedModules(version: number): boolean[][] {
  const m = new Matrix(17 + 4 * version);
  drawFunctionPatterns(m, version);
  return m.reserved;
}

/** The codewords' bits in the standard's zig-zag order (two-column strips from the bottom right). */
export function placementOrder(size: number, reserved: readonly boolean[][]): Array<[number, number]> {
  const order: Array<[number, number]> = [];
  let upward = true;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5; // the vertical timing pattern is skipped as a whole column
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (const col of [right, right - 1]) if (!reserved[row]![col]) order.push([row, col]);
    }
    upward = !upward;
  }
  return order;
}

export function maskApplies(mask: number, row: number, col: number): boolean {
  switch (mask) {
    case 0:
      return (row + col) % 2 === 0;
    case 1:
      return row % 2 === 0;
    case 2:
      return col % 3 === 0;
    case 3:
      return (row + col) % 3 === 0;
    case 4:
      return (Math.floor(row / 2) + Math.floor(col / 3)) % 2 === 0;
    case 5:
      return ((row * col) % 2) + ((row * col) % 3) === 0;
    case 6:
      return (((row * col) % 2) + ((row * col) % 3)) % 2 === 0;
    default:
      return (((row + col) % 2) + ((row * col) % 3)) % 2 === 0;
  }
}

/** The standard's penalty score of a finished matrix (lower is better). */
export function penalty(modules: readonly boolean[][]): number {
  const n = modules.length;
  let score = 0;
  const line = (get: (i: number) => boolean) => {
    // Rule 1: runs of five or more of one colour.
    let run = 1;
    for (let i = 1; i <= n; i++) {
      if (i < n && get(i) === get(i - 1)) run++;
      else {
        if (run >= 5) score += 3 + (run - 5);
        run = 1;
      }
    }
    // Rule 3: 1:1:3:1:1 finder-like patterns with four light modules on one side.
    for (let i = 0; i + 7 <= n; i++) {
      const core = get(i) && !get(i + 1) && get(i + 2) && get(i + 3) && get(i + 4) && !get(i + 5) && get(i + 6);
      if (!core) continue;
      const lightBefore = i >= 4 && [1, 2, 3, 4].every((k) => !get(i - k));
      const lightAfter = i + 11 <= n && [7, 8, 9, 10].every((k) => !get(i + k));
      if (lightBefore) score += 40;
      if (lightAfter) score += 40;
    }
  };
  for (let r = 0; r < n; r++) line((i) => modules[r]![i]!);
  for (let c = 0; c < n; c++) line((i) => modules[i]![c]!);
  // Rule 2: 2x2 blocks of one colour.
  for (let r = 0; r + 1 < n; r++) {
    for (let c = 0; c + 1 < n; c++) {
      const v = modules[r]![c];
      if (modules[r]![c + 1] === v && modules[r + 1]![c] === v && modules[r + 1]![c + 1] === v) score += 3;
    }
  }
  // Rule 4: the share of dark modules far from one half.
  let dark = 0;
  for (const row of modules) for (const v of row) if (v) dark++;
  const percent = (dark * 100) / (n * n);
  score += 10 * Math.floor(Math.abs(percent - 50) / 5);
  return score;
}

/** Smallest version (1-10) that holds `length` bytes at level M; undefined when none does. */
export function versionFor(length: number): number | undefined {
  for (let v = 1; v <= MAX_VERSION; v++) if (byteCapacity(v) >= length) return v;
  return undefined;
}

/**
 * Encodes text (UTF-8, byte mode) at level M in the smallest version that holds it. `mask` forces a
 * mask (tests); otherwise the one with the lowest penalty. Throws when the text is too long.
 */
export function encodeQr(text: string, options: { mask?: number; version?: number } = {}): QrCode {
  const bytes = new TextEncoder().encode(text);
  const smallest = versionFor(bytes.length);
  if (smallest === undefined) throw new Error(`QR: ${bytes.length} bytes do not fit in version ${MAX_VERSION} (at most ${byteCapacity(MAX_VERSION)})`);
  const version = Math.max(smallest, options.version ?? smallest);
  if (version > MAX_VERSION) throw new Error(`QR: version ${version} is not supported (1-${MAX_VERSION})`);
  const size = 17 + 4 * version;
  const base = new Matrix(size);
  drawFunctionPatterns(base, version);
  const codewords = finalCodewords(dataCodewords(bytes, version), version);
  const order = placementOrder(size, base.reserved);
  // Remainder bits (order.length - 8 * codewords.length) stay light.
  order.forEach(([r, c], i) => {
    const byte = codewords[i >>> 3];
    base.modules[r]![c] = byte !== undefined && ((byte >>> (7 - (i & 7))) & 1) === 1;
  });

  const withMask = (mask: number): boolean[][] => {
    const m = new Matrix(size);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        m.modules[r]![c] = base.modules[r]![c]! !== (!base.reserved[r]![c] && maskApplies(mask, r, c));
        m.reserved[r]![c] = base.reserved[r]![c]!;
      }
    }
    drawFormat(m, mask);
    return m.modules;
  };
  let best = options.mask ?? 0;
  let modules = withMask(best);
  if (options.mask === undefined) {
    let bestScore = penalty(modules);
    for (let mask = 1; mask < 8; mask++) {
      const candidate = withMask(mask);
      const score = penalty(candidate);
      if (score < bestScore) {
        best = mask;
        bestScore = score;
        modules = candidate;
      }
    }
  }
  return { version, size, mask: best, modules };
}

/**
 * The code as an SVG document fragment: one path of unit squares, a light quiet zone of `margin`
 * modules, scaled by the viewBox to whatever size the page gives it.
 */
export function qrSvg(text: string, options: { margin?: number; title?: string; class?: string } = {}): string {
  const qr = encodeQr(text);
  const margin = options.margin ?? 4;
  const full = qr.size + 2 * margin;
  let d = "";
  for (let r = 0; r < qr.size; r++) {
    for (let c = 0; c < qr.size; c++) {
      if (!qr.modules[r]![c]) continue;
      // Merge a horizontal run into one rectangle.
      let run = 1;
      while (c + run < qr.size && qr.modules[r]![c + run]) run++;
      d += `M${c + margin} ${r + margin}h${run}v1h-${run}z`;
      c += run - 1;
    }
  }
  const title = options.title ?? text;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges" role="img" aria-label="${esc(title)}"${options.class ? ` class="${esc(options.class)}"` : ""} data-qr-version="${qr.version}" data-qr-mask="${qr.mask}">` +
    `<title>${esc(title)}</title><rect width="${full}" height="${full}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
  );
}
