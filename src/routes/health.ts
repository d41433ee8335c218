import { Hono } from "hono";
import type { AppDeps } from "../app.js";

export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => {
    const { documents, chunks } = deps.corpus().reader.stats();
    const problems = deps.problems();
    return c.json({ status: "ok", documents, chunks, ...(problems.length ? { problems } : {}) });
  });
  return app;
}
