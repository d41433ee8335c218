/**
 * createApp(deps): the Hono app with every route, used by the Node server, the Worker and the tests.
 * It only sees ports; runtime-specific code stays under src/adapters.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDatabase } from "./db/types.js";
import type { ChatModel, Clock, CorpusReader, Problem, Retriever } from "./ports.js";
import { askRoutes } from "./routes/ask.js";
import { healthRoutes } from "./routes/health.js";
import { HttpError } from "./routes/http-error.js";
import { searchRoutes } from "./routes/search.js";
import { sessionRoutes } from "./routes/session-routes.js";
import { sourceRoutes } from "./routes/sources.js";

/** The live corpus index. A getter, because a re-ingest swaps it while the server runs. */
export interface CorpusPort {
  retriever: Retriever;
  reader: CorpusReader;
}

export interface AppDeps {
  corpus: () => CorpusPort;
  /** The database (better-sqlite3 on Node, D1 on Workers) through drizzle. */
  db: AppDatabase;
  clock: Clock;
  /** Data problems found at load time (broken corpus or scenario files), listed by /healthz. */
  problems: () => Problem[];
  /** Base URL for links (citations, Slack, LTI); defaults to the request's origin. */
  publicUrl?: string;
  /** Bearer token for admin routes; admin routes answer 403 when unset. */
  adminToken?: string;
  /** Optional chat model for the LLM answerer (extractive answers when absent). */
  chatModel?: ChatModel;
  llmTimeoutMs?: number;
  /** HS256 secret for session tokens (generated and kept in the database when not configured). */
  sessionSecret?: string;
  /** Masks applicants' personal data in text before it is stored or logged. */
  maskPersonalData?: (text: string) => string;
}

export type AppEnv = { Variables: { deps: AppDeps } };

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.route("/", healthRoutes(deps));
  app.route("/", searchRoutes(deps));
  app.route("/", sourceRoutes(deps));
  app.route("/", askRoutes(deps));
  app.route("/", sessionRoutes(deps));

  app.notFound((c) => c.json({ error: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, ...(err.details ?? {}) }, err.status);
    if (err instanceof HTTPException) return c.json({ error: err.message || "Bad request" }, err.status);
    console.error(`[${deps.clock.now().toISOString()}] ${c.req.method} ${c.req.path} failed:`, err);
    return c.json({ error: "Internal error: the request could not be completed." }, 500);
  });
  return app;
}
