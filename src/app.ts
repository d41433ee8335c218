/**
 * createApp(deps): the Hono app with every route, used by the Node server, the Worker and the tests.
 * It only sees ports; runtime-specific code stays under src/adapters.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppDatabase } from "./db/types.js";
import type { ChatModel, Clock, CorpusReader, Problem, Retriever } from "./ports.js";
import type { LtiOptions, MaybePromise, ModuleSummary, RosterProgress } from "./channels/lti/ports.js";
import { ltiRoutes } from "./channels/lti/routes.js";
import { askRoutes } from "./routes/ask.js";
import { csrfProtection, rateLimits, securityHeaders, sizeLimits, type RateLimits } from "./routes/guards.js";
import { healthRoutes } from "./routes/health.js";
import { HttpError } from "./routes/http-error.js";
import { searchRoutes } from "./routes/search.js";
import { meRoutes } from "./routes/me.js";
import { sessionRoutes } from "./routes/session-routes.js";
import { practiceRoutes } from "./routes/practice.js";
import type { LlmRubricGrader, ModuleCompletedHook, PracticeBank } from "./services/practice.js";
import { sourceRoutes } from "./routes/sources.js";
import { badgeRoutes } from "./routes/badges/routes.js";
import { webRoutes } from "./web/routes.js";
import { workshopRoutes } from "./workshop/routes.js";

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
  /** Issuer of the micro-credentials (Open Badges): name and home page; defaults "FCE Coach" and publicUrl. */
  badgeIssuer?: { name?: string; url?: string };
  /** Optional chat model for the LLM answerer (extractive answers when absent). */
  chatModel?: ChatModel;
  llmTimeoutMs?: number;
  /** HS256 secret for session tokens (generated and kept in the database when not configured). */
  sessionSecret?: string;
  /** Per-identity request limits (defaults in routes/guards.ts). */
  rateLimits?: Partial<RateLimits>;
  /** Trust `X-Forwarded-For` for the client address (only behind a proxy you run). */
  trustProxy?: boolean;
  /** Origins allowed to frame the pages (the registered LMS platforms). */
  frameAncestors?: () => Promise<string[]>;
  /** Days stored questions are kept (the purge job deletes older ones); default 90. */
  retentionDays?: number;
  /** Masks applicants' personal data in text before it is stored or logged. */
  maskPersonalData?: (text: string) => string;
  /** The practice scenario bank loaded at startup (a getter: the runtime may reload it). */
  practice?: () => PracticeBank;
  /** Optional LLM rubric grader for practice answers (deterministic rubric grading when absent). */
  practiceGrader?: LlmRubricGrader;
  /** Called once per learner and module when a training-path module is first completed (LTI, badges). */
  onModuleCompleted?: ModuleCompletedHook | ModuleCompletedHook[];
  /** Slack's HTTP endpoint (Bolt, see src/channels/slack/), mounted on POST /slack/events when set. */
  slack?: { handle(req: Request): Promise<Response> };
  /** Modules and case sets an instructor can place in a course through LTI deep linking (default: none). */
  listModules?: () => MaybePromise<ModuleSummary[]>;
  /** A learner's progress for the LTI instructor's roster (default: nothing shown). */
  progressFor?: (learnerId: string, moduleId?: string) => MaybePromise<RosterProgress | undefined>;
  /** LTI channel tuning (fetch, time-outs, outbox back-off); the defaults suit production. */
  lti?: LtiOptions;
}

export type AppEnv = { Variables: { deps: AppDeps } };

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", securityHeaders(deps));
  app.use("*", sizeLimits());
  app.use("*", csrfProtection(deps));
  app.use("*", rateLimits(deps));
  // The receiver reads the raw body itself (Slack signs the exact bytes) and checks the signature.
  if (deps.slack) {
    const slack = deps.slack;
    app.post("/slack/events", (c) => slack.handle(c.req.raw));
  }
  app.route("/", healthRoutes(deps));
  app.route("/", searchRoutes(deps));
  app.route("/", sourceRoutes(deps));
  app.route("/", askRoutes(deps));
  app.route("/", sessionRoutes(deps));
  app.route("/", meRoutes(deps));
  app.route("/", practiceRoutes(deps));
  app.route("/", webRoutes(deps));
  app.route("/", badgeRoutes(deps));
  app.route("/", workshopRoutes(deps));
  app.route("/", ltiRoutes(deps));

  app.notFound((c) => c.json({ error: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, ...(err.details ?? {}) }, err.status);
    if (err instanceof HTTPException) return c.json({ error: err.message || "Bad request" }, err.status);
    console.error(`[${deps.clock.now().toISOString()}] ${c.req.method} ${c.req.path} failed:`, err);
    return c.json({ error: "Internal error: the request could not be completed." }, 500);
  });
  return app;
}
