/**
 * Who is asking. A web learner gets a signed session token (HS256, `deps.sessionSecret`) when they
 * start with a display name. The token travels as a cookie (`SameSite=None; Secure; Partitioned`, so
 * it works inside an LMS iframe) or, where cookies are blocked, as `Authorization: Bearer <token>`,
 * an `x-fce-session` header or a `?session=` query parameter carried by the page.
 * APIs take the learner from the session, never from the request body.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { jwtVerify, SignJWT } from "jose";
import type { AppDeps } from "../app.js";
import { findOrCreateLearner, getLearner, newId, type Learner } from "../db/learners.js";
import { HttpError } from "./http-error.js";

export const SESSION_COOKIE = "fce_session";
const SESSION_TTL_SECONDS = 60 * 60 * 24 * 30;

export interface SessionClaims {
  learnerId: string;
  role: string;
  /** Extra context (e.g. the LTI launch: course, resource link, module). */
  context?: Record<string, unknown>;
}

function secretKey(deps: AppDeps): Uint8Array {
  if (!deps.sessionSecret) throw new Error("sessionSecret is not configured");
  return new TextEncoder().encode(deps.sessionSecret);
}

export async function signSession(deps: AppDeps, claims: SessionClaims, ttlSeconds = SESSION_TTL_SECONDS): Promise<string> {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  return new SignJWT({ role: claims.role, ...(claims.context ? { ctx: claims.context } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.learnerId)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .setAudience("fce-coach-session")
    .sign(secretKey(deps));
}

export async function verifySession(deps: AppDeps, token: string): Promise<SessionClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, secretKey(deps), {
      algorithms: ["HS256"],
      audience: "fce-coach-session",
      currentDate: deps.clock.now(),
    });
    if (typeof payload.sub !== "string") return undefined;
    return { learnerId: payload.sub, role: typeof payload.role === "string" ? payload.role : "learner", context: payload.ctx as Record<string, unknown> | undefined };
  } catch {
    return undefined;
  }
}

/**
 * The session token a request carries. What the page sends explicitly (a header, or `?session=` from
 * a fresh LMS launch) wins over the cookie, which may be left over from an earlier session.
 */
export function sessionToken(c: Context): string | undefined {
  const auth = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  return c.req.header("x-fce-session") ?? auth ?? c.req.query("session") ?? getCookie(c, SESSION_COOKIE) ?? undefined;
}

/** The signed-in learner, or undefined when the request carries no valid session. */
export async function currentSession(deps: AppDeps, c: Context): Promise<(SessionClaims & { learner: Learner }) | undefined> {
  const token = sessionToken(c);
  if (!token || !deps.sessionSecret) return undefined;
  const claims = await verifySession(deps, token);
  if (!claims) return undefined;
  const learner = await getLearner(deps.db, claims.learnerId);
  return learner ? { ...claims, learner } : undefined;
}

/**
 * The learner a learner-scoped API acts for: the session's. A `learnerId` in the body that differs
 * from the session is refused (403); without a session, a 401 says how to start one.
 */
export async function resolveLearner(deps: AppDeps, c: Context, bodyLearnerId?: string): Promise<Learner> {
  const session = await currentSession(deps, c);
  if (!session) throw new HttpError(401, "No session: start one with POST /api/session {\"displayName\": \"...\"} and send its token");
  if (bodyLearnerId !== undefined && bodyLearnerId !== session.learner.id) {
    throw new HttpError(403, "learnerId does not match the signed-in learner");
  }
  return session.learner;
}

/** Starts a web session for a new learner with a display name; sets the cookie and returns the token. */
export async function startWebSession(deps: AppDeps, c: Context, displayName: string): Promise<{ token: string; learner: Learner }> {
  const learner = await findOrCreateLearner(deps.db, "web", newId("web"), displayName, deps.clock.now());
  const token = await signSession(deps, { learnerId: learner.id, role: learner.role });
  setCookie(c, SESSION_COOKIE, token, { path: "/", httpOnly: true, secure: true, sameSite: "None", partitioned: true, maxAge: SESSION_TTL_SECONDS });
  return { token, learner };
}
