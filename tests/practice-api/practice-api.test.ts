import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { generateCase } from "../../src/core/practice/index.js";
import { testRuntime } from "../helpers/runtime.js";
import { attempt, authored, call, startSession } from "./helpers.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;
const ADMIN = "practice-admin-token";

describe("practice API", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await testRuntime({ env: { FCE_ADMIN_TOKEN: ADMIN } });
  });
  afterAll(() => rt.cleanup());

  describe("GET /api/scenarios", () => {
    it("lists the authored cases with id, type, title, skill and difficulty only", async () => {
      const { status, body } = await call(rt.app, "GET", "/api/scenarios");
      expect(status).toBe(200);
      expect(body.length).toBeGreaterThanOrEqual(40);
      for (const s of body) expect(Object.keys(s).sort()).toEqual(["difficulty", "id", "skill", "title", "type"]);
      expect(new Set(body.map((s: any) => s.type))).toEqual(new Set(["mill", "level", "recognition", "credits", "authenticity", "credential"]));
      expect(body.some((s: any) => s.id.startsWith("gen-"))).toBe(false);
    });

    it("filters by type, skill and difficulty, combined", async () => {
      const mills = await call(rt.app, "GET", "/api/scenarios?type=mill");
      expect(mills.body.length).toBeGreaterThan(0);
      expect(mills.body.every((s: any) => s.type === "mill")).toBe(true);
      const credits = await call(rt.app, "GET", "/api/scenarios?skill=credits");
      expect(credits.body.length).toBeGreaterThan(0);
      expect(credits.body.every((s: any) => s.skill === "credits")).toBe(true);
      const hardMills = await call(rt.app, "GET", "/api/scenarios?type=mill&difficulty=3");
      expect(hardMills.body.length).toBeGreaterThan(0);
      expect(hardMills.body.every((s: any) => s.type === "mill" && s.difficulty === 3)).toBe(true);
      const all = await call(rt.app, "GET", "/api/scenarios");
      const byDifficulty = await Promise.all([1, 2, 3].map((d) => call(rt.app, "GET", `/api/scenarios?difficulty=${d}`)));
      expect(byDifficulty.reduce((n, r) => n + r.body.length, 0)).toBe(all.body.length);
    });

    it("a bad filter value is a 400 naming the parameter", async () => {
      for (const [q, name] of [
        ["type=transcript", "type"],
        ["skill=juggling", "skill"],
        ["difficulty=4", "difficulty"],
        ["difficulty=easy", "difficulty"],
        ["type=mill&type=level", "type"],
      ] as const) {
        const r = await call(rt.app, "GET", `/api/scenarios?${q}`);
        expect(r.status, q).toBe(400);
        expect(r.body.error).toContain(name);
      }
    });
  });

  describe("GET /api/scenarios/:id", () => {
    it("shows the dossier, question and answer options without the key, rubric, feedback or sources", async () => {
      const id = "mill-accreditor-for-sale";
      const source = authored(id);
      const { status, body } = await call(rt.app, "GET", `/api/scenarios/${id}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ id, type: "mill", title: source.title, skill: source.skill, difficulty: source.difficulty, question: source.question, generated: false });
      expect(body.dossier.institution).toBe(source.dossier.institution);
      for (const key of ["answer", "rubric", "sources", "tags", "feedback"]) expect(body).not.toHaveProperty(key);
      const { form, ...rest } = body;
      const text = JSON.stringify(rest);
      for (const flag of source.answer.flags as string[]) expect(text).not.toContain(flag);
      expect(text).not.toContain(source.answer.verdict);
      expect(text).not.toContain("expected");
      for (const item of source.rubric) expect(text).not.toContain(item.feedback.correct);
      expect(body.maxScore).toBe(source.rubric.reduce((s: number, i: any) => s + i.points, 0));
      // The form lists every allowed option (all flags, not just the expected ones) in English and Japanese.
      const flags = form.find((f: any) => f.field === "flags");
      expect(flags.kind).toBe("multi");
      expect(flags.options.length).toBeGreaterThan(20);
      expect(flags.options.find((o: any) => o.id === "po_box_only")).toEqual({ id: "po_box_only", en: expect.any(String), ja: expect.any(String) });
      const verdict = form.find((f: any) => f.field === "verdict");
      expect(verdict.options.map((o: any) => o.id).sort()).toEqual(["accreditation_mill", "diploma_mill", "legitimate", "verify_further"]);
    });

    it("includes title_ja and the form of each case type", async () => {
      const level = await call(rt.app, "GET", "/api/scenarios/mill-unu-graduate");
      expect(level.body.title_ja).toBe(authored("mill-unu-graduate").title_ja);
      const expectFields: Record<string, string[]> = {
        level: ["level", "admission", "justification"],
        recognition: ["decision", "elements", "justification"],
        credits: ["value", "unit", "grade", "justification"],
        authenticity: ["steps", "inconsistencies", "justification"],
      };
      for (const [type, fields] of Object.entries(expectFields)) {
        const list = await call(rt.app, "GET", `/api/scenarios?type=${type}`);
        const one = await call(rt.app, "GET", `/api/scenarios/${list.body[0].id}`);
        expect(one.body.form.map((f: any) => f.field)).toEqual(fields);
        expect(one.body).not.toHaveProperty("answer");
      }
    });

    it("an unknown id is a 404 with a message", async () => {
      const r = await call(rt.app, "GET", "/api/scenarios/no-such-case");
      expect(r.status).toBe(404);
      expect(r.body.error).toContain("no-such-case");
    });
  });

  describe("POST /api/scenarios/:id/attempts", () => {
    it("the answer key scores full marks, with cited feedback, and the attempt is stored", async () => {
      const { token, learnerId } = await startSession(rt.app);
      const id = "mill-accreditor-for-sale";
      const key = authored(id).answer;
      const r = await attempt(rt.app, token, id, key);
      expect(r.status).toBe(200);
      expect(r.body.attemptId).toMatch(/^att_/);
      expect(r.body.score).toBe(r.body.maxScore);
      expect(r.body.maxScore).toBe(12);
      for (const item of r.body.items) {
        expect(Object.keys(item)).toEqual(expect.arrayContaining(["item", "earned", "max", "feedback", "citations"]));
        expect(item.earned).toBe(item.max);
        expect(item.citations.length).toBeGreaterThan(0);
        for (const c of item.citations) {
          expect(Object.keys(c).sort()).toEqual(["chunkId", "date", "documentId", "n", "quote", "title", "url"]);
          expect(c.url).toContain(encodeURIComponent(c.chunkId));
          // The citation points at a real passage that holds the quote.
          const passage = await call(rt.app, "GET", `/api/sources/${encodeURIComponent(c.chunkId)}`);
          expect(passage.status).toBe(200);
          expect(passage.body.text.replace(/\s+/g, " ")).toContain(c.quote.replace(/\s+/g, " "));
        }
      }
      const progress = await call(rt.app, "GET", `/api/learners/${learnerId}/progress`, { token });
      expect(progress.status).toBe(200);
      expect(progress.body.history).toHaveLength(1);
      expect(progress.body.history[0]).toMatchObject({ attemptId: r.body.attemptId, scenarioId: id, score: 12, maxScore: 12, passed: true, generated: false });
      const mills = progress.body.mastery.find((m: any) => m.skill === "mills");
      expect(mills).toMatchObject({ attempts: 1, passed: 1 });
      expect(mills.pL).toBeGreaterThan(0.2);
      expect(progress.body.next).toMatchObject({ scenarioId: expect.any(String), reason: "weakest_skill" });
      expect(progress.body.next.scenarioId).not.toBe(id);
      expect(progress.body.paths[0]).toMatchObject({ pathId: "fce-foundations", complete: false });
      expect(progress.body.paths[0].modules.length).toBeGreaterThan(1);
    });

    it("gives partial credit and takes points off for false flags", async () => {
      const { token } = await startSession(rt.app);
      const r = await attempt(rt.app, token, "mill-accreditor-for-sale", {
        verdict: "diploma_mill",
        flags: ["accreditation_for_sale", "no_site_visit", "life_experience_degree"],
      });
      expect(r.status).toBe(200);
      const by = Object.fromEntries(r.body.items.map((i: any) => [i.item, i]));
      expect(by.verdict).toMatchObject({ earned: 2, max: 4, status: "partial" });
      expect(by.flags).toMatchObject({ earned: 2.5, max: 5, status: "partial" });
      expect(by["no-false-flags"]).toMatchObject({ earned: 0, max: 1, status: "incorrect" });
      expect(by["no-false-flags"].details.join(" ")).toMatch(/life or work experience/);
      expect(by.reasoning.earned).toBe(0);
      expect(r.body.score).toBe(4.5);
      expect(r.body.passed).toBe(false);

      // Over-flagging a legitimate institution costs points; the score never goes below zero.
      const unu = await attempt(rt.app, token, "mill-unu-graduate", { verdict: "legitimate", flags: ["po_box_only"] });
      expect(unu.body.items.find((i: any) => i.item === "no-false-flags")).toMatchObject({ earned: 1.5, max: 3 });
      expect(unu.body.score).toBe(5.5);
      const many = await attempt(rt.app, token, "mill-unu-graduate", { verdict: "diploma_mill", flags: ["po_box_only", "no_coursework", "sample_diplomas", "backdating_offered"] });
      expect(many.body.items.find((i: any) => i.item === "no-false-flags").earned).toBeLessThan(0);
      expect(many.body.score).toBe(0);
    });

    it("stores the answer with the justification masked, and startedAt", async () => {
      const masked = createApp({ ...rt.deps, maskPersonalData: (t) => t.replace(/Selin Abarova/g, "[name]") });
      const { token } = await startSession(masked);
      const r = await attempt(masked, token, "mill-unu-graduate", { verdict: "legitimate", justification: "Selin Abarova studied at the United Nations University, an international university." }, { startedAt: "2026-01-05T09:00:00Z" });
      expect(r.status).toBe(200);
      const stored = await call(masked, "GET", `/api/attempts/${r.body.attemptId}`, { token });
      expect(stored.status).toBe(200);
      expect(stored.body.answer.justification).toBe("[name] studied at the United Nations University, an international university.");
      expect(JSON.stringify(stored.body)).not.toContain("Selin Abarova");
      expect(stored.body.items.length).toBe(r.body.items.length);
      const other = await startSession(masked);
      expect((await call(masked, "GET", `/api/attempts/${r.body.attemptId}`, { token: other.token })).status).toBe(404);
    });

    it("bad input gets 400/401/403/404 with a message naming the problem", async () => {
      const { token, learnerId } = await startSession(rt.app);
      const other = await startSession(rt.app, "Someone else");
      const id = "mill-unu-graduate";

      const noSession = await call(rt.app, "POST", `/api/scenarios/${id}/attempts`, { body: { answer: { verdict: "legitimate" } } });
      expect(noSession.status).toBe(401);
      expect(noSession.body.error).toMatch(/session/i);

      const spoofed = await attempt(rt.app, token, id, { verdict: "legitimate" }, { learnerId: other.learnerId });
      expect(spoofed.status).toBe(403);
      expect(spoofed.body.error).toMatch(/learnerId/);
      const own = await attempt(rt.app, token, id, { verdict: "legitimate" }, { learnerId });
      expect(own.status).toBe(200);

      const unknown = await attempt(rt.app, token, "no-such-case", { verdict: "legitimate" });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toContain("no-such-case");

      const unknownFlag = await attempt(rt.app, token, id, { verdict: "legitimate", flags: ["po_box_only", "made_up_flag"] });
      expect(unknownFlag.status).toBe(400);
      expect(unknownFlag.body.error).toContain("answer.flags[1]");
      expect(unknownFlag.body.error).toContain("made_up_flag");
      expect(unknownFlag.body.errors[0]).toEqual({ field: "answer.flags[1]", message: 'unknown flag id "made_up_flag"' });

      const badVerdict = await attempt(rt.app, token, id, { verdict: "fake" });
      expect(badVerdict.status).toBe(400);
      expect(badVerdict.body.error).toContain("answer.verdict");

      const missingVerdict = await attempt(rt.app, token, id, { flags: [] });
      expect(missingVerdict.status).toBe(400);
      expect(missingVerdict.body.error).toContain("answer.verdict");

      const wrongType = await attempt(rt.app, token, id, { level: 6, admission: "master" });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error).toMatch(/answer/);

      const notObject = await attempt(rt.app, token, id, "legitimate");
      expect(notObject.status).toBe(400);
      expect(notObject.body.error).toContain("answer");

      const noAnswer = await call(rt.app, "POST", `/api/scenarios/${id}/attempts`, { token, body: {} });
      expect(noAnswer.status).toBe(400);
      expect(noAnswer.body.error).toContain("answer");

      const arrayBody = await call(rt.app, "POST", `/api/scenarios/${id}/attempts`, { token, body: [1, 2] });
      expect(arrayBody.status).toBe(400);

      const malformed = await call(rt.app, "POST", `/api/scenarios/${id}/attempts`, { token, body: "{not json" });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatch(/JSON/);

      const badStarted = await attempt(rt.app, token, id, { verdict: "legitimate" }, { startedAt: "yesterday" });
      expect(badStarted.status).toBe(400);
      expect(badStarted.body.error).toContain("startedAt");

      const levelCase = await attempt(rt.app, token, "level-german-diplom-fh", { level: 9, admission: "master" });
      expect(levelCase.status).toBe(400);
      expect(levelCase.body.error).toContain("answer.level");

      // Only the one good attempt was stored.
      const progress = await call(rt.app, "GET", `/api/learners/${learnerId}/progress`, { token });
      expect(progress.body.history).toHaveLength(1);
    });
  });

  describe("GET /api/learners/:id/progress", () => {
    it("only the learner themself or an admin may read it", async () => {
      const a = await startSession(rt.app, "A");
      const b = await startSession(rt.app, "B");
      await attempt(rt.app, a.token, "mill-unu-graduate", { verdict: "legitimate" });
      const forbidden = await call(rt.app, "GET", `/api/learners/${a.learnerId}/progress`, { token: b.token });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error).toBeTruthy();
      const anonymous = await call(rt.app, "GET", `/api/learners/${a.learnerId}/progress`);
      expect(anonymous.status).toBe(401);
      const wrongAdmin = await call(rt.app, "GET", `/api/learners/${a.learnerId}/progress`, { headers: { authorization: "Bearer not-the-token" } });
      expect(wrongAdmin.status).toBe(401);
      const admin = await call(rt.app, "GET", `/api/learners/${a.learnerId}/progress`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(admin.status).toBe(200);
      expect(admin.body.learnerId).toBe(a.learnerId);
      expect(admin.body.history).toHaveLength(1);
      const adminUnknown = await call(rt.app, "GET", `/api/learners/lrn_nobody/progress`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(adminUnknown.status).toBe(404);
    });

    it("a missed case comes back for review", async () => {
      const { token, learnerId } = await startSession(rt.app);
      await attempt(rt.app, token, "mill-unu-graduate", { verdict: "diploma_mill" });
      const p = await call(rt.app, "GET", `/api/learners/${learnerId}/progress`, { token });
      expect(p.body.reviews).toEqual([expect.objectContaining({ scenarioId: "mill-unu-graduate", due: false })]);
    });
  });

  describe("generated cases", () => {
    it("are reproducible by seed, come without their key, and are gradable", async () => {
      const first = await call(rt.app, "GET", "/api/scenarios/generated?type=mill&seed=1234");
      expect(first.status).toBe(200);
      const again = await call(rt.app, "GET", "/api/scenarios/generated?type=mill&seed=1234");
      expect(again.body).toEqual(first.body);
      expect(first.body).toMatchObject({ id: "gen-mill-1234", type: "mill", generated: true, seed: 1234 });
      const other = await call(rt.app, "GET", "/api/scenarios/generated?type=mill&seed=1235");
      expect(other.body.dossier).not.toEqual(first.body.dossier);
      const byId = await call(rt.app, "GET", "/api/scenarios/gen-mill-1234");
      expect(byId.body).toEqual(first.body);

      const kase = generateCase("mill", 1234);
      for (const key of ["answer", "rubric", "sources"]) expect(first.body).not.toHaveProperty(key);
      const { form, ...rest } = first.body;
      for (const flag of kase.type === "mill" ? kase.answer.flags : []) expect(JSON.stringify(rest)).not.toContain(flag);

      const { token, learnerId } = await startSession(rt.app);
      const full = await attempt(rt.app, token, "gen-mill-1234", kase.answer);
      expect(full.status).toBe(200);
      expect(full.body.score).toBe(full.body.maxScore);
      expect(full.body.maxScore).toBe(first.body.maxScore);
      expect(full.body.items.every((i: any) => i.citations.length > 0)).toBe(true);
      const wrong = await attempt(rt.app, token, "gen-mill-1234", { verdict: "legitimate", flags: [] });
      expect(wrong.body.score).toBeLessThan(wrong.body.maxScore);

      const level = await call(rt.app, "GET", "/api/scenarios/generated?type=level&seed=7");
      expect(level.body.id).toBe("gen-level-7");
      const levelKey = generateCase("level", 7).answer;
      const graded = await attempt(rt.app, token, "gen-level-7", levelKey);
      expect(graded.body.score).toBe(graded.body.maxScore);

      const progress = await call(rt.app, "GET", `/api/learners/${learnerId}/progress`, { token });
      expect(progress.body.history[progress.body.history.length - 1]).toMatchObject({ scenarioId: "gen-mill-1234", generated: true, seed: 1234 });
    });

    it("without a seed, a random one is chosen and returned", async () => {
      const r = await call(rt.app, "GET", "/api/scenarios/generated?type=level");
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(`gen-level-${r.body.seed}`);
    });

    it("a bad type or seed is a 400 naming it", async () => {
      for (const [q, name] of [
        ["type=credits&seed=1", "type"],
        ["seed=1", "type"],
        ["type=mill&seed=abc", "seed"],
        ["type=mill&seed=-1", "seed"],
        ["type=mill&seed=1.5", "seed"],
        ["type=mill&seed=4294967296", "seed"],
      ] as const) {
        const r = await call(rt.app, "GET", `/api/scenarios/generated?${q}`);
        expect(r.status, q).toBe(400);
        expect(r.body.error).toContain(name);
      }
      const unknown = await call(rt.app, "GET", "/api/scenarios/gen-credits-1");
      expect(unknown.status).toBe(404);
    });
  });

  describe("training paths", () => {
    it("GET /api/paths lists the paths; GET /api/paths/:id resolves reading to passages and lists cases", async () => {
      const list = await call(rt.app, "GET", "/api/paths");
      expect(list.status).toBe(200);
      expect(list.body.map((p: any) => p.id)).toContain("fce-foundations");
      const path = await call(rt.app, "GET", "/api/paths/fce-foundations");
      expect(path.status).toBe(200);
      expect(path.body.modules.length).toBeGreaterThan(3);
      const first = path.body.modules[0];
      expect(first).toMatchObject({ id: "recognition-principles", skills: ["recognition"], masteryThreshold: 0.6 });
      expect(first.reading.length).toBeGreaterThan(0);
      for (const r of first.reading) {
        expect(r).toMatchObject({ chunkId: expect.any(String), documentId: expect.any(String), title: expect.any(String), quote: expect.any(String), url: expect.stringContaining("/sources/") });
        const passage = await call(rt.app, "GET", `/api/sources/${encodeURIComponent(r.chunkId)}`);
        expect(passage.status).toBe(200);
      }
      expect(first.cases.map((c: any) => c.id)).toEqual(["rec-abitur-undergraduate", "rec-course-titles-differ", "rec-german-bachelor-graduate-entry"]);
      expect(Object.keys(first.cases[0])).toEqual(expect.arrayContaining(["id", "type", "title", "skill", "difficulty"]));
      expect(JSON.stringify(path.body)).not.toContain('"answer"');
      const unknown = await call(rt.app, "GET", "/api/paths/no-such-path");
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toContain("no-such-path");
    });
  });
});
