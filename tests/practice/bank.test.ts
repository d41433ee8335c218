import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ADMISSION_ENTRIES,
  AUTH_STEP_IDS,
  CREDIT_UNITS,
  INCONSISTENCY_IDS,
  MILL_FLAG_IDS,
  MILL_VERDICTS,
  RECOGNITION_DECISIONS,
  RECOGNITION_ELEMENT_IDS,
  SCENARIO_TYPES,
  SKILLS,
  gradeAnswer,
  scoreAnswer,
  type Answer,
  type Scenario,
} from "../../src/core/practice/index.js";
import { corpusDocs, realBank } from "./helpers.js";
import { CREDENTIAL_DECISIONS, CREDENTIAL_PROBLEM_IDS } from "../../src/core/badges/cases.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scenarioJsonSchema, pathJsonSchema } from "../../src/core/practice/schema.js";
import { SCENARIOS_DIR } from "./helpers.js";

const justification = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("substantial difference", "実質的な相違がある", "4年制で12年の学校教育の後、修士課程への進学資格", "life experience, PO box, back-dated", "ＮＩＣに照会する"),
);

function answerArb(s: Scenario): fc.Arbitrary<Answer> {
  switch (s.type) {
    case "mill":
      return fc.record({ verdict: fc.constantFrom(...MILL_VERDICTS), flags: fc.subarray([...MILL_FLAG_IDS]), justification }) as fc.Arbitrary<Answer>;
    case "level":
      return fc.record({ level: fc.integer({ min: 1, max: 8 }), admission: fc.constantFrom(...ADMISSION_ENTRIES), justification }) as fc.Arbitrary<Answer>;
    case "recognition":
      return fc.record({ decision: fc.constantFrom(...RECOGNITION_DECISIONS), elements: fc.subarray([...RECOGNITION_ELEMENT_IDS]), justification }) as fc.Arbitrary<Answer>;
    case "credits":
      return fc.record({
        value: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
        unit: fc.option(fc.constantFrom(...CREDIT_UNITS), { nil: undefined }),
        grade: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        justification,
      }) as fc.Arbitrary<Answer>;
    case "authenticity":
      return fc.record({ steps: fc.subarray([...AUTH_STEP_IDS]), inconsistencies: fc.subarray([...INCONSISTENCY_IDS]), justification }) as fc.Arbitrary<Answer>;
    case "credential":
      return fc.record({
        decision: fc.constantFrom(...CREDENTIAL_DECISIONS),
        problems: fc.subarray([...CREDENTIAL_PROBLEM_IDS]),
        value: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
        unit: fc.option(fc.constantFrom(...CREDIT_UNITS), { nil: undefined }),
        justification,
      }) as fc.Arbitrary<Answer>;
  }
}

describe("the scenario bank", () => {
  const bank = realBank();

  it("loads without problems", () => {
    expect(bank.problems).toEqual([]);
  });

  it("has at least 42 cases, at least 8 per type, every type at all three difficulties", () => {
    expect(bank.scenarios.length).toBeGreaterThanOrEqual(42);
    for (const type of SCENARIO_TYPES) {
      const ofType = bank.scenarios.filter((s) => s.type === type);
      expect(ofType.length, type).toBeGreaterThanOrEqual(8);
      expect(new Set(ofType.map((s) => s.difficulty)), type).toEqual(new Set([1, 2, 3]));
    }
  });

  it("has unique ids", () => {
    const ids = bank.scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("includes legitimate-but-odd mill cases so that over-flagging matters", () => {
    const legit = bank.scenarios.filter((s) => s.type === "mill" && s.answer.verdict === "legitimate");
    expect(legit.length).toBeGreaterThanOrEqual(5);
    for (const s of legit) expect(s.rubric.some((i) => i.check === "false_flags"), s.id).toBe(true);
  });

  it("resolves every source to the exact passage of its document", () => {
    const docs = new Map(corpusDocs().map((d) => [d.id, d.body]));
    for (const s of bank.scenarios) {
      const resolved = bank.sources[s.id] ?? [];
      expect(resolved.length, s.id).toBe(s.sources.length);
      for (const r of resolved) {
        const body = docs.get(r.doc) as string;
        expect(body.slice(r.start, r.end).replace(/\s+/g, " "), `${s.id} source ${r.index}`).toBe(r.quote.replace(/\s+/g, " ").trim());
      }
    }
  });

  it("gives full marks to every answer key", () => {
    for (const s of bank.scenarios) {
      const r = gradeAnswer(s, s.answer);
      expect(r.ok, s.id).toBe(true);
      if (r.ok) expect(r.result.score, s.id).toBe(r.result.maxScore);
    }
  });

  it("keeps every score within 0..maxScore for arbitrary valid answers", () => {
    for (const s of bank.scenarios) {
      fc.assert(
        fc.property(answerArb(s), (answer) => {
          const r = gradeAnswer(s, answer);
          if (!r.ok) throw new Error(`${s.id}: valid answer rejected: ${JSON.stringify(r.errors)}`);
          const { score, maxScore, items } = r.result;
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(maxScore);
          for (const i of items) {
            expect(i.earned).toBeLessThanOrEqual(i.max);
            expect(i.sources.length).toBeGreaterThan(0);
            for (const k of i.sources) expect(k).toBeLessThan(s.sources.length);
          }
        }),
        { numRuns: 60, seed: 4242 },
      );
    }
  });

  it("scores arbitrary answers below the key when they differ in the decisive field", () => {
    for (const s of bank.scenarios) {
      const key = scoreAnswer(s, s.answer);
      const wrong =
        s.type === "mill"
          ? { ...s.answer, verdict: s.answer.verdict === "diploma_mill" ? "legitimate" : "diploma_mill" }
          : s.type === "level"
            ? { ...s.answer, level: s.answer.level === 1 ? 4 : s.answer.level - 2 }
            : s.type === "recognition"
              ? { ...s.answer, decision: s.answer.decision === "substantial_difference" ? "recognise" : "substantial_difference" }
              : s.type === "credits"
                ? { ...s.answer, value: s.answer.value * 10 + 100 }
                : s.type === "credential"
                  ? { ...s.answer, decision: s.answer.decision === "accept" ? "reject" : "accept" }
                  : { ...s.answer, steps: ["reject_outright"], inconsistencies: [] };
      expect(scoreAnswer(s, wrong as Answer).score, s.id).toBeLessThan(key.score);
    }
  });

  it("has one training path covering every skill in 5-6 modules, with existing cases", () => {
    expect(bank.paths).toHaveLength(1);
    const path = bank.paths[0]!;
    expect(path.id).toBe("fce-foundations");
    expect(path.modules.length).toBeGreaterThanOrEqual(5);
    expect(path.modules.length).toBeLessThanOrEqual(6);
    expect(new Set(path.modules.flatMap((m) => m.skills))).toEqual(new Set(SKILLS));
    const ids = new Set(bank.scenarios.map((s) => s.id));
    for (const m of path.modules) for (const c of m.cases) expect(ids.has(c), c).toBe(true);
  });

  it("has committed JSON Schemas that match the zod schemas", () => {
    const committed = JSON.parse(readFileSync(join(SCENARIOS_DIR, "scenario.schema.json"), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
    const committedPath = JSON.parse(readFileSync(join(SCENARIOS_DIR, "paths", "path.schema.json"), "utf8"));
    expect(committedPath).toEqual(JSON.parse(JSON.stringify(pathJsonSchema())));
  });
});
