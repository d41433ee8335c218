/**
 * An LTI 1.3 platform for the tests, on 127.0.0.1 with node:http and jose. It has its own RSA keys
 * (rotatable) and serves: JWKS, the OIDC auth endpoint (answers with an auto-posting form carrying
 * the signed id_token), the token endpoint (checks our client assertion against the tool's JWKS),
 * AGS scores (can be made to fail), NRPS memberships, the deep-linking return URL, and dynamic
 * registration (OpenID configuration + registration endpoint).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload } from "jose";

export const C = {
  messageType: "https://purl.imsglobal.org/spec/lti/claim/message_type",
  version: "https://purl.imsglobal.org/spec/lti/claim/version",
  deploymentId: "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
  targetLinkUri: "https://purl.imsglobal.org/spec/lti/claim/target_link_uri",
  resourceLink: "https://purl.imsglobal.org/spec/lti/claim/resource_link",
  roles: "https://purl.imsglobal.org/spec/lti/claim/roles",
  context: "https://purl.imsglobal.org/spec/lti/claim/context",
  custom: "https://purl.imsglobal.org/spec/lti/claim/custom",
  ags: "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
  nrps: "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice",
  dl: "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
  contentItems: "https://purl.imsglobal.org/spec/lti-dl/claim/content_items",
  dlData: "https://purl.imsglobal.org/spec/lti-dl/claim/data",
} as const;

export const ROLE = {
  learner: "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
  instructor: "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
  ta: "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
};

export const SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
export const NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

export interface EmuUser {
  id: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  picture?: string;
  roles: string[];
}

export interface ResourceLink {
  id: string;
  title: string;
  custom: Record<string, string>;
  /** Our line item id for this link (AGS), if the link is graded. */
  lineItemId?: string;
}

/** What the test asks the platform to launch (keyed by lti_message_hint). */
export interface LaunchSpec {
  user: EmuUser;
  messageType?: "LtiResourceLinkRequest" | "LtiDeepLinkingRequest";
  link?: ResourceLink;
  /** Change the claims before signing (negative tests). */
  tweak?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** Sign with this key instead of the current platform key. */
  signWith?: { kid: string; privateKey: CryptoKey };
}

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function newRsaKey(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

export interface ReceivedScore {
  lineItemId: string;
  query: string;
  body: Record<string, unknown>;
}

export class PlatformEmulator {
  readonly clientId = "fce-coach-client";
  readonly deploymentId = "deployment-1";
  readonly contextId = "course-101";
  issuer = "";
  /** The tool's redirect URIs the platform accepts. */
  redirectUris = ["http://localhost/lti/launch"];
  /** Set by the test: the tool's JWKS (to check client assertions and deep-linking responses). */
  toolJwks: () => Promise<JSONWebKeySet> = async () => ({ keys: [] });

  private server?: Server;
  private keys: KeyPair[] = [];
  private keyCounter = 0;
  private launches = new Map<string, LaunchSpec>();
  private hintCounter = 0;
  private tokens = new Map<string, { scopes: string[] }>();
  private lineItemCounter = 0;

  jwksRequests = 0;
  tokenRequests: Array<{ scope: string; assertion: JWTPayload }> = [];
  scores: ReceivedScore[] = [];
  scoreAttempts = 0;
  /** Fail the next N score posts with this status. */
  failScores = { remaining: 0, status: 503, body: '{"error":"maintenance"}' };
  /** Refuse every score post with this status and body (a permanent 4xx) while set. */
  rejectScores?: { status: number; body: string };
  members: Array<Record<string, unknown>> = [];
  deepLinkReturns: Array<{ claims: JWTPayload; items: Array<Record<string, unknown>> }> = [];
  links = new Map<string, ResourceLink>();
  registrations: Array<{ auth: string | undefined; body: Record<string, unknown> }> = [];
  registrationToken = "reg-token-123";
  registeredClientId = "dr-client-7";
  registeredDeploymentId = "dr-deployment-7";

  get url(): string {
    return this.issuer;
  }
  get authUrl(): string {
    return `${this.issuer}/auth`;
  }
  get tokenUrl(): string {
    return `${this.issuer}/token`;
  }
  get jwksUrl(): string {
    return `${this.issuer}/jwks`;
  }
  get membershipsUrl(): string {
    return `${this.issuer}/courses/${this.contextId}/memberships`;
  }
  /** Moodle-style line item URL: the query must survive into the scores URL. */
  lineItemUrl(id: string): string {
    return `${this.issuer}/lineitems/${id}/lineitem?type_id=1`;
  }
  get currentKey(): KeyPair {
    return this.keys[this.keys.length - 1]!;
  }

  async start(): Promise<void> {
    this.keys = [await newRsaKey(`platform-key-${++this.keyCounter}`)];
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(e) }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.issuer = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Key rotation: a new key (new kid) replaces the old one in the JWKS and signs from now on. */
  async rotateKeys(): Promise<string> {
    this.keys = [await newRsaKey(`platform-key-${++this.keyCounter}`)];
    return this.currentKey.kid;
  }

  /** A graded resource link for a module (as if placed by deep linking or by hand). */
  addLink(moduleId: string, title = `Module ${moduleId}`): ResourceLink {
    const id = `rl-${this.links.size + 1}`;
    const link: ResourceLink = { id, title, custom: { module_id: moduleId }, lineItemId: String(++this.lineItemCounter) };
    this.links.set(id, link);
    return link;
  }

  /** Registers a launch and returns the login initiation parameters the platform would send. */
  prepareLaunch(spec: LaunchSpec, targetLinkUri = "http://localhost/lti/launch"): Record<string, string> {
    const hint = `msg-${++this.hintCounter}`;
    this.launches.set(hint, spec);
    return {
      iss: this.issuer,
      login_hint: spec.user.id,
      target_link_uri: targetLinkUri,
      client_id: this.clientId,
      lti_deployment_id: this.deploymentId,
      lti_message_hint: hint,
    };
  }

  /** The claims of a launch (before `tweak`). */
  claimsFor(spec: LaunchSpec, nonce: string): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const u = spec.user;
    const type = spec.messageType ?? "LtiResourceLinkRequest";
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      aud: this.clientId,
      sub: u.id,
      iat: now,
      exp: now + 300,
      nonce,
      [C.messageType]: type,
      [C.version]: "1.3.0",
      [C.deploymentId]: this.deploymentId,
      [C.targetLinkUri]: "http://localhost/lti/launch",
      [C.roles]: u.roles,
      [C.context]: { id: this.contextId, label: "FCE101", title: "Foreign credential evaluation 101" },
      "https://purl.imsglobal.org/spec/lti/claim/tool_platform": { guid: "emulator-guid", name: "Test LMS", product_family_code: "emulator" },
      [C.nrps]: { context_memberships_url: this.membershipsUrl, service_versions: ["2.0"] },
    };
    for (const k of ["name", "given_name", "family_name", "email", "picture"] as const) if (u[k]) claims[k] = u[k];
    if (type === "LtiResourceLinkRequest") {
      const link = spec.link ?? { id: "rl-plain", title: "Plain link", custom: {} };
      claims[C.resourceLink] = { id: link.id, title: link.title };
      claims[C.custom] = link.custom;
      claims[C.ags] = {
        scope: ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"],
        lineitems: `${this.issuer}/lineitems?type_id=1`,
        ...(link.lineItemId ? { lineitem: this.lineItemUrl(link.lineItemId) } : {}),
      };
    } else {
      claims[C.dl] = {
        deep_link_return_url: `${this.issuer}/deep-link-return`,
        accept_types: ["ltiResourceLink"],
        accept_presentation_document_targets: ["iframe", "window"],
        accept_multiple: false,
        data: "platform-opaque-data-42",
      };
    }
    return claims;
  }

  async sign(claims: Record<string, unknown>, key: { kid: string; privateKey: CryptoKey } = this.currentKey): Promise<string> {
    return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" }).sign(key.privateKey);
  }

  /**
   * The platform's side of the OIDC authentication request: validates it like an LMS would and
   * returns what its auto-posting form carries.
   */
  async authorize(authRequestUrl: string): Promise<{ action: string; idToken: string; state: string; nonce: string; claims: Record<string, unknown> }> {
    const u = new URL(authRequestUrl);
    const q = u.searchParams;
    const problems: string[] = [];
    if (`${u.origin}${u.pathname}` !== this.authUrl) problems.push(`auth request sent to ${u.origin}${u.pathname}`);
    if (q.get("scope") !== "openid") problems.push("scope must be openid");
    if (q.get("response_type") !== "id_token") problems.push("response_type must be id_token");
    if (q.get("response_mode") !== "form_post") problems.push("response_mode must be form_post");
    if (q.get("prompt") !== "none") problems.push("prompt must be none");
    if (q.get("client_id") !== this.clientId && q.get("client_id") !== this.registeredClientId) problems.push("unknown client_id");
    const redirect = q.get("redirect_uri") ?? "";
    if (!this.redirectUris.includes(redirect)) problems.push(`redirect_uri ${redirect} not registered`);
    const nonce = q.get("nonce");
    const state = q.get("state");
    if (!nonce || !state) problems.push("nonce and state are required");
    const spec = this.launches.get(q.get("lti_message_hint") ?? "");
    if (!spec) problems.push("unknown lti_message_hint");
    else if (spec.user.id !== q.get("login_hint")) problems.push("login_hint does not match");
    if (problems.length) throw new Error(`emulator refused the auth request: ${problems.join("; ")}`);
    let claims = this.claimsFor(spec!, nonce!);
    if (q.get("client_id") === this.registeredClientId) {
      claims.aud = this.registeredClientId;
      claims[C.deploymentId] = this.registeredDeploymentId;
    }
    if (spec!.tweak) claims = spec!.tweak(claims);
    const idToken = await this.sign(claims, spec!.signWith);
    return { action: redirect, idToken, state: state!, nonce: nonce!, claims };
  }

  openIdConfiguration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: this.authUrl,
      registration_endpoint: `${this.issuer}/register`,
      jwks_uri: this.jwksUrl,
      token_endpoint: this.tokenUrl,
      token_endpoint_auth_methods_supported: ["private_key_jwt"],
      token_endpoint_auth_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly", NRPS_SCOPE],
      response_types_supported: ["id_token"],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: ["sub", "iss", "name", "given_name", "family_name", "email"],
      subject_types_supported: ["public"],
      "https://purl.imsglobal.org/spec/lti-platform-configuration": {
        product_family_code: "moodle",
        version: "4.5",
        messages_supported: [{ type: "LtiResourceLinkRequest" }, { type: "LtiDeepLinkingRequest" }],
      },
    };
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.issuer);
    const path = url.pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];

    if (req.method === "GET" && path === "/jwks") {
      this.jwksRequests++;
      return json(200, { keys: this.keys.map((k) => k.publicJwk) });
    }
    if (req.method === "GET" && path === "/auth") {
      const r = await this.authorize(url.toString());
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<!DOCTYPE html><form method="post" action="${r.action}"><input type="hidden" name="id_token" value="${r.idToken}"><input type="hidden" name="state" value="${r.state}"></form><script>document.forms[0].submit()</script>`,
      );
      return;
    }
    if (req.method === "POST" && path === "/token") {
      const form = new URLSearchParams(await readBody(req));
      if (form.get("grant_type") !== "client_credentials") return json(400, { error: "unsupported_grant_type" });
      if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") return json(400, { error: "invalid_request" });
      let assertion: JWTPayload;
      try {
        ({ payload: assertion } = await jwtVerify(form.get("client_assertion") ?? "", createLocalJWKSet(await this.toolJwks()), { audience: this.tokenUrl, algorithms: ["RS256"] }));
      } catch (e) {
        return json(401, { error: "invalid_client", error_description: String(e) });
      }
      if (assertion.iss !== assertion.sub || (assertion.iss !== this.clientId && assertion.iss !== this.registeredClientId) || !assertion.jti) {
        return json(401, { error: "invalid_client", error_description: "iss/sub/jti" });
      }
      const scope = form.get("scope") ?? "";
      this.tokenRequests.push({ scope, assertion });
      const token = `at-${this.tokenRequests.length}-${Math.random().toString(36).slice(2)}`;
      this.tokens.set(token, { scopes: scope.split(" ") });
      return json(200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope });
    }
    const scoreMatch = /^\/lineitems\/([^/]+)\/lineitem\/scores$/.exec(path);
    if (req.method === "POST" && scoreMatch) {
      this.scoreAttempts++;
      const grant = bearer ? this.tokens.get(bearer) : undefined;
      if (!grant || !grant.scopes.includes(SCORE_SCOPE)) return json(401, { error: "invalid token or scope" });
      if (req.headers["content-type"] !== "application/vnd.ims.lis.v1.score+json") return json(415, { error: "wrong content type" });
      if (url.searchParams.get("type_id") !== "1") return json(404, { error: "line item query lost" });
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      if (this.failScores.remaining > 0) {
        this.failScores.remaining--;
        res.writeHead(this.failScores.status, { "content-type": "application/json" });
        res.end(this.failScores.body);
        return;
      }
      if (this.rejectScores) {
        res.writeHead(this.rejectScores.status, { "content-type": "application/json" });
        res.end(this.rejectScores.body);
        return;
      }
      this.scores.push({ lineItemId: scoreMatch[1]!, query: url.search, body });
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === "GET" && path === `/courses/${this.contextId}/memberships`) {
      const grant = bearer ? this.tokens.get(bearer) : undefined;
      if (!grant || !grant.scopes.includes(NRPS_SCOPE)) return json(401, { error: "invalid token or scope" });
      if (req.headers.accept !== "application/vnd.ims.lti-nrps.v2.membershipcontainer+json") return json(406, { error: "accept" });
      return json(200, { id: this.membershipsUrl, context: { id: this.contextId, label: "FCE101", title: "FCE 101" }, members: this.members });
    }
    if (req.method === "POST" && path === "/deep-link-return") {
      const form = new URLSearchParams(await readBody(req));
      const { payload } = await jwtVerify(form.get("JWT") ?? "", createLocalJWKSet(await this.toolJwks()), { audience: this.issuer, algorithms: ["RS256"] });
      const items = (payload[C.contentItems] ?? []) as Array<Record<string, unknown>>;
      this.deepLinkReturns.push({ claims: payload, items });
      for (const item of items) {
        if (item.type !== "ltiResourceLink") continue;
        const id = `rl-${this.links.size + 1}`;
        const link: ResourceLink = {
          id,
          title: String(item.title ?? ""),
          custom: (item.custom ?? {}) as Record<string, string>,
          ...(item.lineItem ? { lineItemId: String(++this.lineItemCounter) } : {}),
        };
        this.links.set(id, link);
      }
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<p>Content added</p>");
      return;
    }
    if (req.method === "GET" && path === "/.well-known/openid-configuration") {
      if (bearer !== this.registrationToken) return json(401, { error: "registration token required" });
      return json(200, this.openIdConfiguration());
    }
    if (req.method === "POST" && path === "/register") {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      this.registrations.push({ auth: req.headers.authorization, body });
      if (bearer !== this.registrationToken) return json(401, { error: "invalid registration token" });
      const toolConfig = body["https://purl.imsglobal.org/spec/lti-tool-configuration"] as Record<string, unknown>;
      return json(200, {
        ...body,
        client_id: this.registeredClientId,
        "https://purl.imsglobal.org/spec/lti-tool-configuration": { ...toolConfig, deployment_id: this.registeredDeploymentId },
      });
    }
    json(404, { error: `emulator has no ${req.method} ${path}` });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
