/**
 * Launch verification (LTI 1.3 Core §5.1.3, 1EdTech Security Framework §5.1.3) with jose, and the
 * session a verified launch opens. Nothing is written before every check has passed; the last check
 * consumes the nonce and state in one conditional UPDATE, so a replay loses even when concurrent.
 */
import type { LTI13JwtPayload } from "@lti-tool/core";
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { findOrCreateLearner, type Learner } from "../../db/learners.js";
import { ltiGradeLinks } from "../../db/schema/index.js";
import { CLAIM, launchClaimsSchema, MESSAGE_TYPES, SCOPE, displayNameOf, isInstructorRole, moduleIdOf, type LaunchClaims, type MessageType } from "./claims.js";
import type { LtiService } from "./service.js";
import { signLtiSessionToken, type LtiLaunchContext, type LtiRole } from "./session-token.js";
import type { PlatformRow } from "./storage.js";
import { LtiError, newLtiId } from "./util.js";

/** Allowed clock difference between us and the platform (seconds). */
const CLOCK_TOLERANCE_S = 60;

export interface VerifiedLaunch {
  platform: PlatformRow;
  claims: LaunchClaims;
  messageType: MessageType;
  deploymentId: string;
  roles: string[];
  role: LtiRole;
}

export async function verifyLaunch(svc: LtiService, form: Record<string, string | undefined>, now: Date): Promise<VerifiedLaunch> {
  if (form.error) {
    throw new LtiError(400, `The platform did not authenticate the launch: ${form.error}${form.error_description ? ` (${form.error_description})` : ""}`);
  }
  const idToken = form.id_token;
  const state = form.state;
  if (!idToken) throw new LtiError(400, "Launch is missing id_token");
  if (!state) throw new LtiError(400, "Launch is missing state");

  // 1. Read the token unverified, only to find the platform and its key.
  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(idToken);
    unverified = decodeJwt(idToken);
  } catch {
    throw new LtiError(400, "id_token is not a well-formed JWT");
  }
  if (header.alg !== "RS256") throw new LtiError(401, `id_token is signed with ${String(header.alg)}; LTI 1.3 requires RS256`);
  if (typeof unverified.iss !== "string" || !unverified.iss) throw new LtiError(401, "id_token has no iss claim");
  const candidates = await svc.storage.platformsByIssuer(unverified.iss);
  if (candidates.length === 0) throw new LtiError(401, `Unknown issuer "${unverified.iss}": this platform is not registered with FCE Coach`);
  const audiences = typeof unverified.aud === "string" ? [unverified.aud] : Array.isArray(unverified.aud) ? unverified.aud.filter((a): a is string => typeof a === "string") : [];
  if (audiences.length === 0) throw new LtiError(401, "id_token has no aud claim");
  const platform = candidates.find((p) => audiences.includes(p.clientId));
  if (!platform) throw new LtiError(401, `id_token aud (${audiences.join(", ")}) does not contain our client_id for issuer ${unverified.iss}`);

  // 2. Signature (platform JWKS; an unknown kid triggers a refetch), iss and exp/nbf.
  const key = await svc.platformKeys.key(platform.jwksUrl, header.kid, svc.deps.clock.now().getTime());
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, key, {
      algorithms: ["RS256"],
      issuer: platform.issuer,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["iss", "aud", "exp", "iat", "nonce", "sub"],
    }));
  } catch (e) {
    throw new LtiError(401, verifyFailure(e));
  }

  // 3. aud / azp (Security Framework §5.1.3 steps 3-5).
  const aud = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
  if (!aud.includes(platform.clientId)) throw new LtiError(401, "id_token aud does not contain our client_id");
  const azp = payload["azp"];
  if (aud.length > 1 && azp === undefined) throw new LtiError(401, "id_token has several audiences but no azp claim");
  if (azp !== undefined && azp !== platform.clientId) throw new LtiError(401, `id_token azp "${String(azp)}" is not our client_id`);
  const iat = payload.iat!;
  if (iat > now.getTime() / 1000 + CLOCK_TOLERANCE_S) throw new LtiError(401, "id_token iat is in the future");

  // 4. Nonce and state: issued by our /lti/login, for this platform, not used, not expired.
  const nonce = payload["nonce"];
  if (typeof nonce !== "string" || !nonce) throw new LtiError(401, "id_token has no nonce");
  const login = await svc.storage.loginRequest(nonce);
  if (!login || !login.state) throw new LtiError(401, "id_token nonce was not issued by this tool: start the launch from the LMS");
  if (login.usedAt) throw new LtiError(401, "id_token nonce has already been used: this launch was replayed");
  if (login.expiresAt.getTime() <= now.getTime()) throw new LtiError(401, "The login has expired: open the activity again from the LMS");
  if (login.state !== state) throw new LtiError(401, "state does not match the login this id_token answers");
  if (login.platformId !== platform.id) throw new LtiError(401, "The login was started for another platform registration");

  // 5. LTI claims (the library's schema with the privacy claims optional): message type, version, deployment.
  const claims = await parseClaims(payload);
  const deploymentId = claims[CLAIM.deploymentId];
  if (!(await svc.storage.hasDeployment(platform.id, deploymentId))) {
    throw new LtiError(403, `Unknown deployment "${deploymentId}" for issuer ${platform.issuer}: register it with npm run lti:add-platform or dynamic registration`);
  }
  if (login.deploymentId && login.deploymentId !== deploymentId) {
    throw new LtiError(401, "id_token deployment_id differs from the lti_deployment_id of the login request");
  }
  const messageType = claims[CLAIM.messageType];
  if (messageType === "LtiResourceLinkRequest" && !claims[CLAIM.resourceLink]?.id) {
    throw new LtiError(400, "LtiResourceLinkRequest without a resource_link claim");
  }
  if (messageType === "LtiDeepLinkingRequest" && !claims[CLAIM.deepLinking]?.deep_link_return_url) {
    throw new LtiError(400, "LtiDeepLinkingRequest without deep_linking_settings.deep_link_return_url");
  }

  // 6. Last: consume the login (nonce + state). Exactly one request can win this.
  if (!(await svc.storage.consumeLoginRequest(nonce, state, now))) {
    throw new LtiError(401, "id_token nonce has already been used: this launch was replayed");
  }
  const roles = claims[CLAIM.roles] ?? [];
  return { platform, claims, messageType, deploymentId, roles, role: isInstructorRole(roles) ? "instructor" : "learner" };
}

async function parseClaims(payload: JWTPayload): Promise<LaunchClaims> {
  const type = payload[CLAIM.messageType];
  if (typeof type !== "string" || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new LtiError(400, `Unsupported message_type "${String(type)}": FCE Coach accepts ${MESSAGE_TYPES.join(" and ")}`);
  }
  const version = payload[CLAIM.version];
  if (version !== "1.3.0") throw new LtiError(400, `Unsupported LTI version "${String(version)}": expected 1.3.0`);
  const parsed = (await launchClaimsSchema()).safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const claim = String(issue.path[0] ?? "claims").replace(/^https:\/\/purl\.imsglobal\.org\/spec\//, "");
    const rest = issue.path.slice(1).join(".");
    throw new LtiError(400, `Invalid launch claim ${claim}${rest ? `.${rest}` : ""}: ${issue.message}`);
  }
  return parsed.data;
}

function verifyFailure(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "id_token has expired";
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "id_token signature does not verify with the platform's public key";
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === "iss") return "id_token iss does not match the registered issuer";
    if (e.claim === "nbf") return "id_token is not valid yet (nbf)";
    return `id_token claim "${e.claim}" is invalid: ${e.reason === "missing" ? "missing" : e.message}`;
  }
  if (e instanceof joseErrors.JOSEError) return `id_token rejected: ${e.message}`;
  return `id_token rejected: ${e instanceof Error ? e.message : String(e)}`;
}

export interface LaunchOutcome {
  learner: Learner;
  token: string;
  context: LtiLaunchContext;
  role: LtiRole;
}

/**
 * Opens the session of a verified launch: the learner (provider "lti", subject `${iss}|${sub}`), the
 * library's LTISession (stored), the grade link for AGS, and the signed session token.
 */
export async function openLaunchSession(svc: LtiService, baseUrl: string, launch: VerifiedLaunch, now: Date): Promise<LaunchOutcome> {
  const { claims, platform } = launch;
  const learner = await findOrCreateLearner(svc.deps.db, "lti", `${platform.issuer}|${claims.sub}`, displayNameOf(claims), now);

  // The library builds the session (services, roles, deep linking settings) and stores it through our
  // adapter. It takes the first `aud` entry as the client id, so hand it the verified one.
  const tool = await svc.tool(baseUrl);
  const session = await tool.createSession({ ...claims, aud: platform.clientId } as unknown as LTI13JwtPayload);

  const ags = claims[CLAIM.ags];
  const nrps = claims[CLAIM.nrps];
  const moduleId = moduleIdOf(claims);
  const context: LtiLaunchContext = {
    issuer: platform.issuer,
    clientId: platform.clientId,
    deploymentId: launch.deploymentId,
    contextId: claims[CLAIM.context]?.id ?? "",
    resourceLinkId: claims[CLAIM.resourceLink]?.id ?? "",
    ...(moduleId ? { moduleId } : {}),
    ...(ags?.lineitem ? { lineItemUrl: ags.lineitem } : {}),
    ...(ags?.scope?.length ? { agsScope: ags.scope } : {}),
    ...(nrps?.context_memberships_url ? { nrpsUrl: nrps.context_memberships_url } : {}),
    ltiSessionId: session.id,
    messageType: launch.messageType,
  };

  if (launch.messageType === "LtiResourceLinkRequest") {
    await upsertGradeLink(svc, learner.id, platform.id, context, claims.sub, now);
  }
  const token = await signLtiSessionToken(svc.deps, { learnerId: learner.id, role: launch.role, context }, svc.options.sessionTtlSeconds);
  return { learner, token, context, role: launch.role };
}

async function upsertGradeLink(svc: LtiService, learnerId: string, platformId: string, ctx: LtiLaunchContext, ltiUserId: string, now: Date): Promise<void> {
  const scopes = JSON.stringify(ctx.agsScope ?? []);
  await svc.deps.db
    .insert(ltiGradeLinks)
    .values({
      id: newLtiId("lgl"),
      learnerId,
      platformId,
      deploymentId: ctx.deploymentId,
      contextId: ctx.contextId,
      resourceLinkId: ctx.resourceLinkId,
      moduleId: ctx.moduleId ?? null,
      ltiUserId,
      lineItemUrl: ctx.lineItemUrl ?? null,
      agsScopes: scopes,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [ltiGradeLinks.platformId, ltiGradeLinks.deploymentId, ltiGradeLinks.contextId, ltiGradeLinks.resourceLinkId, ltiGradeLinks.learnerId],
      set: { moduleId: ctx.moduleId ?? null, ltiUserId, lineItemUrl: ctx.lineItemUrl ?? null, agsScopes: scopes, updatedAt: now },
    });
}

/** True when the launch granted the AGS score scope. */
export function canPostScores(scopes: readonly string[]): boolean {
  return scopes.includes(SCOPE.score);
}
