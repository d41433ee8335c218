/**
 * `[n]` citation markers: finding them, splitting an answer into sentences, and checking that every
 * sentence cites a listed source.
 */
import { splitSentences } from "./segment.js";

const MARKER_GROUP = /\[(\d+(?:\s*[,;\u3001]\s*\d+)*)\]/g;

/** The citation numbers in a text: `[1]`, `[2][3]` and `[1, 2]` forms. */
export function markersOf(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(MARKER_GROUP)) {
    for (const part of m[1]!.split(/[,;\u3001]/)) {
      const n = Number(part.trim());
      if (Number.isInteger(n)) out.push(n);
    }
  }
  return out;
}

/** Removes all `[n]` markers (and the space before them). */
export function stripMarkers(text: string): string {
  return text.replace(/\s*\[(\d+(?:\s*[,;\u3001]\s*\d+)*)\]/g, "").trim();
}

/** Rewrites marker numbers through `map`; numbers missing from the map are removed. */
export function renumberMarkers(text: string, map: Map<number, number>): string {
  return text.replace(/(\s*)\[(\d+(?:\s*[,;\u3001]\s*\d+)*)\]/g, (_all, space: string, inner: string) => {
    const nums = inner
      .split(/[,;\u3001]/)
      .map((p) => map.get(Number(p.trim())))
      .filter((n): n is number => n !== undefined);
    const unique = [...new Set(nums)];
    return unique.length ? `${space}${unique.map((n) => `[${n}]`).join("")}` : "";
  });
}

/** Sentences of an answer (markers after the end punctuation stay with their sentence). */
export function answerSentences(answer: string): string[] {
  const out: string[] = [];
  for (const line of answer.split(/\n+/)) {
    const body = line.replace(/^\s*(?:[-*•]\s+|\d{1,2}[.)]\s+)/, "");
    for (const r of splitSentences(body)) out.push(body.slice(r.start, r.end));
  }
  return out.filter((s) => /[\p{L}\p{N}]/u.test(stripMarkers(s)));
}

/**
 * Checks an answer against its citation list: every sentence must carry at least one marker, and every
 * marker must point at a listed citation. Returns the offending sentences (empty when all is well).
 */
export function uncitedSentences(answer: string, citationNumbers: Iterable<number>): string[] {
  const valid = new Set(citationNumbers);
  return answerSentences(answer).filter((s) => {
    const ms = markersOf(s);
    return ms.length === 0 || ms.some((n) => !valid.has(n));
  });
}
