import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatProblem, loadScenarioBank } from "../../src/core/practice/index.js";
import { corpusDocs, scenarioById } from "./helpers.js";

const good = scenarioById("mill-norvale-outdated-list");
const goodText = stringify(good);
const goodFile = { path: `${good.id}.yaml`, text: goodText };

function variant(mutate: (s: Record<string, any>) => void, id = "broken-case") {
  const s = structuredClone(good) as unknown as Record<string, any>;
  s.id = id;
  mutate(s);
  return { path: `${id}.yaml`, text: stringify(s) };
}

describe("loadScenarioBank", () => {
  it("reports a YAML syntax error with the path and the line, and still loads the other files", () => {
    const bad = { path: "bad-syntax.yaml", text: "id: bad-syntax\ntype: mill\ntitle: [unclosed\nquestion: x\n" };
    const bank = loadScenarioBank([bad, goodFile], corpusDocs());
    expect(bank.scenarios.map((s) => s.id)).toEqual([good.id]);
    expect(bank.problems.length).toBeGreaterThan(0);
    expect(bank.problems.every((p) => p.path === "bad-syntax.yaml")).toBe(true);
    expect(bank.problems[0]!.field).toMatch(/^line \d+$/);
  });

  it("reports schema problems by field", () => {
    const files = [
      variant((s) => delete s.question, "no-question"),
      variant((s) => (s.answer.flags = ["po_box_only", "made_up_flag"]), "bad-flag"),
      variant((s) => (s.rubric[0].check = "guess"), "bad-check"),
      variant((s) => (s.type = "transcript"), "bad-type"),
      variant((s) => (s.difficulty = 4), "bad-difficulty"),
      variant((s) => (s.dossier.institutionn = "typo"), "typo-field"),
      goodFile,
    ];
    const bank = loadScenarioBank(files, corpusDocs());
    expect(bank.scenarios.map((s) => s.id)).toEqual([good.id]);
    const lines = bank.problems.map(formatProblem);
    expect(lines).toContain("no-question.yaml: question: Invalid input: expected string, received undefined");
    expect(lines).toContain('bad-flag.yaml: answer.flags[1]: unknown flag id "made_up_flag"');
    expect(lines.some((l) => l.startsWith("bad-check.yaml: rubric[0].check:"))).toBe(true);
    expect(lines.some((l) => l.startsWith("bad-type.yaml: type: unknown case type"))).toBe(true);
    expect(lines).toContain("bad-difficulty.yaml: difficulty: must be 1, 2 or 3");
    expect(lines).toContain('typo-field.yaml: dossier.institutionn: unknown field "institutionn"');
  });

  it("reports unresolved sources, keys that miss full marks, id/file mismatches and duplicates", () => {
    const files = [
      variant((s) => (s.sources[1].quote = "This sentence is in no card."), "bad-quote"),
      variant((s) => (s.answer.verdict = "verify_further"), "weak-key"),
      { path: "some-other-name.yaml", text: stringify({ ...good, id: "mismatched-id" }) },
      goodFile,
      { path: `copy/${good.id}.yaml`, text: goodText },
    ];
    const bank = loadScenarioBank(files, corpusDocs());
    const lines = bank.problems.map(formatProblem);
    expect(lines.find((l) => l.startsWith("bad-quote.yaml: sources[1].quote: source 1: quote not found in document \"false-alarms\""))).toBeDefined();
    expect(lines.find((l) => l.startsWith("weak-key.yaml: answer: the answer key scores"))).toBeDefined();
    expect(lines).toContain('some-other-name.yaml: id: id "mismatched-id" does not match the file name "some-other-name"');
    expect(lines.filter((l) => l.includes("duplicate id"))).toHaveLength(1);
    expect(bank.scenarios.map((s) => s.id)).toEqual([good.id]);
  });

  it("checks training paths: unknown cases, reading quotes, skills", () => {
    const path = {
      id: "test-path",
      title: "Test",
      modules: [
        { id: "m1", title: "M1", skills: ["mills"], reading: [{ doc: "false-alarms", quote: "The list may be out of date." }], cases: [good.id, "no-such-case"], mastery_threshold: 0.7 },
        { id: "m2", title: "M2", skills: ["levels"], reading: [{ doc: "false-alarms", quote: "Not there." }], cases: [good.id], mastery_threshold: 1.5 },
      ],
    };
    const bank = loadScenarioBank([goodFile, { path: "paths/test-path.yaml", text: stringify(path) }], corpusDocs());
    const lines = bank.problems.map(formatProblem);
    expect(lines).toEqual(["paths/test-path.yaml: modules[1].mastery_threshold: must be from 0 to 1"]);
    path.modules[1]!.mastery_threshold = 0.5;
    const bank2 = loadScenarioBank([goodFile, { path: "paths/test-path.yaml", text: stringify(path) }], corpusDocs());
    const lines2 = bank2.problems.map(formatProblem);
    expect(lines2).toContain('paths/test-path.yaml: modules[0].cases[1]: unknown or broken case "no-such-case"');
    expect(lines2.some((l) => l.startsWith("paths/test-path.yaml: modules[1].reading[0].quote: source 0: quote not found"))).toBe(true);
    expect(lines2.some((l) => l.startsWith("paths/test-path.yaml: modules[1].cases[0]: case") && l.includes("skill"))).toBe(true);
    expect(bank2.paths[0]!.modules[0]!.cases).toEqual([good.id]);
  });

  it("ignores files that are not YAML", () => {
    const bank = loadScenarioBank([goodFile, { path: "scenario.schema.json", text: "{}" }], corpusDocs());
    expect(bank.problems).toEqual([]);
    expect(bank.scenarios).toHaveLength(1);
  });
});
