/**
 * The HTTP contract of FCE Coach, run against both runtimes: the Node app (`app.request`, see
 * node-contract.test.ts) and the Worker on `wrangler dev --local` (real HTTP, see
 * tests/worker/worker.test.ts). Each runtime starts over the bundled corpus with an admin token.
 */
import { describe, expect, it } from "vitest";

/** A fetch-like target: a path (with query) and request options, to a Response. */
export type FetchLike = (path: string, init?: RequestInit) => Promise<Response>;

export interface ContractTarget {
  fetch: FetchLike;
  /** The runtime's FCE_ADMIN_TOKEN. */
  adminToken: string;
}

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export async function call(f: FetchLike, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await f(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    /* HTML, CSV or empty */
  }
  return { status: res.status, body: json, text, headers: res.headers };
}

const q = (s: string) => encodeURIComponent(s);

export function defineHttpContract(runtime: string, target: () => ContractTarget): void {
  const get = (path: string, headers?: Record<string, string>) => call(target().fetch, "GET", path, undefined, headers);
  const post = (path: string, body?: unknown, headers?: Record<string, string>) => call(target().fetch, "POST", path, body, headers);

  describe(`HTTP contract on ${runtime}`, () => {
    describe("health, search and sources", () => {
      it("GET /healthz reports documents and chunks", async () => {
        const { status, body } = await get("/healthz");
        expect(status).toBe(200);
        expect(body.status).toBe("ok");
        expect(body.documents).toBeGreaterThanOrEqual(6);
        expect(body.chunks).toBeGreaterThan(body.documents);
        expect(body.problems).toBeUndefined();
      });

      it("GET /api/search returns ranked passages with metadata", async () => {
        const { status, body } = await get(`/api/search?q=${q("What is an accreditation mill?")}&k=3`);
        expect(status).toBe(200);
        expect(body.mode).toBe("hybrid");
        expect(body.results).toHaveLength(3);
        expect(Object.keys(body.results[0])).toEqual(expect.arrayContaining(["id", "documentId", "title", "date", "headingPath", "text", "start", "end", "score"]));
        expect(body.results.map((r: any) => r.text).join("\n")).toMatch(/accreditation mill/i);
        expect(body.results[0].score).toBeGreaterThanOrEqual(body.results[2].score);
        for (const mode of ["bm25", "vector"]) {
          const single = await get(`/api/search?q=${q("diploma mill")}&k=2&mode=${mode}`);
          expect(single.status).toBe(200);
          expect(single.body.mode).toBe(mode);
          expect(single.body.results).toHaveLength(2);
        }
      });

      it("finds passages for Japanese and romanised queries", async () => {
        const ja = await get(`/api/search?q=${q("修士はJEQFのどのレベルですか")}&k=5`);
        expect(ja.body.results.some((r: any) => r.text.includes("修士") && /7/.test(r.text))).toBe(true);
        const senmonshi = await get("/api/search?q=senmonshi&k=3");
        expect(senmonshi.body.results.some((r: any) => /senmonshi|専門士/i.test(r.text))).toBe(true);
      });

      it("bad search parameters are 400s naming the problem", async () => {
        const missing = await get("/api/search");
        expect(missing.status).toBe(400);
        expect(missing.body.error).toMatch(/q/);
        expect((await get("/api/search?q=%20%20")).status).toBe(400);
        const badK = await get("/api/search?q=mill&k=0");
        expect(badK.status).toBe(400);
        expect(badK.body.error).toMatch(/k/);
        expect((await get("/api/search?q=mill&k=51")).status).toBe(400);
        expect((await get("/api/search?q=mill&mode=fuzzy")).status).toBe(400);
        expect((await get(`/api/search?q=${"a".repeat(2001)}`)).status).toBe(400);
      });

      it("GET /api/sources/:chunkId returns the passage and its document, 404 for an unknown id", async () => {
        const { body } = await get("/api/search?q=diploma%20mill&k=1");
        const hit = body.results[0];
        const source = await get(`/api/sources/${q(hit.id)}`);
        expect(source.status).toBe(200);
        expect(source.body).toMatchObject({ id: hit.id, documentId: hit.documentId, text: hit.text, start: hit.start, end: hit.end });
        expect(source.body.document.title).toBe(hit.title);
        const unknown = await get("/api/sources/no-such-chunk");
        expect(unknown.status).toBe(404);
        expect(unknown.body.error).toMatch(/no-such-chunk/);
      });

      it("an unknown route is a 404 with a message", async () => {
        const res = await get("/api/nothing-here");
        expect(res.status).toBe(404);
        expect(res.body.error).toMatch(/nothing-here/);
      });
    });

    describe("POST /api/ask", () => {
      it("answers with [n] markers pointing at citations whose quotes are in the cited passages", async () => {
        const { status, body } = await post("/api/ask", { question: "Is NIC-Japan a competent recognition authority?" });
        expect(status).toBe(200);
        expect(body.abstained).toBe(false);
        expect(body.mode).toBe("extractive");
        expect(body.answer).toMatch(/not a competent recognition authority/i);
        expect(body.citations.length).toBeGreaterThan(0);
        const numbers = new Set(body.citations.map((c: any) => c.n));
        for (const m of (body.answer as string).matchAll(/\[(\d+)\]/g)) expect(numbers.has(Number(m[1]))).toBe(true);
        for (const c of body.citations) {
          const source = await get(`/api/sources/${q(c.chunkId)}`);
          expect(source.status).toBe(200);
          expect(source.body.text).toContain(c.quote);
          expect(c.date).toBe(source.body.document.date);
          expect(c.url).toContain(q(c.chunkId));
        }
      });

      it("abstains on a question the sources do not answer, naming who can answer", async () => {
        const { status, body } = await post("/api/ask", { question: "Who won the 2022 FIFA World Cup?" });
        expect(status).toBe(200);
        expect(body.abstained).toBe(true);
        expect(body.citations).toEqual([]);
        expect(body.answer).toMatch(/do not answer/i);
        expect(body.answer).toMatch(/NIC-Japan|ENIC-NARIC/);
      });

      it("resolves a follow-up within its conversation", async () => {
        const first = await post("/api/ask", { question: "What JEQF level is a bachelor's degree?" });
        expect(first.body.answer).toMatch(/level 6/);
        const second = await post("/api/ask", { question: "and for a master's?", conversationId: first.body.conversationId });
        expect(second.status).toBe(200);
        expect(second.body.conversationId).toBe(first.body.conversationId);
        expect(second.body.answer).toMatch(/level 7/);
      });

      it("rejects bad input with 400s that name the problem, an unknown conversation with a 404", async () => {
        expect((await post("/api/ask", { question: "" })).status).toBe(400);
        const long = await post("/api/ask", { question: "x".repeat(2001) });
        expect(long.status).toBe(400);
        expect(long.body.error).toMatch(/2000/);
        const missing = await post("/api/ask", {});
        expect(missing.status).toBe(400);
        expect(missing.body.error).toMatch(/question/);
        const malformed = await post("/api/ask", "{not json");
        expect(malformed.status).toBe(400);
        expect(malformed.body.error).toMatch(/JSON/);
        const unknown = await post("/api/ask", { question: "What is a diploma mill?", conversationId: "conv_nope" });
        expect(unknown.status).toBe(404);
        expect(unknown.body.error).toMatch(/conv_nope/);
      });

      it("stores feedback; the admin report needs the admin token", async () => {
        const asked = await post("/api/ask", { question: "What is an accreditation mill?" });
        expect((await post(`/api/answers/${asked.body.answerId}/feedback`, { helpful: false, comment: "too short" })).status).toBe(201);
        expect((await post("/api/answers/ans_nope/feedback", { helpful: true })).status).toBe(404);
        expect((await get("/api/admin/report")).status).toBe(401);
        expect((await get("/api/admin/report", { authorization: "Bearer wrong" })).status).toBe(403);
        const report = await get("/api/admin/report", { authorization: `Bearer ${target().adminToken}` });
        expect(report.status).toBe(200);
        expect(report.body.unhelpful.some((r: any) => r.answerId === asked.body.answerId && r.comment === "too short")).toBe(true);
      });
    });

    describe("sessions", () => {
      it("POST /api/session starts a web session whose token is recognised; a forged one is not", async () => {
        const started = await post("/api/session", { displayName: "Aiko Tanaka" });
        expect(started.status).toBe(201);
        expect(started.headers.get("set-cookie")).toMatch(/SameSite=None/i);
        const me = await get("/api/session", { authorization: `Bearer ${started.body.token}` });
        expect(me.body.learner).toMatchObject({ id: started.body.learner.id, displayName: "Aiko Tanaka" });
        const forged = await get("/api/session", { authorization: `Bearer ${started.body.token.slice(0, -3)}abc` });
        expect(forged.body.learner).toBeNull();
        expect((await post("/api/session", { displayName: "  " })).status).toBe(400);
      });
    });

    describe("practice", () => {
      it("lists scenarios (summaries only) and rejects a bad filter", async () => {
        const { status, body } = await get("/api/scenarios");
        expect(status).toBe(200);
        expect(body.length).toBeGreaterThan(0);
        for (const s of body) expect(Object.keys(s).sort()).toEqual(["difficulty", "id", "skill", "title", "type"]);
        const mills = await get("/api/scenarios?type=mill");
        expect(mills.body.length).toBeGreaterThan(0);
        expect(mills.body.every((s: any) => s.type === "mill")).toBe(true);
        const bad = await get("/api/scenarios?type=no-such-type");
        expect(bad.status).toBe(400);
        expect(bad.body.error).toContain("type");
        expect((await get("/api/scenarios/no-such-case")).status).toBe(404);
      });

      it("stores a graded attempt and reads it back, alone and in the learner's progress", async () => {
        const session = await post("/api/session", { displayName: "Contract Trainee" });
        const token: string = session.body.token;
        const learnerId: string = session.body.learner.id;
        const auth = { authorization: `Bearer ${token}` };
        const mills = (await get("/api/scenarios?type=mill")).body;
        const id: string = mills[0].id;
        const scenario = await get(`/api/scenarios/${q(id)}`);
        expect(scenario.status).toBe(200);
        expect(scenario.body).not.toHaveProperty("answer");

        const answer = { verdict: "diploma_mill", flags: [], justification: "No recognised accreditor is named." };
        const result = await post(`/api/scenarios/${q(id)}/attempts`, { answer }, auth);
        expect(result.status).toBe(200);
        expect(result.body).toMatchObject({ scenarioId: id, attemptId: expect.any(String), score: expect.any(Number), maxScore: expect.any(Number) });
        expect(result.body.items.length).toBeGreaterThan(0);
        expect((await post(`/api/scenarios/${q(id)}/attempts`, { answer: "no" }, auth)).status).toBe(400);

        const detail = await get(`/api/attempts/${q(result.body.attemptId)}`, auth);
        expect(detail.status).toBe(200);
        expect(JSON.stringify(detail.body)).toContain(result.body.attemptId);
        expect((await get("/api/attempts/att_nope", auth)).status).toBe(404);

        const progress = await get(`/api/learners/${q(learnerId)}/progress`, auth);
        expect(progress.status).toBe(200);
        expect(progress.body.history).toEqual([expect.objectContaining({ attemptId: result.body.attemptId, scenarioId: id, score: result.body.score, maxScore: result.body.maxScore })]);
        expect((await get(`/api/learners/${q(learnerId)}/progress`)).status).toBe(401);
        const other = await post("/api/session", { displayName: "Someone Else" });
        expect((await get(`/api/learners/${q(learnerId)}/progress`, { authorization: `Bearer ${other.body.token}` })).status).toBe(403);
        const asAdmin = await get(`/api/learners/${q(learnerId)}/progress`, { authorization: `Bearer ${target().adminToken}` });
        expect(asAdmin.body.history).toHaveLength(1);
      });
    });

    describe("pages and public keys", () => {
      it("serves the chat page and a source page", async () => {
        const chat = await get("/");
        expect(chat.status).toBe(200);
        expect(chat.headers.get("content-type")).toMatch(/text\/html/);
        const hit = (await get("/api/search?q=diploma%20mill&k=1")).body.results[0];
        const page = await get(`/sources/${q(hit.documentId)}?chunk=${q(hit.id)}`);
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toMatch(/text\/html/);
        expect((await get("/sources/no-such-document")).status).toBe(404);
      });

      it("publishes the LTI tool's keys (generated once and kept) and a badge signing key after rotation", async () => {
        const first = await get("/lti/jwks");
        expect(first.status).toBe(200);
        expect(first.body.keys.length).toBeGreaterThan(0);
        const again = await get("/lti/jwks");
        expect(again.body.keys.map((k: any) => k.kid)).toEqual(first.body.keys.map((k: any) => k.kid));

        expect((await post("/api/admin/badges/keys/rotate")).status).toBe(401);
        const rotated = await post("/api/admin/badges/keys/rotate", undefined, { authorization: `Bearer ${target().adminToken}` });
        expect(rotated.status).toBe(200);
        const jwks = await get("/badges/jwks");
        expect(jwks.status).toBe(200);
        expect(jwks.body.keys.map((k: any) => k.kid)).toContain(rotated.body.active);
      });
    });
  });
}
