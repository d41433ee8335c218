import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  checkCredentialCase,
  CREDENTIAL_CASE_KINDS,
  CREDENTIAL_CASE_QUOTES,
  credentialAnswerSchema,
  credentialCaseYaml,
  generateCredentialCase,
  gradeCredentialItem,
  presentedCredentialSchema,
  problemsFromChecks,
  type CredentialAnswer,
  type CredentialItem,
  type GeneratedCredentialCase,
} from "../../src/core/badges/cases.js";
import { findConcepts, getConcept, type ConceptDef } from "../../src/core/practice/concepts.js";

const NOW = new Date("2026-11-22T09:00:00Z");
const card = readFileSync("corpus/cards/micro-credentials.md", "utf8").replace(/\s+/g, " ");

function conceptsOf(item: Record<string, unknown>): ConceptDef[] {
  return (item.concepts as Array<string | ConceptDef>).map((c) => (typeof c === "string" ? getConcept(c)! : c));
}

/** Scores an answer on a generated case with the credential grader (concepts by the practice matcher). */
function score(c: GeneratedCredentialCase, answer: CredentialAnswer): { score: number; max: number } {
  let total = 0;
  let max = 0;
  for (const item of c.rubric) {
    max += item.points as number;
    if (item.check === "concepts") {
      const defs = conceptsOf(item);
      const found = findConcepts(answer.justification ?? "", defs).length;
      const need = (item.min as number | undefined) ?? defs.length;
      total += ((item.points as number) * Math.min(found, need)) / need;
    } else {
      total += Math.min(item.points as number, gradeCredentialItem(item as unknown as CredentialItem, answer, c.answer).earned);
    }
  }
  return { score: Math.max(0, Math.round(total * 100) / 100), max };
}

describe("generated credential cases", () => {
  it("every kind: the verifier's findings match the answer key, and the key earns full marks", async () => {
    for (const kind of CREDENTIAL_CASE_KINDS) {
      for (const seed of [1, 2]) {
        const c = await generateCredentialCase(kind, seed, NOW);
        expect(c.id).toMatch(/^credential-[a-z0-9-]+$/);
        expect(credentialAnswerSchema.safeParse(c.answer).success, kind).toBe(true);
        expect(presentedCredentialSchema.safeParse(c.presented).success, kind).toBe(true);
        expect(await checkCredentialCase(c, NOW), kind).toEqual([]);
        const { score: s, max } = score(c, c.answer);
        expect(s, `${kind} key`).toBe(max);
        for (const src of c.sources) expect(card, src.quote).toContain(src.quote);
        const genuine = kind.startsWith("genuine");
        expect(c.answer.problems.length === 0, kind).toBe(genuine);
        expect(c.presented.report.every((r) => r.ok), kind).toBe(genuine);
      }
    }
  });

  it("each faulty kind shows its own problem", async () => {
    const expected: Record<string, string[]> = {
      genuine_jp: [],
      genuine_ects: [],
      altered: ["altered"],
      expired: ["expired"],
      issuer_mismatch: ["issuer_mismatch"],
      revoked: ["revoked"],
      unsigned: ["unsigned"],
      no_workload_criteria: ["no_workload", "no_criteria"],
    };
    for (const kind of CREDENTIAL_CASE_KINDS) {
      const c = await generateCredentialCase(kind, 3, NOW);
      expect(problemsFromChecks(c.presented.report as any), kind).toEqual(expected[kind]);
      expect(c.answer.problems).toEqual(expected[kind]);
    }
  });

  it("grades wrong answers down with details", async () => {
    const c = await generateCredentialCase("revoked", 4, NOW);
    const accepted = score(c, { decision: "accept", problems: [], value: 2, unit: "jp_credits", justification: "Looks fine." });
    expect(accepted.score).toBe(1); // only "no invented problems"
    const unsure = score(c, { decision: "verify_further", problems: ["revoked", "expired"], value: 0, justification: "It was revoked." });
    expect(unsure.score).toBeGreaterThan(accepted.score);
    expect(unsure.score).toBeLessThan(unsure.max);
    const decision = c.rubric.find((i) => i.check === "decision") as unknown as CredentialItem;
    expect(gradeCredentialItem(decision, { decision: "verify_further", problems: [] }, c.answer)).toEqual({ earned: 2, details: ["expected reject, answered verify_further"] });
    const falseProblems = c.rubric.find((i) => i.check === "false_problems") as unknown as CredentialItem;
    expect(gradeCredentialItem(falseProblems, { decision: "reject", problems: ["revoked", "expired", "altered"] }, c.answer).earned).toBe(-1);
    const worth = c.rubric.find((i) => i.check === "value") as unknown as CredentialItem;
    expect(gradeCredentialItem(worth, { decision: "reject", problems: [] }, c.answer).earned).toBe(2); // no value = worth 0

    const g = await generateCredentialCase("genuine_jp", 4, NOW);
    const gWorth = g.rubric.find((i) => i.check === "value") as unknown as CredentialItem;
    expect(gradeCredentialItem(gWorth, { decision: "accept", problems: [] }, g.answer).earned).toBe(0);
    expect(gradeCredentialItem(gWorth, { decision: "accept", problems: [], value: g.answer.value! + 0.05 }, g.answer).earned).toBe(3);
  });

  it("checkCredentialCase catches a report or an answer key that drifted from the cryptography", async () => {
    const c = await generateCredentialCase("altered", 5, NOW);
    const report = c.presented.report.map((r) => (r.check === "signature" ? { ...r, ok: true, reason: "Signed." } : r));
    const drift = await checkCredentialCase({ ...c, presented: { ...c.presented, report } }, NOW);
    expect(drift.join("\n")).toMatch(/check "signature" now gives failed/);
    const wrongKey = await checkCredentialCase({ ...c, answer: { ...c.answer, problems: ["expired"] } }, NOW);
    expect(wrongKey.join("\n")).toMatch(/the verifier shows \[altered\], the key lists \[expired\]/);
    // Without the issuer's keys the same credential fails as from an unknown issuer.
    const noKeys = await checkCredentialCase({ ...c, presented: { ...c.presented, issuers: [] } }, NOW);
    expect(noKeys.join("\n")).toMatch(/Unknown issuer/);
  });

  it("serialises to a scenario YAML that parses back to the same case", async () => {
    const c = await generateCredentialCase("unsigned", 6, NOW);
    const text = credentialCaseYaml(c);
    expect(text.startsWith("# yaml-language-server: $schema=./scenario.schema.json")).toBe(true);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(c)));
  });

  it("the cited quotes are exact sentences of the micro-credentials card", () => {
    for (const q of CREDENTIAL_CASE_QUOTES) expect(card).toContain(q.quote);
  });
});

describe("credential cases in the scenario bank", () => {
  const files = readdirSync("scenarios").filter((f) => /^credential-.*\.ya?ml$/.test(f));

  it("there are at least 8, covering genuine and every faulty kind", () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    const tags = new Set(files.flatMap((f) => (parse(readFileSync(join("scenarios", f), "utf8")) as { tags?: string[] }).tags ?? []));
    for (const kind of CREDENTIAL_CASE_KINDS) expect(tags.has(kind.replace(/_/g, "-")), kind).toBe(true);
  });

  it("each file's presented credential still verifies as its report and answer key say", async () => {
    for (const f of files) {
      const data = parse(readFileSync(join("scenarios", f), "utf8")) as Record<string, any>;
      expect(data.type, f).toBe("credential");
      expect(data.id, f).toBe(f.replace(/\.ya?ml$/, ""));
      const presented = presentedCredentialSchema.parse(data.presented);
      const answer = credentialAnswerSchema.parse(data.answer);
      expect(await checkCredentialCase({ id: data.id, presented, answer }, new Date()), f).toEqual([]);
      const sc = score(data as GeneratedCredentialCase, answer);
      expect(sc.score, f).toBe(sc.max);
    }
  });
});
