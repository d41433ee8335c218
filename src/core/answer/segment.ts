/**
 * Segmentation of a passage into units (sentences, list items, table rows, headings) with exact offsets:
 * for every unit, `unit.text === passageText.slice(unit.start, unit.end)`.
 */
import { memoizeByString } from "./memo.js";

export type UnitKind = "sentence" | "list-item" | "table-row" | "heading" | "lines";

export interface Unit {
  /** Exact text: `passageText.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  kind: UnitKind;
  /** Index of the block (paragraph, list item, table, heading) the unit belongs to. */
  block: number;
  /** The nearest heading or label above the unit inside the passage, and for table rows the header row. */
  context?: string;
}

export interface Range {
  start: number;
  end: number;
}

/** Abbreviations after which a period does not end a sentence. */
const ABBREVIATIONS = new Set(
  (
    "mr mrs ms dr prof profs sr jr st no nos nr vol vols fig figs art arts sec secs ch chap para paras cf vs approx ca " +
    "dept univ inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec al p pp ed eds rev gen col lt mt ft " +
    "govt est op viz resp incl min max dipl mag"
  ).split(/\s+/),
);

const CLOSERS = `)]}"'’”»」』）〕】`;
const JA_TERMINALS = "。！？!?";

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/**
 * Splits `text` into sentence ranges (trimmed, exact offsets into `text`). Does not split after
 * abbreviations (e.g., Prof., No.), dotted initialisms (U.S.), initials (J. Smith) or inside decimals.
 * Citation markers right after the end punctuation (`... end. [2]`) stay with their sentence, and a
 * marker group followed by a new capitalised sentence also ends a sentence (`... [1] Next ...`).
 */
export function splitSentences(text: string, base = 0): Range[] {
  const out: Range[] = [];
  let segStart = 0;
  const n = text.length;
  const push = (s: number, e: number) => {
    while (s < e && isSpace(text[s])) s++;
    while (e > s && isSpace(text[e - 1])) e--;
    if (e > s) out.push({ start: base + s, end: base + e });
  };
  const skipClosersAndMarkers = (j: number): number => {
    while (j < n && CLOSERS.includes(text[j]!)) j++;
    for (;;) {
      const m = /^\s*\[\d+(?:\s*[,;\u3001]\s*\d+)*\]/.exec(text.slice(j, j + 40));
      if (!m) break;
      j += m[0].length;
    }
    return j;
  };
  for (let i = 0; i < n; i++) {
    const ch = text[i]!;
    if (JA_TERMINALS.includes(ch) && (ch === "。" || ch === "！" || ch === "？")) {
      const j = skipClosersAndMarkers(i + 1);
      push(segStart, j);
      segStart = j;
      i = j - 1;
      continue;
    }
    if (ch === "[" && i > segStart) {
      // A marker group followed by whitespace and a capital letter ends a sentence without punctuation.
      const m = /^\[\d+(?:\s*[,;\u3001]\s*\d+)*\](?:\s*\[\d+(?:\s*[,;\u3001]\s*\d+)*\])*/.exec(text.slice(i, i + 60));
      if (m) {
        let j = i + m[0].length;
        while (j < n && CLOSERS.includes(text[j]!)) j++;
        let k = j;
        while (k < n && isSpace(text[k])) k++;
        if (k > j && k < n && /[\p{Lu}\d"“(]/u.test(text[k]!)) {
          push(segStart, j);
          segStart = j;
          i = j - 1;
        }
      }
      continue;
    }
    if (ch !== "." && ch !== "!" && ch !== "?") continue;
    const j = skipClosersAndMarkers(i + 1);
    if (j < n && !isSpace(text[j])) continue; // decimals, 3.0, e.g. (inner dot), URLs
    let k = j;
    while (k < n && isSpace(text[k])) k++;
    if (k < n) {
      const next = text[k]!;
      if (/\p{Ll}/u.test(next)) continue; // lowercase: sentence continues
      if (next === "," || next === ";" || next === ":" || next === ")") continue;
    }
    if (ch === ".") {
      const before = /([\p{L}\p{N}.]+)$/u.exec(text.slice(Math.max(0, i - 20), i));
      const w = before ? before[1]! : "";
      const lw = w.toLowerCase();
      if (ABBREVIATIONS.has(lw)) continue;
      if (/^(\p{L}\.)+\p{L}$/u.test(w)) continue; // U.S., e.g., i.e., Ph.D.
      if (/^\p{Lu}$/u.test(w) && k < n) continue; // an initial: J. Smith
      if (/^(e\.g|i\.e|etc\.al)$/i.test(w)) continue;
    }
    push(segStart, j);
    segStart = j;
    i = j - 1;
  }
  push(segStart, n);
  // A short parenthetical left on its own ("(18.6% response rate)") belongs to the sentence before it.
  for (let i = out.length - 1; i > 0; i--) {
    const r = out[i]!;
    const t = text.slice(r.start - base, r.end - base);
    if (/^\([^()]{1,40}\)[.。]?(?:\s*\[\d+(?:\s*[,;\u3001]\s*\d+)*\])*[.。]?$/.test(t) && out[i - 1]!.end <= r.start) {
      out[i - 1] = { start: out[i - 1]!.start, end: r.end };
      out.splice(i, 1);
    }
  }
  return out;
}

interface Line {
  start: number;
  end: number; // exclusive, without the newline
  text: string;
}

const HEADING_RE = /^\s{0,3}(#{1,6})\s+/;
const TABLE_SEPARATOR_RE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const MARKER_RE =
  /^(?:\s*(?:[•·▪●○◦‣⁃➤➢►▶→✓✔✗☐☑☒□■◆◇❖◎※]\s*|[-*+]\s+|(?:\d{1,3}|[a-zA-Z])[.)]\s+|\((?:\d{1,3}|[a-z]|[ivx]{1,4})\)\s+))+/;
const BLOCKQUOTE_RE = /^\s*>\s?/;

function isTableRow(line: string): boolean {
  const t = line.trim();
  if (!t) return false;
  if (/^\|.*\|/.test(t)) return true;
  if ((t.match(/ \| /g) ?? []).length >= 2) return true;
  return /\S\t|\t\S/.test(line) && line.replace(/\t/g, "").trim().length > 0;
}

function endsSentence(line: string): boolean {
  return /[.!?。！？:;)"”]\s*$/.test(line.trim()) && !/\b(e\.g|i\.e|prof|dr|no)\.\s*$/i.test(line.trim());
}

function isContinuation(prev: string, next: string): boolean {
  if (!next.trim()) return false;
  if (/^\s+\S/.test(next) && !MARKER_RE.test(next)) return true;
  if (endsSentence(prev)) return false;
  const first = next.trim()[0]!;
  if (/\p{Ll}/u.test(first)) return true;
  if (/[,\-–(]\s*$/.test(prev) || /\b(and|or|the|of|a|an|to|in|for|with|by)\s*$/i.test(prev)) return true;
  return false;
}

function wordCount(s: string): number {
  return (s.trim().match(/\S+/g) ?? []).length;
}

/**
 * Segments a passage into units. Headings (`#`), table rows (tabs or `|` cells) and list items
 * (`- `, `• `, `1. `, `(1) `, `➤`, `✓`, `☐`, `□`, `❖`, ...) are recognised line by line; paragraphs and list
 * items are split into sentences (English and Japanese); a run of short lines without punctuation
 * (a list without markers) is kept together as one unit.
 */
export function segmentPassage(text: string): Unit[] {
  return cachedSegments(text);
}

const cachedSegments = memoizeByString((text) => Object.freeze(computeSegments(text)) as Unit[], 5000);

function computeSegments(text: string): Unit[] {
  const lines: Line[] = [];
  {
    let pos = 0;
    for (const raw of text.split("\n")) {
      let end = pos + raw.length;
      if (raw.endsWith("\r")) end -= 1;
      lines.push({ start: pos, end, text: text.slice(pos, end) });
      pos += raw.length + 1;
    }
  }

  interface Block {
    kind: "heading" | "table-row" | "list-item" | "para";
    start: number; // content start (after markers)
    end: number;
    lineCount: number;
    adjacentToPrev: boolean; // no blank line between this block and the previous one
  }
  const blocks: Block[] = [];
  let lastWasBlank = true;
  for (const line of lines) {
    const t = line.text;
    if (!t.trim()) {
      lastWasBlank = true;
      continue;
    }
    const prev = blocks[blocks.length - 1];
    const adjacent = !lastWasBlank;
    lastWasBlank = false;
    const h = HEADING_RE.exec(t);
    if (h) {
      let s = line.start + h[0].length;
      let e = line.end;
      const trail = /\s*#*\s*$/.exec(text.slice(s, e));
      if (trail && trail[0].length < e - s) e -= trail[0].length;
      blocks.push({ kind: "heading", start: s, end: e, lineCount: 1, adjacentToPrev: adjacent });
      continue;
    }
    if (TABLE_SEPARATOR_RE.test(t) && t.includes("-")) continue;
    if (isTableRow(t)) {
      let s = line.start;
      let e = line.end;
      while (s < e && /[\s|]/.test(text[s]!)) s++;
      while (e > s && /[\s|]/.test(text[e - 1]!)) e--;
      if (e > s) blocks.push({ kind: "table-row", start: s, end: e, lineCount: 1, adjacentToPrev: adjacent });
      continue;
    }
    const bq = BLOCKQUOTE_RE.exec(t);
    const afterQuote = bq ? bq[0].length : 0;
    const mk = MARKER_RE.exec(t.slice(afterQuote));
    const prevLine = text.slice(prev ? prev.start : 0, prev ? prev.end : 0).split("\n").pop() ?? "";
    if (!mk && prev && adjacent && (prev.kind === "para" || prev.kind === "list-item") && isContinuation(prevLine, t.slice(afterQuote))) {
      prev.end = line.end;
      prev.lineCount++;
      continue;
    }
    let s = line.start + afterQuote + (mk ? mk[0].length : 0);
    let e = line.end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e <= s) continue;
    blocks.push({ kind: mk ? "list-item" : "para", start: s, end: e, lineCount: 1, adjacentToPrev: adjacent });
  }
  // Trim trailing whitespace of multi-line blocks.
  for (const b of blocks) {
    while (b.end > b.start && /\s/.test(text[b.end - 1]!)) b.end--;
  }

  const units: Unit[] = [];
  let heading: string | undefined;
  let tableHeader: string | undefined;
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi]!;
    const btext = text.slice(b.start, b.end);
    if (b.kind !== "table-row") tableHeader = undefined;
    if (b.kind === "heading") {
      units.push({ text: btext, start: b.start, end: b.end, kind: "heading", block: bi, context: heading });
      heading = btext;
      continue;
    }
    if (b.kind === "table-row") {
      const prevBlock = blocks[bi - 1];
      const isFirstRow = !prevBlock || prevBlock.kind !== "table-row" || !b.adjacentToPrev;
      const context = [heading, isFirstRow ? undefined : tableHeader].filter(Boolean).join(" / ") || undefined;
      units.push({ text: btext, start: b.start, end: b.end, kind: "table-row", block: bi, context });
      if (isFirstRow) tableHeader = btext;
      continue;
    }
    const next = blocks[bi + 1];
    // A short line without end punctuation, directly followed by text: a label acting as a heading.
    if (
      b.kind === "para" &&
      b.lineCount === 1 &&
      wordCount(btext) <= 8 &&
      !endsSentence(btext) &&
      !/\d/.test(btext) &&
      next &&
      next.adjacentToPrev &&
      next.kind !== "table-row" &&
      (next.end - next.start > 90 || endsSentence(text.slice(next.start, next.end)))
    ) {
      units.push({ text: btext, start: b.start, end: b.end, kind: "heading", block: bi, context: heading });
      heading = btext;
      continue;
    }
    // A run of short unpunctuated single lines (a list without markers) stays together.
    if (b.kind === "para" && b.lineCount === 1 && isShortLine(btext)) {
      let last = bi;
      while (
        last + 1 < blocks.length &&
        blocks[last + 1]!.kind === "para" &&
        blocks[last + 1]!.adjacentToPrev &&
        blocks[last + 1]!.lineCount === 1 &&
        isShortLine(text.slice(blocks[last + 1]!.start, blocks[last + 1]!.end))
      ) {
        last++;
      }
      if (last > bi) {
        const end = blocks[last]!.end;
        units.push({ text: text.slice(b.start, end), start: b.start, end, kind: "lines", block: bi, context: heading });
        bi = last;
        continue;
      }
    }
    const kind: UnitKind = b.kind === "list-item" ? "list-item" : "sentence";
    const ranges = splitSentences(btext, b.start);
    for (const r of ranges) {
      units.push({ text: text.slice(r.start, r.end), start: r.start, end: r.end, kind, block: bi, context: heading });
    }
  }
  return units;
}

function isShortLine(s: string): boolean {
  return s.length <= 80 && !/[.!?。！？]\s*$/.test(s.trim());
}
