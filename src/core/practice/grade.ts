/**
 * Deterministic rubric grading of practice answers.
 *
 * - Every rubric item earns between 0 and its `points`, except the penalty items (`false_flags`,
 *   `false_inconsistencies`, `avoid_steps`), which lose `penalty` per wrong choice and may go
 *   below zero; the total score is clamped to 0..maxScore.
 * - maxScore is the sum of the items' `points`.
 * - Partial credit: list items (`flags`, `steps`, `inconsistencies`, `concepts`) earn pro rata up to
 *   their `min`; choice items earn the `partial` points the item lists for a near answer; a level
 *   one off earns `adjacent` points only when the item states them.
 * - Justifications are scored by the concepts they mention (English or Japanese, see concepts.ts).
 * - Scores are rounded to two decimals.
 *
 * An optional LLM grader can score the items too (`gradeWithLlm`); its scores are validated and
 * clamped here, and its feedback is kept only when it cites one of the scenario's sources.
 */
import { findConcepts, getConcept, type ConceptDef } from "./concepts.js";
import {
  parseAnswer,
  type Answer,
  type AnswerByType,
  type ConceptRef,
  type FieldError,
  type ItemFeedback,
  type RubricItem,
  type Scenario,
  type ScenarioOf,
} from "./schema.js";
import { labelOf } from "./flags.js";
import { normaliseForMatching } from "./concepts.js";
import { round2 } from "./text.js";
import { gradeCredentialItem, type CredentialItem } from "../badges/cases.js";

export type ItemStatus = "correct" | "partial" | "incorrect";

export interface ItemResult {
  /** Rubric item id. */
  item: string;
  label: string;
  label_ja?: string;
  earned: number;
  max: number;
  status: ItemStatus;
  /** The rubric's feedback text for this outcome (English); `feedback_ja` when the scenario has one. */
  feedback: string;
  feedback_ja?: string;
  /** What was found or missed, e.g. `over-flagged: po_box_only`. */
  details?: string[];
  /** Indexes into `scenario.sources`. */
  sources: number[];
  /** Set when an LLM grader scored the item. */
  grader?: "rubric" | "llm";
}

export interface GradeResult {
  scenarioId: string;
  score: number;
  maxScore: number;
  items: ItemResult[];
}

export type GradeOutcome = { ok: true; result: GradeResult } | { ok: false; errors: FieldError[] };

/** Validates the learner's answer for the scenario's type, then grades it. */
export function gradeAnswer(scenario: Scenario, input: unknown): GradeOutcome {
  const parsed = parseAnswer(scenario.type, input);
  if (!parsed.ok) return parsed;
  return { ok: true, result: scoreAnswer(scenario, parsed.answer) };
}

/** Index of each source reference (index or key) in `scenario.sources`. */
export function sourceIndexes(scenario: Scenario, refs: ReadonlyArray<number | string>): number[] {
  const out: number[] = [];
  for (const ref of refs) {
    const i = typeof ref === "number" ? ref : scenario.sources.findIndex((s) => s.key === ref);
    if (i >= 0 && i < scenario.sources.length && !out.includes(i)) out.push(i);
  }
  return out;
}

export function resolveConcept(ref: ConceptRef): ConceptDef | undefined {
  return typeof ref === "string" ? getConcept(ref) : ref;
}

/** Grades an answer that already has the scenario's answer shape. */
export function scoreAnswer(scenario: Scenario, answer: Answer): GradeResult {
  const items = scenario.rubric.map((item) => gradeItem(scenario, item, answer));
  const maxScore = round2(scenario.rubric.reduce((s, i) => s + i.points, 0));
  const raw = items.reduce((s, i) => s + i.earned, 0);
  const score = Math.min(maxScore, Math.max(0, round2(raw)));
  return { scenarioId: scenario.id, score, maxScore, items };
}

/** The answer key as a learner answer (what `scoreAnswer` must give full marks). */
export function answerKey(scenario: Scenario): Answer {
  return scenario.answer;
}

interface Outcome {
  earned: number;
  details?: string[];
}

function proRata(points: number, hits: number, need: number): number {
  return need <= 0 ? points : (points * Math.min(hits, need)) / need;
}

function uniq<T>(xs: readonly T[] | undefined): T[] {
  return [...new Set(xs ?? [])];
}

function conceptOutcome(item: Extract<RubricItem, { check: "concepts" }>, justification: string | undefined): Outcome {
  const defs = item.concepts.map(resolveConcept).filter((c): c is ConceptDef => c !== undefined);
  const found = new Set(findConcepts(justification ?? "", defs));
  const need = item.min ?? defs.length;
  const missing = defs.filter((c) => !found.has(c.id)).map((c) => c.label);
  const named = defs.filter((c) => found.has(c.id)).map((c) => c.label);
  const details: string[] = [];
  if (named.length) details.push(`mentioned: ${named.join("; ")}`);
  if (found.size < need && missing.length) details.push(`not mentioned: ${missing.join("; ")}`);
  return { earned: proRata(item.points, found.size, need), details };
}

function choice<T extends string>(expected: T, partial: Partial<Record<T, number>> | undefined, given: T, points: number): Outcome {
  if (given === expected) return { earned: points };
  const p = partial?.[given];
  return { earned: p === undefined ? 0 : Math.min(points, p), details: [`expected ${expected}, answered ${given}`] };
}

function listOutcome(points: number, wanted: readonly string[], given: readonly string[], min: number | undefined, kind: "flag" | "step" | "inconsistency"): Outcome {
  const g = new Set(given);
  const hits = wanted.filter((w) => g.has(w));
  const missed = wanted.filter((w) => !g.has(w));
  const need = min ?? wanted.length;
  const details = hits.length < need && missed.length ? [`missed: ${missed.map((m) => labelOf(kind, m) ?? m).join("; ")}`] : undefined;
  return { earned: proRata(points, hits.length, need), details };
}

function penaltyOutcome(points: number, penalty: number, wrong: readonly string[], kind: "flag" | "step" | "inconsistency", what: string): Outcome {
  if (!wrong.length) return { earned: points };
  return { earned: points - penalty * wrong.length, details: [`${what}: ${wrong.map((w) => labelOf(kind, w) ?? w).join("; ")}`] };
}

function normGrade(s: string): string {
  return normaliseForMatching(s).replace(/(\d),(\d)/g, "$1.$2").replace(/\s+/g, "");
}

function evaluate(scenario: Scenario, item: RubricItem, answer: Answer): Outcome {
  if (item.check === "concepts") return conceptOutcome(item, answer.justification);
  switch (scenario.type) {
    case "mill": {
      const a = answer as AnswerByType["mill"];
      const it = item as ScenarioOf<"mill">["rubric"][number];
      const flags = uniq(a.flags);
      switch (it.check) {
        case "verdict":
          return choice(it.expected, it.partial, a.verdict, it.points);
        case "flags":
          return listOutcome(it.points, it.flags, flags, it.min, "flag");
        case "false_flags": {
          const ok = new Set<string>([...scenario.answer.flags, ...(it.neutral ?? [])]);
          return penaltyOutcome(it.points, it.penalty, flags.filter((f) => !ok.has(f)), "flag", "not supported by the dossier");
        }
      }
      break;
    }
    case "level": {
      const a = answer as AnswerByType["level"];
      const it = item as ScenarioOf<"level">["rubric"][number];
      switch (it.check) {
        case "level": {
          if (a.level === it.expected) return { earned: it.points };
          if (Math.abs(a.level - it.expected) === 1 && it.adjacent !== undefined)
            return { earned: Math.min(it.points, it.adjacent), details: [`level ${a.level} is adjacent to ${it.expected}`] };
          return { earned: 0, details: [`expected level ${it.expected}, answered ${a.level}`] };
        }
        case "admission":
          return choice(it.expected, it.partial, a.admission, it.points);
      }
      break;
    }
    case "recognition": {
      const a = answer as AnswerByType["recognition"];
      const it = item as ScenarioOf<"recognition">["rubric"][number];
      switch (it.check) {
        case "decision":
          return choice(it.expected, it.partial, a.decision, it.points);
        case "elements": {
          const given = uniq(a.elements);
          const hits = it.expected.filter((e) => given.includes(e));
          const extra = given.filter((e) => !(it.expected as string[]).includes(e));
          const raw = (it.points * hits.length) / it.expected.length - (it.penalty ?? 0) * extra.length;
          const details: string[] = [];
          const missed = it.expected.filter((e) => !given.includes(e));
          if (missed.length) details.push(`missed: ${missed.map((m) => labelOf("element", m) ?? m).join("; ")}`);
          if (extra.length && it.penalty) details.push(`not decisive here: ${extra.map((m) => labelOf("element", m) ?? m).join("; ")}`);
          return { earned: Math.max(0, Math.min(it.points, raw)), details: details.length ? details : undefined };
        }
      }
      break;
    }
    case "credits": {
      const a = answer as AnswerByType["credits"];
      const it = item as ScenarioOf<"credits">["rubric"][number];
      const EPS = 1e-9;
      switch (it.check) {
        case "value": {
          const diff = Math.abs(a.value - it.expected);
          if (diff <= it.tolerance + EPS) return { earned: it.points };
          if (it.partial && diff <= it.partial.tolerance + EPS)
            return { earned: Math.min(it.points, it.partial.points), details: [`${a.value} is close to ${it.expected}`] };
          return { earned: 0, details: [`expected about ${it.expected} (±${it.tolerance}), answered ${a.value}`] };
        }
        case "unit":
          return a.unit === it.expected ? { earned: it.points } : { earned: 0, details: [`expected unit ${it.expected}`] };
        case "grade": {
          const g = a.grade === undefined ? "" : normGrade(a.grade);
          return g && it.accept.some((x) => normGrade(x) === g) ? { earned: it.points } : { earned: 0 };
        }
      }
      break;
    }
    case "authenticity": {
      const a = answer as AnswerByType["authenticity"];
      const it = item as ScenarioOf<"authenticity">["rubric"][number];
      const steps = uniq(a.steps);
      const inc = uniq(a.inconsistencies);
      switch (it.check) {
        case "steps":
          return listOutcome(it.points, it.steps, steps, it.min, "step");
        case "inconsistencies":
          return listOutcome(it.points, it.ids, inc, it.min, "inconsistency");
        case "avoid_steps":
          return penaltyOutcome(it.points, it.penalty, steps.filter((s) => (it.steps as string[]).includes(s)), "step", "inappropriate here");
        case "false_inconsistencies": {
          const ok = new Set<string>([...scenario.answer.inconsistencies, ...(it.neutral ?? [])]);
          return penaltyOutcome(it.points, it.penalty, inc.filter((x) => !ok.has(x)), "inconsistency", "not supported by the documents");
        }
      }
      break;
    }
    case "credential":
      return gradeCredentialItem(item as CredentialItem, answer as AnswerByType["credential"], scenario.answer);
  }
  return { earned: 0, details: [`check ${JSON.stringify((item as { check: string }).check)} does not apply to a ${scenario.type} case`] };
}

function statusOf(earned: number, max: number): ItemStatus {
  if (earned >= max - 1e-9) return "correct";
  return earned > 1e-9 ? "partial" : "incorrect";
}

function feedbackFor(fb: ItemFeedback, status: ItemStatus): { feedback: string; feedback_ja?: string } {
  if (status === "correct") return { feedback: fb.correct, ...(fb.correct_ja ? { feedback_ja: fb.correct_ja } : {}) };
  if (status === "partial") {
    const ja = fb.partial_ja ?? fb.incorrect_ja;
    return { feedback: fb.partial ?? fb.incorrect, ...(ja ? { feedback_ja: ja } : {}) };
  }
  return { feedback: fb.incorrect, ...(fb.incorrect_ja ? { feedback_ja: fb.incorrect_ja } : {}) };
}

function gradeItem(scenario: Scenario, item: RubricItem, answer: Answer): ItemResult {
  const out = evaluate(scenario, item, answer);
  const earned = round2(Math.min(item.points, out.earned));
  const status = statusOf(earned, item.points);
  return {
    item: item.id,
    label: item.label,
    ...(item.label_ja ? { label_ja: item.label_ja } : {}),
    earned,
    max: item.points,
    status,
    ...feedbackFor(item.feedback, status),
    ...(out.details && out.details.length ? { details: out.details } : {}),
    sources: sourceIndexes(scenario, item.sources),
    grader: "rubric",
  };
}

// ---------------------------------------------------------------------------------------------
// Optional LLM rubric grader (no network code here: the adapter implements the interface)

export interface CitedPassage {
  /** Index into `scenario.sources`: what the grader cites. */
  index: number;
  doc: string;
  quote: string;
}

export interface LlmGradeRequest {
  scenarioId: string;
  question: string;
  /** The items to score, with the sources each may cite. */
  rubric: Array<{ id: string; label: string; points: number; sources: number[] }>;
  answer: Answer;
  passages: CitedPassage[];
}

export interface LlmItemScore {
  item: string;
  earned: number;
  feedback?: string;
  /** Indexes into the request's `passages` (= `scenario.sources`). */
  citations?: number[];
}

/** An optional grader (e.g. a chat model behind `ChatModel`) that scores rubric items. */
export interface LlmRubricGrader {
  grade(request: LlmGradeRequest): Promise<LlmItemScore[]>;
}

export interface ValidatedLlmScore {
  item: string;
  earned: number;
  feedback?: string;
  citations: number[];
}

/**
 * Validates whatever a grader returned: drops unknown or duplicate items and non-numeric scores,
 * clamps each score to 0..the item's points, keeps only citations that are valid source indexes,
 * and drops feedback that has no valid citation. Returns the scores and the problems found.
 */
export function validateLlmScores(scenario: Scenario, raw: unknown, allowedItems?: readonly string[]): { scores: ValidatedLlmScore[]; problems: string[] } {
  const problems: string[] = [];
  const scores: ValidatedLlmScore[] = [];
  if (!Array.isArray(raw)) return { scores, problems: ["grader returned no list of item scores"] };
  const byId = new Map(scenario.rubric.map((i) => [i.id, i]));
  const seen = new Set<string>();
  raw.forEach((entry: unknown, n) => {
    if (typeof entry !== "object" || entry === null) {
      problems.push(`score ${n}: not an object`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const id = typeof e.item === "string" ? e.item : undefined;
    const item = id === undefined ? undefined : byId.get(id);
    if (!id || !item || (allowedItems && !allowedItems.includes(id))) {
      problems.push(`score ${n}: unknown rubric item ${JSON.stringify(e.item)}`);
      return;
    }
    if (seen.has(id)) {
      problems.push(`score ${n}: duplicate score for ${id}`);
      return;
    }
    if (typeof e.earned !== "number" || !Number.isFinite(e.earned)) {
      problems.push(`${id}: score is not a number`);
      return;
    }
    seen.add(id);
    const earned = round2(Math.min(item.points, Math.max(0, e.earned)));
    if (earned !== e.earned) problems.push(`${id}: score ${e.earned} clamped to ${earned}`);
    const cits = Array.isArray(e.citations) ? e.citations : [];
    const citations = [...new Set(cits.filter((c): c is number => Number.isInteger(c) && c >= 0 && c < scenario.sources.length))];
    if (citations.length < cits.length) problems.push(`${id}: invalid citations dropped`);
    let feedback = typeof e.feedback === "string" && e.feedback.trim() ? e.feedback.trim() : undefined;
    if (feedback && !citations.length) {
      problems.push(`${id}: feedback without a citation dropped`);
      feedback = undefined;
    }
    scores.push({ item: id, earned, citations, ...(feedback ? { feedback } : {}) });
  });
  return { scores, problems };
}

export interface LlmGradeOptions {
  /** Which items the LLM scores: only justification items (`concepts`, default) or all. */
  items?: "concepts" | "all";
  /** How an LLM score combines with the rubric's: the higher of the two (default) or replace. */
  combine?: "max" | "replace";
}

/**
 * Grades deterministically, then asks the LLM grader to score the chosen items, and merges its
 * validated scores. If the grader fails, the deterministic result stands (with the problem listed).
 */
export async function gradeWithLlm(
  scenario: Scenario,
  answer: Answer,
  grader: LlmRubricGrader,
  options: LlmGradeOptions = {},
): Promise<GradeResult & { llmProblems: string[] }> {
  const base = scoreAnswer(scenario, answer);
  const chosen = scenario.rubric.filter((i) => (options.items ?? "concepts") === "all" || i.check === "concepts");
  if (!chosen.length) return { ...base, llmProblems: [] };
  const request: LlmGradeRequest = {
    scenarioId: scenario.id,
    question: scenario.question,
    rubric: chosen.map((i) => ({ id: i.id, label: i.label, points: i.points, sources: sourceIndexes(scenario, i.sources) })),
    answer,
    passages: scenario.sources.map((s, index) => ({ index, doc: s.doc, quote: s.quote })),
  };
  let raw: unknown;
  try {
    raw = await grader.grade(request);
  } catch (e) {
    return { ...base, llmProblems: [`grader failed: ${(e as Error).message}`] };
  }
  const { scores, problems } = validateLlmScores(
    scenario,
    raw,
    chosen.map((i) => i.id),
  );
  const byItem = new Map(scores.map((s) => [s.item, s]));
  const items = base.items.map((r) => {
    const s = byItem.get(r.item);
    if (!s) return r;
    const earned = options.combine === "replace" ? s.earned : Math.max(r.earned, s.earned);
    const status = statusOf(earned, r.max);
    const rubricItem = scenario.rubric.find((i) => i.id === r.item) as RubricItem;
    const fb = feedbackFor(rubricItem.feedback, status);
    const merged: ItemResult = { ...r, earned, status, ...fb };
    if (s.feedback) {
      merged.feedback = s.feedback;
      delete merged.feedback_ja;
    } else if (!fb.feedback_ja) delete merged.feedback_ja;
    return {
      ...merged,
      sources: [...new Set([...r.sources, ...s.citations])],
      grader: "llm" as const,
    };
  });
  const raw2 = items.reduce((sum, i) => sum + i.earned, 0);
  return { ...base, items, score: Math.min(base.maxScore, Math.max(0, round2(raw2))), llmProblems: problems };
}
