/**
 * Mastery, spaced review and recommendations for practice.
 *
 * ## Bayesian knowledge tracing (one independent model per skill)
 *
 * Parameters per skill: p(L0) the prior that the skill is known, p(T) the chance of learning it at
 * each practice opportunity, p(G) the chance of a correct answer without knowing (guess), p(S) the
 * chance of a wrong answer while knowing (slip). Defaults: `DEFAULT_BKT`.
 *
 * Each attempt at a case of the skill is an observation. With L = p(L) before the attempt:
 *
 *     correct:   p(L | correct) = L(1 − S) / ( L(1 − S) + (1 − L)G )
 *     incorrect: p(L | wrong)   = L·S      / ( L·S      + (1 − L)(1 − G) )
 *     then learning:  p(L)' = p(L | obs) + (1 − p(L | obs))·T
 *
 * Observation modes:
 * - `threshold` (default): the attempt is correct when score/maxScore ≥ 0.8 (`PASS_RATIO`);
 * - `fractional`: with r = score/maxScore, p(L | obs) = r·p(L | correct) + (1 − r)·p(L | wrong),
 *   i.e. the posterior is a mixture weighted by the share of points earned.
 *
 * ## Spaced review of missed cases
 *
 * A case is *missed* when an attempt scores below 0.8 of its maximum. It then comes back after
 * `REVIEW_INTERVALS_DAYS` = 1 day; passed at that review, it comes back after 3 days; passed again,
 * after 7 days; passed a third time it leaves the review queue. A new miss restarts at 1 day.
 * Intervals are counted from the last attempt of the case.
 *
 * ## Recommendation (`recommendNext`)
 *
 * 1. A due review (interval elapsed), other than the case just done: the one whose skill has the
 *    lowest mastery, then the longest overdue.
 * 2. Otherwise the skill with the lowest mastery that still has a case to offer (not the case just
 *    done, not a missed case waiting for its interval): a case never attempted, with the difficulty
 *    closest to the mastery (p(L) < 0.4 → 1, < 0.7 → 2, else 3); failing that, the case of that
 *    skill practised least recently.
 */
import { SKILLS, type Skill, type TrainingPath } from "./schema.js";

export interface Attempt {
  scenarioId: string;
  skill: Skill;
  score: number;
  maxScore: number;
  /** When the attempt was graded: Date, ISO string or epoch milliseconds. */
  at: Date | string | number;
}

export interface BktParams {
  pL0: number;
  pT: number;
  pG: number;
  pS: number;
}

export const DEFAULT_BKT: BktParams = { pL0: 0.2, pT: 0.15, pG: 0.2, pS: 0.1 };
export const PASS_RATIO = 0.8;
export const REVIEW_INTERVALS_DAYS: readonly number[] = [1, 3, 7];
const DAY_MS = 24 * 60 * 60 * 1000;

export type ObservationMode = "threshold" | "fractional";

export interface MasteryOptions {
  /** One parameter set for all skills, or per skill (missing skills use DEFAULT_BKT). */
  params?: BktParams | Partial<Record<Skill, BktParams>>;
  mode?: ObservationMode;
}

export interface SkillMastery {
  skill: Skill;
  /** p(L): probability that the skill is mastered. */
  pL: number;
  attempts: number;
  passed: number;
}

export function timeOf(at: Attempt["at"]): number {
  const t = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  return Number.isFinite(t) ? t : 0;
}

/** score/maxScore within 0..1 (0 when maxScore is 0). */
export function ratioOf(a: Pick<Attempt, "score" | "maxScore">): number {
  if (!(a.maxScore > 0)) return 0;
  return Math.min(1, Math.max(0, a.score / a.maxScore));
}

export function isPass(a: Pick<Attempt, "score" | "maxScore">): boolean {
  return ratioOf(a) >= PASS_RATIO - 1e-9;
}

/**
 * One BKT step. `observation` is 1 (correct) or 0 (wrong), or in fractional mode the share of
 * points earned. Returns p(L) after the attempt.
 */
export function bktUpdate(pL: number, observation: number, params: BktParams = DEFAULT_BKT): number {
  const { pT, pG, pS } = params;
  const r = Math.min(1, Math.max(0, observation));
  const known = pL * (1 - pS) / (pL * (1 - pS) + (1 - pL) * pG);
  const unknown = (pL * pS) / (pL * pS + (1 - pL) * (1 - pG));
  const posterior = r * known + (1 - r) * unknown;
  return posterior + (1 - posterior) * pT;
}

function paramsFor(skill: Skill, options: MasteryOptions): BktParams {
  const p = options.params;
  if (!p) return DEFAULT_BKT;
  if ("pL0" in p) return p as BktParams;
  return (p as Partial<Record<Skill, BktParams>>)[skill] ?? DEFAULT_BKT;
}

function chronological(history: readonly Attempt[]): Attempt[] {
  return history
    .map((a, i) => ({ a, i, t: timeOf(a.at) }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map((x) => x.a);
}

/** p(L) per skill after replaying the history in time order. */
export function masteryBySkill(history: readonly Attempt[], options: MasteryOptions = {}): Record<Skill, SkillMastery> {
  const out = {} as Record<Skill, SkillMastery>;
  for (const skill of SKILLS) out[skill] = { skill, pL: paramsFor(skill, options).pL0, attempts: 0, passed: 0 };
  for (const a of chronological(history)) {
    const m = out[a.skill];
    if (!m) continue;
    const obs = options.mode === "fractional" ? ratioOf(a) : isPass(a) ? 1 : 0;
    m.pL = bktUpdate(m.pL, obs, paramsFor(a.skill, options));
    m.attempts += 1;
    if (isPass(a)) m.passed += 1;
  }
  return out;
}

export interface ReviewItem {
  scenarioId: string;
  skill: Skill;
  /** 0: first review after a miss (1 day), 1: second (3 days), 2: third (7 days). */
  stage: number;
  lastAttemptAt: number;
  dueAt: number;
  due: boolean;
}

/** Missed cases waiting for review, with their due time (see the spacing rule above). */
export function reviewQueue(history: readonly Attempt[], now: Date | number, intervalsDays: readonly number[] = REVIEW_INTERVALS_DAYS): ReviewItem[] {
  const nowMs = typeof now === "number" ? now : now.getTime();
  const state = new Map<string, { stage: number | undefined; last: Attempt }>();
  for (const a of chronological(history)) {
    const s = state.get(a.scenarioId);
    let stage = s?.stage;
    if (!isPass(a)) stage = 0;
    else if (stage !== undefined) stage = stage + 1 >= intervalsDays.length ? undefined : stage + 1;
    state.set(a.scenarioId, { stage, last: a });
  }
  const out: ReviewItem[] = [];
  for (const [scenarioId, { stage, last }] of state) {
    if (stage === undefined) continue;
    const lastAttemptAt = timeOf(last.at);
    const dueAt = lastAttemptAt + (intervalsDays[stage] ?? 1) * DAY_MS;
    out.push({ scenarioId, skill: last.skill, stage, lastAttemptAt, dueAt, due: dueAt <= nowMs });
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || a.scenarioId.localeCompare(b.scenarioId));
}

/** What `recommendNext` needs of a case: a `Scenario` fits. */
export interface BankCase {
  id: string;
  skill: Skill;
  difficulty: number;
}

export interface Recommendation {
  scenarioId: string;
  skill: Skill;
  reason: "review" | "weakest_skill";
  /** p(L) of the skill. */
  mastery: number;
  /** For reviews: when the case became due (epoch ms). */
  dueAt?: number;
}

/** Difficulty that fits a mastery level: p(L) < 0.4 → 1, < 0.7 → 2, else 3. */
export function targetDifficulty(pL: number): 1 | 2 | 3 {
  return pL < 0.4 ? 1 : pL < 0.7 ? 2 : 3;
}

/** The next case to practise (see the rule above), or null when the bank offers nothing. */
export function recommendNext(history: readonly Attempt[], bank: readonly BankCase[], now: Date | number, options: MasteryOptions = {}): Recommendation | null {
  const ordered = chronological(history);
  const lastId = ordered.at(-1)?.scenarioId;
  const mastery = masteryBySkill(history, options);
  const inBank = new Map(bank.map((c) => [c.id, c]));
  const queue = reviewQueue(history, now).filter((r) => inBank.has(r.scenarioId) && r.scenarioId !== lastId);
  const pLOf = (skill: Skill) => mastery[skill]?.pL ?? 0;

  const due = queue
    .filter((r) => r.due)
    .map((r) => ({ r, skill: (inBank.get(r.scenarioId) as BankCase).skill }))
    .sort((a, b) => pLOf(a.skill) - pLOf(b.skill) || a.r.dueAt - b.r.dueAt || a.r.scenarioId.localeCompare(b.r.scenarioId));
  const first = due[0];
  if (first) return { scenarioId: first.r.scenarioId, skill: first.skill, reason: "review", mastery: pLOf(first.skill), dueAt: first.r.dueAt };

  const waiting = new Set(queue.map((r) => r.scenarioId));
  const lastSeen = new Map<string, number>();
  for (const a of ordered) lastSeen.set(a.scenarioId, timeOf(a.at));

  const skills = [...SKILLS].sort((a, b) => pLOf(a) - pLOf(b) || SKILLS.indexOf(a) - SKILLS.indexOf(b));
  for (const skill of skills) {
    const candidates = bank.filter((c) => c.skill === skill && c.id !== lastId && !waiting.has(c.id));
    if (!candidates.length) continue;
    const fresh = candidates.filter((c) => !lastSeen.has(c.id));
    let pick: BankCase | undefined;
    if (fresh.length) {
      const target = targetDifficulty(pLOf(skill));
      pick = [...fresh].sort((a, b) => Math.abs(a.difficulty - target) - Math.abs(b.difficulty - target) || a.difficulty - b.difficulty || a.id.localeCompare(b.id))[0];
    } else {
      pick = [...candidates].sort((a, b) => (lastSeen.get(a.id) ?? 0) - (lastSeen.get(b.id) ?? 0) || a.id.localeCompare(b.id))[0];
    }
    if (pick) return { scenarioId: pick.id, skill, reason: "weakest_skill", mastery: pLOf(skill) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Training paths

export interface ModuleProgress {
  id: string;
  title: string;
  title_ja?: string;
  skills: Skill[];
  /** The lowest p(L) among the module's skills. */
  mastery: number;
  threshold: number;
  casesTotal: number;
  casesAttempted: number;
  casesPassed: number;
  /** Complete: every case attempted at least once and mastery ≥ threshold for each module skill. */
  complete: boolean;
  /** `current` is the first module not complete; later incomplete ones are `upcoming`. */
  status: "complete" | "current" | "upcoming";
}

export interface PathProgress {
  pathId: string;
  modules: ModuleProgress[];
  completedModules: number;
  currentModule?: string;
  complete: boolean;
}

/** Progress through a training path from the attempt history. */
export function pathProgress(path: TrainingPath, history: readonly Attempt[], options: MasteryOptions = {}): PathProgress {
  const mastery = masteryBySkill(history, options);
  const attempted = new Set<string>();
  const passed = new Set<string>();
  for (const a of history) {
    attempted.add(a.scenarioId);
    if (isPass(a)) passed.add(a.scenarioId);
  }
  let current: string | undefined;
  const modules = path.modules.map((m): ModuleProgress => {
    const level = Math.min(...m.skills.map((s) => mastery[s]?.pL ?? 0));
    const casesAttempted = m.cases.filter((c) => attempted.has(c)).length;
    const casesPassed = m.cases.filter((c) => passed.has(c)).length;
    const complete = casesAttempted === m.cases.length && level >= m.mastery_threshold;
    let status: ModuleProgress["status"] = "complete";
    if (!complete) {
      status = current === undefined ? "current" : "upcoming";
      current ??= m.id;
    }
    return {
      id: m.id,
      title: m.title,
      ...(m.title_ja ? { title_ja: m.title_ja } : {}),
      skills: [...m.skills],
      mastery: level,
      threshold: m.mastery_threshold,
      casesTotal: m.cases.length,
      casesAttempted,
      casesPassed,
      complete,
      status,
    };
  });
  const completedModules = modules.filter((m) => m.complete).length;
  return { pathId: path.id, modules, completedModules, ...(current ? { currentModule: current } : {}), complete: completedModules === modules.length };
}
