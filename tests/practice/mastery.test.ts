import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_BKT,
  bktUpdate,
  masteryBySkill,
  pathProgress,
  recommendNext,
  reviewQueue,
  type Attempt,
  type BankCase,
  type TrainingPath,
} from "../../src/core/practice/index.js";
import { realBank } from "./helpers.js";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse("2026-04-01T09:00:00Z");
const pass = (scenarioId: string, skill: Attempt["skill"], at: number): Attempt => ({ scenarioId, skill, score: 9, maxScore: 10, at });
const miss = (scenarioId: string, skill: Attempt["skill"], at: number): Attempt => ({ scenarioId, skill, score: 3, maxScore: 10, at });

describe("BKT update", () => {
  it("moves up after a correct answer and below that after a wrong one", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), (pL) => {
        const up = bktUpdate(pL, 1);
        const down = bktUpdate(pL, 0);
        expect(up).toBeGreaterThanOrEqual(pL);
        expect(down).toBeLessThan(up);
        expect(up).toBeLessThanOrEqual(1);
        expect(down).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("moves down after a wrong answer once the skill is likely known", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 0.99, noNaN: true }), (pL) => {
        expect(bktUpdate(pL, 0)).toBeLessThan(pL);
      }),
    );
  });

  it("matches the equations for known values", () => {
    // L=0.2, S=0.1, G=0.2, T=0.15: p(L|correct) = 0.18 / (0.18 + 0.16) = 0.5294; + 0.4706 * 0.15
    expect(bktUpdate(0.2, 1, DEFAULT_BKT)).toBeCloseTo(0.5294 + 0.4706 * 0.15, 3);
  });

  it("fractional observations interpolate between wrong and correct", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (pL, a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(bktUpdate(pL, lo)).toBeLessThanOrEqual(bktUpdate(pL, hi) + 1e-12);
      }),
    );
    const frac = masteryBySkill([{ scenarioId: "x", skill: "credits", score: 7, maxScore: 10, at: T0 }], { mode: "fractional" }).credits.pL;
    const thr = masteryBySkill([{ scenarioId: "x", skill: "credits", score: 7, maxScore: 10, at: T0 }]).credits.pL;
    expect(frac).toBeGreaterThan(thr); // 0.7 is a "miss" under the threshold, 70% correct when fractional
  });

  it("tracks each skill separately and replays attempts in time order", () => {
    const m = masteryBySkill([pass("a", "mills", T0 + 2 * DAY), miss("b", "mills", T0)]);
    expect(m.mills.attempts).toBe(2);
    expect(m.mills.passed).toBe(1);
    expect(m.levels.pL).toBe(DEFAULT_BKT.pL0);
    const reordered = masteryBySkill([miss("b", "mills", T0), pass("a", "mills", T0 + 2 * DAY)]);
    expect(reordered.mills.pL).toBe(m.mills.pL);
    expect(m.mills.pL).toBeGreaterThan(masteryBySkill([pass("a", "mills", T0), miss("b", "mills", T0 + 2 * DAY)]).mills.pL);
  });
});

describe("recommendNext", () => {
  const bank: BankCase[] = [
    { id: "mill-1", skill: "mills", difficulty: 1 },
    { id: "mill-2", skill: "mills", difficulty: 2 },
    { id: "level-1", skill: "levels", difficulty: 1 },
    { id: "level-3", skill: "levels", difficulty: 3 },
    { id: "rec-1", skill: "recognition", difficulty: 1 },
    { id: "rec-2", skill: "recognition", difficulty: 2 },
    { id: "cred-1", skill: "credits", difficulty: 1 },
    { id: "auth-1", skill: "authenticity", difficulty: 1 },
  ];

  it("picks the weakest skill", () => {
    const history = [
      pass("mill-1", "mills", T0),
      pass("level-1", "levels", T0 + 1000),
      pass("cred-1", "credits", T0 + 2000),
      pass("auth-1", "authenticity", T0 + 3000),
    ];
    const r = recommendNext(history, bank, T0 + 4000);
    expect(r).toMatchObject({ skill: "recognition", reason: "weakest_skill", scenarioId: "rec-1" });
  });

  it("does not pick the case just done, even in the weakest skill", () => {
    const history = [pass("mill-1", "mills", T0), pass("level-1", "levels", T0 + 1), pass("cred-1", "credits", T0 + 2), pass("auth-1", "authenticity", T0 + 3), pass("rec-1", "recognition", T0 + 4)];
    const r = recommendNext(history, bank, T0 + 5);
    expect(r?.scenarioId).not.toBe("rec-1");
    const onlyOne: BankCase[] = [{ id: "solo", skill: "credits", difficulty: 1 }];
    expect(recommendNext([pass("solo", "credits", T0)], onlyOne, T0 + 1)).toBeNull();
  });

  it("matches difficulty to mastery among unseen cases", () => {
    const credits: BankCase[] = [
      { id: "c-seen", skill: "credits", difficulty: 1 },
      { id: "c-easy", skill: "credits", difficulty: 1 },
      { id: "c-mid", skill: "credits", difficulty: 2 },
      { id: "c-hard", skill: "credits", difficulty: 3 },
    ];
    expect(recommendNext([], credits, T0)?.scenarioId).toBe("c-easy");
    const once = [pass("c-seen", "credits", T0)];
    expect(masteryBySkill(once).credits.pL).toBeGreaterThan(0.4);
    expect(recommendNext(once, credits, T0 + 1)?.scenarioId).toBe("c-mid");
    const thrice = [pass("c-seen", "credits", T0), pass("c-seen", "credits", T0 + 1), pass("c-seen", "credits", T0 + 2)];
    expect(masteryBySkill(thrice).credits.pL).toBeGreaterThan(0.7);
    expect(recommendNext(thrice, credits, T0 + 3)?.scenarioId).toBe("c-hard");
  });

  it("brings back a missed case after 1 day, then 3, then 7", () => {
    const history: Attempt[] = [miss("rec-2", "recognition", T0), pass("mill-1", "mills", T0 + 60_000)];
    const notYet = recommendNext(history, bank, T0 + DAY - 60_000);
    expect(notYet?.scenarioId).not.toBe("rec-2");
    expect(recommendNext(history, bank, T0 + DAY + 1)).toMatchObject({ scenarioId: "rec-2", reason: "review" });

    // passed at the first review: next review after 3 days
    history.push(pass("rec-2", "recognition", T0 + 2 * DAY), pass("mill-2", "mills", T0 + 2 * DAY + 1));
    expect(reviewQueue(history, T0 + 2 * DAY + 2)).toEqual([expect.objectContaining({ scenarioId: "rec-2", stage: 1, due: false, dueAt: T0 + 5 * DAY })]);
    expect(recommendNext(history, bank, T0 + 4 * DAY)?.reason).not.toBe("review");
    expect(recommendNext(history, bank, T0 + 5 * DAY + 1)).toMatchObject({ scenarioId: "rec-2", reason: "review" });

    // passed again: after 7 days; then graduated
    history.push(pass("rec-2", "recognition", T0 + 6 * DAY), pass("mill-1", "mills", T0 + 6 * DAY + 1));
    expect(reviewQueue(history, T0 + 6 * DAY)[0]).toMatchObject({ stage: 2, dueAt: T0 + 13 * DAY });
    expect(recommendNext(history, bank, T0 + 13 * DAY + 1)).toMatchObject({ scenarioId: "rec-2", reason: "review" });
    history.push(pass("rec-2", "recognition", T0 + 14 * DAY));
    expect(reviewQueue(history, T0 + 30 * DAY)).toEqual([]);

    // a new miss restarts at 1 day
    history.push(miss("rec-2", "recognition", T0 + 15 * DAY), pass("mill-1", "mills", T0 + 15 * DAY + 1));
    expect(reviewQueue(history, T0 + 15 * DAY)[0]).toMatchObject({ stage: 0, dueAt: T0 + 16 * DAY });
  });

  it("does not bring back a due case right after it was just done", () => {
    const history = [miss("rec-2", "recognition", T0), miss("rec-2", "recognition", T0 + 2 * DAY)];
    expect(recommendNext(history, bank, T0 + 5 * DAY)?.scenarioId).not.toBe("rec-2");
  });

  it("works on the real bank", () => {
    const scenarios = realBank().scenarios;
    const first = recommendNext([], scenarios, T0);
    expect(first).toMatchObject({ reason: "weakest_skill", skill: "mills" });
    expect(scenarios.find((s) => s.id === first!.scenarioId)?.difficulty).toBe(1);
  });
});

describe("pathProgress", () => {
  const path: TrainingPath = {
    id: "p",
    title: "P",
    modules: [
      { id: "m1", title: "M1", skills: ["mills"], reading: [], cases: ["a", "b"], mastery_threshold: 0.6 },
      { id: "m2", title: "M2", skills: ["levels", "credits"], reading: [], cases: ["c"], mastery_threshold: 0.5 },
      { id: "m3", title: "M3", skills: ["authenticity"], reading: [], cases: ["d"], mastery_threshold: 0.5 },
    ],
  };

  it("marks a module complete when all its cases were attempted and mastery reaches the threshold", () => {
    const start = pathProgress(path, []);
    expect(start.modules.map((m) => m.status)).toEqual(["current", "upcoming", "upcoming"]);
    expect(start.currentModule).toBe("m1");

    const one = pathProgress(path, [pass("a", "mills", T0), pass("a", "mills", T0 + 1)]);
    expect(one.modules[0]).toMatchObject({ casesAttempted: 1, complete: false }); // mastery high, case b not attempted

    const done = pathProgress(path, [pass("a", "mills", T0), pass("b", "mills", T0 + 1), pass("a", "mills", T0 + 2)]);
    expect(done.modules[0]!.mastery).toBeGreaterThan(0.6);
    expect(done.modules[0]).toMatchObject({ casesAttempted: 2, casesPassed: 2, complete: true, status: "complete" });
    expect(done.currentModule).toBe("m2");

    const lowMastery = pathProgress(path, [miss("a", "mills", T0), miss("b", "mills", T0 + 1)]);
    expect(lowMastery.modules[0]).toMatchObject({ casesAttempted: 2, casesPassed: 0, complete: false });
  });

  it("uses the weakest of a module's skills", () => {
    const h = [pass("c", "levels", T0), pass("c", "levels", T0 + 1), pass("c", "levels", T0 + 2)];
    const p = pathProgress(path, h);
    expect(p.modules[1]!.mastery).toBe(DEFAULT_BKT.pL0); // credits still at the prior
    expect(p.modules[1]!.complete).toBe(false);
  });
});
