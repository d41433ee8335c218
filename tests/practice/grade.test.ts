import { describe, expect, it } from "vitest";
import {
  findConcepts,
  getConcept,
  gradeAnswer,
  gradeWithLlm,
  parseAnswer,
  scenarioSchema,
  scoreAnswer,
  validateLlmScores,
  type Answer,
  type LlmRubricGrader,
  type Scenario,
} from "../../src/core/practice/index.js";
import { scenarioById } from "./helpers.js";

function score(s: Scenario, answer: unknown): number {
  const r = gradeAnswer(s, answer);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.result.score;
}
function item(s: Scenario, answer: unknown, id: string) {
  const r = gradeAnswer(s, answer);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const it = r.result.items.find((i) => i.item === id);
  if (!it) throw new Error(`no item ${id}`);
  return it;
}

describe("false flags", () => {
  const legit = scenarioById("mill-norvale-outdated-list", "mill");
  const mill = scenarioById("mill-crestfield-life-experience", "mill");

  it("cost points on a legitimate institution", () => {
    const full = score(legit, legit.answer);
    expect(score(legit, { ...legit.answer, flags: ["po_box_only"] })).toBe(full - 1.5);
    expect(score(legit, { ...legit.answer, flags: ["po_box_only", "name_mimics_known_university"] })).toBe(full - 3);
    const it = item(legit, { ...legit.answer, flags: ["po_box_only"] }, "no-false-flags");
    expect(it.earned).toBe(1.5);
    expect(it.status).toBe("partial");
    expect(it.details?.join(" ")).toMatch(/PO box/);
  });

  it("can make an item negative but never the total", () => {
    const it = item(legit, { verdict: "diploma_mill", flags: ["po_box_only", "sample_diplomas", "weeks_to_complete"] }, "no-false-flags");
    expect(it.earned).toBeLessThan(0);
    expect(score(legit, { verdict: "diploma_mill", flags: ["po_box_only", "sample_diplomas", "weeks_to_complete", "price_per_degree"] })).toBe(0);
  });

  it("cost points on a mill too, but neutral flags do not", () => {
    const full = score(mill, mill.answer);
    expect(score(mill, { ...mill.answer, flags: [...mill.answer.flags, "sample_diplomas"] })).toBe(full - 1);
    expect(score(mill, { ...mill.answer, flags: [...mill.answer.flags, "no_coursework"] })).toBe(full);
  });

  it("earn pro rata credit for the right flags, full at the item's min", () => {
    const flagsItem = (flags: string[]) => item(mill, { verdict: "diploma_mill", flags }, "flags");
    expect(flagsItem([]).earned).toBe(0);
    expect(flagsItem(["po_box_only"]).earned).toBe(1.2); // 6 points, full at 5 flags
    expect(flagsItem(["po_box_only", "price_per_degree", "life_experience_degree", "weeks_to_complete", "backdating_offered"]).earned).toBe(6);
  });

  it("count duplicate flags once", () => {
    expect(score(legit, { ...legit.answer, flags: ["po_box_only", "po_box_only"] })).toBe(score(legit, { ...legit.answer, flags: ["po_box_only"] }));
  });
});

describe("verdicts and partial credit", () => {
  it("gives the partial points the rubric lists, and nothing otherwise", () => {
    const s = scenarioById("mill-crestfield-life-experience");
    expect(item(s, { verdict: "verify_further", flags: [] }, "verdict").earned).toBe(1);
    expect(item(s, { verdict: "legitimate", flags: [] }, "verdict").earned).toBe(0);
    expect(item(s, { verdict: "accreditation_mill", flags: [] }, "verdict").earned).toBe(0);
  });
});

describe("adjacent levels", () => {
  it("earn partial credit only where the rubric item says so", () => {
    const fh = scenarioById("level-german-diplom-fh"); // expected 6, adjacent: 1
    expect(item(fh, { ...fh.answer, level: 7 }, "level").earned).toBe(1);
    expect(item(fh, { ...fh.answer, level: 5 }, "level").earned).toBe(1);
    expect(item(fh, { ...fh.answer, level: 8 }, "level").earned).toBe(0);
    const jd = scenarioById("level-juris-doctor-trap"); // expected 7, no adjacent credit
    expect(item(jd, { ...jd.answer, level: 8 }, "level").earned).toBe(0);
    expect(item(jd, { ...jd.answer, level: 6 }, "level").earned).toBe(0);
    expect(item(jd, jd.answer, "level").earned).toBe(3);
  });
});

describe("justifications in English and Japanese", () => {
  it("recognise the concepts in a Japanese justification", () => {
    const s = scenarioById("level-tarsis-four-year-bachelor");
    const ja = { level: 6, admission: "master", justification: "4年制の学士課程で、入学資格は高等学校卒業（12年の学校教育）。修士課程への進学資格がある。" };
    const it = item(s, ja, "elements");
    expect(it.earned).toBe(it.max);
    expect(score(s, ja)).toBe(score(s, s.answer));
  });

  it("normalise width, case and white space", () => {
    const sd = getConcept("substantial_difference")!;
    const nic = getConcept("verify_with_authority")!;
    expect(findConcepts("実質的な 相違は示せない", [sd])).toEqual(["substantial_difference"]);
    expect(findConcepts("SUBSTANTIAL\n  Difference", [sd])).toEqual(["substantial_difference"]);
    expect(findConcepts("ＮＩＣ－Ｊａｐａｎに照会する", [nic])).toEqual(["verify_with_authority"]);
    expect(findConcepts("a technical detail", [nic])).toEqual([]);
    expect(findConcepts("no difference worth noting", [sd])).toEqual([]);
  });

  it("give pro rata credit below the item's min and none without a justification", () => {
    const s = scenarioById("rec-course-titles-differ"); // concepts min 2, 2 points
    const base = { decision: "recognise", elements: ["learning_outcomes", "level"] };
    expect(item(s, base, "reasoning").earned).toBe(0);
    expect(item(s, { ...base, justification: "The burden of proof is on us." }, "reasoning").earned).toBe(1);
    expect(item(s, { ...base, justification: "立証責任は大学側にあり、科目名の違いは実質的な相違ではない。" }, "reasoning").earned).toBe(2);
  });
});

describe("other checks", () => {
  it("credits: full within tolerance, partial within the wider band", () => {
    const s = scenarioById("credits-ects-course-to-jp"); // 3.67 ± 0.4, partial ± 1 → 1 point
    expect(item(s, { value: 4 }, "value").earned).toBe(4);
    expect(item(s, { value: 3.3 }, "value").earned).toBe(4);
    expect(item(s, { value: 4.5 }, "value").earned).toBe(1);
    expect(item(s, { value: 9 }, "value").earned).toBe(0);
    expect(item(s, { value: 4, unit: "ects" }, "unit").earned).toBe(0);
  });

  it("credits: grades compare after normalisation", () => {
    const s = scenarioById("credits-transcript-passed-total");
    expect(item(s, { value: 29, grade: " 1.7 " }, "grade").earned).toBe(2);
    expect(item(s, { value: 29, grade: "１，７" }, "grade").earned).toBe(2);
    expect(item(s, { value: 29, grade: "4,0" }, "grade").earned).toBe(0);
  });

  it("recognition: elements pro rata, extra elements cost the stated penalty", () => {
    const s = scenarioById("rec-applied-profile-research-master"); // [profile, learning_outcomes], penalty 0.5, 2 points
    expect(item(s, { decision: "recognise_partially", elements: ["profile"] }, "elements").earned).toBe(1);
    expect(item(s, { decision: "recognise_partially", elements: ["profile", "learning_outcomes", "level"] }, "elements").earned).toBe(1.5);
    expect(item(s, { decision: "recognise_partially", elements: ["level", "quality", "workload"] }, "elements").earned).toBe(0);
  });

  it("authenticity: avoided steps and invented inconsistencies cost points", () => {
    const s = scenarioById("auth-refugee-no-documents", "authenticity");
    const full = score(s, s.answer);
    expect(score(s, { ...s.answer, steps: [...s.answer.steps, "embassy_attestation"] })).toBe(full - 2);
    expect(score(s, { ...s.answer, inconsistencies: ["name_mismatch"] })).toBe(full - 1);
    expect(item(s, { steps: ["reject_outright", "embassy_attestation"] }, "avoid").earned).toBe(-2);
  });
});

describe("answer validation", () => {
  const mill = scenarioById("mill-crestfield-life-experience");

  it("rejects an unknown flag id, naming the field and the id", () => {
    const r = gradeAnswer(mill, { verdict: "diploma_mill", flags: ["po_box_only", "cheap_degrees"] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.field).toBe("flags[1]");
    expect(r.errors[0]!.message).toContain('"cheap_degrees"');
  });

  it("rejects answers of the wrong shape, naming the field", () => {
    const fields = (type: Scenario["type"], input: unknown) => {
      const r = parseAnswer(type, input);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(fields("mill", { verdict: "diploma_mill", flags: "po_box_only" })).toEqual(["flags"]);
    expect(fields("mill", { flags: [] })).toEqual(["verdict"]);
    expect(fields("mill", { verdict: "fake", flags: [] })).toEqual(["verdict"]);
    expect(fields("level", { level: 9, admission: "master" })).toEqual(["level"]);
    expect(fields("level", { level: 6.5, admission: "master" })).toEqual(["level"]);
    expect(fields("level", { level: 6, admission: "phd" })).toEqual(["admission"]);
    expect(fields("recognition", { decision: "recognise", elements: ["price"] })).toEqual(["elements[0]"]);
    expect(fields("credits", { value: "3" })).toEqual(["value"]);
    expect(fields("credits", { value: Number.POSITIVE_INFINITY })).toEqual(["value"]);
    expect(fields("authenticity", { steps: ["call_the_police"] })).toEqual(["steps[0]"]);
    expect(fields("authenticity", { steps: [], inconsistencies: [], comment: "x" })).toEqual(["comment"]);
    expect(fields("mill", null)).toEqual([""]);
    const unknown = parseAnswer("authenticity", { steps: ["call_the_police"] });
    expect(unknown.ok ? "" : unknown.errors[0]!.message).toBe('unknown step id "call_the_police"');
  });

  it("accepts a valid answer without optional fields", () => {
    expect(parseAnswer("mill", { verdict: "legitimate" })).toEqual({ ok: true, answer: { verdict: "legitimate", flags: [] } });
  });
});

describe("LLM rubric grader hook", () => {
  const s = scenarioById("rec-refugee-without-diploma");
  const weak: Answer = { decision: "recognise", elements: ["level", "learning_outcomes"], justification: "ok" };

  it("clamps scores to each item's range and drops uncited feedback, unknown items and bad citations", () => {
    const { scores, problems } = validateLlmScores(s, [
      { item: "reasoning", earned: 99, feedback: "Good use of the refugee principle.", citations: [0, 42] },
      { item: "decision", earned: -3, feedback: "No citation here." },
      { item: "nonsense", earned: 1 },
      { item: "elements", earned: "two" },
      { item: "reasoning", earned: 1 },
    ]);
    expect(scores).toEqual([
      { item: "reasoning", earned: 3, citations: [0], feedback: "Good use of the refugee principle." },
      { item: "decision", earned: 0, citations: [] },
    ]);
    expect(problems.join("\n")).toMatch(/clamped to 3/);
    expect(problems.join("\n")).toMatch(/feedback without a citation dropped/);
    expect(problems.join("\n")).toMatch(/unknown rubric item "nonsense"/);
    expect(problems.join("\n")).toMatch(/elements: score is not a number/);
    expect(problems.join("\n")).toMatch(/duplicate score for reasoning/);
    expect(validateLlmScores(s, "not a list").problems).toHaveLength(1);
  });

  it("merges a fake grader's scores into the result, by default taking the higher score", async () => {
    const seen: string[][] = [];
    const grader: LlmRubricGrader = {
      async grade(req) {
        seen.push(req.rubric.map((r) => r.id));
        expect(req.passages).toHaveLength(s.sources.length);
        return [{ item: "reasoning", earned: 2.5, feedback: "Names the refugee principle.", citations: [0] }];
      },
    };
    const base = scoreAnswer(s, weak);
    const r = await gradeWithLlm(s, weak, grader);
    expect(seen).toEqual([["reasoning"]]); // only justification items by default
    const reasoning = r.items.find((i) => i.item === "reasoning")!;
    expect(reasoning.earned).toBe(2.5);
    expect(reasoning.grader).toBe("llm");
    expect(reasoning.feedback).toBe("Names the refugee principle.");
    expect(r.score).toBe(base.score + 2.5 - base.items.find((i) => i.item === "reasoning")!.earned);
    expect(r.llmProblems).toEqual([]);
  });

  it("keeps the rubric result when the grader fails or scores lower", async () => {
    const failing: LlmRubricGrader = { grade: async () => Promise.reject(new Error("timeout")) };
    const r1 = await gradeWithLlm(s, s.answer, failing);
    expect(r1.score).toBe(r1.maxScore);
    expect(r1.llmProblems[0]).toMatch(/timeout/);
    const stingy: LlmRubricGrader = { grade: async () => [{ item: "reasoning", earned: 0 }] };
    expect((await gradeWithLlm(s, s.answer, stingy)).score).toBe(r1.maxScore);
    expect((await gradeWithLlm(s, s.answer, stingy, { combine: "replace" })).score).toBe(r1.maxScore - 3);
  });
});

describe("scenario schema", () => {
  it("rejects rubric items that cite missing sources or unknown concepts", () => {
    const s = structuredClone(scenarioById("rec-abitur-undergraduate")) as unknown as Record<string, unknown>;
    const rubric = s.rubric as Array<Record<string, unknown>>;
    rubric[0]!.sources = ["nope"];
    (rubric[2] as { concepts: unknown[] }).concepts = ["no_such_concept"];
    const r = scenarioSchema.safeParse(s);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("rubric.0.sources.0");
    expect(paths).toContain("rubric.2.concepts.0");
  });
});
