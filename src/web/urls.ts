/**
 * Links of the web pages. Pure TypeScript (Node and Workers).
 *
 * `sourceUrl` is the link every citation carries: the source viewer at the cited passage, e.g.
 * `/sources/red-flags?chunk=red-flags%232-1a2b#red-flags%232-1a2b`. The fragment is the chunk id, which
 * is also the id of the `<mark>` around the passage, so the browser scrolls to it.
 */
import type { Lang } from "./i18n.js";

/** Offsets of a quote inside the chunk text (`chunk.text.slice(start, end)`). */
export interface QuoteRange {
  start: number;
  end: number;
}

/**
 * Root-relative URL of the source viewer at a passage. With `quote`, the quoted part of the passage is
 * emphasised inside the highlight (`&q=start-end`, offsets relative to the chunk text). With `base`
 * (e.g. the public URL `https://fce.example.ac.jp`), an absolute URL.
 */
export function sourceUrl(chunkId: string, documentId: string, options: { quote?: QuoteRange; base?: string; lang?: Lang } = {}): string {
  const params = new URLSearchParams({ chunk: chunkId });
  const { quote } = options;
  if (quote && Number.isInteger(quote.start) && Number.isInteger(quote.end) && quote.start >= 0 && quote.end > quote.start) {
    params.set("q", `${quote.start}-${quote.end}`);
  }
  if (options.lang) params.set("lang", options.lang);
  const path = `/sources/${encodeURIComponent(documentId)}?${params.toString()}#${encodeURIComponent(chunkId)}`;
  return options.base ? options.base.replace(/\/+$/, "") + path : path;
}

/** The `q=start-end` parameter of `sourceUrl`, or undefined when absent or malformed. */
export function parseQuoteRange(value: string | undefined | null): QuoteRange | undefined {
  const m = value ? /^(\d{1,7})-(\d{1,7})$/.exec(value) : null;
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return end > start ? { start, end } : undefined;
}

/**
 * A page link that keeps the interface language: `withLang("practice", "ja")` is `practice?lang=ja`.
 * Keeps an existing query and fragment.
 */
export function withLang(href: string, lang: Lang): string {
  const hashAt = href.indexOf("#");
  const hash = hashAt >= 0 ? href.slice(hashAt) : "";
  const base = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const [path = "", query = ""] = base.split("?", 2);
  const params = new URLSearchParams(query);
  params.set("lang", lang);
  return `${path}?${params.toString()}${hash}`;
}

/**
 * The relative prefix from a page back to the app's root, so that pages work when the app is served
 * under a path prefix (a reverse proxy or an LMS tool URL): `/` -> `./`, `/sources/x` -> `../`.
 */
export function rootPrefix(pathname: string): string {
  const depth = pathname.split("/").length - 2;
  return depth <= 0 ? "./" : "../".repeat(depth);
}
