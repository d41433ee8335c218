import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateCase, loadScenarioBank, mulberry32, parseGeneratedId, scoreAnswer, type GeneratedType } from "../../src/core/practice/index.js";
import { GENERATOR_QUOTES } from "../../src/core/practice/generator.js";
import { findQuote } from "../../src/core/practice/text.js";
import { corpusDocs } from "./helpers.js";

const seedArb = fc.integer({ min: 0, max: 0xffffffff });
const typeArb = fc.constantFrom<GeneratedType>("mill", "level");

describe("mulberry32", () => {
  it("is deterministic and yields floats in [0, 1)", () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });
});

describe("generateCase", () => {
  it("gives the same case for the same seed", () => {
    fc.assert(
      fc.property(typeArb, seedArb, (type, seed) => {
        expect(generateCase(type, seed)).toEqual(generateCase(type, seed));
      }),
      { numRuns: 200 },
    );
  });

  it("gives different cases for different seeds", () => {
    const ids = new Set<string>();
    const titles = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      const c = generateCase("mill", seed);
      ids.add(c.id);
      titles.add(c.title);
    }
    expect(ids.size).toBe(100);
    expect(titles.size).toBeGreaterThan(90);
  });

  it("always passes the bank check (schema, sources, full marks for the key)", () => {
    const docs = corpusDocs();
    fc.assert(
      fc.property(typeArb, seedArb, (type, seed) => {
        const c = generateCase(type, seed);
        const bank = loadScenarioBank([{ path: `${c.id}.yaml`, text: stringify(c) }], docs);
        expect(bank.problems).toEqual([]);
        const r = scoreAnswer(c, c.answer);
        expect(r.score).toBe(r.maxScore);
      }),
      { numRuns: 300 },
    );
  });

  it("quotes only passages that exist in the cards", () => {
    const docs = new Map(corpusDocs().map((d) => [d.id, d.body]));
    for (const q of GENERATOR_QUOTES) expect(findQuote(docs.get(q.doc) ?? "", q.quote), q.quote).toBeDefined();
  });

  it("produces mills, accreditation mills, legitimate-but-odd cases and every level variant", () => {
    const verdicts = new Set<string>();
    const tags = new Set<string>();
    const levels = new Set<number>();
    for (let seed = 0; seed < 300; seed++) {
      const m = generateCase("mill", seed);
      if (m.type === "mill") verdicts.add(m.answer.verdict);
      for (const t of m.tags ?? []) tags.add(t);
      const l = generateCase("level", seed);
      if (l.type === "level") levels.add(l.answer.level);
    }
    expect(verdicts).toEqual(new Set(["diploma_mill", "accreditation_mill", "legitimate", "verify_further"]));
    for (const t of ["outdated_list", "state_approved", "branch_campus", "renamed", "prior_learning"]) expect(tags.has(t), t).toBe(true);
    expect(levels).toEqual(new Set([3, 5, 6, 7, 8]));
  });

  it("derives the rubric from what it generated: false flags cost points on legitimate variants", () => {
    let checked = 0;
    for (let seed = 0; seed < 200 && checked < 5; seed++) {
      const c = generateCase("mill", seed);
      if (c.type !== "mill" || c.answer.verdict !== "legitimate") continue;
      const full = scoreAnswer(c, c.answer).score;
      expect(scoreAnswer(c, { ...c.answer, flags: ["sample_diplomas", "backdating_offered"] }).score).toBeLessThan(full);
      checked++;
    }
    expect(checked).toBe(5);
  });

  it("round-trips generated ids", () => {
    expect(parseGeneratedId(generateCase("level", 77).id)).toEqual({ type: "level", seed: 77 });
    expect(parseGeneratedId("gen-mill-4294967295")).toEqual({ type: "mill", seed: 4294967295 });
    expect(parseGeneratedId("gen-mill-4294967296")).toBeUndefined();
    expect(parseGeneratedId("mill-crestfield-life-experience")).toBeUndefined();
  });
});
