/**
 * Workshop API: creating (facilitator only), joining by code (clear 404 / 410), answering (one
 * answer per case, 409 when the case is not open), what a participant can and cannot see before the
 * reveal, the reveal (own feedback, key with citations), results and CSV, LMS instructors and
 * learners, and the service functions the Slack channel calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSession } from "../../src/routes/session.js";
import { CODE_ALPHABET, csvCell, joinWorkshop, normaliseCode, participantView, submitWorkshopAnswer } from "../../src/workshop/service.js";
import { ADMIN, call, createWorkshop, join, LEVEL, MILL, MILL_ANSWER, workshopRuntime } from "./helpers.js";

type Rt = Awaited<ReturnType<typeof workshopRuntime>>;

describe("workshop API", () => {
  let rt: Rt;
  beforeAll(async () => {
    rt = await workshopRuntime();
  });
  afterAll(() => rt?.cleanup());

  it("lets only a facilitator create a workshop, and checks the cases", async () => {
    expect((await call(rt.app, "POST", "/api/workshops", { body: { cases: [MILL] } })).status).toBe(401);
    const wrong = await call(rt.app, "POST", "/api/workshops", { admin: "not-the-token", body: { cases: [MILL] } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatch(/Wrong admin token/);
    const unknown = await call(rt.app, "POST", "/api/workshops", { admin: true, body: { cases: [MILL, "no-such-case"] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain('unknown case "no-such-case"');
    expect((await call(rt.app, "POST", "/api/workshops", { admin: true, body: { cases: [] } })).status).toBe(400);

    const created = await call(rt.app, "POST", "/api/workshops", { admin: true, body: { title: "NIC-Japan FCE workshop", cases: [MILL, "gen-mill-42", LEVEL] } });
    expect(created.status).toBe(201);
    const code: string = created.body.code;
    expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    expect(code).not.toMatch(/[01ILO]/);
    expect(created.body.joinUrl).toBe(`http://localhost/w/${code}`);
    expect(created.body.qrSvg).toMatch(/^<svg [^>]*viewBox="0 0 (\d+) \1"/);
    expect(created.body.cases.map((c: any) => [c.position, c.caseId, c.state])).toEqual([
      [0, MILL, "pending"],
      [1, "gen-mill-42", "pending"],
      [2, LEVEL, "pending"],
    ]);
    const list = await call(rt.app, "GET", "/api/workshops", { admin: true });
    expect(list.body.some((w: any) => w.code === code && w.cases === 3)).toBe(true);
  });

  it("normalises typed codes", () => {
    expect(normaliseCode(" abc-def ")).toBe("ABCDEF");
    expect(normaliseCode("ABCDE0")).toBeUndefined(); // 0 is not in the alphabet
    expect(normaliseCode("ABCDEFG")).toBeUndefined();
  });

  it("refuses a wrong code (404) and an ended workshop (410) with a clear message", async () => {
    const wrong = await call(rt.app, "POST", "/api/workshops/join", { body: { code: "ZZZZZZ", displayName: "Aiko" } });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error).toBe('No workshop with the code "ZZZZZZ": check the code on the screen (6 letters and digits)');
    const malformed = await call(rt.app, "POST", "/api/workshops/join", { body: { code: "12", displayName: "Aiko" } });
    expect(malformed.status).toBe(404);
    expect(malformed.body.error).toContain("check the code on the screen");

    const { code } = await createWorkshop(rt.app, [MILL], "Ends soon");
    const early = await join(rt.app, code, "Early bird");
    expect((await call(rt.app, "POST", `/api/workshops/${code}/end`, { admin: true })).status).toBe(200);
    const late = await call(rt.app, "POST", "/api/workshops/join", { body: { code, displayName: "Late" } });
    expect(late.status).toBe(410);
    expect(late.body.error).toBe(`The workshop "Ends soon" (${code}) has ended: it no longer takes participants or answers`);
    // No session was started for the refused join.
    expect(late.headers.get("set-cookie")).toBeNull();
    const answer = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: early.token, body: { answer: MILL_ANSWER } });
    expect(answer.status).toBe(410);

    // The pages say the same.
    const page = await rt.app.request("/w/ZZZZZZ");
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("No workshop with the code");
    const ended = await rt.app.request(`/w/${code}`);
    expect(ended.status).toBe(410);
    expect(await ended.text()).toContain("has ended");
    const form = await rt.app.request("/w", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, body: "code=zzzzzz&displayName=Aiko" });
    expect(form.status).toBe(404);
  });

  it("runs a case: 409 before it opens, one answer per participant, 409 once closed", async () => {
    const { code } = await createWorkshop(rt.app, [MILL, LEVEL]);
    const a = await join(rt.app, code, "Aiko Tanaka");
    const b = await join(rt.app, code, "Ben Ito");
    const c = await join(rt.app, code, "Chika Mori");
    const again = await call(rt.app, "POST", "/api/workshops/join", { token: a.token, body: { code } });
    expect(again.status).toBe(200); // joining twice is harmless
    expect(again.body.joined).toBe(false);

    const early = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: MILL_ANSWER } });
    expect(early.status).toBe(409);
    expect(early.body.error).toBe("No case is open for answers yet: wait for the facilitator to open one");
    const notOpen = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { position: 1, answer: { level: 6, admission: "master" } } });
    expect(notOpen.status).toBe(409);
    expect(notOpen.body.error).toBe("Case 2 is not open for answers yet");

    // Only facilitators open cases.
    const byParticipant = await call(rt.app, "POST", `/api/workshops/${code}/open`, { token: a.token, body: { position: 0 } });
    expect(byParticipant.status).toBe(403);
    expect(byParticipant.body.error).toMatch(/^Facilitators only/);
    expect((await call(rt.app, "POST", `/api/workshops/${code}/open`, { body: { position: 0 } })).status).toBe(401);
    const opened = await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    expect(opened.status).toBe(200);
    expect(opened.body.current.state).toBe("open");

    const bad = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: { verdict: "maybe" } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^Invalid answer: answer\.verdict: unknown verdict "maybe"/);

    const first = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { position: 0, caseId: MILL, answer: MILL_ANSWER } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ received: true, position: 0, caseId: MILL, feedback: "after_reveal" });
    expect(first.body.score).toBeUndefined(); // no score before the reveal
    const second = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: { verdict: "legitimate" } } });
    expect(second.status).toBe(409);
    expect(second.body.error).toBe("You have already answered case 1: in a workshop your first answer counts");
    expect((await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: b.token, body: { answer: { verdict: "diploma_mill", flags: ["po_box_only"] } } })).status).toBe(201);

    expect((await call(rt.app, "POST", `/api/workshops/${code}/close`, { admin: true })).body.current.state).toBe("closed");
    const closed = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: c.token, body: { answer: MILL_ANSWER } });
    expect(closed.status).toBe(409);
    expect(closed.body.error).toBe("Answers to case 1 are closed: the facilitator has closed it");
    // A stale page answering the previous case after the next one opened: still 409.
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 1 } });
    const stale = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: c.token, body: { position: 0, caseId: MILL, answer: MILL_ANSWER } });
    expect(stale.status).toBe(409);
    const mismatch = await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: c.token, body: { position: 1, caseId: MILL, answer: MILL_ANSWER } });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error).toContain("another case");

    // The facilitator's aggregates: two answers to case 1, one to each verdict.
    const view = await call(rt.app, "GET", `/api/workshops/${code}`, { admin: true });
    expect(view.body.workshop.cases.map((x: any) => x.answered)).toEqual([2, 0]);
    expect(view.body.workshop.participants).toBe(3);
  });

  it("shows a participant only their own answer before the reveal: no score, key or other answers", async () => {
    const { code } = await createWorkshop(rt.app, [MILL]);
    const a = await join(rt.app, code, "Aiko Secret-Name");
    const b = await join(rt.app, code, "Ben");
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    const justification = "Unique-justification-text-of-Aiko: accreditation sold, no site visit.";
    expect((await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: { ...MILL_ANSWER, justification } } })).status).toBe(201);

    const mineA = await call(rt.app, "GET", `/api/workshops/${code}/me`, { token: a.token });
    expect(mineA.status).toBe(200);
    expect(mineA.body.current.answer.values.verdict).toBe("accreditation_mill");
    expect(mineA.body.current.result).toBeNull();
    expect(mineA.body.current.key).toBeNull();
    expect(mineA.body.mine[0]).toEqual({ position: 0, caseId: MILL, title: expect.any(String), state: "open", answered: true });

    const viewB = await call(rt.app, "GET", `/api/workshops/${code}/me`, { token: b.token });
    const textB = JSON.stringify(viewB.body);
    expect(viewB.body.current.answer).toBeNull();
    expect(textB).not.toContain("Aiko");
    expect(textB).not.toContain("Unique-justification-text");
    // The case as shown carries no key, rubric, feedback or sources.
    for (const secret of ['"rubric"', '"sources"', '"feedback"', '"key":{', '"result":{']) expect(textB).not.toContain(secret);
    expect(viewB.body.current.key).toBeNull();
    for (const k of ["answer", "rubric", "sources"]) expect(viewB.body.current.case).not.toHaveProperty(k);
    // The room page of B is just as quiet.
    const page = await (await rt.app.request(`/w/${code}?session=${b.token}`)).text();
    expect(page).not.toContain("Aiko");
    expect(page).not.toContain("Unique-justification-text");
    expect(page).not.toContain('id="key"');

    // Facilitator endpoints are closed to participants.
    for (const path of [`/api/workshops/${code}`, `/api/workshops/${code}/results`, `/api/workshops/${code}/results.csv`]) {
      expect((await call(rt.app, "GET", path, { token: b.token })).status).toBe(403);
    }
    expect((await call(rt.app, "POST", `/api/workshops/${code}/view-token`, { token: b.token })).status).toBe(403);
    // A participant's stream carries phases, not the aggregates.
    const res = await rt.app.request(`/api/workshops/${code}/events`, { headers: { "x-fce-session": b.token } });
    const reader = res.body!.getReader();
    const chunk = new TextDecoder().decode((await reader.read()).value) + new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(chunk).toContain("event: snapshot");
    expect(chunk).not.toContain("verdict");
    expect(chunk).not.toContain("answered");
    // Someone who did not join gets nothing.
    const stranger = await call(rt.app, "POST", "/api/session", { body: { displayName: "Stranger" } });
    expect((await call(rt.app, "GET", `/api/workshops/${code}/me`, { token: stranger.body.token })).status).toBe(403);
    expect((await rt.app.request(`/api/workshops/${code}/events`, { headers: { "x-fce-session": stranger.body.token } })).status).toBe(403);

    // After the reveal: own graded feedback with citations, and the key with its sources.
    const revealed = await call(rt.app, "POST", `/api/workshops/${code}/reveal`, { admin: true });
    expect(revealed.body.current.state).toBe("revealed");
    expect(revealed.body.current.key.fields[0]).toMatchObject({ field: "verdict", values: [{ id: "accreditation_mill" }] });
    const afterA = (await call(rt.app, "GET", `/api/workshops/${code}/me`, { token: a.token })).body;
    expect(afterA.current.result.score).toBeGreaterThanOrEqual(9.6);
    expect(afterA.current.result.items[0].citations[0].url).toMatch(/^\/sources\//);
    expect(afterA.current.key.citations.length).toBeGreaterThan(0);
    expect(afterA.current.key.citations.every((c: any) => c.url.startsWith("/sources/") && c.quote.length > 0)).toBe(true);
    expect(afterA.mine[0]).toMatchObject({ answered: true, score: afterA.current.result.score, maxScore: 12 });
    const afterB = (await call(rt.app, "GET", `/api/workshops/${code}/me`, { token: b.token })).body;
    expect(afterB.current.result).toBeNull();
    expect(afterB.current.key.fields[0].values[0].id).toBe("accreditation_mill");
    expect(JSON.stringify(afterB)).not.toContain("Unique-justification-text");
    // The page shows the feedback and the key, with links to the source viewer.
    const pageA = await (await rt.app.request(`/w/${code}?session=${a.token}`)).text();
    expect(pageA).toContain('id="feedback"');
    expect(pageA).toContain('id="key"');
    expect(pageA).toMatch(/href="\.\.\/sources\/[^"]+"/);
  });

  it("grades answers as practice attempts that count toward mastery once the case is revealed", async () => {
    const { code } = await createWorkshop(rt.app, ["gen-mill-7"]);
    const a = await join(rt.app, code, "Dai");
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    expect((await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: { verdict: "diploma_mill", flags: ["po_box_only"] } } })).status).toBe(201);
    // Before the reveal the attempt (whose feedback gives the key away) is not in the learner's progress.
    const hidden = await call(rt.app, "GET", `/api/learners/${a.learnerId}/progress`, { token: a.token });
    expect(hidden.body.history).toHaveLength(0);
    expect(JSON.stringify(hidden.body)).not.toContain("gen-mill-7");
    await call(rt.app, "POST", `/api/workshops/${code}/reveal`, { admin: true });
    const progress = await call(rt.app, "GET", `/api/learners/${a.learnerId}/progress`, { token: a.token });
    expect(progress.status).toBe(200);
    expect(progress.body.history).toHaveLength(1);
    expect(progress.body.history[0]).toMatchObject({ scenarioId: "gen-mill-7", generated: true, seed: 7 });
    expect(progress.body.mastery.find((m: any) => m.skill === "mills").attempts).toBe(1);
  });

  it("gives per-participant and per-case results, on screen and as CSV (facilitator only)", async () => {
    const { code } = await createWorkshop(rt.app, [MILL, LEVEL], "Results");
    const a = await join(rt.app, code, "=HYPERLINK(\"http://x\")");
    const b = await join(rt.app, code, "Ben, \"the\" evaluator");
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: MILL_ANSWER } });
    await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: b.token, body: { answer: { verdict: "legitimate" } } });
    await call(rt.app, "POST", `/api/workshops/${code}/reveal`, { admin: true });
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 1 } });
    await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: b.token, body: { answer: { level: 6, admission: "master" } } });

    const r = await call(rt.app, "GET", `/api/workshops/${code}/results`, { admin: true });
    expect(r.status).toBe(200);
    expect(r.body.cases.map((c: any) => [c.caseId, c.state, c.answered])).toEqual([
      [MILL, "revealed", 2],
      [LEVEL, "open", 1],
    ]);
    expect(r.body.cases[0].summary).toMatch(/^verdict: /);
    const pa = r.body.participants.find((p: any) => p.displayName.startsWith("=HYPERLINK"));
    expect(pa.answered).toBe(1);
    expect(pa.perCase[1]).toBeNull();
    const pb = r.body.participants.find((p: any) => p.displayName.startsWith("Ben"));
    expect(pb.answered).toBe(2);
    expect(pb.maxScore).toBeGreaterThan(12);

    const csv = await rt.app.request(`/api/workshops/${code}/results.csv?table=participants`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="workshop-${code}-participants.csv"`);
    const text = await csv.text();
    const lines = text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe(`participant,participant_id,channel,joined_at,answered,score,max_score,case_1_${MILL},case_2_${LEVEL}`);
    expect(lines).toHaveLength(4); // header, two participants, final empty line
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x""\)",wsp_[0-9a-f]+,web,/); // formula neutralised, quotes doubled
    expect(lines[2]).toMatch(/^"Ben, ""the"" evaluator",/);
    const cases = await (await rt.app.request(`/api/workshops/${code}/results.csv?table=cases`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    expect(cases).toContain(`1,${MILL},`);
    const answers = await (await rt.app.request(`/api/workshops/${code}/results.csv?table=answers`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    expect(answers.split("\r\n").filter(Boolean)).toHaveLength(4);
    expect(answers).toContain("verdict=accreditation_mill; flags=accreditation_for_sale|");
    expect((await call(rt.app, "GET", `/api/workshops/${code}/results.csv?table=nope`, { admin: true })).status).toBe(400);
    expect((await rt.app.request(`/api/workshops/${code}/results.csv`)).status).toBe(401);
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell(-2)).toBe("-2");
  });

  it("lets LMS instructors run their course's workshops and LMS learners join", async () => {
    const ctx = (contextId: string) => ({ channel: "lti", issuer: "https://lms.example.ac.jp", clientId: "c1", deploymentId: "d1", contextId, resourceLinkId: "r1", ltiSessionId: "s1", messageType: "LtiResourceLinkRequest" });
    const teacher = await signSession(rt.deps, { learnerId: "lrn_teacher", role: "instructor", context: ctx("course-1") });
    const otherTeacher = await signSession(rt.deps, { learnerId: "lrn_other", role: "instructor", context: ctx("course-2") });
    const created = await call(rt.app, "POST", "/api/workshops", { headers: { authorization: `Bearer ${teacher}` }, body: { cases: [MILL] } });
    expect(created.status).toBe(201);
    const code = created.body.code;
    expect((await call(rt.app, "GET", `/api/workshops/${code}`, { headers: { authorization: `Bearer ${otherTeacher}` } })).status).toBe(403);
    expect((await call(rt.app, "POST", `/api/workshops/${code}/open`, { headers: { authorization: `Bearer ${teacher}` }, body: { position: 0 } })).status).toBe(200);
    const mine = await call(rt.app, "GET", "/api/workshops", { headers: { authorization: `Bearer ${teacher}` } });
    expect(mine.body.map((w: any) => w.code)).toEqual([code]);
    // The admin sees every workshop.
    expect((await call(rt.app, "GET", `/api/workshops/${code}`, { admin: true })).status).toBe(200);

    // An LMS learner (a launch session of a real learner) joins with their LMS name, and may not facilitate.
    const learner = await call(rt.app, "POST", "/api/session", { body: { displayName: "Lisa from the LMS" } });
    const learnerId = learner.body.learner.id;
    const lti = await signSession(rt.deps, { learnerId, role: "learner", context: ctx("course-1") });
    expect((await call(rt.app, "POST", "/api/workshops", { headers: { authorization: `Bearer ${lti}` }, body: { cases: [MILL] } })).status).toBe(403);
    const joined = await call(rt.app, "POST", "/api/workshops/join", { token: lti, body: { code } });
    expect(joined.status).toBe(201);
    expect(joined.body.participant).toMatchObject({ displayName: "Lisa from the LMS", channel: "lti" });
    expect(joined.body.token).toBeUndefined(); // no new session: the launch's is used
    expect((await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: lti, body: { answer: MILL_ANSWER } })).status).toBe(201);

    // In the browser: the launch's token rides in the URL (LMS iframes often drop cookies).
    const other = await call(rt.app, "POST", "/api/session", { body: { displayName: "Kenji from the LMS" } });
    const kenji = await signSession(rt.deps, { learnerId: other.body.learner.id, role: "learner", context: ctx("course-1") });
    const joinPage = await (await rt.app.request(`/w?session=${kenji}`)).text();
    expect(joinPage).toContain("Join as Kenji from the LMS");
    expect(joinPage).not.toContain('id="displayName"');
    const posted = await rt.app.request(`/w?session=${kenji}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, body: `code=${code}` });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe(`./w/${code}?lang=en&session=${kenji}`);
    expect(posted.headers.get("set-cookie")).toBeNull(); // no new web session
    const room = await (await rt.app.request(`/w/${code}?session=${kenji}`)).text();
    expect(room).toContain("You are in as Kenji from the LMS");
    expect(room).toContain(`events?session=${kenji}`);
    const results = await call(rt.app, "GET", `/api/workshops/${code}/results`, { headers: { authorization: `Bearer ${teacher}` } });
    expect(results.body.participants.map((p: any) => [p.displayName, p.channel])).toEqual([
      ["Lisa from the LMS", "lti"],
      ["Kenji from the LMS", "lti"],
    ]);
  });

  it("exports the service functions the Slack channel uses (/fce join CODE)", async () => {
    const { code } = await createWorkshop(rt.app, [MILL]);
    const learner = await call(rt.app, "POST", "/api/session", { body: { displayName: "Slack user" } });
    const learnerId = learner.body.learner.id;
    const joined = await joinWorkshop(rt.deps, { code: code.toLowerCase(), learnerId, displayName: "Sato (Slack)", channel: "slack" });
    expect(joined).toMatchObject({ joined: true, workshop: { code, roomPath: `/w/${code}`, cases: 1, currentPosition: null }, participant: { displayName: "Sato (Slack)", channel: "slack" } });
    await expect(joinWorkshop(rt.deps, { code: "QQQQQQ", learnerId, displayName: "x" })).rejects.toMatchObject({ status: 404 });
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    const view = await participantView(rt.deps, code, learnerId);
    expect(view.current?.case.id).toBe(MILL);
    expect(view.current?.key).toBeNull();
    await expect(submitWorkshopAnswer(rt.deps, { code, learnerId, answer: MILL_ANSWER })).resolves.toMatchObject({ received: true, position: 0 });
    await expect(submitWorkshopAnswer(rt.deps, { code, learnerId, answer: MILL_ANSWER })).rejects.toMatchObject({ status: 409 });
  });

  it("serves the join, room, facilitator and projector pages", async () => {
    const { code, id } = await createWorkshop(rt.app, [MILL]);
    const join = await rt.app.request("/w?code=abcdef");
    expect(join.status).toBe(200);
    expect(join.headers.get("content-security-policy")).toContain("script-src 'self'");
    // Joining from the form starts a session and enters the room.
    const res = await rt.app.request("/w", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, body: `code=${code.toLowerCase()}&displayName=Eri` });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^\\./w/${code}\\?lang=en&session=`));
    expect(res.headers.get("set-cookie")).toContain("fce_session=");
    const room = await rt.app.request(`/w/${code}?${res.headers.get("location")!.split("?")[1]}`);
    const html = await room.text();
    expect(html).toContain('data-mode="room"');
    expect(html).toContain("Waiting for the facilitator");
    expect(html).toMatch(/data-events="\.\.\/api\/workshops\/[A-Z0-9]{6}\/events\?session=/);

    const console = await (await rt.app.request(`/workshops/${code}`)).text();
    expect(console).toContain('data-mode="console"');
    expect(console).toContain("<svg");
    expect(console).toContain(`http://localhost/w/${code}`);
    expect(console).not.toContain(ADMIN);
    const home = await (await rt.app.request("/workshops")).text();
    expect(home).toContain(`value="${MILL}"`);
    expect((await rt.app.request(`/workshops/${code}/screen`)).status).toBe(403);
    expect((await rt.app.request(`/workshops/${code}/screen?view=forged`)).status).toBe(403);
    const vt = await call(rt.app, "POST", `/api/workshops/${code}/view-token`, { admin: true });
    const screen = await rt.app.request(vt.body.screenPath);
    expect(screen.status).toBe(200);
    expect(await screen.text()).toContain('data-mode="screen"');
    expect(id).toMatch(/^ws_/);
    const script = await rt.app.request("/assets/workshop.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
  });
});
