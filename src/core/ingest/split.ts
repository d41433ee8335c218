/**
 * Structure-aware splitting: a document is cut into sections at its Markdown headings (the heading
 * path is kept as metadata), and a long section is cut at paragraph, then line (table row), then
 * sentence boundaries by LangChain's RecursiveCharacterTextSplitter. Every chunk is an exact slice of
 * the body, so its character offsets locate the quoted passage in the source viewer.
 */
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import type { Chunk } from "../types.js";
import { hash64 } from "../util/hash.js";

export interface SplitOptions {
  /** Target maximum characters per chunk. */
  chunkSize: number;
  chunkOverlap: number;
  /** Sections shorter than this are merged into the next section under the same parent heading. */
  minChunkChars: number;
}

export const DEFAULT_SPLIT: SplitOptions = { chunkSize: 700, chunkOverlap: 0, minChunkChars: 120 };

interface Section {
  headingPath: string[];
  start: number;
  end: number;
}

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/;

/** Sections of the body between headings; heading lines themselves belong to no section. */
export function sections(body: string): Section[] {
  const out: Section[] = [];
  const stack: Array<{ level: number; title: string }> = [];
  let start = 0;
  let pos = 0;
  const push = (end: number) => {
    if (body.slice(start, end).trim()) out.push({ headingPath: stack.map((h) => h.title), start, end });
  };
  for (const line of body.split("\n")) {
    const m = HEADING.exec(line);
    if (m) {
      push(pos);
      const level = m[1]!.length;
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, title: m[2]!.replace(/\*\*/g, "").trim() });
      start = pos + line.length + 1;
    }
    pos += line.length + 1;
  }
  push(body.length);
  return out;
}

/** Trims white space off a [start, end) range of the body. */
function trimRange(body: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(body[start]!)) start++;
  while (end > start && /\s/.test(body[end - 1]!)) end--;
  return [start, end];
}

export function chunkId(documentId: string, position: number, text: string): string {
  return `${documentId}#${position}-${hash64(text).slice(0, 8)}`;
}

export async function splitDocument(documentId: string, body: string, options: SplitOptions = DEFAULT_SPLIT): Promise<Chunk[]> {
  const splitter = new RecursiveCharacterTextSplitter({
    chunkSize: options.chunkSize,
    chunkOverlap: options.chunkOverlap,
    separators: ["\n\n", "\n", "。", ". ", "; ", " ", ""],
    keepSeparator: true,
  });
  // Merge very short sections (a slide with one line) into the next one under the same parent,
  // so that a chunk has enough text to be found and quoted, while its heading path stays true.
  const merged: Section[] = [];
  for (const s of sections(body)) {
    const prev = merged[merged.length - 1];
    const [a, b] = prev ? trimRange(body, prev.start, prev.end) : [0, 0];
    if (
      prev &&
      b - a < options.minChunkChars &&
      s.start - prev.end < 400 &&
      sameParent(prev.headingPath, s.headingPath) &&
      s.end - prev.start <= options.chunkSize
    ) {
      prev.end = s.end;
      prev.headingPath = commonPrefix(prev.headingPath, s.headingPath);
      continue;
    }
    merged.push({ ...s });
  }

  const ranges: Array<{ headingPath: string[]; start: number; end: number }> = [];
  for (const section of merged) {
    const [start, end] = trimRange(body, section.start, section.end);
    if (end <= start) continue;
    const text = body.slice(start, end);
    if (text.length <= options.chunkSize) {
      ranges.push({ headingPath: section.headingPath, start, end });
      continue;
    }
    let cursor = start;
    for (const piece of await splitter.splitText(text)) {
      const at = body.indexOf(piece, Math.max(start, cursor - options.chunkOverlap - piece.length));
      if (at < 0 || at >= end) throw new Error(`splitter produced text not found in ${documentId} (offset ${cursor})`);
      const [a, b] = trimRange(body, at, at + piece.length);
      if (b > a) ranges.push({ headingPath: section.headingPath, start: a, end: b });
      cursor = at + piece.length;
    }
  }
  return ranges.map((r, position) => {
    const text = body.slice(r.start, r.end);
    return { id: chunkId(documentId, position, text), documentId, position, headingPath: r.headingPath, text, start: r.start, end: r.end, hash: hash64(text) };
  });
}

function sameParent(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  return a.slice(0, -1).join("\u0000") === b.slice(0, -1).join("\u0000") || a.join("\u0000") === b.slice(0, a.length).join("\u0000");
}

function commonPrefix(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) out.push(a[i]!);
  return out.length ? out : a;
}
