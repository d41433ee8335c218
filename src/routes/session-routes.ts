import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { parseOr400, readJson } from "./http-error.js";
import { currentSession, startWebSession } from "./session.js";

const startBody = z.object({
  displayName: z.string({ error: "is required (the name shown to facilitators)" }).trim().min(1, "must not be empty").max(80, "must be at most 80 characters"),
});

export function sessionRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  /** Start a web session: a new learner with a display name (no account). */
  app.post("/api/session", async (c) => {
    const { displayName } = parseOr400(startBody, await readJson(c.req), "body");
    const { token, learner } = await startWebSession(deps, c, displayName);
    return c.json({ token, learner }, 201);
  });
  app.get("/api/session", async (c) => {
    const session = await currentSession(deps, c);
    if (!session) return c.json({ learner: null });
    return c.json({ learner: session.learner, role: session.role });
  });
  return app;
}
