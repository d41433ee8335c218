/**
 * Text helpers shared by the practice module: normalisation for concept matching and
 * whitespace-tolerant quote lookup. Pure TypeScript (runs on Node and Workers).
 */

/** NFKC (full-width letters and digits become ASCII), lower case, one kind of quote and dash, single spaces. */
export function normaliseText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/gu, " ")
    .trim();
}

/**
 * Collapses every run of white space to one space and records, for each character of the
 * collapsed text, its offset in the original text (one extra entry marks the end).
 */
export function collapseWhitespace(text: string): { text: string; offsets: number[] } {
  let out = "";
  const offsets: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (/\s/u.test(ch)) {
      if (!inSpace) {
        out += " ";
        offsets.push(i);
        inSpace = true;
      }
    } else {
      out += ch;
      offsets.push(i);
      inSpace = false;
    }
  }
  offsets.push(text.length);
  return { text: out, offsets };
}

/**
 * Finds `quote` in `body` exactly, except that runs of white space on either side need only
 * correspond to some white space on the other. Returns offsets into the original `body`
 * (the match starts and ends on non-space characters), or undefined.
 */
export function findQuote(body: string, quote: string): { start: number; end: number } | undefined {
  const needle = quote.replace(/\s+/gu, " ").trim();
  if (!needle) return undefined;
  const direct = body.indexOf(needle);
  if (direct >= 0) return { start: direct, end: direct + needle.length };
  const hay = collapseWhitespace(body);
  const at = hay.text.indexOf(needle);
  if (at < 0) return undefined;
  const start = hay.offsets[at] as number;
  const lastChar = hay.offsets[at + needle.length - 1] as number;
  return { start, end: lastChar + 1 };
}

/**
 * Strips YAML front matter (a first line `---` up to the next line `---`) and returns the body
 * and the raw front matter. Text without front matter is returned whole.
 */
export function splitFrontMatter(text: string): { frontMatter?: string; body: string } {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const m = /^---[ \t]*\r?\n/.exec(src);
  if (!m) return { body: src };
  const rest = src.slice(m[0].length);
  const close = /^---[ \t]*(?:\r?\n|$)/m.exec(rest);
  if (!close) return { body: src };
  return { frontMatter: rest.slice(0, close.index), body: rest.slice(close.index + close[0].length) };
}

/** Rounds to two decimals (scores are shown with at most two). */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
