import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ltiPlatforms } from "../../src/db/schema/index.js";
import { answers } from "../../src/db/schema/index.js";
import { testRuntime } from "../helpers/runtime.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

const ADMIN = "admin-token-for-privacy-tests";
let now = new Date("2026-01-01T00:00:00Z");
const clock = { now: () => now };

async function call(rt: Runtime, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await rt.app.request(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json, headers: res.headers, text };
}

async function signIn(rt: Runtime, name: string) {
  const r = await call(rt, "POST", "/api/session", { displayName: name });
  return { id: r.body.learner.id as string, auth: { authorization: `Bearer ${r.body.token}` } };
}

describe("identity, access and privacy", () => {
  let rt: Runtime;
  const logs: string[] = [];
  beforeAll(async () => {
    rt = await testRuntime({ env: { FCE_ADMIN_TOKEN: ADMIN, FCE_RATE_LIMIT_ASK_PER_MINUTE: "5", FCE_RETENTION_DAYS: "90" }, clock, log: (l) => logs.push(l) });
  });
  afterAll(() => rt.cleanup());

  it("a learner gets 403 on another learner's progress and on admin and facilitator routes", async () => {
    const aiko = await signIn(rt, "Aiko");
    const ben = await signIn(rt, "Ben");
    expect((await call(rt, "GET", `/api/learners/${ben.id}/progress`, undefined, aiko.auth)).status).toBe(403);
    expect((await call(rt, "GET", `/api/learners/${aiko.id}/progress`, undefined, aiko.auth)).status).toBe(200);
    expect((await call(rt, "GET", "/api/admin/report", undefined, aiko.auth)).status).toBe(403);
    expect((await call(rt, "POST", "/api/admin/roles", { learnerId: aiko.id, role: "admin" }, aiko.auth)).status).toBe(403);
    expect((await call(rt, "POST", "/api/admin/purge", {}, aiko.auth)).status).toBe(403);
    // The admin can make Aiko a facilitator; an admin account then passes admin routes without the token.
    expect((await call(rt, "POST", "/api/admin/roles", { learnerId: aiko.id, role: "admin" }, { authorization: `Bearer ${ADMIN}` })).status).toBe(200);
    expect((await call(rt, "GET", "/api/admin/report", undefined, aiko.auth)).status).toBe(200);
  });

  it("refuses a learnerId in the body that differs from the session", async () => {
    const aiko = await signIn(rt, "Aiko 2");
    const ben = await signIn(rt, "Ben 2");
    const list = await call(rt, "GET", "/api/scenarios");
    const id = list.body[0].id;
    const r = await call(rt, "POST", `/api/scenarios/${id}/attempts`, { learnerId: ben.id, answer: {} }, aiko.auth);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/learnerId/);
  });

  it("answers a question with personal data normally, but stores and logs it masked", async () => {
    const spies = [vi.spyOn(console, "log"), vi.spyOn(console, "error"), vi.spyOn(console, "warn")];
    const question =
      "Applicant Tanaka Hiroshi (passport TZ1234567, born 1999-04-02, hiroshi.tanaka@example.com, +81 90-1234-5678) holds a German Diplom FH. Is he eligible for Japanese graduate programmes?";
    const r = await call(rt, "POST", "/api/ask", { question });
    expect(r.status).toBe(200);
    expect(r.body.abstained).toBe(false);
    expect(r.body.answer).toMatch(/Diplom FH/);
    const stored = await rt.deps.db.select().from(answers);
    const row = stored.find((a) => a.question.includes("Diplom FH"))!;
    for (const secret of ["TZ1234567", "1999-04-02", "hiroshi.tanaka@example.com", "90-1234-5678", "Tanaka"]) {
      expect(row.question).not.toContain(secret);
      expect(row.resolvedQuery).not.toContain(secret);
    }
    expect(row.question).toContain("[passport]");
    const report = await call(rt, "GET", "/api/admin/report", undefined, { authorization: `Bearer ${ADMIN}` });
    expect(JSON.stringify(report.body)).not.toContain("TZ1234567");
    expect(JSON.stringify(report.body)).toContain("[email]");
    const printed = [...logs, ...spies.flatMap((s) => s.mock.calls.map((args) => args.map(String).join(" ")))].join("\n");
    for (const secret of ["TZ1234567", "1999-04-02", "hiroshi.tanaka@example.com"]) expect(printed).not.toContain(secret);
    for (const s of spies) s.mockRestore();
  });

  it("purges stored questions past the retention period", async () => {
    now = new Date("2026-02-01T00:00:00Z");
    await call(rt, "POST", "/api/ask", { question: "What is an accreditation mill?" }, { "x-forwarded-for": "10.9.9.9" });
    const before = (await rt.deps.db.select().from(answers)).length;
    now = new Date("2026-06-01T00:00:00Z"); // 120 days later
    await call(rt, "POST", "/api/ask", { question: "What is a diploma mill?" });
    const purge = await call(rt, "POST", "/api/admin/purge", {}, { authorization: `Bearer ${ADMIN}` });
    expect(purge.status).toBe(200);
    expect(purge.body.purged.answers).toBe(before);
    const left = await rt.deps.db.select().from(answers);
    expect(left.map((a) => a.question)).toEqual(["What is a diploma mill?"]);
  });

  it("lets a learner export and then delete their own data", async () => {
    const me = await signIn(rt, "Chie");
    const list = await call(rt, "GET", "/api/scenarios");
    await call(rt, "POST", `/api/scenarios/${list.body[0].id}/attempts`, { answer: {} }, me.auth);
    const scenario = await call(rt, "GET", `/api/scenarios/${list.body[0].id}`);
    expect(scenario.status).toBe(200);
    await call(rt, "POST", "/api/ask", { question: "How many credits does a Japanese bachelor's degree require?" }, me.auth);
    const exported = await call(rt, "GET", "/api/me/export", undefined, me.auth);
    expect(exported.status).toBe(200);
    expect(exported.body.learner.id).toBe(me.id);
    expect(exported.body.tables.conversations.length).toBe(1);
    expect(exported.body.tables.answers.length).toBe(1);
    expect(exported.body.tables.learner_identities.length).toBe(1);
    const deleted = await call(rt, "DELETE", "/api/me", undefined, me.auth);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted.learners).toBe(1);
    expect((await call(rt, "GET", "/api/me/export", undefined, me.auth)).status).toBe(401);
    const all = await rt.deps.db.select().from(answers);
    expect(all.some((a) => a.question.includes("Japanese bachelor"))).toBe(false);
  });

  it("links a second identity to the same learner with a one-time code", async () => {
    const { redeemLinkCode } = await import("../../src/services/privacy.js");
    const { findOrCreateLearner } = await import("../../src/db/learners.js");
    const me = await signIn(rt, "Daisuke");
    const code = await call(rt, "POST", "/api/me/link-code", {}, me.auth);
    expect(code.status).toBe(201);
    const slackUser = await findOrCreateLearner(rt.deps.db, "slack", "T1:U42", "daisuke", clock.now());
    expect(slackUser.id).not.toBe(me.id);
    const linked = await redeemLinkCode(rt.deps, code.body.code, "slack", "T1:U42");
    expect(linked.learnerId).toBe(me.id);
    expect((await findOrCreateLearner(rt.deps.db, "slack", "T1:U42", "daisuke", clock.now())).id).toBe(me.id);
    await expect(redeemLinkCode(rt.deps, code.body.code, "slack", "T1:U43")).rejects.toThrow(/expired/);
  });

  it("rate-limits questions per identity with 429 and Retry-After", async () => {
    const me = await signIn(rt, "Eri");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const r = await call(rt, "POST", "/api/ask", { question: `What is a diploma mill? (${i})` }, me.auth);
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get("retry-after");
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another learner is not affected.
    const other = await signIn(rt, "Fumi");
    expect((await call(rt, "POST", "/api/ask", { question: "What is a diploma mill?" }, other.auth)).status).toBe(200);
  });

  it("limits request sizes, refuses cross-site form posts, and lets only registered LMS origins frame the pages", async () => {
    const big = await call(rt, "POST", "/api/session", { displayName: "x".repeat(70 * 1024) });
    expect(big.status).toBe(413);
    const form = await rt.app.request("/api/session", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: "displayName=x" });
    expect(form.status).toBe(403);
    const t = new Date();
    await rt.deps.db.insert(ltiPlatforms).values({ id: "p1", name: "Moodle", issuer: "https://moodle.example.ac.jp", clientId: "c1", authUrl: "https://moodle.example.ac.jp/mod/lti/auth.php", tokenUrl: "https://moodle.example.ac.jp/token", jwksUrl: "https://moodle.example.ac.jp/jwks", createdAt: t, updatedAt: t });
    // The origin list is cached for a minute: check through a fresh app on the same database.
    const { createApp } = await import("../../src/app.js");
    const { lmsOrigins } = await import("../../src/services/lms-origins.js");
    const app = createApp({ ...rt.deps, frameAncestors: lmsOrigins(rt.deps.db, () => Date.now()) });
    const csp = (await app.request("/healthz")).headers.get("content-security-policy")!;
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/moodle\.example\.ac\.jp(;|$)/);
    expect(csp).not.toMatch(/frame-ancestors[^;]*\*/);
  });
});
