/**
 * The live views over server-sent events: a snapshot first, aggregates within the broadcast throttle,
 * resume with Last-Event-ID (stored events replayed in order, superseded aggregates skipped), a fresh
 * snapshot for an unknown id, heartbeat comments, the projector's view token, the participant's
 * narrower stream, and streams released when the browser goes away.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveApp } from "../helpers/browser.js";
import { hubOf } from "../../src/workshop/hub.js";
import { ADMIN, call, createWorkshop, join, LEVEL, MILL, MILL_ANSWER, sseReader, workshopRuntime } from "./helpers.js";

type Rt = Awaited<ReturnType<typeof workshopRuntime>>;

describe("workshop live stream", () => {
  let rt: Rt;
  beforeAll(async () => {
    rt = await workshopRuntime();
  });
  afterAll(() => rt?.cleanup());

  const facilitatorStream = (code: string, lastEventId?: string) =>
    rt.app.request(`/api/workshops/${code}/events`, { headers: { authorization: `Bearer ${ADMIN}`, ...(lastEventId !== undefined ? { "last-event-id": lastEventId } : {}) } });

  it("starts with a snapshot, then streams the aggregates (throttled) as answers come in", async () => {
    const { code } = await createWorkshop(rt.app, [MILL]);
    const people = await Promise.all(["A", "B", "C", "D", "E"].map((n) => join(rt.app, code, n)));
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    const res = await facilitatorStream(code);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const s = sseReader(res);
    const snap = await s.next();
    expect(snap.event).toBe("snapshot");
    expect(Number(snap.id)).toBeGreaterThan(0);
    expect(snap.data.current).toMatchObject({ position: 0, state: "open", stats: { answered: 0, participants: 5 } });
    expect(snap.data.current.key).toBeUndefined();

    const sentAt = Date.now();
    await Promise.all(people.map((p, i) => call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: p.token, body: { answer: i < 3 ? MILL_ANSWER : { verdict: "diploma_mill", flags: ["po_box_only", "no_site_visit"] } } })));
    const stats = await s.next((e) => e.event === "stats" && e.data.answered === 5, 2000);
    expect(Date.now() - sentAt).toBeLessThan(1500);
    expect(Number(stats.id)).toBeGreaterThan(Number(snap.id));
    const verdict = stats.data.fields.find((f: any) => f.field === "verdict");
    expect(Object.fromEntries(verdict.options.map((o: any) => [o.id, o.count]))).toEqual({ legitimate: 0, diploma_mill: 2, accreditation_mill: 3, verify_further: 0 });
    const flags = stats.data.fields.find((f: any) => f.field === "flags");
    expect(flags.kind).toBe("multi");
    expect(flags.options.find((o: any) => o.id === "no_site_visit").count).toBe(5); // named by every participant
    expect(flags.options.find((o: any) => o.id === "po_box_only").count).toBe(2);
    expect(stats.data.avgScore).toBeGreaterThan(0);
    expect(verdict.options.some((o: any) => "correct" in o)).toBe(false); // no key before the reveal
    // Five answers at once are broadcast as one or two aggregate events, not five.
    expect(s.events.filter((e) => e.event === "stats").length).toBeLessThanOrEqual(2);

    await call(rt.app, "POST", `/api/workshops/${code}/reveal`, { admin: true });
    const phase = await s.next((e) => e.event === "phase");
    expect(phase.data.state).toBe("revealed");
    expect(phase.data.key.citations[0].url).toMatch(/^\/sources\//);
    const marked = await s.next((e) => e.event === "stats");
    expect(marked.data.fields.find((f: any) => f.field === "verdict").options.find((o: any) => o.id === "accreditation_mill").correct).toBe(true);
    await s.close();
  });

  it("resumes with Last-Event-ID: replays what was missed in order, then goes live", async () => {
    const { code, id } = await createWorkshop(rt.app, [MILL, LEVEL]);
    const a = await join(rt.app, code, "Aiko");
    const b = await join(rt.app, code, "Ben");
    const first = sseReader(await facilitatorStream(code));
    const snap = await first.next((e) => e.event === "snapshot");
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    const seen = await first.next((e) => e.event === "phase");
    await first.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(hubOf(rt.deps).streams(id)).toBe(0); // the stream was released

    // While the browser is away: answers, a reveal, the next case.
    await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: MILL_ANSWER } });
    await new Promise((r) => setTimeout(r, 300)); // let one aggregate broadcast go out
    await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: b.token, body: { answer: { verdict: "legitimate" } } });
    await call(rt.app, "POST", `/api/workshops/${code}/reveal`, { admin: true });
    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 1 } });
    await new Promise((r) => setTimeout(r, 300));

    const again = sseReader(await facilitatorStream(code, seen.id));
    const replay = await again.drain(300);
    expect(replay.length).toBeGreaterThan(0);
    expect(replay.some((e) => e.event === "snapshot")).toBe(false);
    const ids = replay.map((e) => Number(e.id));
    expect(ids.every((n) => n > Number(seen.id))).toBe(true);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const phases = replay.filter((e) => e.event === "phase").map((e) => [e.data.currentPosition, e.data.state]);
    expect(phases).toEqual([
      [0, "revealed"],
      [1, "open"],
    ]);
    // Aggregates: only the newest of each case is replayed, and it is current.
    const stats = replay.filter((e) => e.event === "stats");
    expect(stats.map((e) => e.data.position).sort()).toEqual([0, 1]);
    expect(stats.find((e) => e.data.position === 0)!.data).toMatchObject({ answered: 2, state: "revealed" });

    // Then live.
    await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: { level: 6, admission: "master" } } });
    const live = await again.next((e) => e.event === "stats" && e.data.position === 1 && e.data.answered === 1);
    expect(Number(live.id)).toBeGreaterThan(Math.max(...ids));
    await again.close();

    // The same id again: nothing is missed, so nothing is sent but what happens next.
    const last = String(Math.max(Number(live.id), ...ids));
    const quiet = sseReader(await facilitatorStream(code, last));
    expect(await quiet.drain(200)).toEqual([]);
    await quiet.close();

    // An id this server never issued (another database) or garbage: a fresh snapshot.
    for (const bogus of ["999999", "abc"]) {
      const fresh = sseReader(await facilitatorStream(code, bogus));
      const e = await fresh.next();
      expect(e.event).toBe("snapshot");
      expect(e.data.current.position).toBe(1);
      await fresh.close();
    }
    expect(Number(snap.id)).toBeLessThan(Number(seen.id));
  });

  it("releases a stream when the browser disconnects (over HTTP)", async () => {
    const { code, id } = await createWorkshop(rt.app, [MILL]);
    const served = await serveApp(rt.app.fetch);
    try {
      const abort = new AbortController();
      const res = await fetch(`${served.origin}/api/workshops/${code}/events`, { headers: { authorization: `Bearer ${ADMIN}` }, signal: abort.signal });
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^retry: 2000\n\n/);
      expect(hubOf(rt.deps).streams(id)).toBe(1);
      abort.abort();
      for (let i = 0; i < 40 && hubOf(rt.deps).streams(id) > 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(hubOf(rt.deps).streams(id)).toBe(0);
    } finally {
      await served.close();
    }
  });

  it("sends heartbeat comments", async () => {
    const { code } = await createWorkshop(rt.app, [MILL]);
    const hub = hubOf(rt.deps);
    const before = hub.heartbeatMs;
    hub.heartbeatMs = 100;
    try {
      const s = sseReader(await facilitatorStream(code));
      await s.next();
      await new Promise((r) => setTimeout(r, 350));
      expect(s.comments.filter((c) => c.startsWith(": heartbeat")).length).toBeGreaterThanOrEqual(2);
      await s.close();
    } finally {
      hub.heartbeatMs = before;
    }
  });

  it("serves the projector with a read-only view token, and participants a narrower stream", async () => {
    const { code } = await createWorkshop(rt.app, [MILL]);
    const other = await createWorkshop(rt.app, [MILL]);
    const a = await join(rt.app, code, "Aiko");
    const vt = await call(rt.app, "POST", `/api/workshops/${code}/view-token`, { admin: true });
    expect(vt.status).toBe(200);
    const token = vt.body.token;
    expect((await rt.app.request(`/api/workshops/${other.code}/events?view=${token}`)).status).toBe(403); // another workshop
    expect((await rt.app.request(`/api/workshops/${code}/events?view=${token}x`)).status).toBe(403);
    expect((await rt.app.request(`/api/workshops/${code}/events`)).status).toBe(401);
    // The view token opens nothing else.
    expect((await call(rt.app, "GET", `/api/workshops/${code}/results`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);

    const screen = sseReader(await rt.app.request(`/api/workshops/${code}/events?view=${encodeURIComponent(token)}`));
    const participant = sseReader(await rt.app.request(`/api/workshops/${code}/events?session=${encodeURIComponent(a.token)}`));
    expect((await screen.next()).event).toBe("snapshot");
    const psnap = await participant.next();
    expect(psnap.event).toBe("snapshot");
    expect(psnap.data).toEqual({ status: "active", currentPosition: null, state: null, caseId: null });

    await call(rt.app, "POST", `/api/workshops/${code}/open`, { admin: true, body: { position: 0 } });
    await call(rt.app, "POST", `/api/workshops/${code}/answers`, { token: a.token, body: { answer: MILL_ANSWER } });
    expect((await screen.next((e) => e.event === "stats" && e.data.answered === 1)).data.participants).toBe(1);
    const phase = await participant.next((e) => e.event === "phase");
    expect(phase.data).toMatchObject({ currentPosition: 0, state: "open" });
    expect(phase.data.key).toBeUndefined();
    const rest = await participant.drain(400);
    expect(rest.filter((e) => e.event === "stats" || e.event === "participants")).toEqual([]);
    await call(rt.app, "POST", `/api/workshops/${code}/end`, { admin: true });
    expect((await participant.next((e) => e.event === "ended")).data.status).toBe("ended");
    await screen.close();
    await participant.close();
  });
});
