/**
 * An in-memory CorpusReader over documents (with their bodies) and chunks: what the Node server builds
 * from SQLite and the Worker from its index artifact. Pure TypeScript.
 */
import type { CorpusReader } from "../ports.js";
import type { Chunk, DocumentMeta } from "./types.js";

export interface InMemoryCorpus {
  reader: CorpusReader;
  lookup: (chunkId: string) => { chunk: Chunk; document: DocumentMeta } | undefined;
}

/** Chunks are kept in the order given (by document and position); a chunk of an unknown document is skipped. */
export function inMemoryCorpus(documents: Iterable<DocumentMeta & { body: string }>, chunks: Iterable<Chunk>): InMemoryCorpus {
  const docs = new Map<string, { meta: DocumentMeta; body: string; chunks: Chunk[] }>();
  for (const { body, ...meta } of documents) docs.set(meta.id, { meta, body, chunks: [] });
  const chunkById = new Map<string, { chunk: Chunk; document: DocumentMeta }>();
  for (const chunk of chunks) {
    const doc = docs.get(chunk.documentId);
    if (!doc) continue;
    doc.chunks.push(chunk);
    chunkById.set(chunk.id, { chunk, document: doc.meta });
  }
  const reader: CorpusReader = {
    stats: () => ({ documents: docs.size, chunks: chunkById.size }),
    getChunk: (id) => chunkById.get(id),
    getDocument: (id) => {
      const d = docs.get(id);
      return d ? { document: d.meta, body: d.body, chunks: d.chunks } : undefined;
    },
    listDocuments: () => [...docs.values()].map((d) => d.meta),
  };
  return { reader, lookup: (id) => chunkById.get(id) };
}
