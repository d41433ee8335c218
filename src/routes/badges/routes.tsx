/**
 * Micro-credential routes.
 *
 * Public:
 *   GET  /badges/jwks (also /badges/.well-known/jwks.json)  the issuer's published keys
 *   GET  /badges/issuer                                     the issuer profile
 *   GET  /badges/status/:list[?format=jwt]                  a revocation status list credential
 *   GET  /badges/verify[?id=<badge id>] / POST /badges/verify   the verifier page
 *   POST /api/badges/verify                                 {"credential": JWT | JSON} -> {valid, checks}
 *   GET  /badges/:id.json, /badges/:id.jwt                  downloads (public by unguessable id)
 *   GET  /api/learners/:learnerId/badges                    a learner's badges
 * Admin (Authorization: Bearer <FCE_ADMIN_TOKEN>):
 *   POST /api/admin/badges/:id/revoke          {"reason"?}
 *   GET  /api/admin/badges/keys
 *   POST /api/admin/badges/keys/rotate
 *   POST /api/admin/badges/keys/:kid/retire
 */
import { Hono, type Context } from "hono";
import type { AppDeps, AppEnv } from "../../app.js";
import { issuerConfig, issuerProfile } from "../../core/badges/credential.js";
import { badgeUrls, verifyBadge } from "../../core/badges/issue.js";
import { KeyStoreError, signPayload } from "../../core/badges/keys.js";
import { BadgeRepository, type BadgeRecord } from "../../core/badges/store.js";
import { CredentialInputError, MAX_CREDENTIAL_BYTES } from "../../core/badges/verify.js";
import { requestLang } from "../../web/i18n.js";
import { pageContext, sendPage } from "../../web/layout.js";
import { hasAdminToken, requireAdmin } from "../admin-auth.js";
import { currentSession } from "../session.js";
import { HttpError } from "../http-error.js";
import { VerifyPage } from "./page.js";

/** Request bodies above this are refused before parsing (the credential cap plus room for JSON). */
const MAX_BODY_BYTES = MAX_CREDENTIAL_BYTES + 4096;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const tooLarge = () => `Credential too large: at most ${MAX_CREDENTIAL_BYTES} bytes`;

/** Reads the request body as text, refusing anything larger than the cap (declared or actual). */
async function readCappedText(c: Context): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new HttpError(400, tooLarge());
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) throw new HttpError(400, tooLarge());
  return text;
}

function badgeSummary(deps: AppDeps, b: BadgeRecord) {
  const urls = badgeUrls(issuerConfig(deps), b.id);
  return {
    id: b.id,
    credentialId: `urn:uuid:${b.id}`,
    name: b.name,
    moduleId: b.moduleId,
    issuedAt: b.issuedAt.toISOString(),
    validUntil: b.validUntil?.toISOString() ?? null,
    revoked: !!b.revokedAt,
    download: { json: urls.json, jwt: urls.jwt },
  };
}

export function badgeRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const repo = new BadgeRepository(deps.db);
  const issuer = () => issuerConfig(deps);

  const jwks = async (c: Context) => {
    const keys = await repo.keys.published();
    return c.json({ keys }, 200, { "Cache-Control": "public, max-age=300" });
  };
  app.get("/badges/jwks", jwks);
  app.get("/badges/.well-known/jwks.json", jwks);

  app.get("/badges/issuer", (c) => c.json({ "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], ...issuerProfile(issuer()) }));

  app.get("/badges/status/:list{[1-9][0-9]{0,8}}", async (c) => {
    const list = Number(c.req.param("list"));
    const credential = await repo.statusListCredential(issuer(), list, deps.clock.now());
    if (!credential) throw new HttpError(404, `No status list ${list}`);
    const headers = { "Cache-Control": "public, max-age=60" };
    if (c.req.query("format") === "jwt") {
      const key = await repo.keys.active(deps.clock.now());
      const claims = { iss: issuer().id, jti: credential.id, nbf: Math.floor(deps.clock.now().getTime() / 1000) };
      const jwt = await signPayload({ ...credential, ...claims }, key, { typ: "vc+jwt", cty: "vc" });
      return c.body(jwt, 200, { ...headers, "Content-Type": "application/vc+jwt" });
    }
    return c.json(credential, 200, headers);
  });

  // The verifier: API and page.
  app.post("/api/badges/verify", async (c) => {
    const text = await readCappedText(c);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'Malformed JSON body: send {"credential": "<VC-JWT>"} or {"credential": { ...JSON credential... }}');
    }
    if (typeof body !== "object" || body === null || Array.isArray(body) || !("credential" in body)) {
      throw new HttpError(400, 'Missing credential: send {"credential": "<VC-JWT>"} or {"credential": { ...JSON credential... }}');
    }
    try {
      const result = await verifyBadge(deps, (body as { credential: unknown }).credential);
      return c.json({ valid: result.valid, checks: result.checks });
    } catch (e) {
      if (e instanceof CredentialInputError) throw new HttpError(400, e.message);
      throw e;
    }
  });

  app.get("/badges/verify", async (c) => {
    const page = pageContext(c, requestLang(c.req));
    const id = c.req.query("id");
    if (!id) return sendPage(c, <VerifyPage page={page} />);
    const badge = new RegExp(`^${UUID}$`).test(id) ? await repo.getBadge(id) : undefined;
    if (!badge) return sendPage(c, <VerifyPage page={page} error={page.lang === "ja" ? `バッジ「${id}」は見つかりません。` : `No badge "${id}".`} />, 404);
    const result = await verifyBadge(deps, badge.jwt);
    return sendPage(c, <VerifyPage page={page} input={badge.jwt} result={result} />);
  });

  app.post("/badges/verify", async (c) => {
    const page = pageContext(c, requestLang(c.req));
    let input = "";
    try {
      const declared = Number(c.req.header("content-length") ?? "0");
      if (Number.isFinite(declared) && declared > MAX_BODY_BYTES * 3) throw new CredentialInputError(tooLarge());
      const form = await c.req.parseBody();
      input = typeof form.credential === "string" ? form.credential : "";
      const result = await verifyBadge(deps, input);
      return sendPage(c, <VerifyPage page={page} input={input} result={result} />);
    } catch (e) {
      if (!(e instanceof CredentialInputError)) throw e;
      const shown = input.length > MAX_CREDENTIAL_BYTES ? "" : input;
      return sendPage(c, <VerifyPage page={page} input={shown} error={e.message} />, 400);
    }
  });

  // Downloads (public by unguessable id until the identity issue restricts them to the owner).
  app.get(`/badges/:file{${UUID}\\.(?:json|jwt)}`, async (c) => {
    const file = c.req.param("file");
    const id = file.slice(0, file.lastIndexOf("."));
    const badge = await repo.getBadge(id);
    if (!badge) throw new HttpError(404, `No badge "${id}"`);
    const disposition = `attachment; filename="fce-badge-${id}.${file.endsWith(".jwt") ? "jwt" : "json"}"`;
    if (file.endsWith(".jwt")) return c.body(badge.jwt, 200, { "Content-Type": "application/vc+jwt", "Content-Disposition": disposition });
    return c.body(JSON.stringify(badge.json, null, 2), 200, { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": disposition });
  });

  // role: the learner themself, or an admin (a badge itself stays public by its unguessable id).
  app.get("/api/learners/:learnerId/badges", async (c) => {
    const learnerId = c.req.param("learnerId");
    if (!hasAdminToken(deps, c)) {
      const session = await currentSession(deps, c);
      if (!session) throw new HttpError(401, "Sign in to see your badges (a session token), or use the admin token");
      if (session.learner.id !== learnerId && session.learner.role !== "admin") throw new HttpError(403, "Only the learner themself (or an admin) can list a learner's badges");
    }
    const list = await repo.listForLearner(learnerId);
    return c.json({ learnerId, badges: list.map((b) => badgeSummary(deps, b)) });
  });

  // Admin.
  app.post("/api/admin/badges/keys/rotate", async (c) => {
    await requireAdmin(deps, c);
    const key = await repo.keys.rotate(deps.clock.now());
    return c.json({ active: key.kid, keys: await repo.keys.list() });
  });

  app.post("/api/admin/badges/keys/:kid/retire", async (c) => {
    await requireAdmin(deps, c);
    try {
      const info = await repo.keys.retire(c.req.param("kid"), deps.clock.now());
      return c.json({ key: info, keys: await repo.keys.list() });
    } catch (e) {
      if (e instanceof KeyStoreError) throw new HttpError(e.code === "not_found" ? 404 : 409, e.message);
      throw e;
    }
  });

  app.get("/api/admin/badges/keys", async (c) => {
    await requireAdmin(deps, c);
    return c.json({ keys: await repo.keys.list() });
  });

  app.post("/api/admin/badges/:id/revoke", async (c) => {
    await requireAdmin(deps, c);
    const id = c.req.param("id");
    let reason: string | undefined;
    const text = (await readCappedText(c)).trim();
    if (text) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, "Malformed JSON body");
      }
      const r = (body as { reason?: unknown } | null)?.reason;
      if (r !== undefined && (typeof r !== "string" || r.length > 500)) throw new HttpError(400, "Invalid body: reason must be a string of at most 500 characters");
      reason = r as string | undefined;
    }
    const badge = await repo.revoke(id, reason, deps.clock.now());
    if (!badge) throw new HttpError(404, `No badge "${id}"`);
    return c.json({ ...badgeSummary(deps, badge), revokedAt: badge.revokedAt?.toISOString() ?? null, reason: badge.revocationReason ?? null, statusList: badge.statusList, statusIndex: badge.statusIndex });
  });

  return app;
}
