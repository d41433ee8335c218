import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import type { Passage } from "../core/types.js";
import { parseOr400 } from "./http-error.js";

export const MAX_QUERY_CHARS = 2000;

const searchQuery = z.object({
  q: z
    .string({ error: "is required (the search text)" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`),
  k: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(50, "must be at most 50").default(5),
  mode: z.enum(["hybrid", "bm25", "vector"]).default("hybrid"),
});

export function passageJson(p: Passage) {
  return {
    id: p.chunk.id,
    documentId: p.chunk.documentId,
    title: p.document.title,
    date: p.document.date ?? null,
    headingPath: p.chunk.headingPath,
    text: p.chunk.text,
    start: p.chunk.start,
    end: p.chunk.end,
    score: Math.round(p.score * 1e6) / 1e6,
  };
}

export function searchRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/api/search", async (c) => {
    const { q, k, mode } = parseOr400(searchQuery, c.req.query(), "query");
    const passages = await deps.corpus().retriever.search(q, { k, mode });
    return c.json({ query: q, mode, results: passages.map(passageJson) });
  });
  return app;
}
