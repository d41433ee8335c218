/**
 * Practice API: scenarios (authored and generated), graded attempts, learner progress, training paths.
 * The learner always comes from the signed session (see session.ts), never from the body.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { GENERATED_TYPES, SCENARIO_TYPES, SKILLS, type GeneratedType } from "../core/practice/index.js";
import { getLearner } from "../db/learners.js";
import { attemptDetail, findScenario, generatedScenario, getPath, listPaths, listScenarios, progressFor, publicScenario, submitAttempt } from "../services/practice.js";
import { hasAdminToken } from "./admin-auth.js";
import { HttpError, parseOr400, readJson } from "./http-error.js";
import { currentSession, resolveLearner } from "./session.js";

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (iss) => `must be one of ${values.join(", ")} (got ${JSON.stringify(iss.input)})` });

const listQuery = z.object({
  type: oneOf(SCENARIO_TYPES).optional(),
  skill: oneOf(SKILLS).optional(),
  difficulty: z
    .string()
    .regex(/^[123]$/, { error: "must be 1, 2 or 3" })
    .transform(Number)
    .optional(),
});

const MAX_SEED = 0xffffffff;
const generatedQuery = z.object({
  type: z.enum(GENERATED_TYPES as unknown as [GeneratedType, ...GeneratedType[]], {
    error: (iss) => (iss.input === undefined ? `is required (${GENERATED_TYPES.join(" or ")})` : `must be ${GENERATED_TYPES.join(" or ")} (got ${JSON.stringify(iss.input)})`),
  }),
  seed: z
    .string()
    .regex(/^\d{1,10}$/, { error: `must be a whole number from 0 to ${MAX_SEED}` })
    .transform(Number)
    .refine((n) => n <= MAX_SEED, { error: `must be a whole number from 0 to ${MAX_SEED}` })
    .optional(),
});

const attemptBody = z.object(
  {
    learnerId: z.string({ error: "must be a string" }).optional(),
    answer: z.record(z.string(), z.unknown(), { error: "is required (an object with the answer fields of this case type)" }),
    /** When the learner opened the case (ISO date-time), for time on task. */
    startedAt: z.iso.datetime({ offset: true, error: "must be an ISO date-time" }).optional(),
  },
  { error: "must be a JSON object" },
);

/** Query parameters as a plain object; a repeated parameter is a 400, not a silent pick. */
function queryOf(c: Context, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const all = c.req.queries(name) ?? [];
    if (all.length > 1) throw new HttpError(400, `Invalid query: ${name}: give it once`);
    const v = all[0];
    out[name] = v === undefined || v === "" ? undefined : v;
  }
  return out;
}

export function practiceRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.get("/api/scenarios", (c) => {
    const q = parseOr400(listQuery, queryOf(c, ["type", "skill", "difficulty"]), "query");
    return c.json(listScenarios(deps, q));
  });

  // Before `/api/scenarios/:id`, so that "generated" is not taken for an id.
  app.get("/api/scenarios/generated", (c) => {
    const q = parseOr400(generatedQuery, queryOf(c, ["type", "seed"]), "query");
    return c.json(generatedScenario(q.type, q.seed));
  });

  app.get("/api/scenarios/:id", (c) => c.json(publicScenario(findScenario(deps, c.req.param("id")))));

  app.post("/api/scenarios/:id/attempts", async (c) => {
    const raw = await readJson(c.req);
    const claimed = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>).learnerId : undefined;
    const learner = await resolveLearner(deps, c, typeof claimed === "string" ? claimed : undefined);
    const id = c.req.param("id");
    findScenario(deps, id); // 404 before 400: an unknown case is reported as such
    const body = parseOr400(attemptBody, raw, "body");
    const result = await submitAttempt(deps, { learnerId: learner.id, scenarioId: id, answer: body.answer, startedAt: body.startedAt ? new Date(body.startedAt) : undefined });
    return c.json(result);
  });

  app.get("/api/attempts/:id", async (c) => {
    const learner = await resolveLearner(deps, c);
    const detail = await attemptDetail(deps, learner.id, c.req.param("id"));
    if (!detail) throw new HttpError(404, `Unknown attempt "${c.req.param("id")}"`);
    return c.json(detail);
  });

  app.get("/api/learners/:id/progress", async (c) => {
    const id = c.req.param("id");
    if (!hasAdminToken(deps, c)) {
      const session = await currentSession(deps, c);
      if (!session) throw new HttpError(401, "No session: start one with POST /api/session {\"displayName\": \"...\"} and send its token");
      if (session.learner.id !== id) throw new HttpError(403, "Only the learner themself (or an admin) may read this progress");
    } else if (!(await getLearner(deps.db, id))) {
      throw new HttpError(404, `Unknown learner "${id}"`);
    }
    return c.json(await progressFor(deps, id));
  });

  app.get("/api/paths", (c) => c.json(listPaths(deps)));
  app.get("/api/paths/:id", (c) => c.json(getPath(deps, c.req.param("id"))));

  return app;
}
