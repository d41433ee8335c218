import type { Context } from "hono";
import type { AppDeps } from "../app.js";
import { HttpError } from "./http-error.js";
import { currentSession } from "./session.js";

/** Constant-time string comparison (no early exit on the first differing character). */
export function safeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** True when the request carries the admin token (`Authorization: Bearer <FCE_ADMIN_TOKEN>`). */
export function hasAdminToken(deps: AppDeps, c: Context): boolean {
  const token = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
  return !!token && !!deps.adminToken && safeEqual(token, deps.adminToken);
}

/**
 * Admin routes: the admin token, or a session of an admin account. 401 with neither, 403 for a wrong
 * token or a non-admin session.
 */
export async function requireAdmin(deps: AppDeps, c: Context): Promise<void> {
  if (hasAdminToken(deps, c)) return;
  const session = await currentSession(deps, c);
  if (session?.learner.role === "admin") return;
  const header = c.req.header("authorization") ?? "";
  if (session) throw new HttpError(403, "Admins only");
  if (!/^Bearer\s+\S/i.test(header)) throw new HttpError(401, "Admin token required: send Authorization: Bearer <FCE_ADMIN_TOKEN>");
  if (!deps.adminToken) throw new HttpError(403, "Admin routes are disabled: FCE_ADMIN_TOKEN is not set");
  throw new HttpError(403, "Wrong admin token");
}

/**
 * Facilitator routes (workshops, course results): the admin token, an admin or facilitator account,
 * or an LMS instructor's launch session (role claim "instructor").
 */
export async function requireFacilitator(deps: AppDeps, c: Context): Promise<{ learnerId?: string }> {
  if (hasAdminToken(deps, c)) return {};
  const session = await currentSession(deps, c);
  if (session && (["admin", "facilitator", "instructor"].includes(session.learner.role) || ["admin", "facilitator", "instructor"].includes(session.role))) {
    return { learnerId: session.learner.id };
  }
  if (session) throw new HttpError(403, "Facilitators only");
  throw new HttpError(401, "Facilitator sign-in required: the admin token, a facilitator account, or an LMS instructor launch");
}
