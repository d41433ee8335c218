/**
 * Workshop mode: a facilitator runs cases live for a room of participants.
 *
 * - A facilitator (the admin token, or an LMS instructor: owner `lti:<issuer>|<context>`) creates a
 *   workshop from authored and generated cases and gets a six-character join code.
 * - Participants join by code (web, LMS launch session, Slack through `joinWorkshop`) and answer the
 *   open case. The practice service grades and stores each answer as an ordinary attempt (it counts
 *   toward mastery); the workshop keeps its own row per participant and case. The first answer counts:
 *   a second one is refused (409). Answers to a case that is not open are refused (409).
 * - The facilitator opens a case, closes answers and reveals. Before the reveal a participant sees
 *   only their own answer: no score, no feedback, no key, no other answer. After it, their graded
 *   feedback and the answer key with its cited sources.
 * - Everything lives in SQLite; the live views are fed by the event log of hub.ts.
 *
 * Runtime-agnostic: every query awaited, no interactive transactions (D1).
 */
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, ne, sql } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";
import type { AppDeps } from "../app.js";
import { isPass, parseAnswer, scoreAnswer, type Answer } from "../core/practice/index.js";
import { getLearner, newId } from "../db/learners.js";
import { workshopAnswers, workshopCases, workshopParticipants, workshops } from "../db/schema/index.js";
import { HttpError } from "../routes/http-error.js";
import { attemptDetail, findScenario, invalidAnswer, releaseAttempts, locateQuote, publicScenario, submitAttempt, type AttemptItem, type FormField, type FoundScenario, type PracticeCitation } from "../services/practice.js";
import { hubOf, type Audience } from "./hub.js";

// ---------------------------------------------------------------------------------------------
// Codes

/** Join-code alphabet: capitals and digits without the look-alikes 0/O, 1/I/L. */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 6;

export function newJoinCode(): string {
  const n = CODE_ALPHABET.length;
  const limit = 256 - (256 % n); // bytes at or above this would favour the first letters: drawn again
  let out = "";
  while (out.length < CODE_LENGTH) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    for (const b of bytes) if (b < limit && out.length < CODE_LENGTH) out += CODE_ALPHABET[b % n]!;
  }
  return out;
}

/** A typed code as stored (upper case, spaces and dashes dropped); undefined when it cannot be a code. */
export function normaliseCode(input: string | undefined | null): string | undefined {
  if (typeof input !== "string") return undefined;
  const code = input.toUpperCase().replace(/[\s\-_.]/g, "");
  if (code.length !== CODE_LENGTH) return undefined;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return code;
}

export function roomPath(code: string): string {
  return `/w/${code}`;
}

// ---------------------------------------------------------------------------------------------
// Types

export type CaseState = "pending" | "open" | "closed" | "revealed";
export type WorkshopStatus = "active" | "ended";
export type JoinChannel = "web" | "lti" | "slack";

/**
 * Who runs a workshop: the admin token or an admin account (every workshop), or an owner: an LMS
 * instructor (owner `lti:<issuer>|<context>`, shared by the course's instructors) or a facilitator
 * account (owner `learner:<id>`), who see their own workshops only.
 */
export type Facilitator = { kind: "admin" } | { kind: "owner"; owner: string; learnerId: string };

type WorkshopRow = typeof workshops.$inferSelect;
type CaseRow = typeof workshopCases.$inferSelect;

export const MAX_CASES = 40;
const STALE_RESERVATION_MS = 30_000;
/** Throttle of the live aggregate broadcast. */
export const STATS_DELAY_MS = 150;

// ---------------------------------------------------------------------------------------------
// Lookups

function ownerOf(f: Facilitator): string {
  return f.kind === "admin" ? "admin" : f.owner;
}

/**
 * The hot lookups as prepared statements, one set per database (drizzle prepares them once; on
 * better-sqlite3 and D1 alike). A request to the room makes a handful of these.
 */
function statementsFor(db: AppDeps["db"]) {
  return {
    byCode: db.select().from(workshops).where(eq(workshops.code, sql.placeholder("code"))).limit(1).prepare(),
    byId: db.select().from(workshops).where(eq(workshops.id, sql.placeholder("id"))).limit(1).prepare(),
    cases: db.select().from(workshopCases).where(eq(workshopCases.workshopId, sql.placeholder("workshopId"))).orderBy(asc(workshopCases.position)).prepare(),
    caseAt: db
      .select()
      .from(workshopCases)
      .where(and(eq(workshopCases.workshopId, sql.placeholder("workshopId")), eq(workshopCases.position, sql.placeholder("position"))))
      .limit(1)
      .prepare(),
    participant: db
      .select()
      .from(workshopParticipants)
      .where(and(eq(workshopParticipants.workshopId, sql.placeholder("workshopId")), eq(workshopParticipants.learnerId, sql.placeholder("learnerId"))))
      .limit(1)
      .prepare(),
    ownAnswers: db
      .select()
      .from(workshopAnswers)
      .where(and(eq(workshopAnswers.workshopId, sql.placeholder("workshopId")), eq(workshopAnswers.learnerId, sql.placeholder("learnerId"))))
      .prepare(),
  };
}
const statements = new WeakMap<object, ReturnType<typeof statementsFor>>();
function q(deps: AppDeps): ReturnType<typeof statementsFor> {
  let st = statements.get(deps.db);
  if (!st) statements.set(deps.db, (st = statementsFor(deps.db)));
  return st;
}

export async function workshopByCode(deps: AppDeps, rawCode: string): Promise<WorkshopRow> {
  const code = normaliseCode(rawCode);
  const rows = code ? await q(deps).byCode.all({ code }) : [];
  const w = rows[0];
  if (!w) throw new HttpError(404, `No workshop with the code "${String(rawCode).slice(0, 20)}": check the code on the screen (${CODE_LENGTH} letters and digits)`);
  return w;
}

function assertActive(w: WorkshopRow): void {
  if (w.status !== "active") throw new HttpError(410, `The workshop "${w.title}" (${w.code}) has ended: it no longer takes participants or answers`);
}

/** The workshop of a code that still takes participants: 404 for an unknown code, 410 when it has ended. */
export async function joinableWorkshop(deps: AppDeps, code: string): Promise<WorkshopRow> {
  const w = await workshopByCode(deps, code);
  assertActive(w);
  return w;
}

/** The workshop of a code, if this facilitator may run it (403 otherwise). */
export async function facilitatedWorkshop(deps: AppDeps, f: Facilitator, code: string): Promise<WorkshopRow> {
  const w = await workshopByCode(deps, code);
  if (f.kind !== "admin" && w.owner !== f.owner) throw new HttpError(403, "This workshop belongs to another facilitator");
  return w;
}

async function casesOf(deps: AppDeps, workshopId: string): Promise<CaseRow[]> {
  return q(deps).cases.all({ workshopId });
}

async function caseAt(deps: AppDeps, workshopId: string, position: number): Promise<CaseRow | undefined> {
  const rows = await q(deps).caseAt.all({ workshopId, position });
  return rows[0];
}

async function participantOf(deps: AppDeps, workshopId: string, learnerId: string) {
  const rows = await q(deps).participant.all({ workshopId, learnerId });
  return rows[0];
}

async function participantCount(deps: AppDeps, workshopId: string): Promise<number> {
  const rows = await deps.db.select({ n: count() }).from(workshopParticipants).where(eq(workshopParticipants.workshopId, workshopId));
  return rows[0]?.n ?? 0;
}

/** The public view of a case (no key), computed once per scenario object. */
const publicCache = new WeakMap<object, ReturnType<typeof publicScenario>>();
function publicOf(found: FoundScenario): ReturnType<typeof publicScenario> {
  let pub = publicCache.get(found.scenario);
  if (!pub) publicCache.set(found.scenario, (pub = publicScenario(found)));
  return pub;
}

/** The scenario of a workshop case (generated cases are regenerated from their seed; cached). */
const scenarioCache = new Map<string, FoundScenario>();
function scenarioOf(deps: AppDeps, id: string): FoundScenario {
  if (!id.startsWith("gen-")) return findScenario(deps, id);
  let found = scenarioCache.get(id);
  if (!found) {
    found = findScenario(deps, id);
    if (scenarioCache.size > 500) scenarioCache.clear();
    scenarioCache.set(id, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Case views

/** What the projector shows of a case: title, type and question (no dossier, no key). */
export function caseLite(found: FoundScenario) {
  const s = found.scenario;
  return {
    id: s.id,
    type: s.type,
    title: s.title,
    ...(s.title_ja ? { title_ja: s.title_ja } : {}),
    question: s.question,
    ...(s.question_ja ? { question_ja: s.question_ja } : {}),
    form: publicOf(found).form,
  };
}

export interface KeyField {
  field: string;
  kind: FormField["kind"];
  /** Chosen options with labels (choice, multi) or the value (number, text). */
  values: Array<{ id: string | number; en: string; ja: string }>;
}

export interface AnswerKeyView {
  caseId: string;
  maxScore: number;
  fields: KeyField[];
  /** The rubric items with the feedback a full-marks answer gets, each citing its sources. */
  items: Array<{ item: string; label: string; label_ja?: string; points: number; feedback: string; feedback_ja?: string; citations: number[] }>;
  citations: PracticeCitation[];
}

/** An answer as labelled values per form field (justification left out). */
export function labelledAnswer(form: readonly FormField[], answer: Record<string, unknown>): KeyField[] {
  const out: KeyField[] = [];
  for (const f of form) {
    if (f.field === "justification") continue;
    const raw = answer[f.field];
    if (raw === undefined || raw === null || raw === "") continue;
    const list = Array.isArray(raw) ? raw : [raw];
    const values = list.map((v) => {
      const o = f.options?.find((x) => String(x.id) === String(v));
      return o ? { id: o.id, en: o.en, ja: o.ja } : { id: v as string | number, en: String(v), ja: String(v) };
    });
    out.push({ field: f.field, kind: f.kind, values });
  }
  return out;
}

/** The answer key of a case with the feedback and cited passages (live index, load-time fallback). */
const keyCache = new WeakMap<object, { reader: unknown; view: AnswerKeyView }>();

export function answerKeyView(deps: AppDeps, found: FoundScenario): AnswerKeyView {
  const reader = deps.corpus().reader;
  const cached = keyCache.get(found.scenario);
  if (cached && cached.reader === reader) return cached.view;
  const view = buildKeyView(deps, found);
  keyCache.set(found.scenario, { reader, view });
  return view;
}

function buildKeyView(deps: AppDeps, found: FoundScenario): AnswerKeyView {
  const s = found.scenario;
  const graded = scoreAnswer(s, s.answer);
  const reader = deps.corpus().reader;
  const loaded = found.generated ? undefined : deps.practice?.().sources[s.id];
  const numbers = new Map<number, number>();
  const citations: PracticeCitation[] = [];
  const cite = (i: number): number | undefined => {
    const known = numbers.get(i);
    if (known !== undefined) return known;
    const src = s.sources[i];
    if (!src) return undefined;
    const at = locateQuote(reader, src.doc, src.quote, loaded?.find((x) => x.index === i)?.chunkIds);
    if (!at) return undefined;
    const n = citations.length + 1;
    numbers.set(i, n);
    citations.push({ n, ...at });
    return n;
  };
  const items = graded.items.map((r) => ({
    item: r.item,
    label: r.label,
    ...(r.label_ja ? { label_ja: r.label_ja } : {}),
    points: r.max,
    feedback: r.feedback,
    ...(r.feedback_ja ? { feedback_ja: r.feedback_ja } : {}),
    citations: r.sources.map(cite).filter((n): n is number => n !== undefined),
  }));
  return { caseId: s.id, maxScore: graded.maxScore, fields: labelledAnswer(publicOf(found).form, s.answer as Record<string, unknown>), items, citations };
}

// ---------------------------------------------------------------------------------------------
// Aggregates

export interface StatsOption {
  id: string | number;
  en: string;
  ja: string;
  count: number;
  /** Set after the reveal: the option is (part of) the key. */
  correct?: boolean;
}

export interface CaseStats {
  position: number;
  caseId: string;
  state: CaseState;
  answered: number;
  participants: number;
  /** Mean score and its maximum (null before the first answer). */
  avgScore: number | null;
  maxScore: number;
  /** Mean of score / maxScore. */
  avgRatio: number | null;
  passed: number;
  /** Per answer field: counts of each option (choice: one per answer; multi: share = count / answered). */
  fields: Array<{ field: string; kind: "choice" | "multi" | "number"; options: StatsOption[] }>;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Aggregates of one case from the stored answers: one indexed query over that case's rows, the
 * counting in memory (a few hundred small JSON objects).
 */
export async function caseStats(deps: AppDeps, workshopId: string, c: CaseRow, participants?: number): Promise<CaseStats> {
  const found = scenarioOf(deps, c.scenarioId);
  const form = publicOf(found).form;
  const rows = await deps.db
    .select({ answer: workshopAnswers.answer, score: workshopAnswers.score, maxScore: workshopAnswers.maxScore })
    .from(workshopAnswers)
    .where(and(eq(workshopAnswers.workshopId, workshopId), eq(workshopAnswers.position, c.position), isNotNull(workshopAnswers.attemptId)));
  const revealed = c.state === "revealed";
  const key = found.scenario.answer as Record<string, unknown>;
  const fields: CaseStats["fields"] = [];
  const answers = rows.map((r) => JSON.parse(r.answer) as Record<string, unknown>);
  for (const f of form) {
    if (f.kind === "text") continue;
    const counts = new Map<string, number>();
    for (const a of answers) {
      const v = a[f.field];
      if (v === undefined || v === null) continue;
      for (const x of new Set((Array.isArray(v) ? v : [v]).map(String))) counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    const keyValues = new Set((Array.isArray(key[f.field]) ? (key[f.field] as unknown[]) : key[f.field] === undefined ? [] : [key[f.field]]).map(String));
    let options: StatsOption[];
    if (f.kind === "number") {
      options = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))
        .slice(0, 12)
        .map(([v, n]) => ({ id: Number(v), en: v, ja: v, count: n }));
      if (revealed) for (const o of options) if (keyValues.has(String(o.id))) o.correct = true;
    } else {
      options = (f.options ?? []).map((o) => ({ id: o.id, en: o.en, ja: o.ja, count: counts.get(String(o.id)) ?? 0, ...(revealed && keyValues.has(String(o.id)) ? { correct: true } : {}) }));
    }
    fields.push({ field: f.field, kind: f.kind as "choice" | "multi" | "number", options });
  }
  const graded = rows.filter((r) => r.score !== null && r.maxScore !== null);
  const maxScore = graded[0]?.maxScore ?? publicOf(found).maxScore;
  const sum = graded.reduce((s, r) => s + r.score!, 0);
  const ratio = graded.reduce((s, r) => s + (r.maxScore! > 0 ? r.score! / r.maxScore! : 0), 0);
  return {
    position: c.position,
    caseId: c.scenarioId,
    state: c.state as CaseState,
    answered: rows.length,
    participants: participants ?? (await participantCount(deps, workshopId)),
    avgScore: graded.length ? round2(sum / graded.length) : null,
    maxScore,
    avgRatio: graded.length ? Math.round((ratio / graded.length) * 1000) / 1000 : null,
    passed: graded.filter((r) => isPass({ score: r.score!, maxScore: r.maxScore! })).length,
    fields,
  };
}

async function answeredByPosition(deps: AppDeps, workshopId: string): Promise<Map<number, number>> {
  const rows = await deps.db
    .select({ position: workshopAnswers.position, n: count() })
    .from(workshopAnswers)
    .where(and(eq(workshopAnswers.workshopId, workshopId), isNotNull(workshopAnswers.attemptId)))
    .groupBy(workshopAnswers.position);
  return new Map(rows.map((r) => [r.position, r.n]));
}

// ---------------------------------------------------------------------------------------------
// Views

export interface CaseListing {
  position: number;
  caseId: string;
  title: string;
  title_ja?: string;
  type: string;
  state: CaseState;
  answered: number;
}

function listing(deps: AppDeps, c: CaseRow, answered: number): CaseListing {
  const s = scenarioOf(deps, c.scenarioId).scenario;
  return { position: c.position, caseId: c.scenarioId, title: s.title, ...(s.title_ja ? { title_ja: s.title_ja } : {}), type: s.type, state: c.state as CaseState, answered };
}

export interface WorkshopSummary {
  id: string;
  code: string;
  title: string;
  status: WorkshopStatus;
  roomPath: string;
  currentPosition: number | null;
  participants: number;
  cases: CaseListing[];
  createdAt: string;
}

/** What the facilitator and the projector see: the workshop, its cases, the current case's aggregates and (after the reveal) key. */
export interface FacilitatorView {
  workshop: WorkshopSummary;
  current: null | {
    position: number;
    state: CaseState;
    case: ReturnType<typeof caseLite>;
    stats: CaseStats;
    key?: AnswerKeyView;
  };
}

async function summaryOf(deps: AppDeps, w: WorkshopRow, cases?: CaseRow[], participants?: number): Promise<WorkshopSummary> {
  const rows = cases ?? (await casesOf(deps, w.id));
  const answered = await answeredByPosition(deps, w.id);
  return {
    id: w.id,
    code: w.code,
    title: w.title,
    status: w.status as WorkshopStatus,
    roomPath: roomPath(w.code),
    currentPosition: w.currentPosition,
    participants: participants ?? (await participantCount(deps, w.id)),
    cases: rows.map((c) => listing(deps, c, answered.get(c.position) ?? 0)),
    createdAt: w.createdAt.toISOString(),
  };
}

export async function facilitatorView(deps: AppDeps, w: WorkshopRow): Promise<FacilitatorView> {
  const cases = await casesOf(deps, w.id);
  const participants = await participantCount(deps, w.id);
  const workshop = await summaryOf(deps, w, cases, participants);
  const c = w.currentPosition === null ? undefined : cases.find((x) => x.position === w.currentPosition);
  if (!c) return { workshop, current: null };
  const found = scenarioOf(deps, c.scenarioId);
  return {
    workshop,
    current: {
      position: c.position,
      state: c.state as CaseState,
      case: caseLite(found),
      stats: await caseStats(deps, w.id, c, participants),
      ...(c.state === "revealed" ? { key: answerKeyView(deps, found) } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Creating and listing

export interface CreateWorkshopInput {
  title?: string;
  /** Authored case ids and/or generated ones (`gen-mill-42`, `gen-level-7`), in order. */
  cases: string[];
}

export interface CreatedWorkshop extends WorkshopSummary {
  joinUrl: string;
}

export async function createWorkshop(deps: AppDeps, f: Facilitator, input: CreateWorkshopInput, baseUrl: string): Promise<CreatedWorkshop> {
  const ids = input.cases.map((x) => x.trim()).filter(Boolean);
  if (!ids.length) throw new HttpError(400, "Invalid body: cases: pick at least one case (an authored id or a generated one such as gen-mill-42)");
  if (ids.length > MAX_CASES) throw new HttpError(400, `Invalid body: cases: at most ${MAX_CASES} cases per workshop`);
  for (const id of ids) {
    try {
      scenarioOf(deps, id);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) throw new HttpError(400, `Invalid body: cases: unknown case "${id}"`);
      throw e;
    }
  }
  const now = deps.clock.now();
  const id = newId("ws");
  const title = (input.title ?? "").trim().slice(0, 120) || `Workshop ${now.toISOString().slice(0, 10)}`;
  let code: string | undefined;
  for (let tries = 0; tries < 8 && !code; tries++) {
    const candidate = newJoinCode();
    const inserted = await deps.db
      .insert(workshops)
      .values({ id, code: candidate, title, owner: ownerOf(f), createdBy: f.kind === "owner" ? f.learnerId : null, status: "active", currentPosition: null, seq: 0, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ code: workshops.code });
    code = inserted[0]?.code;
  }
  if (!code) throw new HttpError(503, "Could not find a free join code: try again");
  await deps.db.insert(workshopCases).values(ids.map((scenarioId, position) => ({ workshopId: id, position, scenarioId, state: "pending" })));
  const w = (await deps.db.select().from(workshops).where(eq(workshops.id, id)).limit(1))[0]!;
  const summary = await summaryOf(deps, w);
  return { ...summary, joinUrl: joinUrl(baseUrl, code) };
}

export function joinUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${roomPath(code)}`;
}

export async function listWorkshops(deps: AppDeps, f: Facilitator): Promise<Array<Omit<WorkshopSummary, "cases"> & { cases: number }>> {
  const rows = await deps.db
    .select()
    .from(workshops)
    .where(f.kind === "admin" ? undefined : eq(workshops.owner, f.owner))
    .orderBy(desc(workshops.createdAt))
    .limit(100);
  const out = [];
  for (const w of rows) {
    const s = await summaryOf(deps, w);
    out.push({ ...s, cases: s.cases.length });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Live broadcast

const lastStats = new WeakMap<AppDeps, Map<string, string>>();

/** Computes the current case's aggregates and emits them when they changed (facilitator audience). */
export async function broadcastStats(deps: AppDeps, workshopId: string): Promise<void> {
  const rows = await deps.db.select().from(workshops).where(eq(workshops.id, workshopId)).limit(1);
  const w = rows[0];
  if (!w) return;
  const participants = await participantCount(deps, w.id);
  let seen = lastStats.get(deps);
  if (!seen) lastStats.set(deps, (seen = new Map()));
  const c = w.currentPosition === null ? undefined : await caseAt(deps, w.id, w.currentPosition);
  const [type, position, data] = c ? (["stats", c.position, await caseStats(deps, w.id, c, participants)] as const) : (["participants", null, { participants }] as const);
  const text = JSON.stringify(data);
  if (seen.get(w.id) === text) return;
  seen.set(w.id, text);
  await hubOf(deps).emit(w.id, { type, audience: "facilitator", position, data });
}

/** Schedules `broadcastStats` (at most one per STATS_DELAY_MS per workshop). */
export function scheduleStats(deps: AppDeps, workshopId: string): void {
  const hub = hubOf(deps);
  hub.schedule(`stats:${workshopId}`, STATS_DELAY_MS, () => hub.serial(`stats:${workshopId}`, () => broadcastStats(deps, workshopId)));
}

async function emitPhase(deps: AppDeps, w: WorkshopRow): Promise<void> {
  const cases = await casesOf(deps, w.id);
  const c = w.currentPosition === null ? undefined : cases.find((x) => x.position === w.currentPosition);
  const found = c ? scenarioOf(deps, c.scenarioId) : undefined;
  await hubOf(deps).emit(w.id, {
    type: "phase",
    audience: "all",
    position: c?.position ?? null,
    data: {
      status: w.status,
      currentPosition: w.currentPosition,
      state: c?.state ?? null,
      case: found ? caseLite(found) : null,
      cases: cases.map((x) => ({ position: x.position, state: x.state })),
      ...(c && found && c.state === "revealed" ? { key: answerKeyView(deps, found) } : {}),
    },
  });
  // The aggregates right away (the reveal marks the key's options), not after the throttle.
  await hubOf(deps).serial(`stats:${w.id}`, () => broadcastStats(deps, w.id));
}

// ---------------------------------------------------------------------------------------------
// Facilitator controls

async function reload(deps: AppDeps, id: string): Promise<WorkshopRow> {
  return (await q(deps).byId.all({ id }))[0]!;
}

function caseLabel(position: number): string {
  return `case ${position + 1}`;
}

/** Opens a case for answers (closing any other open case). Re-opening a closed case is allowed; a revealed one is final. */
export async function openCase(deps: AppDeps, f: Facilitator, code: string, position: number): Promise<FacilitatorView> {
  const w0 = await facilitatedWorkshop(deps, f, code);
  return hubOf(deps).serial(`control:${w0.id}`, async () => {
    const w = await reload(deps, w0.id);
    assertActive(w);
    const target = await caseAt(deps, w.id, position);
    if (!target) throw new HttpError(404, `This workshop has no ${caseLabel(position)} (it has cases 1 to ${(await casesOf(deps, w.id)).length})`);
    if (target.state === "revealed") throw new HttpError(409, `The answers to ${caseLabel(position)} were revealed: it cannot be opened again`);
    const now = deps.clock.now();
    await deps.db
      .update(workshopCases)
      .set({ state: "closed", closedAt: now })
      .where(and(eq(workshopCases.workshopId, w.id), eq(workshopCases.state, "open"), ne(workshopCases.position, position)));
    if (target.state !== "open") {
      await deps.db
        .update(workshopCases)
        .set({ state: "open", openedAt: target.openedAt ?? now, closedAt: null })
        .where(and(eq(workshopCases.workshopId, w.id), eq(workshopCases.position, position), inArray(workshopCases.state, ["pending", "closed"])));
    }
    await deps.db.update(workshops).set({ currentPosition: position, updatedAt: now }).where(eq(workshops.id, w.id));
    const after = await reload(deps, w.id);
    await emitPhase(deps, after);
    return facilitatorView(deps, after);
  });
}

/** Closes answers to the current case (idempotent when it is closed or revealed already). */
export async function closeCase(deps: AppDeps, f: Facilitator, code: string): Promise<FacilitatorView> {
  const w0 = await facilitatedWorkshop(deps, f, code);
  return hubOf(deps).serial(`control:${w0.id}`, async () => {
    const w = await reload(deps, w0.id);
    assertActive(w);
    if (w.currentPosition === null) throw new HttpError(409, "No case is on screen: open one first");
    const c = (await caseAt(deps, w.id, w.currentPosition))!;
    if (c.state === "open") {
      await deps.db
        .update(workshopCases)
        .set({ state: "closed", closedAt: deps.clock.now() })
        .where(and(eq(workshopCases.workshopId, w.id), eq(workshopCases.position, c.position), eq(workshopCases.state, "open")));
      await emitPhase(deps, w);
    }
    return facilitatorView(deps, w);
  });
}

/** Reveals the current case: answers close, participants see their feedback and everyone the key. Idempotent. */
export async function revealCase(deps: AppDeps, f: Facilitator, code: string): Promise<FacilitatorView> {
  const w0 = await facilitatedWorkshop(deps, f, code);
  return hubOf(deps).serial(`control:${w0.id}`, async () => {
    const w = await reload(deps, w0.id);
    if (w.currentPosition === null) throw new HttpError(409, "No case is on screen: open one first");
    const c = (await caseAt(deps, w.id, w.currentPosition))!;
    if (c.state === "pending") throw new HttpError(409, `${caseLabel(c.position)} was never opened`);
    if (c.state !== "revealed") {
      const now = deps.clock.now();
      await deps.db
        .update(workshopCases)
        .set({ state: "revealed", revealedAt: now, closedAt: c.closedAt ?? now })
        .where(and(eq(workshopCases.workshopId, w.id), eq(workshopCases.position, c.position), inArray(workshopCases.state, ["open", "closed"])));
      const answered = await deps.db
        .select({ attemptId: workshopAnswers.attemptId })
        .from(workshopAnswers)
        .where(and(eq(workshopAnswers.workshopId, w.id), eq(workshopAnswers.position, c.position)));
      await releaseAttempts(deps, answered.map((a) => a.attemptId).filter((id): id is string => !!id));
      await emitPhase(deps, w);
    }
    return facilitatorView(deps, w);
  });
}

/** Ends the workshop: open answers close; the code then answers 410. Results stay. */
export async function endWorkshop(deps: AppDeps, f: Facilitator, code: string): Promise<FacilitatorView> {
  const w0 = await facilitatedWorkshop(deps, f, code);
  return hubOf(deps).serial(`control:${w0.id}`, async () => {
    const w = await reload(deps, w0.id);
    if (w.status !== "ended") {
      const now = deps.clock.now();
      await deps.db.update(workshopCases).set({ state: "closed", closedAt: now }).where(and(eq(workshopCases.workshopId, w.id), eq(workshopCases.state, "open")));
      await deps.db.update(workshops).set({ status: "ended", endedAt: now, updatedAt: now }).where(eq(workshops.id, w.id));
      const after = await reload(deps, w.id);
      await hubOf(deps).emit(w.id, { type: "ended", audience: "all", position: null, data: { status: "ended" } });
      return facilitatorView(deps, after);
    }
    return facilitatorView(deps, w);
  });
}

// ---------------------------------------------------------------------------------------------
// Participants

export interface JoinInput {
  code: string;
  learnerId: string;
  /** Shown to the facilitator; defaults to the learner's name. */
  displayName?: string;
  channel?: JoinChannel;
}

export interface JoinResult {
  workshop: { id: string; code: string; title: string; status: WorkshopStatus; roomPath: string; cases: number; currentPosition: number | null };
  participant: { id: string; displayName: string; channel: string; joinedAt: string };
  /** False when the learner had joined before (joining again is harmless). */
  joined: boolean;
}

/**
 * Adds a learner to a workshop by code (web, LMS launch, Slack `/fce join CODE`). 404 for an unknown
 * code, 410 when the workshop has ended. Joining twice returns the first participation.
 */
export async function joinWorkshop(deps: AppDeps, input: JoinInput): Promise<JoinResult> {
  return joinLoaded(deps, await workshopByCode(deps, input.code), input);
}

/** Number of cases of a workshop (fixed at creation, so kept once read). */
const caseCounts = new Map<string, number>();
async function caseCount(deps: AppDeps, workshopId: string): Promise<number> {
  let n = caseCounts.get(workshopId);
  if (n === undefined) {
    n = (await casesOf(deps, workshopId)).length;
    if (caseCounts.size > 10_000) caseCounts.clear();
    caseCounts.set(workshopId, n);
  }
  return n;
}

/** `joinWorkshop` for a workshop row already read (the join routes look it up first for the 404/410). */
export async function joinLoaded(deps: AppDeps, w: WorkshopRow, input: Omit<JoinInput, "code">): Promise<JoinResult> {
  assertActive(w);
  const name = (input.displayName ?? "").trim().slice(0, 80);
  let displayName = name;
  if (!displayName) {
    displayName = (await getLearner(deps.db, input.learnerId))?.displayName ?? "Participant";
  }
  const inserted = await deps.db
    .insert(workshopParticipants)
    .values({ id: newId("wsp"), workshopId: w.id, learnerId: input.learnerId, displayName, channel: input.channel ?? "web", joinedAt: deps.clock.now() })
    .onConflictDoNothing()
    .returning();
  const p = inserted[0] ?? (await participantOf(deps, w.id, input.learnerId))!;
  if (inserted.length) scheduleStats(deps, w.id);
  return {
    workshop: { id: w.id, code: w.code, title: w.title, status: w.status as WorkshopStatus, roomPath: roomPath(w.code), cases: await caseCount(deps, w.id), currentPosition: w.currentPosition },
    participant: { id: p.id, displayName: p.displayName, channel: p.channel, joinedAt: p.joinedAt.toISOString() },
    joined: inserted.length > 0,
  };
}

export interface OwnResult {
  score: number;
  maxScore: number;
  passed: boolean;
  items: AttemptItem[];
}

/** What one participant sees. Nothing of other participants; score, feedback and key only after the reveal. */
export interface ParticipantView {
  workshop: { code: string; title: string; status: WorkshopStatus; cases: number; currentPosition: number | null };
  participant: { id: string; displayName: string };
  current: null | {
    position: number;
    state: CaseState;
    case: ReturnType<typeof publicScenario>;
    /** The participant's own answer (as submitted), or null. */
    answer: null | { submittedAt: string; values: Record<string, unknown>; fields: KeyField[] };
    /** After the reveal: the participant's graded feedback (null if they did not answer). */
    result: OwnResult | null;
    key: AnswerKeyView | null;
  };
  /** The participant's cases so far: scores of revealed cases only. */
  mine: Array<{ position: number; caseId: string; title: string; state: CaseState; answered: boolean; score?: number; maxScore?: number }>;
}

async function ownAnswers(deps: AppDeps, workshopId: string, learnerId: string) {
  return q(deps).ownAnswers.all({ workshopId, learnerId });
}

/** The participant's view of a workshop (403 when they have not joined). An ended workshop is still shown. */
export async function participantView(deps: AppDeps, code: string, learnerId: string): Promise<ParticipantView> {
  const w = await workshopByCode(deps, code);
  const p = await participantOf(deps, w.id, learnerId);
  if (!p) throw new HttpError(403, `Join the workshop first (code ${w.code})`);
  const cases = await casesOf(deps, w.id);
  const mineRows = await ownAnswers(deps, w.id, learnerId);
  const byPos = new Map(mineRows.filter((r) => r.attemptId !== null).map((r) => [r.position, r]));
  let current: ParticipantView["current"] = null;
  const c = w.currentPosition === null ? undefined : cases.find((x) => x.position === w.currentPosition);
  if (c && c.state !== "pending") {
    const found = scenarioOf(deps, c.scenarioId);
    const pub = publicOf(found);
    const mine = byPos.get(c.position);
    const values = mine ? (JSON.parse(mine.answer) as Record<string, unknown>) : undefined;
    const revealed = c.state === "revealed";
    let result: OwnResult | null = null;
    if (revealed && mine?.attemptId) {
      const detail = await attemptDetail(deps, learnerId, mine.attemptId);
      if (detail) result = { score: detail.score, maxScore: detail.maxScore, passed: isPass(detail), items: detail.items };
    }
    current = {
      position: c.position,
      state: c.state as CaseState,
      case: pub,
      answer: mine && values ? { submittedAt: mine.createdAt.toISOString(), values, fields: labelledAnswer(pub.form, values) } : null,
      result,
      key: revealed ? answerKeyView(deps, found) : null,
    };
  }
  return {
    workshop: { code: w.code, title: w.title, status: w.status as WorkshopStatus, cases: cases.length, currentPosition: w.currentPosition },
    participant: { id: p.id, displayName: p.displayName },
    current,
    mine: cases
      .filter((x) => x.state !== "pending")
      .map((x) => {
        const r = byPos.get(x.position);
        const s = scenarioOf(deps, x.scenarioId).scenario;
        const shown = x.state === "revealed" && r && r.score !== null && r.maxScore !== null;
        return { position: x.position, caseId: x.scenarioId, title: s.title, state: x.state as CaseState, answered: Boolean(r), ...(shown ? { score: r.score!, maxScore: r.maxScore! } : {}) };
      }),
  };
}

export interface SubmitWorkshopAnswerInput {
  code: string;
  learnerId: string;
  /** The case the answer is for (0-based); defaults to the case on screen. */
  position?: number;
  /** The case id the participant saw (checked against the position when given). */
  caseId?: string;
  answer: unknown;
  startedAt?: Date;
}

export interface SubmitReceipt {
  received: true;
  position: number;
  caseId: string;
  submittedAt: string;
  /** Feedback and the key come with the reveal. */
  feedback: "after_reveal";
}

/**
 * A participant's answer to the open case. Graded and stored as a practice attempt by the practice
 * service, and recorded for the workshop. Errors: 404 unknown code, 410 ended, 403 not joined,
 * 409 case not open / already answered, 400 invalid answer.
 */
export async function submitWorkshopAnswer(deps: AppDeps, input: SubmitWorkshopAnswerInput): Promise<SubmitReceipt> {
  const w = await workshopByCode(deps, input.code);
  assertActive(w);
  const p = await participantOf(deps, w.id, input.learnerId);
  if (!p) throw new HttpError(403, `Join the workshop first (code ${w.code})`);
  const position = input.position ?? w.currentPosition;
  if (position === null || position === undefined) throw new HttpError(409, "No case is open for answers yet: wait for the facilitator to open one");
  const c = await caseAt(deps, w.id, position);
  if (!c) throw new HttpError(404, `This workshop has no ${caseLabel(position)}`);
  if (input.caseId !== undefined && input.caseId !== c.scenarioId) throw new HttpError(409, `This answer is for another case than ${caseLabel(position)}: reload the page`);
  if (c.state !== "open") {
    throw new HttpError(409, c.state === "pending" ? `${capital(caseLabel(position))} is not open for answers yet` : `Answers to ${caseLabel(position)} are closed: the facilitator has ${c.state === "revealed" ? "revealed the answer" : "closed it"}`);
  }
  const found = scenarioOf(deps, c.scenarioId);
  const parsed = parseAnswer(found.scenario.type, input.answer);
  if (!parsed.ok) throw invalidAnswer(parsed.errors);
  const stored: Answer = { ...parsed.answer };
  if (stored.justification !== undefined && deps.maskPersonalData) stored.justification = deps.maskPersonalData(stored.justification);

  const now = deps.clock.now();
  const id = newId("wsa");
  const reserve = () =>
    deps.db
      .insert(workshopAnswers)
      .values({ id, workshopId: w.id, position, scenarioId: c.scenarioId, learnerId: input.learnerId, answer: JSON.stringify(stored), createdAt: now })
      .onConflictDoNothing()
      .returning({ id: workshopAnswers.id });
  let reserved = await reserve();
  if (!reserved.length) {
    // A reservation left by a crash mid-grading (no attempt after a while) may be taken over.
    const gone = await deps.db
      .delete(workshopAnswers)
      .where(
        and(
          eq(workshopAnswers.workshopId, w.id),
          eq(workshopAnswers.position, position),
          eq(workshopAnswers.learnerId, input.learnerId),
          isNull(workshopAnswers.attemptId),
          lt(workshopAnswers.createdAt, new Date(now.getTime() - STALE_RESERVATION_MS)),
        ),
      )
      .returning({ id: workshopAnswers.id });
    if (gone.length) reserved = await reserve();
    if (!reserved.length) {
      const existing = (await ownAnswers(deps, w.id, input.learnerId)).find((r) => r.position === position);
      if (existing && existing.attemptId === null) throw new HttpError(409, `Your answer to ${caseLabel(position)} is still being graded: reload the page in a moment`);
      throw new HttpError(409, `You have already answered ${caseLabel(position)}: in a workshop your first answer counts`);
    }
  }
  let result;
  try {
    // Hidden from the learner's progress until the reveal: its feedback gives the key away.
    result = await submitAttempt(deps, { learnerId: input.learnerId, scenarioId: c.scenarioId, answer: input.answer, startedAt: input.startedAt, withheld: true });
  } catch (e) {
    await deps.db.delete(workshopAnswers).where(eq(workshopAnswers.id, id));
    throw e;
  }
  await deps.db.update(workshopAnswers).set({ attemptId: result.attemptId, score: result.score, maxScore: result.maxScore, gradedAt: deps.clock.now() }).where(eq(workshopAnswers.id, id));
  scheduleStats(deps, w.id);
  return { received: true, position, caseId: c.scenarioId, submittedAt: now.toISOString(), feedback: "after_reveal" };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Results

export interface WorkshopResults {
  workshop: { code: string; title: string; status: WorkshopStatus };
  cases: Array<CaseListing & { avgScore: number | null; maxScore: number; avgRatio: number | null; passed: number; participants: number; summary: string }>;
  participants: Array<{
    participantId: string;
    learnerId: string;
    displayName: string;
    channel: string;
    joinedAt: string;
    answered: number;
    score: number;
    maxScore: number;
    /** Per case position: score and maximum, or null when not answered. */
    perCase: Array<{ position: number; score: number; maxScore: number } | null>;
  }>;
  answers: Array<{ displayName: string; participantId: string; position: number; caseId: string; fields: KeyField[]; justification?: string; score: number; maxScore: number; submittedAt: string }>;
}

/** The most chosen option of the case's first choice field ("diploma_mill 12/20"), for the case table. */
function summaryLine(stats: CaseStats): string {
  const f = stats.fields.find((x) => x.kind === "choice") ?? stats.fields[0];
  if (!f || !stats.answered) return "";
  const top = [...f.options].sort((a, b) => b.count - a.count)[0];
  return top && top.count ? `${f.field}: ${top.en} (${top.count}/${stats.answered})` : "";
}

export async function workshopResults(deps: AppDeps, w: WorkshopRow): Promise<WorkshopResults> {
  const cases = await casesOf(deps, w.id);
  const participants = await deps.db.select().from(workshopParticipants).where(eq(workshopParticipants.workshopId, w.id)).orderBy(asc(workshopParticipants.joinedAt), asc(workshopParticipants.id));
  const answers = await deps.db
    .select()
    .from(workshopAnswers)
    .where(and(eq(workshopAnswers.workshopId, w.id), isNotNull(workshopAnswers.attemptId)))
    .orderBy(asc(workshopAnswers.position), asc(workshopAnswers.createdAt));
  const caseRows = [];
  const answeredBy = new Map<number, number>();
  for (const a of answers) answeredBy.set(a.position, (answeredBy.get(a.position) ?? 0) + 1);
  for (const c of cases) {
    const stats = await caseStats(deps, w.id, c, participants.length);
    caseRows.push({ ...listing(deps, c, answeredBy.get(c.position) ?? 0), avgScore: stats.avgScore, maxScore: stats.maxScore, avgRatio: stats.avgRatio, passed: stats.passed, participants: participants.length, summary: summaryLine(stats) });
  }
  const byLearner = new Map<string, typeof answers>();
  for (const a of answers) {
    const list = byLearner.get(a.learnerId) ?? [];
    list.push(a);
    byLearner.set(a.learnerId, list);
  }
  const nameOf = new Map(participants.map((p) => [p.learnerId, p]));
  const forms = new Map(cases.map((c) => [c.position, publicOf(scenarioOf(deps, c.scenarioId)).form]));
  return {
    workshop: { code: w.code, title: w.title, status: w.status as WorkshopStatus },
    cases: caseRows,
    participants: participants.map((p) => {
      const mine = byLearner.get(p.learnerId) ?? [];
      const perCase = cases.map((c) => {
        const a = mine.find((x) => x.position === c.position);
        return a && a.score !== null && a.maxScore !== null ? { position: c.position, score: a.score, maxScore: a.maxScore } : null;
      });
      return {
        participantId: p.id,
        learnerId: p.learnerId,
        displayName: p.displayName,
        channel: p.channel,
        joinedAt: p.joinedAt.toISOString(),
        answered: mine.length,
        score: round2(perCase.reduce((s, x) => s + (x?.score ?? 0), 0)),
        maxScore: round2(perCase.reduce((s, x) => s + (x?.maxScore ?? 0), 0)),
        perCase,
      };
    }),
    answers: answers.map((a) => {
      const values = JSON.parse(a.answer) as Record<string, unknown>;
      const p = nameOf.get(a.learnerId);
      return {
        displayName: p?.displayName ?? "",
        participantId: p?.id ?? "",
        position: a.position,
        caseId: a.scenarioId,
        fields: labelledAnswer(forms.get(a.position) ?? [], values),
        ...(typeof values.justification === "string" && values.justification ? { justification: values.justification } : {}),
        score: a.score ?? 0,
        maxScore: a.maxScore ?? 0,
        submittedAt: a.createdAt.toISOString(),
      };
    }),
  };
}

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula is prefixed with '. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "number" ? String(value) : String(value);
  if (typeof value !== "number" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export type CsvTable = "participants" | "cases" | "answers";

/** One results table as CSV (RFC 4180, CRLF, UTF-8; the route adds a BOM for spreadsheet programs). */
export function resultsCsv(results: WorkshopResults, table: CsvTable): string {
  if (table === "cases") {
    return csv([
      ["position", "case_id", "title", "type", "state", "answered", "participants", "avg_score", "max_score", "avg_percent", "passed", "most_chosen"],
      ...results.cases.map((c) => [c.position + 1, c.caseId, c.title, c.type, c.state, c.answered, c.participants, c.avgScore ?? "", c.maxScore, c.avgRatio === null ? "" : Math.round(c.avgRatio * 100), c.passed, c.summary]),
    ]);
  }
  if (table === "answers") {
    return csv([
      ["participant", "participant_id", "position", "case_id", "answer", "justification", "score", "max_score", "submitted_at"],
      ...results.answers.map((a) => [
        a.displayName,
        a.participantId,
        a.position + 1,
        a.caseId,
        a.fields.map((f) => `${f.field}=${f.values.map((v) => String(v.id)).join("|")}`).join("; "),
        a.justification ?? "",
        a.score,
        a.maxScore,
        a.submittedAt,
      ]),
    ]);
  }
  return csv([
    ["participant", "participant_id", "channel", "joined_at", "answered", "score", "max_score", ...results.cases.map((c) => `case_${c.position + 1}_${c.caseId}`)],
    ...results.participants.map((p) => [p.displayName, p.participantId, p.channel, p.joinedAt, p.answered, p.score, p.maxScore, ...p.perCase.map((x) => (x ? x.score : ""))]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The projector's view token

const VIEW_AUDIENCE = "fce-workshop-view";
const VIEW_TTL_SECONDS = 60 * 60 * 12;

function viewKey(deps: AppDeps): Uint8Array {
  if (!deps.sessionSecret) throw new HttpError(503, "Sessions are not configured (no session secret)");
  return new TextEncoder().encode(deps.sessionSecret);
}

/** A read-only token for the live view of one workshop (aggregates and key only), for the projector URL. */
export async function signViewToken(deps: AppDeps, workshopId: string): Promise<{ token: string; expiresAt: string }> {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const token = await new SignJWT({ scope: "workshop-view" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(workshopId)
    .setIssuedAt(now)
    .setExpirationTime(now + VIEW_TTL_SECONDS)
    .setAudience(VIEW_AUDIENCE)
    .sign(viewKey(deps));
  return { token, expiresAt: new Date((now + VIEW_TTL_SECONDS) * 1000).toISOString() };
}

export async function verifyViewToken(deps: AppDeps, token: string | undefined, workshopId: string): Promise<boolean> {
  if (!token || !deps.sessionSecret) return false;
  try {
    const { payload } = await jwtVerify(token, viewKey(deps), { algorithms: ["HS256"], audience: VIEW_AUDIENCE, currentDate: deps.clock.now() });
    return payload.sub === workshopId && payload.scope === "workshop-view";
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Streams

/** The participant's picture for a stream snapshot: enough to tell whether the page is stale. */
async function participantSnapshot(deps: AppDeps, workshopId: string) {
  const w = await reload(deps, workshopId);
  const c = w.currentPosition === null ? undefined : await caseAt(deps, w.id, w.currentPosition);
  return { status: w.status, currentPosition: w.currentPosition, state: c?.state ?? null, caseId: c?.scenarioId ?? null };
}

/** The SSE response of a workshop's live view for a facilitator (aggregates, key) or a participant (phases only). */
export async function workshopStream(deps: AppDeps, w: WorkshopRow, audience: Audience, lastEventId: string | undefined, signal?: AbortSignal): Promise<Response> {
  return hubOf(deps).openStream({
    workshopId: w.id,
    audience,
    lastEventId,
    signal,
    currentSeq: async () => (await reload(deps, w.id)).seq,
    snapshot: async () => (audience === "facilitator" ? facilitatorView(deps, await reload(deps, w.id)) : participantSnapshot(deps, w.id)),
  });
}

/** Counts answers (graded) of a workshop: for tests and the benchmark. */
export async function storedAnswerCount(deps: AppDeps, workshopId: string): Promise<number> {
  const rows = await deps.db
    .select({ n: count() })
    .from(workshopAnswers)
    .where(and(eq(workshopAnswers.workshopId, workshopId), isNotNull(workshopAnswers.attemptId)));
  return rows[0]?.n ?? 0;
}
