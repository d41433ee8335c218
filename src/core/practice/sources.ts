/**
 * Resolves the sources a scenario (or a training path's reading) cites to corpus documents,
 * character offsets in the document body and, when chunks are given, the chunks covering them.
 * A quote must occur exactly in the body, except that runs of white space may differ.
 */
import type { Problem } from "../../ports.js";
import { findQuote } from "./text.js";

export interface CorpusDoc {
  id: string;
  /** The document body: the file text after its front matter. */
  body: string;
}

export interface ChunkRef {
  id: string;
  documentId: string;
  start: number;
  end: number;
}

export interface ResolvedSource {
  index: number;
  key?: string;
  doc: string;
  quote: string;
  /** Offsets of the quote in the document body: `body.slice(start, end)`. */
  start: number;
  end: number;
  /** Chunks overlapping the quote, in document order (only when chunks were given). */
  chunkIds?: string[];
}

export interface CitedSource {
  doc: string;
  quote: string;
  key?: string;
}

export interface ResolveOptions {
  chunks?: readonly ChunkRef[];
  /** File path used in problems. */
  path?: string;
  /** Field name used in problems (default `sources`). */
  field?: string;
}

/** Indexes documents and chunks once for many resolutions. */
export class SourceResolver {
  private readonly docs = new Map<string, CorpusDoc>();
  private readonly chunksByDoc = new Map<string, ChunkRef[]>();
  private readonly withChunks: boolean;

  constructor(docs: readonly CorpusDoc[], chunks?: readonly ChunkRef[]) {
    for (const d of docs) this.docs.set(d.id, d);
    if (chunks) {
      for (const c of chunks) {
        const list = this.chunksByDoc.get(c.documentId) ?? [];
        list.push(c);
        this.chunksByDoc.set(c.documentId, list);
      }
      for (const list of this.chunksByDoc.values()) list.sort((a, b) => a.start - b.start);
    }
    this.withChunks = chunks !== undefined;
  }

  hasDocument(id: string): boolean {
    return this.docs.has(id);
  }

  resolve(sources: readonly CitedSource[], path = "", field = "sources"): { resolved: ResolvedSource[]; problems: Problem[] } {
    const resolved: ResolvedSource[] = [];
    const problems: Problem[] = [];
    sources.forEach((src, index) => {
      const doc = this.docs.get(src.doc);
      const f = `${field}[${index}]`;
      if (!doc) {
        problems.push({ path, field: `${f}.doc`, message: `source ${index}: unknown document "${src.doc}"` });
        return;
      }
      const at = findQuote(doc.body, src.quote);
      if (!at) {
        const preview = src.quote.length > 60 ? `${src.quote.slice(0, 57)}...` : src.quote;
        problems.push({ path, field: `${f}.quote`, message: `source ${index}: quote not found in document "${src.doc}": ${JSON.stringify(preview)}` });
        return;
      }
      const r: ResolvedSource = { index, doc: src.doc, quote: src.quote, start: at.start, end: at.end };
      if (src.key !== undefined) r.key = src.key;
      if (this.withChunks) {
        r.chunkIds = (this.chunksByDoc.get(src.doc) ?? []).filter((c) => c.start < at.end && c.end > at.start).map((c) => c.id);
      }
      resolved.push(r);
    });
    return { resolved, problems };
  }
}

/**
 * Resolves every source of a scenario. `problems` names the file (`path`), the source index and
 * the document id; `resolved` holds the sources that were found.
 */
export function resolveSources(
  scenario: { sources: readonly CitedSource[] },
  docs: readonly CorpusDoc[],
  options: ResolveOptions = {},
): { resolved: ResolvedSource[]; problems: Problem[] } {
  return new SourceResolver(docs, options.chunks).resolve(scenario.sources, options.path ?? "", options.field ?? "sources");
}
