/**
 * The session a launch opens. LMS iframes often block third-party cookies, so the session travels
 * as a short-lived signed token in the URL or page (`?session=`, `Authorization: Bearer`, or the
 * `x-fce-session` header). It is the app's ordinary session token (src/routes/session.ts, HS256 with
 * `deps.sessionSecret`), so practice and ask routes accept it as they are; the LTI launch context
 * rides in its `ctx` claim.
 */
import type { AppDeps } from "../../app.js";
import { signSession, verifySession } from "../../routes/session.js";
import { LtiError } from "./util.js";

export type LtiRole = "instructor" | "learner";

/** Where a session was launched from: enough to report grades and to call the course's services. */
export interface LtiLaunchContext {
  issuer: string;
  clientId: string;
  deploymentId: string;
  contextId: string;
  resourceLinkId: string;
  moduleId?: string;
  lineItemUrl?: string;
  agsScope?: string[];
  nrpsUrl?: string;
  /** The stored launch (lti_sessions.id), used by deep linking. */
  ltiSessionId: string;
  messageType: "LtiResourceLinkRequest" | "LtiDeepLinkingRequest";
}

export interface LtiSessionClaims {
  learnerId: string;
  role: LtiRole;
  context: LtiLaunchContext;
}

type SessionDeps = Pick<AppDeps, "clock" | "sessionSecret">;

export async function signLtiSessionToken(deps: SessionDeps, claims: LtiSessionClaims, ttlSeconds: number): Promise<string> {
  if (!deps.sessionSecret) throw new Error("sessionSecret is not configured (FCE_SESSION_SECRET or the generated one)");
  return signSession(deps as AppDeps, { learnerId: claims.learnerId, role: claims.role, context: { channel: "lti", ...claims.context } }, ttlSeconds);
}

/**
 * Verifies a session token given after an LTI launch. Throws a 401 LtiError when the token is
 * missing, forged, expired or not from an LTI launch.
 */
export async function verifySessionToken(deps: SessionDeps, token: string | undefined): Promise<LtiSessionClaims> {
  if (!token) throw new LtiError(401, "No session: open this activity from your LMS (the launch gives the page a session token)");
  if (!deps.sessionSecret) throw new Error("sessionSecret is not configured (FCE_SESSION_SECRET or the generated one)");
  const claims = await verifySession(deps as AppDeps, token);
  if (!claims) throw new LtiError(401, "Invalid or expired session token: open the activity again from your LMS");
  const ctx = claims.context as (Partial<LtiLaunchContext> & { channel?: string }) | undefined;
  if (!ctx || ctx.channel !== "lti" || typeof ctx.issuer !== "string" || typeof ctx.deploymentId !== "string") {
    throw new LtiError(401, "This session was not opened by an LTI launch");
  }
  const { channel: _channel, ...context } = ctx;
  return { learnerId: claims.learnerId, role: claims.role === "instructor" ? "instructor" : "learner", context: context as LtiLaunchContext };
}
