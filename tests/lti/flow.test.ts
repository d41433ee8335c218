import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { drainOutbox, reportScore, verifySessionToken } from "../../src/channels/lti/index.js";
import { connect, fixtureFolders, launch, ltiRuntime, MODULES, registerEmulator, type LtiTestRuntime } from "./helpers.js";
import { C, PlatformEmulator, ROLE, SCORE_SCOPE, type EmuUser } from "./platform-emulator.js";

type Outbox = { status: string; attempts: number; next_attempt_at: number; last_error: string | null; last_status: number | null };

describe("LTI 1.3 full flow against the platform emulator", () => {
  const emu = new PlatformEmulator();
  let folders: ReturnType<typeof fixtureFolders>;
  let rt: LtiTestRuntime;
  const dataDir = () => join(folders.root, "data");
  const teacher: EmuUser = { id: "teacher-1", name: "Prof. Sato", roles: [ROLE.instructor] };
  const outboxRow = (id: string) => rt.db.$client.prepare("SELECT status, attempts, next_attempt_at, last_error, last_status FROM lti_score_outbox WHERE id = ?").get(id) as Outbox;

  beforeAll(async () => {
    await emu.start();
    folders = fixtureFolders();
    rt = await ltiRuntime(folders, dataDir());
    await registerEmulator(rt, emu);
    connect(emu, () => rt);
  });
  afterAll(async () => {
    rt.close();
    folders.cleanup();
    await emu.close();
  });

  it("login -> launch -> module completed -> score received by the platform; the instructor sees it with the roster", async () => {
    const link = emu.addLink("fce-basics");
    const student: EmuUser = { id: "student-1", name: "Kenji Mori", email: "kenji@example.ac.jp", roles: [ROLE.learner] };
    emu.members = [
      { user_id: "student-1", name: "Kenji Mori", roles: [ROLE.learner], status: "Active" },
      { user_id: "student-2", roles: [ROLE.learner], status: "Active" },
      { user_id: "teacher-1", name: "Prof. Sato", roles: [ROLE.instructor], status: "Active" },
    ];
    const r = await launch(rt, emu, { user: student, link }, true);
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^http:\/\/localhost\/practice\?module=fce-basics&session=/);
    const { learnerId } = await verifySessionToken(rt.deps, r.session!);

    // The practice feature reports the completed module.
    const queued = await reportScore(rt.deps, { learnerId, moduleId: "fce-basics", scoreGiven: 8, scoreMaximum: 10, activityProgress: "Completed", gradingProgress: "FullyGraded", timestamp: new Date("2026-11-22T10:00:00Z") });
    expect(queued.enqueued).toBe(1);
    expect(await drainOutbox(rt.deps)).toEqual({ attempted: 1, delivered: 1, retried: 0, failed: 0 });
    expect(emu.scores).toHaveLength(1);
    expect(emu.scores[0]).toMatchObject({
      lineItemId: link.lineItemId,
      query: "?type_id=1",
      body: { userId: "student-1", scoreGiven: 8, scoreMaximum: 10, activityProgress: "Completed", gradingProgress: "FullyGraded", timestamp: "2026-11-22T10:00:00.000Z" },
    });
    expect(emu.tokenRequests.map((t) => t.scope)).toEqual([SCORE_SCOPE]);
    expect(emu.tokenRequests[0]!.assertion).toMatchObject({ iss: emu.clientId, sub: emu.clientId, aud: emu.tokenUrl });
    expect(outboxRow(queued.outboxIds[0]!)).toMatchObject({ status: "delivered", attempts: 1, last_status: 204 });

    // A second completion reuses the cached access token.
    await reportScore(rt.deps, { learnerId, moduleId: "fce-basics", scoreGiven: 9, scoreMaximum: 10 });
    await drainOutbox(rt.deps);
    expect(emu.scores).toHaveLength(2);
    expect(emu.tokenRequests).toHaveLength(1);
    // Nothing for a module the learner never launched from the LMS.
    expect((await reportScore(rt.deps, { learnerId, moduleId: "mill-detection", scoreGiven: 1, scoreMaximum: 1 })).enqueued).toBe(0);

    // The instructor launches the same link and sees results, roster (NRPS) and progress.
    const t = await launch(rt, emu, { user: teacher, link });
    expect(t.status).toBe(303);
    const page = await rt.app.request(t.location!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Results: FCE basics: recognise unless a substantial difference");
    expect(html).toContain("<td>Kenji Mori</td><td>fce-basics</td><td>9 / 10</td>");
    expect(html).toContain("sent to the gradebook");
    expect(html).toContain(`progress of ${learnerId}: 3 of 6 cases`);
    expect(html).toContain("(name not shared) student-2");
    expect(html).toContain("Prof. Sato");
    expect(html).toContain('id="no-failures"');
    expect(emu.tokenRequests.map((x) => x.scope)).toContain("https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly");
  });

  it("deep linking round trip: picker -> signed LtiResourceLink with a line item -> platform -> learner launch -> score", async () => {
    const dl = await launch(rt, emu, { user: teacher, messageType: "LtiDeepLinkingRequest" });
    expect(dl.status).toBe(200);
    for (const m of MODULES) expect(dl.body).toContain(m.title);
    expect(dl.session).toBeTruthy();

    const res = await rt.app.request("http://localhost/lti/deep-link", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ session: dl.session!, module: "mill-detection" }).toString(),
    });
    expect(res.status).toBe(200);
    const form = await res.text();
    const action = /action="([^"]+)"/.exec(form)![1]!;
    const jwt = /name="JWT" value="([^"]+)"/.exec(form)![1]!;
    expect(action).toBe(`${emu.issuer}/deep-link-return`);
    // Posted by a script file: the app's Content-Security-Policy allows no inline script.
    expect(form).toContain('src="autosubmit.js"');
    expect(form).toContain("data-autosubmit");
    expect(form).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(await (await rt.app.request("http://localhost/lti/autosubmit.js")).text()).toContain("f.submit()");

    // Our signature verifies with our published JWKS.
    const jwks = (await (await rt.app.request("http://localhost/lti/jwks")).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: emu.clientId, audience: emu.issuer, algorithms: ["RS256"] });
    expect(protectedHeader.kid).toBe(jwks.keys[0]!.kid);
    expect(payload).toMatchObject({
      [C.messageType]: "LtiDeepLinkingResponse",
      [C.version]: "1.3.0",
      [C.deploymentId]: emu.deploymentId,
      [C.dlData]: "platform-opaque-data-42",
    });
    expect(payload.nonce).toBeTruthy();
    expect(payload[C.contentItems]).toEqual([
      {
        type: "ltiResourceLink",
        title: "Spotting diploma mills",
        text: "Accreditation mills and look-alike names",
        url: "http://localhost/lti/launch",
        custom: { module_id: "mill-detection" },
        lineItem: { scoreMaximum: 100, label: "Spotting diploma mills", resourceId: "mill-detection", tag: "fce-coach" },
      },
    ]);

    // The browser posts the form to the platform, which creates the graded link.
    const back = await fetch(action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ JWT: jwt }) });
    expect(back.status).toBe(200);
    const created = [...emu.links.values()].find((l) => l.custom.module_id === "mill-detection" && l.title === "Spotting diploma mills")!;
    expect(created.lineItemId).toBeTruthy();

    const student: EmuUser = { id: "student-dl", name: "Hana Ito", roles: [ROLE.learner] };
    const r = await launch(rt, emu, { user: student, link: created });
    expect(r.status).toBe(303);
    expect(new URL(r.location!).searchParams.get("module")).toBe("mill-detection");
    const { learnerId } = await verifySessionToken(rt.deps, r.session!);
    await reportScore(rt.deps, { learnerId, moduleId: "mill-detection", scoreGiven: 3, scoreMaximum: 4 });
    await drainOutbox(rt.deps);
    expect(emu.scores.at(-1)).toMatchObject({ lineItemId: created.lineItemId, body: { userId: "student-dl", scoreGiven: 3, scoreMaximum: 4 } });

    // A learner session cannot deep-link; an unknown module is refused.
    const bad = await rt.app.request("http://localhost/lti/deep-link", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ session: r.session!, module: "mill-detection" }).toString(),
    });
    expect(bad.status).toBe(400);
    const unknown = await rt.app.request("http://localhost/lti/deep-link", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ session: dl.session!, module: "nope" }).toString(),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/Unknown module "nope"/);
  });

  it("a score reaches the platform after it was down for three attempts, with a tool restart in between", async () => {
    const link = emu.addLink("fce-basics");
    const student: EmuUser = { id: "student-outage", name: "Yui Abe", roles: [ROLE.learner] };
    const r = await launch(rt, emu, { user: student, link });
    const { learnerId } = await verifySessionToken(rt.deps, r.session!);
    emu.failScores = { remaining: 3, status: 503, body: '{"error":"maintenance"}' };
    onTestFinished(() => {
      emu.failScores.remaining = 0;
    });
    const before = emu.scores.length;
    const attemptsBefore = emu.scoreAttempts;

    const { outboxIds } = await reportScore(rt.deps, { learnerId, moduleId: "fce-basics", scoreGiven: 7, scoreMaximum: 10 });
    const t0 = Date.now();
    const id = outboxIds[0]!;
    expect(await drainOutbox(rt.deps, new Date(t0))).toMatchObject({ attempted: 1, retried: 1 });
    let row = outboxRow(id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, last_status: 503 });
    expect(row.last_error).toMatch(/503.*maintenance/);
    expect(row.next_attempt_at).toBe(t0 + 30_000);
    // Not due yet: nothing is sent.
    expect(await drainOutbox(rt.deps, new Date(t0 + 29_000))).toMatchObject({ attempted: 0 });
    expect(await drainOutbox(rt.deps, new Date(t0 + 30_000))).toMatchObject({ attempted: 1, retried: 1 });
    row = outboxRow(id);
    expect(row).toMatchObject({ attempts: 2 });
    expect(row.next_attempt_at).toBe(t0 + 30_000 + 60_000);

    // The tool restarts: a new runtime on the same data folder (same database, same keys).
    rt.close();
    rt = await ltiRuntime(folders, dataDir());
    expect(outboxRow(id)).toMatchObject({ status: "pending", attempts: 2 });
    expect(await drainOutbox(rt.deps, new Date(t0 + 90_000))).toMatchObject({ attempted: 1, retried: 1 });
    expect(outboxRow(id)).toMatchObject({ status: "pending", attempts: 3 });
    expect(emu.scores.length).toBe(before);
    expect(await drainOutbox(rt.deps, new Date(t0 + 90_000 + 120_000))).toMatchObject({ attempted: 1, delivered: 1 });
    expect(outboxRow(id)).toMatchObject({ status: "delivered", attempts: 4, last_error: null });
    expect(emu.scoreAttempts - attemptsBefore).toBe(4);
    expect(emu.scores.length).toBe(before + 1);
    expect(emu.scores.at(-1)!.body).toMatchObject({ userId: "student-outage", scoreGiven: 7 });
    // Delivered once: draining again sends nothing.
    expect(await drainOutbox(rt.deps, new Date(t0 + 10 * 60_000))).toMatchObject({ attempted: 0 });
  });

  it("an unreachable platform is retried; a newer score supersedes an unsent older one", async () => {
    const net = await ltiRuntime(folders, dataDir());
    let down = false;
    net.deps.lti = {
      ...net.deps.lti,
      fetch: (input, init) => (down ? Promise.reject(new TypeError("fetch failed: connect ECONNREFUSED 127.0.0.1")) : fetch(input, init)),
    };
    const row = (id: string) => net.db.$client.prepare("SELECT status, last_error FROM lti_score_outbox WHERE id = ?").get(id) as { status: string; last_error: string };
    try {
      const link = emu.addLink("fce-basics");
      const r = await launch(net, emu, { user: { id: "student-net", roles: [ROLE.learner] }, link });
      const { learnerId } = await verifySessionToken(net.deps, r.session!);
      down = true;
      const first = await reportScore(net.deps, { learnerId, moduleId: "fce-basics", scoreGiven: 2, scoreMaximum: 10 });
      const now = Date.now();
      expect(await drainOutbox(net.deps, new Date(now))).toMatchObject({ attempted: 1, retried: 1 });
      expect(row(first.outboxIds[0]!)).toMatchObject({ status: "pending" });
      expect(row(first.outboxIds[0]!).last_error).toMatch(/unreachable.*ECONNREFUSED/);
      const second = await reportScore(net.deps, { learnerId, moduleId: "fce-basics", scoreGiven: 6, scoreMaximum: 10 });
      expect(row(first.outboxIds[0]!).status).toBe("superseded");
      down = false;
      expect(await drainOutbox(net.deps, new Date(now + 60_000))).toMatchObject({ attempted: 1, delivered: 1 });
      expect(row(second.outboxIds[0]!).status).toBe("delivered");
      expect(emu.scores.at(-1)!.body).toMatchObject({ userId: "student-net", scoreGiven: 6 });
    } finally {
      net.close();
    }
  });

  it("a 4xx is recorded as failed with the platform's reason and shown to the instructor", async () => {
    const link = emu.addLink("fce-basics");
    const r = await launch(rt, emu, { user: { id: "student-gone", name: "Sora Kato", roles: [ROLE.learner] }, link });
    const { learnerId } = await verifySessionToken(rt.deps, r.session!);
    emu.rejectScores = { status: 404, body: '{"error":"line item was deleted"}' };
    try {
      const { outboxIds } = await reportScore(rt.deps, { learnerId, moduleId: "fce-basics", scoreGiven: 5, scoreMaximum: 10 });
      expect(await drainOutbox(rt.deps)).toMatchObject({ attempted: 1, failed: 1 });
      const row = outboxRow(outboxIds[0]!);
      expect(row).toMatchObject({ status: "failed", attempts: 1, last_status: 404 });
      expect(row.last_error).toMatch(/404.*line item was deleted/);
      // Failed rows are not retried.
      expect(await drainOutbox(rt.deps, new Date(Date.now() + 24 * 3600_000))).toMatchObject({ attempted: 0 });
    } finally {
      emu.rejectScores = undefined;
    }
    const t = await launch(rt, emu, { user: teacher, link });
    const html = await (await rt.app.request(t.location!)).text();
    expect(html).toContain('id="failures"');
    expect(html).toContain("Sora Kato");
    expect(html).toMatch(/HTTP 404: .*line item was deleted/);
  });

  it("the Node worker sends due scores on its own", async () => {
    const worker = await ltiRuntime(folders, dataDir(), { FCE_LTI_OUTBOX_INTERVAL_MS: "50" });
    try {
      const link = emu.addLink("fce-basics");
      const r = await launch(worker, emu, { user: { id: "student-worker", roles: [ROLE.learner] }, link });
      const { learnerId } = await verifySessionToken(worker.deps, r.session!);
      const before = emu.scores.length;
      await reportScore(worker.deps, { learnerId, moduleId: "fce-basics", scoreGiven: 10, scoreMaximum: 10 });
      const deadline = Date.now() + 5000;
      while (emu.scores.length === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 25));
      expect(emu.scores.length).toBe(before + 1);
      expect(emu.scores.at(-1)!.body).toMatchObject({ userId: "student-worker", scoreGiven: 10 });
    } finally {
      worker.close();
    }
  });

  it("reportScore validates its input", async () => {
    await expect(reportScore(rt.deps, { learnerId: "x", moduleId: "m", scoreGiven: -1, scoreMaximum: 10 })).rejects.toThrow(/scoreGiven/);
    await expect(reportScore(rt.deps, { learnerId: "x", moduleId: "m", scoreGiven: 1, scoreMaximum: 0 })).rejects.toThrow(/scoreMaximum/);
    await expect(reportScore(rt.deps, { learnerId: "x", moduleId: "", scoreGiven: 1, scoreMaximum: 1 })).rejects.toThrow(/moduleId/);
  });
});
