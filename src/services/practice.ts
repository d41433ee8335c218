/**
 * Practice behind the app: the loaded scenario bank, public (key-free) views of cases, grading and
 * storing attempts, cited feedback, progress (mastery, next case, training paths), and the
 * module-completion hooks (LTI grade passback, badges). Runtime-agnostic: no file system access
 * (the adapter reads the files), every query awaited, no interactive transactions (D1).
 */
import { and, inArray, asc, eq } from "drizzle-orm";
import type { AppDeps } from "../app.js";
import {
  ADMISSION_ENTRIES,
  AUTH_STEPS,
  CREDIT_UNITS,
  INCONSISTENCIES,
  MILL_FLAGS,
  MILL_VERDICTS,
  RECOGNITION_DECISIONS,
  RECOGNITION_ELEMENTS,
  SKILLS,
  findQuote,
  generateCase,
  gradeWithLlm,
  isPass,
  loadScenarioBank,
  masteryBySkill,
  parseAnswer,
  parseGeneratedId,
  pathProgress,
  recommendNext,
  reviewQueue,
  scoreAnswer,
  type Answer,
  type Attempt,
  type BankFile,
  type ChunkRef,
  type CorpusDoc,
  type GeneratedType,
  type ItemResult,
  type LlmRubricGrader,
  type ModuleProgress,
  type ResolvedSource,
  type Scenario,
  type ScenarioType,
  type Skill,
  type TrainingPath,
  type VocabularyEntry,
} from "../core/practice/index.js";
import type { ModuleSummary, RosterProgress } from "../channels/lti/ports.js";
import { credentialAnswerForm } from "../core/badges/cases.js";
import { newId } from "../db/learners.js";
import { attempts, moduleCompletions } from "../db/schema/index.js";
import type { CorpusReader, Problem } from "../ports.js";
import { HttpError } from "../routes/http-error.js";
import { sourceUrl } from "./ask.js";

// ---------------------------------------------------------------------------------------------
// The bank

/** The scenario bank as loaded at startup (authored cases and training paths). */
export interface PracticeBank {
  scenarios: Scenario[];
  paths: TrainingPath[];
  /** Sources of each loaded scenario resolved at load time (fallback when the live index changed). */
  sources: Record<string, ResolvedSource[]>;
  /** Broken files, skipped: `{path, field, message}` (also listed by /healthz). */
  problems: Problem[];
}

export const EMPTY_BANK: PracticeBank = { scenarios: [], paths: [], sources: {}, problems: [] };

/** Corpus documents and chunks of the live index, for resolving sources to chunk ids. */
export function corpusFromReader(reader: CorpusReader): { docs: CorpusDoc[]; chunks: ChunkRef[] } {
  const docs: CorpusDoc[] = [];
  const chunks: ChunkRef[] = [];
  for (const meta of reader.listDocuments()) {
    const d = reader.getDocument(meta.id);
    if (!d) continue;
    docs.push({ id: meta.id, body: d.body });
    for (const c of d.chunks) chunks.push({ id: c.id, documentId: c.documentId, start: c.start, end: c.end });
  }
  return { docs, chunks };
}

/**
 * Loads the bank from already-read files (`path` relative to the scenarios folder) against the
 * live corpus index. Broken files are skipped and listed in `problems`.
 */
export function buildPracticeBank(files: readonly BankFile[], reader: CorpusReader): PracticeBank {
  const { docs, chunks } = corpusFromReader(reader);
  const bank = loadScenarioBank(files, docs, { chunks });
  return { scenarios: bank.scenarios, paths: bank.paths, sources: bank.sources, problems: bank.problems };
}

function bankOf(deps: AppDeps): PracticeBank {
  return deps.practice?.() ?? EMPTY_BANK;
}

export interface FoundScenario {
  scenario: Scenario;
  generated?: { type: GeneratedType; seed: number };
}

/** An authored case by id, or a generated one (`gen-mill-42`); 404 otherwise. */
export function findScenario(deps: AppDeps, id: string): FoundScenario {
  const authored = bankOf(deps).scenarios.find((s) => s.id === id);
  if (authored) return { scenario: authored };
  const gen = parseGeneratedId(id);
  if (gen) return { scenario: generateCase(gen.type, gen.seed), generated: gen };
  throw new HttpError(404, `Unknown scenario "${id}"`);
}

// ---------------------------------------------------------------------------------------------
// Public views (no answer key, no rubric matchers, no feedback, no sources)

export interface ScenarioSummary {
  id: string;
  type: ScenarioType;
  title: string;
  skill: Skill;
  difficulty: number;
}

export function listScenarios(deps: AppDeps, filter: { type?: ScenarioType; skill?: Skill; difficulty?: number } = {}): ScenarioSummary[] {
  return bankOf(deps)
    .scenarios.filter((s) => (filter.type === undefined || s.type === filter.type) && (filter.skill === undefined || s.skill === filter.skill) && (filter.difficulty === undefined || s.difficulty === filter.difficulty))
    .map((s) => ({ id: s.id, type: s.type, title: s.title, skill: s.skill, difficulty: s.difficulty }));
}

export interface OptionLabel {
  id: string | number;
  en: string;
  ja: string;
}

/** One field of the answer form: what to submit under `answer.<field>`. */
export interface FormField {
  field: string;
  /** `choice`: one of `options`; `multi`: a list of option ids; `number`; `text`. */
  kind: "choice" | "multi" | "number" | "text";
  required: boolean;
  options?: OptionLabel[];
}

const VERDICT_LABELS: Record<(typeof MILL_VERDICTS)[number], [string, string]> = {
  legitimate: ["Legitimate institution", "正規の教育機関"],
  diploma_mill: ["Diploma mill", "ディプロマミル（学位工場）"],
  accreditation_mill: ["Accreditation mill", "アクレディテーションミル（認定工場）"],
  verify_further: ["Verify further before deciding", "判断の前に追加確認が必要"],
};
const ADMISSION_LABELS: Record<(typeof ADMISSION_ENTRIES)[number], [string, string]> = {
  none: ["No access to university study", "大学入学資格なし"],
  bachelor: ["Eligible for bachelor's entry", "学士課程への入学資格あり"],
  master: ["Eligible for master's entry", "修士課程への入学資格あり"],
  doctoral: ["Eligible for doctoral entry", "博士課程への入学資格あり"],
};
const DECISION_LABELS: Record<(typeof RECOGNITION_DECISIONS)[number], [string, string]> = {
  recognise: ["Recognise", "承認する"],
  recognise_partially: ["Recognise partially", "部分的に承認する"],
  substantial_difference: ["Substantial difference: do not recognise as requested", "実質的な相違あり（申請どおりには承認しない）"],
  verify_further: ["Verify further before deciding", "判断の前に追加確認が必要"],
};
const UNIT_LABELS: Record<(typeof CREDIT_UNITS)[number], [string, string]> = {
  ects: ["ECTS credits", "ECTS単位"],
  jp_credits: ["Japanese credits (単位)", "日本の単位"],
  hours: ["Hours", "時間"],
};

function labelled<K extends string>(ids: readonly K[], labels: Record<K, [string, string]>): OptionLabel[] {
  return ids.map((id) => ({ id, en: labels[id][0], ja: labels[id][1] }));
}
function vocab(entries: readonly VocabularyEntry[]): OptionLabel[] {
  return entries.map((e) => ({ id: e.id, en: e.en, ja: e.ja }));
}
const JUSTIFICATION: FormField = { field: "justification", kind: "text", required: false };

/** The answer form of a case type, with the allowed options and their English/Japanese labels. */
export function answerForm(type: ScenarioType): FormField[] {
  switch (type) {
    case "mill":
      return [
        { field: "verdict", kind: "choice", required: true, options: labelled(MILL_VERDICTS, VERDICT_LABELS) },
        { field: "flags", kind: "multi", required: false, options: vocab(MILL_FLAGS) },
        JUSTIFICATION,
      ];
    case "level":
      return [
        { field: "level", kind: "choice", required: true, options: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ id: n, en: `JEQF level ${n}`, ja: `JEQFレベル${n}` })) },
        { field: "admission", kind: "choice", required: true, options: labelled(ADMISSION_ENTRIES, ADMISSION_LABELS) },
        JUSTIFICATION,
      ];
    case "recognition":
      return [
        { field: "decision", kind: "choice", required: true, options: labelled(RECOGNITION_DECISIONS, DECISION_LABELS) },
        { field: "elements", kind: "multi", required: false, options: vocab(RECOGNITION_ELEMENTS) },
        JUSTIFICATION,
      ];
    case "credits":
      return [
        { field: "value", kind: "number", required: true },
        { field: "unit", kind: "choice", required: false, options: labelled(CREDIT_UNITS, UNIT_LABELS) },
        { field: "grade", kind: "text", required: false },
        JUSTIFICATION,
      ];
    case "authenticity":
      return [
        { field: "steps", kind: "multi", required: false, options: vocab(AUTH_STEPS) },
        { field: "inconsistencies", kind: "multi", required: false, options: vocab(INCONSISTENCIES) },
        JUSTIFICATION,
      ];
    case "credential":
      return credentialAnswerForm();
  }
}

/** What a learner sees of a case: the dossier and the question, never the key or the rubric. */
export function publicScenario(found: FoundScenario) {
  const s = found.scenario;
  return {
    id: s.id,
    type: s.type,
    title: s.title,
    ...(s.title_ja ? { title_ja: s.title_ja } : {}),
    skill: s.skill,
    difficulty: s.difficulty,
    generated: found.generated !== undefined,
    ...(found.generated ? { seed: found.generated.seed } : {}),
    dossier: s.dossier,
    question: s.question,
    ...(s.question_ja ? { question_ja: s.question_ja } : {}),
    maxScore: scoreAnswer(s, s.answer).maxScore,
    form: answerForm(s.type),
  };
}

/** A generated case (`mill` or `level`) by seed; a random seed when none is given. */
export function generatedScenario(type: GeneratedType, seed?: number) {
  const s = seed ?? randomSeed();
  return publicScenario({ scenario: generateCase(type, s), generated: { type, seed: s } });
}

function randomSeed(): number {
  const b = new Uint32Array(1);
  crypto.getRandomValues(b);
  return b[0]!;
}

// ---------------------------------------------------------------------------------------------
// Citations

export interface PracticeCitation {
  n: number;
  chunkId: string;
  documentId: string;
  title: string;
  date: string | null;
  quote: string;
  url: string;
}

type Located = Omit<PracticeCitation, "n">;

const citeCache = new WeakMap<CorpusReader, Map<string, Located | null>>();

/**
 * Locates a quoted passage in the live index: the chunk that holds it (the first one when it spans
 * two), with the exact text from the document. `fallbackChunkIds` (resolved at load time) are used
 * when the quote no longer matches; undefined when neither works.
 */
export function locateQuote(reader: CorpusReader, doc: string, quote: string, fallbackChunkIds?: readonly string[]): Located | undefined {
  let cache = citeCache.get(reader);
  if (!cache) citeCache.set(reader, (cache = new Map()));
  const key = `${doc}\u0000${quote}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let out: Located | undefined;
  const d = reader.getDocument(doc);
  const at = d ? findQuote(d.body, quote) : undefined;
  if (d && at) {
    const chunk = d.chunks.find((c) => c.start < at.end && c.end > at.start);
    if (chunk) {
      out = { chunkId: chunk.id, documentId: chunk.documentId, title: d.document.title, date: d.document.date ?? null, quote: d.body.slice(at.start, at.end), url: sourceUrl(chunk.id, chunk.documentId) };
    }
  }
  if (!out) {
    for (const id of fallbackChunkIds ?? []) {
      const hit = reader.getChunk(id);
      if (!hit) continue;
      out = { chunkId: id, documentId: hit.chunk.documentId, title: hit.document.title, date: hit.document.date ?? null, quote: hit.chunk.text, url: sourceUrl(id, hit.chunk.documentId) };
      break;
    }
  }
  cache.set(key, out ?? null);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Attempts

export interface AttemptItem {
  item: string;
  label: string;
  label_ja?: string;
  earned: number;
  max: number;
  status: ItemResult["status"];
  feedback: string;
  feedback_ja?: string;
  details?: string[];
  citations: PracticeCitation[];
}

export interface AttemptResult {
  attemptId: string;
  scenarioId: string;
  score: number;
  maxScore: number;
  passed: boolean;
  items: AttemptItem[];
  /** Modules of a training path completed (for the first time) by this attempt. */
  completedModules: Array<{ pathId: string; moduleId: string }>;
}

export interface SubmitAttemptInput {
  learnerId: string;
  scenarioId: string;
  /** The learner's answer, validated here against the case type. */
  answer: unknown;
  startedAt?: Date;
  /** Keep the attempt out of the learner's history and views until released (a workshop reveal). */
  withheld?: boolean;
}

/** Shows withheld attempts (a workshop case was revealed): they join the learners' history and mastery. */
export async function releaseAttempts(deps: AppDeps, attemptIds: string[]): Promise<void> {
  if (attemptIds.length) await deps.db.update(attempts).set({ withheld: false }).where(inArray(attempts.id, attemptIds));
}

/** The event the completion hooks receive (LTI grade passback, badges). */
export interface ModuleCompletedEvent {
  learnerId: string;
  pathId: string;
  moduleId: string;
  score: number;
  maxScore: number;
  completedAt: Date;
}
export type ModuleCompletedHook = (event: ModuleCompletedEvent) => Promise<void>;

function citedItems(deps: AppDeps, found: FoundScenario, items: readonly ItemResult[]): AttemptItem[] {
  const reader = deps.corpus().reader;
  const s = found.scenario;
  const loaded = found.generated ? undefined : bankOf(deps).sources[s.id];
  const numbers = new Map<number, number>();
  return items.map((r) => {
    const citations: PracticeCitation[] = [];
    for (const i of r.sources) {
      const src = s.sources[i];
      if (!src) continue;
      const at = locateQuote(reader, src.doc, src.quote, loaded?.find((x) => x.index === i)?.chunkIds);
      if (!at) continue;
      let n = numbers.get(i);
      if (n === undefined) numbers.set(i, (n = numbers.size + 1));
      citations.push({ n, ...at });
    }
    return {
      item: r.item,
      label: r.label,
      ...(r.label_ja ? { label_ja: r.label_ja } : {}),
      earned: r.earned,
      max: r.max,
      status: r.status,
      feedback: r.feedback,
      ...(r.feedback_ja ? { feedback_ja: r.feedback_ja } : {}),
      ...(r.details?.length ? { details: r.details } : {}),
      citations,
    };
  });
}

/** A 400 that names the first bad field of an answer, with the full list in `errors`. */
export function invalidAnswer(errors: ReadonlyArray<{ field: string; message: string }>): HttpError {
  const first = errors[0];
  const where = first?.field ? `answer.${first.field}` : "answer";
  return new HttpError(400, `Invalid answer: ${where}: ${first?.message ?? "invalid"}`, {
    errors: errors.map((e) => ({ field: e.field ? `answer.${e.field}` : "answer", message: e.message })),
  });
}

/**
 * Grades an answer, stores the attempt (before anything is returned), records module completions
 * and runs the completion hooks. Throws HttpError 404 (unknown case) or 400 (bad answer).
 */
export async function submitAttempt(deps: AppDeps, input: SubmitAttemptInput): Promise<AttemptResult> {
  const found = findScenario(deps, input.scenarioId);
  const s = found.scenario;
  const parsed = parseAnswer(s.type, input.answer);
  if (!parsed.ok) throw invalidAnswer(parsed.errors);
  const answer: Answer = parsed.answer;

  let graded: { score: number; maxScore: number; items: ItemResult[] };
  if (deps.practiceGrader) {
    const r = await gradeWithLlm(s, answer, deps.practiceGrader);
    if (r.llmProblems.length) console.error(`[${deps.clock.now().toISOString()}] LLM grader on ${s.id}: ${r.llmProblems.join("; ")}`);
    graded = r;
  } else {
    graded = scoreAnswer(s, answer);
  }
  const items = citedItems(deps, found, graded.items);

  const stored: Answer = { ...answer };
  if (stored.justification !== undefined && deps.maskPersonalData) stored.justification = deps.maskPersonalData(stored.justification);
  const attemptId = newId("att");
  const now = deps.clock.now();
  await deps.db.insert(attempts).values({
    id: attemptId,
    learnerId: input.learnerId,
    scenarioId: s.id,
    skill: s.skill,
    type: s.type,
    difficulty: s.difficulty,
    seed: found.generated?.seed ?? null,
    withheld: input.withheld ?? false,
    answer: JSON.stringify(stored),
    score: graded.score,
    maxScore: graded.maxScore,
    items: JSON.stringify(items),
    startedAt: input.startedAt ?? null,
    createdAt: now,
  });

  let completed: ModuleCompletedEvent[] = [];
  try {
    completed = await recordCompletions(deps, input.learnerId, attemptId, now);
  } catch (e) {
    // The attempt is stored; completions are re-checked on the learner's next attempt.
    console.error(`[${now.toISOString()}] module completion check for ${input.learnerId} failed:`, e);
  }
  await runCompletionHooks(deps, completed);

  return {
    attemptId,
    scenarioId: s.id,
    score: graded.score,
    maxScore: graded.maxScore,
    passed: isPass(graded),
    items,
    completedModules: completed.map((e) => ({ pathId: e.pathId, moduleId: e.moduleId })),
  };
}

interface AttemptRow {
  id: string;
  scenarioId: string;
  skill: string;
  type: string;
  difficulty: number;
  seed: number | null;
  score: number;
  maxScore: number;
  startedAt: Date | null;
  createdAt: Date;
}

async function attemptRows(deps: AppDeps, learnerId: string): Promise<AttemptRow[]> {
  return deps.db
    .select({
      id: attempts.id,
      scenarioId: attempts.scenarioId,
      skill: attempts.skill,
      type: attempts.type,
      difficulty: attempts.difficulty,
      seed: attempts.seed,
      score: attempts.score,
      maxScore: attempts.maxScore,
      startedAt: attempts.startedAt,
      createdAt: attempts.createdAt,
    })
    .from(attempts)
    .where(and(eq(attempts.learnerId, learnerId), eq(attempts.withheld, false)))
    .orderBy(asc(attempts.createdAt), asc(attempts.id));
}

function toHistory(rows: readonly AttemptRow[]): Attempt[] {
  return rows
    .filter((r) => (SKILLS as readonly string[]).includes(r.skill))
    .map((r) => ({ scenarioId: r.scenarioId, skill: r.skill as Skill, score: r.score, maxScore: r.maxScore, at: r.createdAt.getTime() }));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Sum of the best score (and its maximum) on each case of a module. */
function moduleScore(cases: readonly string[], rows: readonly AttemptRow[]): { score: number; maxScore: number } {
  let score = 0;
  let maxScore = 0;
  for (const id of cases) {
    let best: AttemptRow | undefined;
    for (const r of rows) {
      if (r.scenarioId !== id) continue;
      if (!best || r.score / (r.maxScore || 1) > best.score / (best.maxScore || 1)) best = r;
    }
    if (best) {
      score += best.score;
      maxScore += best.maxScore;
    }
  }
  return { score: round2(score), maxScore: round2(maxScore) };
}

/**
 * Records the modules the learner has now completed for the first time. The unique index on
 * (learner, path, module) decides the first writer, so each completion is returned once only.
 */
export async function recordCompletions(deps: AppDeps, learnerId: string, attemptId: string | null, now: Date): Promise<ModuleCompletedEvent[]> {
  const bank = bankOf(deps);
  if (!bank.paths.length) return [];
  const rows = await attemptRows(deps, learnerId);
  const history = toHistory(rows);
  const done = await deps.db
    .select({ pathId: moduleCompletions.pathId, moduleId: moduleCompletions.moduleId })
    .from(moduleCompletions)
    .where(eq(moduleCompletions.learnerId, learnerId));
  const known = new Set(done.map((d) => `${d.pathId}\u0000${d.moduleId}`));
  const events: ModuleCompletedEvent[] = [];
  for (const path of bank.paths) {
    const progress = pathProgress(path, history);
    for (const m of progress.modules) {
      if (!m.complete || known.has(`${path.id}\u0000${m.id}`)) continue;
      const cases = path.modules.find((x) => x.id === m.id)?.cases ?? [];
      const { score, maxScore } = moduleScore(cases, rows);
      const inserted = await deps.db
        .insert(moduleCompletions)
        .values({ id: newId("mc"), learnerId, pathId: path.id, moduleId: m.id, score, maxScore, attemptId, completedAt: now })
        .onConflictDoNothing()
        .returning({ id: moduleCompletions.id });
      if (inserted.length) events.push({ learnerId, pathId: path.id, moduleId: m.id, score, maxScore, completedAt: now });
    }
  }
  return events;
}

/** Runs every completion hook for every event; a failing hook is logged and does not stop the others. */
export async function runCompletionHooks(deps: AppDeps, events: readonly ModuleCompletedEvent[]): Promise<void> {
  const hooks = deps.onModuleCompleted === undefined ? [] : Array.isArray(deps.onModuleCompleted) ? deps.onModuleCompleted : [deps.onModuleCompleted];
  if (!hooks.length || !events.length) return;
  const runs = events.flatMap((event) =>
    hooks.map(async (hook) => {
      try {
        await hook(event);
      } catch (e) {
        console.error(`[${deps.clock.now().toISOString()}] onModuleCompleted hook failed for ${event.learnerId} ${event.pathId}/${event.moduleId}:`, e);
      }
    }),
  );
  await Promise.all(runs);
}

// ---------------------------------------------------------------------------------------------
// Progress

export interface ModuleProgressView extends ModuleProgress {
  /** When the learner first completed the module (ISO), or null. */
  completedAt: string | null;
}

export interface LearnerProgress {
  learnerId: string;
  history: Array<{
    attemptId: string;
    scenarioId: string;
    title: string;
    type: string;
    skill: string;
    difficulty: number;
    generated: boolean;
    seed?: number;
    score: number;
    maxScore: number;
    passed: boolean;
    at: string;
    startedAt?: string;
  }>;
  mastery: Array<{ skill: Skill; pL: number; attempts: number; passed: number }>;
  next: null | { scenarioId: string; title: string; type: ScenarioType; skill: Skill; difficulty: number; reason: "review" | "weakest_skill"; mastery: number; dueAt?: string };
  reviews: Array<{ scenarioId: string; title: string; skill: Skill; due: boolean; dueAt: string }>;
  paths: Array<{ pathId: string; title: string; title_ja?: string; completedModules: number; currentModule?: string; complete: boolean; modules: ModuleProgressView[] }>;
}

/** A learner's history (newest first), mastery per skill, next case, reviews and path progress. */
export async function progressFor(deps: AppDeps, learnerId: string): Promise<LearnerProgress> {
  const bank = bankOf(deps);
  const byId = new Map(bank.scenarios.map((s) => [s.id, s]));
  const rows = await attemptRows(deps, learnerId);
  const history = toHistory(rows);
  const now = deps.clock.now();
  const completions = await deps.db
    .select({ pathId: moduleCompletions.pathId, moduleId: moduleCompletions.moduleId, completedAt: moduleCompletions.completedAt })
    .from(moduleCompletions)
    .where(eq(moduleCompletions.learnerId, learnerId));
  const completedAt = new Map(completions.map((c) => [`${c.pathId}\u0000${c.moduleId}`, c.completedAt.toISOString()]));

  const titleOf = (id: string) => byId.get(id)?.title ?? (parseGeneratedId(id) ? safeGeneratedTitle(id) : id);
  const mastery = masteryBySkill(history);
  const rec = recommendNext(history, bank.scenarios, now);
  const recCase = rec ? byId.get(rec.scenarioId) : undefined;
  return {
    learnerId,
    history: [...rows].reverse().map((r) => ({
      attemptId: r.id,
      scenarioId: r.scenarioId,
      title: titleOf(r.scenarioId),
      type: r.type,
      skill: r.skill,
      difficulty: r.difficulty,
      generated: r.seed !== null,
      ...(r.seed !== null ? { seed: r.seed } : {}),
      score: r.score,
      maxScore: r.maxScore,
      passed: isPass(r),
      at: r.createdAt.toISOString(),
      ...(r.startedAt ? { startedAt: r.startedAt.toISOString() } : {}),
    })),
    mastery: SKILLS.map((skill) => ({ skill, pL: mastery[skill].pL, attempts: mastery[skill].attempts, passed: mastery[skill].passed })),
    next:
      rec && recCase
        ? {
            scenarioId: rec.scenarioId,
            title: recCase.title,
            type: recCase.type,
            skill: rec.skill,
            difficulty: recCase.difficulty,
            reason: rec.reason,
            mastery: rec.mastery,
            ...(rec.dueAt !== undefined ? { dueAt: new Date(rec.dueAt).toISOString() } : {}),
          }
        : null,
    reviews: reviewQueue(history, now)
      .filter((r) => byId.has(r.scenarioId))
      .map((r) => ({ scenarioId: r.scenarioId, title: titleOf(r.scenarioId), skill: r.skill, due: r.due, dueAt: new Date(r.dueAt).toISOString() })),
    paths: bank.paths.map((path) => {
      const p = pathProgress(path, history);
      return {
        pathId: path.id,
        title: path.title,
        ...(path.title_ja ? { title_ja: path.title_ja } : {}),
        completedModules: p.completedModules,
        ...(p.currentModule ? { currentModule: p.currentModule } : {}),
        complete: p.complete,
        modules: p.modules.map((m) => ({ ...m, completedAt: completedAt.get(`${path.id}\u0000${m.id}`) ?? null })),
      };
    }),
  };
}

function safeGeneratedTitle(id: string): string {
  const gen = parseGeneratedId(id);
  if (!gen) return id;
  try {
    return generateCase(gen.type, gen.seed).title;
  } catch {
    return id;
  }
}

/** One stored attempt of the learner with its answer and graded items (for a history detail view). */
export async function attemptDetail(deps: AppDeps, learnerId: string, attemptId: string) {
  const rows = await deps.db
    .select()
    .from(attempts)
    .where(and(eq(attempts.id, attemptId), eq(attempts.learnerId, learnerId), eq(attempts.withheld, false)))
    .limit(1);
  const r = rows[0];
  if (!r) return undefined;
  return {
    attemptId: r.id,
    scenarioId: r.scenarioId,
    score: r.score,
    maxScore: r.maxScore,
    answer: JSON.parse(r.answer) as unknown,
    items: JSON.parse(r.items) as AttemptItem[],
    at: r.createdAt.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Training paths

export interface ModuleListing {
  pathId: string;
  pathTitle: string;
  pathTitle_ja?: string;
  moduleId: string;
  title: string;
  title_ja?: string;
  description?: string;
  skills: Skill[];
  cases: string[];
  masteryThreshold: number;
}

/** Every module of every training path (for the LTI deep-linking picker and instructor views). */
export function listModules(deps: AppDeps): ModuleListing[] {
  return bankOf(deps).paths.flatMap((p) =>
    p.modules.map((m) => ({
      pathId: p.id,
      pathTitle: p.title,
      ...(p.title_ja ? { pathTitle_ja: p.title_ja } : {}),
      moduleId: m.id,
      title: m.title,
      ...(m.title_ja ? { title_ja: m.title_ja } : {}),
      ...(m.description ? { description: m.description } : {}),
      skills: [...m.skills],
      cases: [...m.cases],
      masteryThreshold: m.mastery_threshold,
    })),
  );
}

export function listPaths(deps: AppDeps) {
  return bankOf(deps).paths.map((p) => ({
    id: p.id,
    title: p.title,
    ...(p.title_ja ? { title_ja: p.title_ja } : {}),
    ...(p.description ? { description: p.description } : {}),
    modules: p.modules.map((m) => ({ id: m.id, title: m.title, ...(m.title_ja ? { title_ja: m.title_ja } : {}), skills: [...m.skills], cases: m.cases.length })),
  }));
}

/** A training path with its modules, reading passages resolved to chunks, and case lists; 404 when unknown. */
export function getPath(deps: AppDeps, id: string) {
  const bank = bankOf(deps);
  const path = bank.paths.find((p) => p.id === id);
  if (!path) throw new HttpError(404, `Unknown training path "${id}"`);
  const reader = deps.corpus().reader;
  const byId = new Map(bank.scenarios.map((s) => [s.id, s]));
  return {
    id: path.id,
    title: path.title,
    ...(path.title_ja ? { title_ja: path.title_ja } : {}),
    ...(path.description ? { description: path.description } : {}),
    modules: path.modules.map((m) => ({
      id: m.id,
      title: m.title,
      ...(m.title_ja ? { title_ja: m.title_ja } : {}),
      ...(m.description ? { description: m.description } : {}),
      skills: [...m.skills],
      masteryThreshold: m.mastery_threshold,
      reading: m.reading.flatMap((r) => {
        const at = locateQuote(reader, r.doc, r.quote);
        return at ? [{ ...at, ...(r.note ? { note: r.note } : {}) }] : [];
      }),
      cases: m.cases.flatMap((c) => {
        const s = byId.get(c);
        return s ? [{ id: s.id, type: s.type, title: s.title, ...(s.title_ja ? { title_ja: s.title_ja } : {}), skill: s.skill, difficulty: s.difficulty }] : [];
      }),
    })),
  };
}

/** The id a module goes by outside the path (LTI links): its own id, or `pathId:moduleId` when two paths share it. */
function externalModuleIds(modules: readonly ModuleListing[]): string[] {
  const count = new Map<string, number>();
  for (const m of modules) count.set(m.moduleId, (count.get(m.moduleId) ?? 0) + 1);
  return modules.map((m) => ((count.get(m.moduleId) ?? 0) > 1 ? `${m.pathId}:${m.moduleId}` : m.moduleId));
}

/** The modules for the LTI deep-linking picker (fills `AppDeps.listModules`). */
export function ltiModuleSummaries(deps: AppDeps): ModuleSummary[] {
  const modules = listModules(deps);
  const ids = externalModuleIds(modules);
  return modules.map((m, i) => ({ id: ids[i]!, title: m.title, description: m.description ?? `${m.pathTitle}: ${m.cases.length} cases` }));
}

/**
 * A learner's progress for the LTI instructor roster (fills `AppDeps.progressFor`): one module
 * (`moduleId` as given by `ltiModuleSummaries`), or the whole of the training paths. The bar is
 * the lesser of the share of cases attempted and the mastery toward the threshold (both are needed
 * to complete a module). Undefined for an unknown module.
 */
export async function rosterProgress(deps: AppDeps, learnerId: string, moduleId?: string): Promise<RosterProgress | undefined> {
  const progress = await progressFor(deps, learnerId);
  if (moduleId === undefined) {
    const modules = progress.paths.flatMap((p) => p.modules);
    const done = modules.filter((m) => m.complete || m.completedAt).length;
    const passed = new Set(progress.history.filter((h) => h.passed).map((h) => h.scenarioId)).size;
    return {
      summary: `${done} of ${modules.length} modules complete, ${passed} cases passed, ${progress.history.length} attempts`,
      fraction: modules.length ? done / modules.length : 0,
      completed: modules.length > 0 && done === modules.length,
    };
  }
  const listing = listModules(deps);
  const ids = externalModuleIds(listing);
  const at = ids.findIndex((id, i) => id === moduleId || `${listing[i]!.pathId}:${listing[i]!.moduleId}` === moduleId);
  if (at < 0) return undefined;
  const want = listing[at]!;
  const m = progress.paths.find((p) => p.pathId === want.pathId)?.modules.find((x) => x.id === want.moduleId);
  if (!m) return undefined;
  const completed = m.complete || m.completedAt !== null;
  const fraction = completed ? 1 : Math.min(m.casesTotal ? m.casesAttempted / m.casesTotal : 0, m.threshold > 0 ? Math.min(1, m.mastery / m.threshold) : 1);
  return {
    summary: `${m.casesAttempted} of ${m.casesTotal} cases, mastery ${m.mastery.toFixed(2)} (needs ${m.threshold})${completed ? ", complete" : ""}`,
    fraction,
    completed,
  };
}

export type { LlmRubricGrader };
