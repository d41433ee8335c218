import { Hono } from "hono";
import type { AppDeps } from "../app.js";
import { HttpError } from "./http-error.js";

export function sourceRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/api/sources/:chunkId", (c) => {
    const id = c.req.param("chunkId");
    const found = deps.corpus().reader.getChunk(id);
    if (!found) throw new HttpError(404, `Unknown passage id "${id}"`);
    const { chunk, document } = found;
    return c.json({
      id: chunk.id,
      documentId: chunk.documentId,
      position: chunk.position,
      headingPath: chunk.headingPath,
      text: chunk.text,
      start: chunk.start,
      end: chunk.end,
      document: {
        id: document.id,
        title: document.title,
        publisher: document.publisher ?? null,
        date: document.date ?? null,
        language: document.language,
        url: document.url ?? null,
        kind: document.kind,
        sources: document.sources ?? [],
      },
    });
  });
  return app;
}
