/**
 * Restart safety: the workshop lives in SQLite. A second runtime on the same data folder (the server
 * restarted mid-case, the first process never shut down cleanly) keeps every stored answer, the case
 * stays open, sessions stay valid, a browser resumes its stream with Last-Event-ID, and an answer
 * whose grading was cut off by the crash can be sent again.
 */
import { join as pathJoin } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../../src/db/learners.js";
import { attempts, workshopAnswers } from "../../src/db/schema/index.js";
import { storedAnswerCount, workshopByCode } from "../../src/workshop/service.js";
import { tempDir } from "../helpers/temp.js";
import { ADMIN, call, createWorkshop, join, LEVEL, MILL, MILL_ANSWER, sseReader, workshopRuntime } from "./helpers.js";

describe("workshop restart", () => {
  const tmp = tempDir("fce-ws-restart-");
  const dataDir = pathJoin(tmp.path, "data");
  const runtimes: Array<{ close: () => void }> = [];
  afterAll(() => {
    for (const r of runtimes) r.close();
    tmp.cleanup();
  });

  it("loses no answer when the server restarts mid-case, and browsers resume", async () => {
    const first = await workshopRuntime(dataDir);
    runtimes.push(first);
    const { code, id } = await createWorkshop(first.app, [MILL, LEVEL], "Survives restarts");
    const people = [];
    for (let i = 0; i < 8; i++) people.push(await join(first.app, code, `P${i}`));
    await call(first.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    const stream = sseReader(await first.app.request(`/api/workshops/${code}/events`, { headers: { authorization: `Bearer ${ADMIN}` } }));
    await stream.next((e) => e.event === "snapshot");
    const answers = people.slice(0, 6).map((p, i) => call(first.app, "POST", `/api/workshops/${code}/answers`, { token: p.token, body: { answer: i % 2 ? MILL_ANSWER : { verdict: "diploma_mill" } } }));
    expect((await Promise.all(answers)).map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const lastSeen = await stream.next((e) => e.event === "stats" && e.data.answered === 6, 2000);
    await stream.close();

    // A crash mid-grading: P6's answer was reserved a minute ago, its attempt never stored.
    const stale = new Date(Date.now() - 60_000);
    await first.deps.db.insert(workshopAnswers).values({ id: newId("wsa"), workshopId: id, position: 0, scenarioId: MILL, learnerId: people[6]!.learnerId, answer: "{}", createdAt: stale });
    // And P7's is being graded right now (reserved a moment ago).
    await first.deps.db.insert(workshopAnswers).values({ id: newId("wsa"), workshopId: id, position: 0, scenarioId: MILL, learnerId: people[7]!.learnerId, answer: "{}", createdAt: new Date() });

    // The restart: a new runtime on the same data folder; the first is never closed cleanly.
    const second = await workshopRuntime(dataDir);
    runtimes.push(second);
    const w = await workshopByCode(second.deps, code);
    expect(await storedAnswerCount(second.deps, w.id)).toBe(6);
    const view = await call(second.app, "GET", `/api/workshops/${code}`, { admin: true });
    expect(view.body.current).toMatchObject({ position: 0, state: "open", stats: { answered: 6, participants: 8 } });
    const attemptRows = await second.deps.db.select().from(attempts);
    expect(attemptRows.filter((a) => a.scenarioId === MILL)).toHaveLength(6);

    // Sessions survive (the signing secret is in the database); each participant still sees their own answer.
    const mine = await call(second.app, "GET", `/api/workshops/${code}/me`, { token: people[1]!.token });
    expect(mine.body.current.answer.values.verdict).toBe("accreditation_mill");
    expect((await call(second.app, "POST", `/api/workshops/${code}/answers`, { token: people[1]!.token, body: { answer: MILL_ANSWER } })).status).toBe(409);

    // The facilitator's browser reconnects with its last event id: nothing is replayed twice.
    const resumed = sseReader(await second.app.request(`/api/workshops/${code}/events`, { headers: { authorization: `Bearer ${ADMIN}`, "last-event-id": lastSeen.id! } }));
    // P6's cut-off answer can be sent again; P7's (still being graded) cannot.
    const retry = await call(second.app, "POST", `/api/workshops/${code}/answers`, { token: people[6]!.token, body: { answer: MILL_ANSWER } });
    expect(retry.status).toBe(201);
    expect((await call(second.app, "POST", `/api/workshops/${code}/answers`, { token: people[7]!.token, body: { answer: MILL_ANSWER } })).status).toBe(409);
    const live = await resumed.next((e) => e.event === "stats" && e.data.answered === 7, 2000);
    expect(Number(live.id)).toBeGreaterThan(Number(lastSeen.id));
    expect(resumed.events.some((e) => e.event === "snapshot")).toBe(false);
    await resumed.close();

    // Results after the restart: every stored answer with its score.
    const results = await call(second.app, "GET", `/api/workshops/${code}/results`, { admin: true });
    expect(results.body.cases[0].answered).toBe(7);
    expect(results.body.answers.filter((a: any) => a.position === 0)).toHaveLength(7);
    expect(results.body.answers.every((a: any) => a.maxScore === 12)).toBe(true);
  });
});
