/**
 * A learner's own data (export, delete, link code) and the admin's privacy and role controls.
 * Roles: learner routes need a session; admin routes need the admin token or an admin account.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { learners } from "../db/schema/index.js";
import { createLinkCode, deleteLearnerData, exportLearnerData, purgeExpiredQuestions } from "../services/privacy.js";
import { requireAdmin } from "./admin-auth.js";
import { HttpError, parseOr400, readJson } from "./http-error.js";
import { resolveLearner, SESSION_COOKIE } from "./session.js";

const roleBody = z.object({
  learnerId: z.string({ error: "is required" }).min(1),
  role: z.enum(["learner", "facilitator", "admin"], { error: "must be learner, facilitator or admin" }),
});

export function meRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  // role: learner (own data)
  app.get("/api/me/export", async (c) => {
    const learner = await resolveLearner(deps, c);
    const data = await exportLearnerData(deps, learner.id);
    c.header("content-disposition", `attachment; filename="fce-coach-${learner.id}.json"`);
    return c.json(data);
  });

  // role: learner (own data)
  app.delete("/api/me", async (c) => {
    const learner = await resolveLearner(deps, c);
    const deleted = await deleteLearnerData(deps, learner.id);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true, sameSite: "None", partitioned: true });
    return c.json({ deleted });
  });

  // role: learner (own data)
  app.post("/api/me/link-code", async (c) => {
    const learner = await resolveLearner(deps, c);
    const { code, expiresAt } = await createLinkCode(deps, learner.id);
    return c.json({ code, expiresAt: expiresAt.toISOString(), howTo: `Type /fce link ${code} in Slack, or open FCE Coach from your LMS with this code, within 10 minutes.` }, 201);
  });

  // role: admin
  app.post("/api/admin/roles", async (c) => {
    await requireAdmin(deps, c);
    const body = parseOr400(roleBody, await readJson(c.req), "body");
    const updated = await deps.db.update(learners).set({ role: body.role }).where(eq(learners.id, body.learnerId)).returning({ id: learners.id });
    if (!updated.length) throw new HttpError(404, `Unknown learner "${body.learnerId}"`);
    return c.json({ learnerId: body.learnerId, role: body.role });
  });

  // role: admin
  app.post("/api/admin/purge", async (c) => {
    await requireAdmin(deps, c);
    const purged = await purgeExpiredQuestions(deps, deps.retentionDays ?? 90);
    return c.json({ purged, retentionDays: deps.retentionDays ?? 90 });
  });

  return app;
}
