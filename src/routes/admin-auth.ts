import type { Context } from "hono";
import type { AppDeps } from "../app.js";
import { HttpError } from "./http-error.js";

/** Constant-time string comparison (no early exit on the first differing character). */
export function safeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** Admin routes: `Authorization: Bearer <FCE_ADMIN_TOKEN>`; 401 without a token, 403 with a wrong one or none configured. */
export function requireAdmin(deps: AppDeps, c: Context): void {
  const header = c.req.header("authorization") ?? "";
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  if (!token) throw new HttpError(401, "Admin token required: send Authorization: Bearer <FCE_ADMIN_TOKEN>");
  if (!deps.adminToken) throw new HttpError(403, "Admin routes are disabled: FCE_ADMIN_TOKEN is not set");
  if (!safeEqual(token, deps.adminToken)) throw new HttpError(403, "Wrong admin token");
}
