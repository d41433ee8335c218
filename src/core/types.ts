/**
 * Shared data shapes of the core. Pure types: no runtime imports, usable on Node and Workers.
 */

/** Metadata of a source document, taken from its front matter. */
export interface DocumentMeta {
  id: string;
  title: string;
  publisher?: string;
  /** ISO date (YYYY, YYYY-MM or YYYY-MM-DD): shown beside every citation. */
  date?: string;
  language: string;
  url?: string;
  kind: string;
  /** Path relative to the corpus folder. */
  path: string;
  /** For cards: the documents and pages they were compiled from. */
  sources?: Array<{ id?: string; title?: string; url?: string }>;
}

/** A parsed source document: metadata plus the body text that citations quote. */
export interface SourceDocument extends DocumentMeta {
  body: string;
  /** Hash of the file's bytes: an unchanged hash means the document need not be re-embedded. */
  contentHash: string;
}

/** A passage of a document: the unit that is indexed, retrieved and cited. */
export interface Chunk {
  /** Stable id: `${documentId}#${position}-${hash}`. */
  id: string;
  documentId: string;
  position: number;
  /** Headings above the passage, outermost first. */
  headingPath: string[];
  /** Exact text of the passage: `body.slice(start, end)` of its document. */
  text: string;
  start: number;
  end: number;
  /** Hash of `text`. */
  hash: string;
}

export type SearchMode = "bm25" | "vector" | "hybrid";

/** A ranked passage returned by retrieval. */
export interface Passage {
  chunk: Chunk;
  document: DocumentMeta;
  score: number;
  /** Rank-level details for debugging and calibration. */
  signals: { bm25?: number; bm25Rank?: number; vector?: number; vectorRank?: number };
}
