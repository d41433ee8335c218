/**
 * OIDC third-party initiated login (LTI 1.3 Core §5.1.1): check the request against a registered
 * platform, store a fresh state and nonce (single use, expiring) and send the browser to the
 * platform's authorization endpoint.
 */
import { z } from "zod";
import { ltiCore } from "./lib.js";
import type { LtiService } from "./service.js";
import type { PlatformRow } from "./storage.js";
import { LtiError, randomToken } from "./util.js";

/** The library's login schema, with `client_id` and `lti_deployment_id` optional as in the spec. */
async function loginParamsSchema() {
  const { LTI13LoginSchema } = await ltiCore();
  return LTI13LoginSchema.extend({
    client_id: z.string().min(1).optional(),
    lti_deployment_id: z.string().min(1).optional(),
  });
}

export type LoginParams = Record<string, string | undefined>;

export async function startLogin(svc: LtiService, raw: LoginParams, baseUrl: string, now: Date): Promise<string> {
  for (const required of ["iss", "login_hint", "target_link_uri"] as const) {
    if (!raw[required]) throw new LtiError(400, `Login request is missing "${required}"`);
  }
  const parsed = (await loginParamsSchema()).safeParse({
    iss: raw.iss,
    login_hint: raw.login_hint,
    target_link_uri: raw.target_link_uri,
    client_id: raw.client_id || undefined,
    lti_deployment_id: raw.lti_deployment_id || undefined,
    lti_message_hint: raw.lti_message_hint || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LtiError(400, `Login request has an invalid "${issue.path.join(".")}": ${issue.message}`);
  }
  const p = parsed.data;

  const platform = await choosePlatform(svc, p.iss, p.client_id);
  if (p.lti_deployment_id && !(await svc.storage.hasDeployment(platform.id, p.lti_deployment_id))) {
    throw new LtiError(403, `Unknown deployment "${p.lti_deployment_id}" for issuer ${p.iss}: register it with npm run lti:add-platform or dynamic registration`);
  }
  let target: URL;
  try {
    target = new URL(p.target_link_uri);
  } catch {
    throw new LtiError(400, "Login request has an invalid target_link_uri");
  }
  if (target.origin !== new URL(baseUrl).origin) {
    throw new LtiError(400, `target_link_uri ${p.target_link_uri} is not on this tool (${baseUrl})`);
  }

  const state = randomToken(32);
  const nonce = randomToken(32);
  await svc.storage.purgeExpired(now);
  await svc.storage.createLoginRequest({
    nonce,
    state,
    platformId: platform.id,
    deploymentId: p.lti_deployment_id,
    targetLinkUri: p.target_link_uri,
    expiresAt: new Date(now.getTime() + svc.options.loginTtlSeconds * 1000),
  });

  const auth = new URL(platform.authUrl);
  auth.searchParams.set("scope", "openid");
  auth.searchParams.set("response_type", "id_token");
  auth.searchParams.set("response_mode", "form_post");
  auth.searchParams.set("prompt", "none");
  auth.searchParams.set("client_id", platform.clientId);
  auth.searchParams.set("redirect_uri", `${baseUrl}/lti/launch`);
  auth.searchParams.set("login_hint", p.login_hint);
  auth.searchParams.set("state", state);
  auth.searchParams.set("nonce", nonce);
  if (p.lti_message_hint) auth.searchParams.set("lti_message_hint", p.lti_message_hint);
  return auth.toString();
}

async function choosePlatform(svc: LtiService, issuer: string, clientId: string | undefined): Promise<PlatformRow> {
  if (clientId) {
    const p = await svc.storage.platform(issuer, clientId);
    if (!p) throw new LtiError(400, `Unknown platform: issuer ${issuer} with client_id "${clientId}" is not registered`);
    return p;
  }
  const all = await svc.storage.platformsByIssuer(issuer);
  if (all.length === 0) throw new LtiError(400, `Unknown platform: issuer ${issuer} is not registered`);
  if (all.length > 1) throw new LtiError(400, `Issuer ${issuer} has ${all.length} registrations here: the login request must name its client_id`);
  return all[0]!;
}
