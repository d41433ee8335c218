import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueModuleBadge, type IssuedBadge } from "../../src/core/badges/issue.js";
import { decodeStatusList, getBit } from "../../src/core/badges/status-list.js";
import { ADMIN_TOKEN, badgeApp, DAY, EVIDENCE, MODULE, PUBLIC_URL, splitJwt, withPayload } from "./helpers.js";

type App = Awaited<ReturnType<typeof badgeApp>>;

describe("badge HTTP API and pages", () => {
  let t: App;
  let issued: IssuedBadge;
  beforeAll(async () => {
    t = await badgeApp();
    issued = await issueModuleBadge(t.deps, { learnerId: "lrn_http", learnerName: "Kenji <b>Sato</b>", module: MODULE, evidence: EVIDENCE });
  });
  afterAll(() => t.close());

  const verify = async (body: string | object, headers: Record<string, string> = { "Content-Type": "application/json" }) => {
    const res = await t.app.request("/api/badges/verify", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it("POST /api/badges/verify: a JWT verifies, with every check listed", async () => {
    const { status, body } = await verify({ credential: issued.jwt });
    expect(status).toBe(200);
    expect(body.valid).toBe(true);
    expect(body.checks.map((c: any) => c.check)).toEqual(["format", "signature", "issuer", "subject", "validity", "status", "achievement"]);
    for (const c of body.checks) expect(Object.keys(c)).toEqual(expect.arrayContaining(["check", "ok", "reason"]));
  });

  it("POST /api/badges/verify: the JSON download is unsigned; a tampered JWT fails the signature", async () => {
    const json = await verify({ credential: issued.json });
    expect(json.status).toBe(200);
    expect(json.body.valid).toBe(false);
    expect(json.body.checks.find((c: any) => c.check === "signature").reason).toMatch(/^Unsigned/);
    const { payload } = splitJwt(issued.jwt);
    const tampered = await verify({ credential: withPayload(issued.jwt, { ...payload, validFrom: "2020-01-01T00:00:00Z" }) });
    expect(tampered.body.valid).toBe(false);
    expect(tampered.body.checks.find((c: any) => c.check === "signature")).toMatchObject({ ok: false });
  });

  it("malformed input gets a 400 with a message", async () => {
    const cases: Array<[string | object, RegExp]> = [
      ["{not json", /Malformed JSON body/],
      [{}, /Missing credential/],
      [[1, 2], /Missing credential/],
      [{ credential: null }, /Missing credential/],
      [{ credential: "not a jwt at all" }, /Not a JWT/],
      [{ credential: "aaa.bbb.ccc" }, /Not a JWT: the header/],
      [{ credential: 12 }, /JWT string or a JSON object/],
      [{ credential: "x".repeat(70 * 1024) }, /too large/],
    ];
    for (const [body, message] of cases) {
      const r = await verify(body);
      expect(r.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    const declared = await t.app.request("/api/badges/verify", { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": String(10 * 1024 * 1024) }, body: "{}" });
    expect(declared.status).toBe(400);
    expect(((await declared.json()) as any).error).toMatch(/too large/);
  });

  it("GET /badges/jwks publishes the public keys only", async () => {
    for (const path of ["/badges/jwks", "/badges/.well-known/jwks.json"]) {
      const res = await t.app.request(path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.keys).toHaveLength(1);
      expect(body.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: splitJwt(issued.jwt).header.kid });
      expect(body.keys[0].d).toBeUndefined();
    }
  });

  it("GET /badges/issuer and /badges/status/:list publish the issuer profile and the status list", async () => {
    const profile = (await (await t.app.request("/badges/issuer")).json()) as any;
    expect(profile).toMatchObject({ id: `${PUBLIC_URL}/badges/issuer`, type: ["Profile"], name: "FCE Coach Test Issuer" });
    const res = await t.app.request("/badges/status/1");
    expect(res.status).toBe(200);
    const list = (await res.json()) as any;
    expect(list.type).toEqual(["VerifiableCredential", "BitstringStatusListCredential"]);
    expect(list.credentialSubject).toMatchObject({ type: "BitstringStatusList", statusPurpose: "revocation" });
    const bits = await decodeStatusList(list.credentialSubject.encodedList);
    expect(bits.length).toBe(16384);
    const jwtRes = await t.app.request("/badges/status/1?format=jwt");
    expect(jwtRes.headers.get("content-type")).toMatch(/vc\+jwt/);
    expect(splitJwt(await jwtRes.text()).payload.id).toBe(`${PUBLIC_URL}/badges/status/1`);
    expect((await t.app.request("/badges/status/99")).status).toBe(404);
  });

  it("downloads: GET /badges/:id.json and /badges/:id.jwt; the learner's list", async () => {
    const json = await t.app.request(`/badges/${issued.id}.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toContain(`fce-badge-${issued.id}.json`);
    expect(await json.json()).toEqual(issued.json);
    const jwt = await t.app.request(`/badges/${issued.id}.jwt`);
    expect(jwt.headers.get("content-type")).toBe("application/vc+jwt");
    expect(await jwt.text()).toBe(issued.jwt);
    expect((await t.app.request("/badges/00000000-0000-4000-8000-000000000000.json")).status).toBe(404);

    // Listing a learner's badges is for that learner or an admin.
    expect((await t.app.request("/api/learners/lrn_http/badges")).status).toBe(401);
    const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
    const list = (await (await t.app.request("/api/learners/lrn_http/badges", admin)).json()) as any;
    expect(list.badges).toHaveLength(1);
    expect(list.badges[0]).toMatchObject({ id: issued.id, name: MODULE.title, moduleId: MODULE.id, revoked: false });
    expect(list.badges[0].download.jwt).toBe(`${PUBLIC_URL}/badges/${issued.id}.jwt`);
    expect(((await (await t.app.request("/api/learners/nobody/badges", admin)).json()) as any).badges).toEqual([]);
  });

  it("the verify page shows every check in English and in Japanese, with text escaped", async () => {
    const form = new URLSearchParams({ credential: issued.jwt });
    const en = await t.app.request("/badges/verify", { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(en.status).toBe(200);
    const html = await en.text();
    expect(html).toContain("Valid: every check passed.");
    expect(html.match(/class="check ok"/g)).toHaveLength(7);
    expect(html).toContain("Revocation status");

    const ja = await t.app.request("/badges/verify?lang=ja", { method: "POST", body: new URLSearchParams({ credential: issued.jwt }), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const jaHtml = await ja.text();
    expect(jaHtml).toContain("有効：すべての確認項目を満たしています。");
    expect(jaHtml).toContain("失効状況");

    const evil = { ...issued.json, issuer: { id: "https://evil.example", type: ["Profile"], name: "<script>alert(1)</script>" } };
    const page = await t.app.request("/badges/verify", { method: "POST", body: new URLSearchParams({ credential: JSON.stringify(evil) }), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const evilHtml = await page.text();
    expect(evilHtml).not.toContain("<script>alert(1)</script>");
    expect(evilHtml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(evilHtml.match(/class="check failed"/g)!.length).toBeGreaterThanOrEqual(2);

    const bad = await t.app.request("/badges/verify", { method: "POST", body: new URLSearchParams({ credential: "nonsense" }), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Not a JWT");

    const blank = await t.app.request("/badges/verify?lang=ja");
    expect(blank.status).toBe(200);
    expect(await blank.text()).toContain("マイクロクレデンシャルの検証");

    const byId = await t.app.request(`/badges/verify?id=${issued.id}`);
    expect(await byId.text()).toContain("Valid: every check passed.");
    expect((await t.app.request("/badges/verify?id=nope")).status).toBe(404);
  });

  it("admin revoke needs the token; after it, the credential fails the status check", async () => {
    const other = await issueModuleBadge(t.deps, { learnerId: "lrn_http2", module: MODULE, evidence: EVIDENCE, validUntil: new Date(t.deps.clock.now().getTime() + 90 * DAY) });
    const path = `/api/admin/badges/${other.id}/revoke`;
    const none = await t.app.request(path, { method: "POST" });
    expect([401, 403]).toContain(none.status);
    const wrong = await t.app.request(path, { method: "POST", headers: { Authorization: "Bearer wrong" } });
    expect(wrong.status).toBe(403);
    expect((await verify({ credential: other.jwt })).body.valid).toBe(true);

    const ok = await t.app.request(path, { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify({ reason: "issued in error" }) });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as any;
    expect(body).toMatchObject({ id: other.id, revoked: true, reason: "issued in error" });

    const after = await verify({ credential: other.jwt });
    expect(after.body.valid).toBe(false);
    expect(after.body.checks.find((c: any) => c.check === "status")).toMatchObject({ ok: false });
    expect(after.body.checks.find((c: any) => c.check === "status").reason).toMatch(/^Revoked/);
    // The published list has the bit set; the first badge is still fine.
    const list = (await (await t.app.request(`/badges/status/${body.statusList}`)).json()) as any;
    expect(getBit(await decodeStatusList(list.credentialSubject.encodedList), body.statusIndex)).toBe(true);
    expect((await verify({ credential: issued.jwt })).body.valid).toBe(true);

    const unknown = await t.app.request("/api/admin/badges/00000000-0000-4000-8000-000000000000/revoke", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(unknown.status).toBe(404);
  });

  it("admin key rotation and retirement over HTTP", async () => {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await t.app.request("/api/admin/badges/keys/rotate", { method: "POST" })).status).not.toBe(200);
    const oldKid = splitJwt(issued.jwt).header.kid as string;
    const rotated = (await (await t.app.request("/api/admin/badges/keys/rotate", { method: "POST", headers: auth })).json()) as any;
    expect(rotated.active).not.toBe(oldKid);
    const jwks = (await (await t.app.request("/badges/jwks")).json()) as any;
    expect(jwks.keys.map((k: any) => k.kid).sort()).toEqual([oldKid, rotated.active].sort());
    expect((await verify({ credential: issued.jwt })).body.valid).toBe(true);

    expect((await t.app.request(`/api/admin/badges/keys/${rotated.active}/retire`, { method: "POST", headers: auth })).status).toBe(409);
    expect((await t.app.request(`/api/admin/badges/keys/nope/retire`, { method: "POST", headers: auth })).status).toBe(404);
    const retired = await t.app.request(`/api/admin/badges/keys/${oldKid}/retire`, { method: "POST", headers: auth });
    expect(retired.status).toBe(200);
    const after = await verify({ credential: issued.jwt });
    expect(after.body.valid).toBe(false);
    expect(after.body.checks.find((c: any) => c.check === "signature").reason).toMatch(/not among the keys the issuer publishes/);
  });
});

describe("admin routes without a configured token", () => {
  it("answer 403", async () => {
    const t = await badgeApp({ adminToken: null });
    try {
      const res = await t.app.request("/api/admin/badges/00000000-0000-4000-8000-000000000000/revoke", { method: "POST", headers: { Authorization: "Bearer anything" } });
      expect(res.status).toBe(403);
    } finally {
      t.close();
    }
  });
});

describe("mounted in createApp", () => {
  it("the app serves the badge routes", async () => {
    const { createApp } = await import("../../src/app.js");
    const { badgeDeps } = await import("./helpers.js");
    const t = badgeDeps();
    try {
      const app = createApp(t.deps);
      expect((await app.request("/badges/jwks")).status).toBe(200);
      expect((await app.request("/badges/verify")).status).toBe(200);
      const api = await app.request("/api/badges/verify", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
      expect(api.status).toBe(400);
      expect(((await api.json()) as { error: string }).error).toMatch(/Missing credential/);
    } finally {
      t.close();
    }
  });
});
