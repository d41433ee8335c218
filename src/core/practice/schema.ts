/**
 * The scenario format (one practice case per YAML file, `scenarios/<id>.yaml`), the learner's
 * answer shapes per case type, and the training-path format (`scenarios/paths/<id>.yaml`).
 *
 * A scenario is a discriminated union on `type`. Each type brings three things: its answer shape,
 * its rubric items (matchers, discriminated on `check`) and a grader in `grade.ts`. To add a type
 * (e.g. `credential`): add it to SCENARIO_TYPES, write `xAnswerSchema` and `xItemSchema`, add a
 * member to `scenarioSchema` and an entry to `ANSWER_SCHEMAS` here, and a grader in `grade.ts`.
 */
import { z } from "zod";
import { CONCEPT_IDS, conceptTermProblems } from "./concepts.js";
import {
  ADMISSION_ENTRIES,
  AUTH_STEP_IDS,
  CREDIT_UNITS,
  INCONSISTENCY_IDS,
  MILL_FLAG_IDS,
  MILL_VERDICTS,
  RECOGNITION_DECISIONS,
  RECOGNITION_ELEMENT_IDS,
} from "./flags.js";
import { credentialAnswerSchema, credentialItemSchemas, presentedCredentialSchema, type CredentialAnswer } from "../badges/cases.js";

export const SCENARIO_TYPES = ["mill", "level", "recognition", "credits", "authenticity", "credential"] as const;
export type ScenarioType = (typeof SCENARIO_TYPES)[number];

export const SKILLS = ["mills", "levels", "recognition", "credits", "authenticity"] as const;
export type Skill = (typeof SKILLS)[number];

/** The skill a case type trains by default (a scenario states its own `skill`). */
export const DEFAULT_SKILL: Record<ScenarioType, Skill> = {
  mill: "mills",
  level: "levels",
  recognition: "recognition",
  credits: "credits",
  authenticity: "authenticity",
  credential: "authenticity",
};

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const kebabId = z.string().regex(KEBAB, { error: "must be kebab-case (lower-case letters, digits, single hyphens)" });

/** An enum whose error names the offending value: `unknown flag id "foo"`. */
function vocab<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, { error: (iss) => `unknown ${what} ${JSON.stringify(iss.input)}` });
}

export const skillSchema = vocab(SKILLS, "skill");
export const millFlagSchema = vocab(MILL_FLAG_IDS, "flag id");
export const authStepSchema = vocab(AUTH_STEP_IDS, "step id");
export const inconsistencySchema = vocab(INCONSISTENCY_IDS, "inconsistency id");
export const recognitionElementSchema = vocab(RECOGNITION_ELEMENT_IDS, "element");
export const millVerdictSchema = vocab(MILL_VERDICTS, "verdict");
export const admissionSchema = vocab(ADMISSION_ENTRIES, "admission entry");
export const decisionSchema = vocab(RECOGNITION_DECISIONS, "decision");
export const creditUnitSchema = vocab(CREDIT_UNITS, "unit");

const text = z.string().trim().min(1, { error: "must not be empty" });
const justification = z.string().max(8000, { error: "is too long (at most 8000 characters)" }).optional();

// ---------------------------------------------------------------------------------------------
// Answers (what the learner submits; the scenario's answer key has the same shape)

export const millAnswerSchema = z.strictObject({
  verdict: millVerdictSchema,
  flags: z.array(millFlagSchema).max(60).default([]),
  justification,
});

export const levelAnswerSchema = z.strictObject({
  level: z.int({ error: "must be a whole number from 1 to 8" }).min(1, { error: "must be from 1 to 8" }).max(8, { error: "must be from 1 to 8" }),
  admission: admissionSchema,
  justification,
});

export const recognitionAnswerSchema = z.strictObject({
  decision: decisionSchema,
  elements: z.array(recognitionElementSchema).max(10).default([]),
  justification,
});

export const creditsAnswerSchema = z.strictObject({
  value: z.number({ error: "must be a number" }).refine(Number.isFinite, { error: "must be a finite number" }),
  unit: creditUnitSchema.optional(),
  grade: z.string().max(200).optional(),
  justification,
});

export const authenticityAnswerSchema = z.strictObject({
  steps: z.array(authStepSchema).max(60).default([]),
  inconsistencies: z.array(inconsistencySchema).max(60).default([]),
  justification,
});

export type MillAnswer = z.infer<typeof millAnswerSchema>;
export type LevelAnswer = z.infer<typeof levelAnswerSchema>;
export type RecognitionAnswer = z.infer<typeof recognitionAnswerSchema>;
export type CreditsAnswer = z.infer<typeof creditsAnswerSchema>;
export type AuthenticityAnswer = z.infer<typeof authenticityAnswerSchema>;

export interface AnswerByType {
  mill: MillAnswer;
  level: LevelAnswer;
  recognition: RecognitionAnswer;
  credits: CreditsAnswer;
  authenticity: AuthenticityAnswer;
  /** A presented micro-credential (src/core/badges/cases.ts). */
  credential: CredentialAnswer;
}
export type Answer = AnswerByType[ScenarioType];

export const ANSWER_SCHEMAS = {
  mill: millAnswerSchema,
  level: levelAnswerSchema,
  recognition: recognitionAnswerSchema,
  credits: creditsAnswerSchema,
  authenticity: authenticityAnswerSchema,
  credential: credentialAnswerSchema,
} as const satisfies Record<ScenarioType, z.ZodType>;

export interface FieldError {
  /** Where the problem is, e.g. `flags[2]` (empty for the whole answer). */
  field: string;
  message: string;
}

/** Formats a zod path as `rubric[2].expected`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

export function issuesToFieldErrors(issues: ReadonlyArray<z.core.$ZodIssue>, prefix = ""): FieldError[] {
  return issues.map((iss) => {
    const field = formatPath([...(prefix ? [prefix] : []), ...iss.path]);
    if (iss.code === "unrecognized_keys") {
      const keys = (iss as { keys: string[] }).keys;
      return { field: formatPath([...(prefix ? [prefix] : []), ...iss.path, ...(keys.length === 1 ? [keys[0] as string] : [])]), message: `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => JSON.stringify(k)).join(", ")}` };
    }
    return { field, message: iss.message };
  });
}

/**
 * Validates a learner's answer for a case type. Errors name the field (`flags[1]`) and, for an
 * unknown id, the id itself (`unknown flag id "foo"`).
 */
export function parseAnswer<T extends ScenarioType>(
  type: T,
  input: unknown,
): { ok: true; answer: AnswerByType[T] } | { ok: false; errors: FieldError[] } {
  const schema = ANSWER_SCHEMAS[type] as z.ZodType;
  if (!schema) return { ok: false, errors: [{ field: "type", message: `unknown case type ${JSON.stringify(type)}` }] };
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, answer: r.data as AnswerByType[T] };
  return { ok: false, errors: issuesToFieldErrors(r.error.issues) };
}

// ---------------------------------------------------------------------------------------------
// Sources, feedback, concepts

export const sourceSchema = z.strictObject({
  /** Optional key that rubric items may use instead of the index. */
  key: z.string().regex(/^[a-z0-9_-]+$/, { error: "must be lower-case letters, digits, _ or -" }).optional(),
  /** Corpus document id (file stem), e.g. `red-flags`. */
  doc: text,
  /** Exact text from the document body (white space may differ). */
  quote: text,
});
export type ScenarioSource = z.infer<typeof sourceSchema>;

/** A rubric item's reference to a source: its index in `sources` or its `key`. */
const sourceRef = z.union([z.int().min(0), z.string().min(1)]);

const feedbackSchema = z.strictObject({
  correct: text,
  incorrect: text,
  partial: text.optional(),
  correct_ja: text.optional(),
  incorrect_ja: text.optional(),
  partial_ja: text.optional(),
});
export type ItemFeedback = z.infer<typeof feedbackSchema>;

export const inlineConceptSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_-]+$/),
  label: text,
  label_ja: text.optional(),
  terms: z.array(text).min(1),
});
/** A concept: a library id (see concepts.ts) or an inline definition. */
export const conceptRefSchema = z.union([z.string().min(1), inlineConceptSchema]);
export type ConceptRef = z.infer<typeof conceptRefSchema>;

const itemBase = {
  id: z.string().regex(/^[a-z0-9_-]+$/, { error: "must be lower-case letters, digits, _ or -" }),
  label: text,
  label_ja: text.optional(),
  points: z.number().positive({ error: "must be greater than 0" }),
  /** Indexes or keys into the scenario's `sources` (at least one: feedback is always cited). */
  sources: z.array(sourceRef).min(1, { error: "cite at least one source" }),
  feedback: feedbackSchema,
};
const penaltyBase = { ...itemBase, points: z.number().min(0, { error: "must be 0 or more" }) };

/** Justification mentions concepts: full points at `min` concepts (default all), pro rata below. */
const conceptsItem = z.strictObject({
  ...itemBase,
  check: z.literal("concepts"),
  concepts: z.array(conceptRefSchema).min(1),
  min: z.int().min(1).optional(),
});

const partialPoints = <T extends z.ZodEnum>(e: T) => z.partialRecord(e, z.number().min(0));

export const millItemSchema = z.discriminatedUnion("check", [
  z.strictObject({ ...itemBase, check: z.literal("verdict"), expected: millVerdictSchema, partial: partialPoints(millVerdictSchema).optional() }),
  /** Points pro rata for the listed flags found, full at `min` (default all). */
  z.strictObject({ ...itemBase, check: z.literal("flags"), flags: z.array(millFlagSchema).min(1), min: z.int().min(1).optional() }),
  /** `points` minus `penalty` for each flag outside the answer key and `neutral`; may go negative. */
  z.strictObject({ ...penaltyBase, check: z.literal("false_flags"), penalty: z.number().positive(), neutral: z.array(millFlagSchema).optional() }),
  conceptsItem,
]);

export const levelItemSchema = z.discriminatedUnion("check", [
  /** Exact level for full points; `adjacent` points for one level off, only when stated. */
  z.strictObject({ ...itemBase, check: z.literal("level"), expected: z.int().min(1).max(8), adjacent: z.number().min(0).optional() }),
  z.strictObject({ ...itemBase, check: z.literal("admission"), expected: admissionSchema, partial: partialPoints(admissionSchema).optional() }),
  conceptsItem,
]);

export const recognitionItemSchema = z.discriminatedUnion("check", [
  z.strictObject({ ...itemBase, check: z.literal("decision"), expected: decisionSchema, partial: partialPoints(decisionSchema).optional() }),
  /** Pro rata for the expected elements named, minus `penalty` per extra element (not below 0). */
  z.strictObject({ ...itemBase, check: z.literal("elements"), expected: z.array(recognitionElementSchema).min(1), penalty: z.number().min(0).optional() }),
  conceptsItem,
]);

export const creditsItemSchema = z.discriminatedUnion("check", [
  /** Full points within `tolerance` of `expected`; `partial.points` within `partial.tolerance`. */
  z.strictObject({
    ...itemBase,
    check: z.literal("value"),
    expected: z.number(),
    tolerance: z.number().min(0),
    partial: z.strictObject({ tolerance: z.number().min(0), points: z.number().min(0) }).optional(),
  }),
  z.strictObject({ ...itemBase, check: z.literal("unit"), expected: creditUnitSchema }),
  /** The grade, compared after normalisation (case, width, spaces) with each accepted form. */
  z.strictObject({ ...itemBase, check: z.literal("grade"), accept: z.array(text).min(1) }),
  conceptsItem,
]);

export const authenticityItemSchema = z.discriminatedUnion("check", [
  z.strictObject({ ...itemBase, check: z.literal("steps"), steps: z.array(authStepSchema).min(1), min: z.int().min(1).optional() }),
  z.strictObject({ ...itemBase, check: z.literal("inconsistencies"), ids: z.array(inconsistencySchema).min(1), min: z.int().min(1).optional() }),
  /** `points` minus `penalty` for each listed step the learner chose (e.g. rejecting outright). */
  z.strictObject({ ...penaltyBase, check: z.literal("avoid_steps"), steps: z.array(authStepSchema).min(1), penalty: z.number().positive() }),
  /** `points` minus `penalty` per inconsistency outside the answer key and `neutral`. */
  z.strictObject({ ...penaltyBase, check: z.literal("false_inconsistencies"), penalty: z.number().positive(), neutral: z.array(inconsistencySchema).optional() }),
  conceptsItem,
]);

/** Credential items (decision, problems, false_problems, value, unit) are defined in src/core/badges/cases.ts. */
export const credentialItemSchema = z.discriminatedUnion("check", [...credentialItemSchemas(itemBase, penaltyBase), conceptsItem]);

// ---------------------------------------------------------------------------------------------
// Dossier: what the officer has in front of them

const dossierSchema = z.strictObject({
  applicant: z
    .strictObject({
      name: text,
      nationality: text.optional(),
      born: text.optional(),
      status: text.optional(),
      applying_for: text.optional(),
    })
    .optional(),
  institution: text,
  institution_local: text.optional(),
  country: text.optional(),
  city: text.optional(),
  institution_type: text.optional(),
  claimed_accreditor: text.optional(),
  claimed_recognition: text.optional(),
  address: text.optional(),
  website: text.optional(),
  contact: text.optional(),
  programme: text.optional(),
  award: text.optional(),
  programme_length: text.optional(),
  mode_of_study: text.optional(),
  admission_requirements: text.optional(),
  credits: text.optional(),
  fees: text.optional(),
  dates: z.array(z.strictObject({ event: text, date: z.union([text, z.number().transform(String)]) })).optional(),
  transcript: z
    .array(
      z.strictObject({
        course: text,
        term: text.optional(),
        credits: z.number().min(0).optional(),
        unit: text.optional(),
        hours: z.number().min(0).optional(),
        grade: text.optional(),
      }),
    )
    .optional(),
  grading_scale: text.optional(),
  website_notes: z.array(text).optional(),
  document_notes: z.array(text).optional(),
  correspondence: z.array(text).optional(),
  notes: text.optional(),
});
export type Dossier = z.infer<typeof dossierSchema>;

const scenarioBase = {
  id: kebabId,
  title: text,
  title_ja: text.optional(),
  skill: skillSchema,
  difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: "must be 1, 2 or 3" }),
  tags: z.array(text).optional(),
  dossier: dossierSchema,
  question: text,
  question_ja: text.optional(),
  sources: z.array(sourceSchema).min(1, { error: "cite at least one source" }),
};

const millScenario = z.strictObject({ ...scenarioBase, type: z.literal("mill"), answer: millAnswerSchema, rubric: z.array(millItemSchema).min(1) });
const levelScenario = z.strictObject({ ...scenarioBase, type: z.literal("level"), answer: levelAnswerSchema, rubric: z.array(levelItemSchema).min(1) });
const recognitionScenario = z.strictObject({ ...scenarioBase, type: z.literal("recognition"), answer: recognitionAnswerSchema, rubric: z.array(recognitionItemSchema).min(1) });
const creditsScenario = z.strictObject({ ...scenarioBase, type: z.literal("credits"), answer: creditsAnswerSchema, rubric: z.array(creditsItemSchema).min(1) });
const authenticityScenario = z.strictObject({ ...scenarioBase, type: z.literal("authenticity"), answer: authenticityAnswerSchema, rubric: z.array(authenticityItemSchema).min(1) });
/** A presented micro-credential: `presented` holds the credential, what its issuers publish and the verifier's report. */
const credentialScenario = z.strictObject({
  ...scenarioBase,
  type: z.literal("credential"),
  presented: presentedCredentialSchema,
  answer: credentialAnswerSchema,
  rubric: z.array(credentialItemSchema).min(1),
});

const scenarioUnion = z.discriminatedUnion("type", [millScenario, levelScenario, recognitionScenario, creditsScenario, authenticityScenario, credentialScenario], {
  error: (iss) => (iss.code === "invalid_union" ? `unknown case type; expected one of ${SCENARIO_TYPES.join(", ")}` : undefined),
});

/** Cross-field checks that zod's shape cannot express. */
export const scenarioSchema = scenarioUnion.superRefine((s, ctx) => {
  const keys = new Map<string, number>();
  s.sources.forEach((src, i) => {
    if (src.key === undefined) return;
    if (keys.has(src.key)) ctx.addIssue({ code: "custom", path: ["sources", i, "key"], message: `duplicate source key ${JSON.stringify(src.key)}` });
    keys.set(src.key, i);
  });
  const itemIds = new Set<string>();
  s.rubric.forEach((item, i) => {
    if (itemIds.has(item.id)) ctx.addIssue({ code: "custom", path: ["rubric", i, "id"], message: `duplicate rubric item id ${JSON.stringify(item.id)}` });
    itemIds.add(item.id);
    item.sources.forEach((ref, j) => {
      const ok = typeof ref === "number" ? ref < s.sources.length : keys.has(ref);
      if (!ok) ctx.addIssue({ code: "custom", path: ["rubric", i, "sources", j], message: `no source ${JSON.stringify(ref)} in sources (${s.sources.length} listed)` });
    });
    if (item.check === "concepts") {
      item.concepts.forEach((c, j) => {
        if (typeof c === "string") {
          if (!CONCEPT_IDS.includes(c)) ctx.addIssue({ code: "custom", path: ["rubric", i, "concepts", j], message: `unknown concept ${JSON.stringify(c)}` });
        } else {
          for (const m of conceptTermProblems(c.terms)) ctx.addIssue({ code: "custom", path: ["rubric", i, "concepts", j, "terms"], message: m });
        }
      });
      if (item.min !== undefined && item.min > item.concepts.length)
        ctx.addIssue({ code: "custom", path: ["rubric", i, "min"], message: `min (${item.min}) exceeds the number of concepts (${item.concepts.length})` });
    }
    const listed = item.check === "flags" ? item.flags : item.check === "steps" ? item.steps : item.check === "inconsistencies" ? item.ids : undefined;
    const min = "min" in item ? item.min : undefined;
    if (listed && min !== undefined && min > listed.length)
      ctx.addIssue({ code: "custom", path: ["rubric", i, "min"], message: `min (${min}) exceeds the number listed (${listed.length})` });
  });
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioOf<T extends ScenarioType> = Extract<Scenario, { type: T }>;
export type RubricItem = Scenario["rubric"][number];
export type MillItem = z.infer<typeof millItemSchema>;
export type LevelItem = z.infer<typeof levelItemSchema>;
export type RecognitionItem = z.infer<typeof recognitionItemSchema>;
export type CreditsItem = z.infer<typeof creditsItemSchema>;
export type AuthenticityItem = z.infer<typeof authenticityItemSchema>;
export type ConceptsItem = z.infer<typeof conceptsItem>;

// ---------------------------------------------------------------------------------------------
// Training paths

export const readingSchema = z.strictObject({ doc: text, quote: text, note: text.optional() });

export const pathModuleSchema = z.strictObject({
  id: kebabId,
  title: text,
  title_ja: text.optional(),
  description: text.optional(),
  skills: z.array(skillSchema).min(1),
  reading: z.array(readingSchema).default([]),
  cases: z.array(kebabId).min(1),
  mastery_threshold: z.number().min(0, { error: "must be from 0 to 1" }).max(1, { error: "must be from 0 to 1" }),
  /** Study time the module stands for (reading and cases), stated in its micro-credential. */
  workload_hours: z.number().positive({ error: "must be a positive number of hours" }).max(200).optional(),
  /** What a learner must do to complete it (the credential's criteria narrative). */
  criteria: text.optional(),
});

export const trainingPathSchema = z
  .strictObject({
    id: kebabId,
    title: text,
    title_ja: text.optional(),
    description: text.optional(),
    modules: z.array(pathModuleSchema).min(1),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.modules.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: "custom", path: ["modules", i, "id"], message: `duplicate module id ${JSON.stringify(m.id)}` });
      seen.add(m.id);
    });
  });

export type TrainingPath = z.infer<typeof trainingPathSchema>;
export type PathModule = z.infer<typeof pathModuleSchema>;

/** JSON Schema of the scenario format, for authors' editors (`scenarios/scenario.schema.json`). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioUnion, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { ...schema, title: "FCE Coach practice scenario", description: "One practice case (scenarios/<id>.yaml). Generated by `npm run scenarios:check -- --write-schema`; do not edit." };
}

/** JSON Schema of the training-path format (`scenarios/paths/*.yaml`). */
export function pathJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(trainingPathSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { ...schema, title: "FCE Coach training path", description: "A training path (scenarios/paths/<id>.yaml). Generated; do not edit." };
}
