import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.js";
import { listModules, progressFor, recordCompletions, type ModuleCompletedEvent } from "../../src/services/practice.js";
import { testRuntime } from "../helpers/runtime.js";
import { attempt, authored, call, startSession } from "./helpers.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;
const MODULE_CASES = ["rec-abitur-undergraduate", "rec-course-titles-differ", "rec-german-bachelor-graduate-entry"];

describe("module completion hooks", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await testRuntime();
  });
  afterAll(() => rt.cleanup());

  it("fire exactly once per learner and module, with the module score", async () => {
    const events: ModuleCompletedEvent[] = [];
    const app = createApp({ ...rt.deps, onModuleCompleted: async (e) => void events.push(e) });
    const { token, learnerId } = await startSession(app);

    const [a, b, c] = MODULE_CASES as [string, string, string];
    const r1 = await attempt(app, token, a, authored(a).answer);
    const r2 = await attempt(app, token, b, authored(b).answer);
    expect(r1.body.completedModules).toEqual([]);
    expect(r2.body.completedModules).toEqual([]);
    expect(events).toHaveLength(0);

    const r3 = await attempt(app, token, c, authored(c).answer);
    expect(r3.status).toBe(200);
    expect(r3.body.completedModules).toEqual([{ pathId: "fce-foundations", moduleId: "recognition-principles" }]);
    expect(events).toHaveLength(1);
    const maxScore = r1.body.maxScore + r2.body.maxScore + r3.body.maxScore;
    expect(events[0]).toEqual({ learnerId, pathId: "fce-foundations", moduleId: "recognition-principles", score: maxScore, maxScore, completedAt: expect.any(Date) });

    // Repeats, sequential and concurrent, do not fire it again.
    await attempt(app, token, a, authored(a).answer);
    await Promise.all([attempt(app, token, b, authored(b).answer), attempt(app, token, c, authored(c).answer)]);
    expect(events).toHaveLength(1);

    const progress = await call(app, "GET", `/api/learners/${learnerId}/progress`, { token });
    const module = progress.body.paths[0].modules.find((m: any) => m.id === "recognition-principles");
    expect(module).toMatchObject({ complete: true, status: "complete", casesAttempted: 3, casesPassed: 3 });
    expect(module.completedAt).toEqual(events[0]!.completedAt.toISOString());
    expect(progress.body.paths[0].currentModule).toBe("levels-and-access");
  });

  it("fire once when the last two cases are submitted concurrently", async () => {
    const events: ModuleCompletedEvent[] = [];
    const app = createApp({ ...rt.deps, onModuleCompleted: [async (e) => void events.push(e)] });
    const { token } = await startSession(app);
    const [a, b, c] = MODULE_CASES as [string, string, string];
    await attempt(app, token, a, authored(a).answer);
    const results = await Promise.all([attempt(app, token, b, authored(b).answer), attempt(app, token, c, authored(c).answer)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(events).toHaveLength(1);
    expect(results.flatMap((r) => r.body.completedModules)).toHaveLength(1);
  });

  it("the unique index decides between racing completion checks", async () => {
    // Store the attempts through an app that knows no paths, so that no completion is recorded yet.
    const noPaths = createApp({ ...rt.deps, practice: () => ({ ...rt.deps.practice!(), paths: [] }) });
    const { token, learnerId } = await startSession(noPaths);
    for (const id of MODULE_CASES) expect((await attempt(noPaths, token, id, authored(id).answer)).body.completedModules).toEqual([]);
    const now = new Date();
    const races = await Promise.all([1, 2, 3].map(() => recordCompletions(rt.deps, learnerId, null, now)));
    expect(races.flat().map((e) => e.moduleId)).toEqual(["recognition-principles"]);
    expect(await recordCompletions(rt.deps, learnerId, null, now)).toEqual([]);
  });

  it("a failing hook is logged and does not fail the attempt; the other hooks still run", async () => {
    const seen: string[] = [];
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const app = createApp({
        ...rt.deps,
        onModuleCompleted: [
          async () => {
            throw new Error("LMS is down");
          },
          async (e) => void seen.push(e.moduleId),
        ],
      });
      const { token, learnerId } = await startSession(app);
      let last;
      for (const id of MODULE_CASES) last = await attempt(app, token, id, authored(id).answer);
      expect(last!.status).toBe(200);
      expect(last!.body.score).toBe(last!.body.maxScore);
      expect(seen).toEqual(["recognition-principles"]);
      expect(errors.mock.calls.some((args) => String(args[0]).includes("onModuleCompleted") && String(args[1]).includes("LMS is down"))).toBe(true);
      // The attempt was stored all the same.
      const progress = await call(app, "GET", `/api/learners/${learnerId}/progress`, { token });
      expect(progress.body.history).toHaveLength(3);
    } finally {
      errors.mockRestore();
    }
  });

  it("listModules and progressFor serve LTI and instructor views", async () => {
    const modules = listModules(rt.deps);
    expect(modules.length).toBeGreaterThan(3);
    expect(modules[0]).toMatchObject({ pathId: "fce-foundations", moduleId: "recognition-principles", cases: MODULE_CASES, masteryThreshold: 0.6 });
    const { token, learnerId } = await startSession(rt.app);
    await attempt(rt.app, token, MODULE_CASES[0]!, authored(MODULE_CASES[0]!).answer);
    const progress = await progressFor(rt.deps, learnerId);
    expect(progress.history).toHaveLength(1);
    expect(progress.mastery.map((m) => m.skill)).toEqual(["mills", "levels", "recognition", "credits", "authenticity"]);
    // The runtime fills the LTI ports with them.
    const summaries = await rt.deps.listModules!();
    expect(summaries[0]).toMatchObject({ id: "recognition-principles", title: expect.any(String) });
    const roster = await rt.deps.progressFor!(learnerId, "recognition-principles");
    expect(roster).toMatchObject({ summary: expect.stringContaining("1 of 3 cases"), completed: false });
    expect(roster!.fraction).toBeGreaterThan(0);
    expect(roster!.fraction).toBeLessThanOrEqual(1 / 3);
    expect(await rt.deps.progressFor!(learnerId, "no-such-module")).toBeUndefined();
    expect((await rt.deps.progressFor!(learnerId))!.summary).toMatch(/0 of \d+ modules complete/);
  });
});
