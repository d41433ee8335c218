/**
 * The `credential` practice case type: the trainee examines a presented micro-credential (an Open
 * Badges 3.0 credential), decides whether to accept it, names the problems found and states what
 * it is worth for credit. Same shapes as the other case types in `src/core/practice/schema.ts`:
 * an answer schema, rubric items discriminated on `check`, and a grader for those items.
 *
 * A case carries, beside the usual dossier, a `presented` block: the credential as presented (a
 * VC-JWT or JSON), what its issuer(s) publish (public keys, status lists) and the verifier's report.
 * `checkCredentialCase` re-runs the verifier on it, so the report and the answer key cannot drift
 * from what the cryptography says. `generateCredentialCase` builds cases of each kind (genuine and
 * faulty) with fresh keys.
 *
 * Imports nothing from `practice/schema.ts` (which imports this file): no import cycle.
 */
import { mulberry32 } from "../util/hash.js";
import { base64url } from "jose";
import { stringify } from "yaml";
import { z } from "zod";
import { CREDIT_UNITS } from "../practice/flags.js";
import { OB_V3_CONTEXT, VC_V2_CONTEXT, isoSeconds, type JsonObject } from "./credential.js";
import { generateSigningKey, signCredentialJwt, type SigningKey } from "./keys.js";
import { encodeStatusList } from "./status-list.js";
import { CHECK_IDS, CHECK_LABELS, parsePresented, statedWorkload, verifyCredential, type CheckResult, type FailureCode, type IssuerResolver } from "./verify.js";

// ---------------------------------------------------------------------------------------------
// Vocabulary

export const CREDENTIAL_DECISIONS = ["accept", "reject", "verify_further"] as const;
export type CredentialDecision = (typeof CREDENTIAL_DECISIONS)[number];

export const CREDENTIAL_DECISION_LABELS: Record<CredentialDecision, { en: string; ja: string }> = {
  accept: { en: "Accept as evidence", ja: "証拠として受け入れる" },
  reject: { en: "Reject as evidence", ja: "証拠として受け入れない" },
  verify_further: { en: "Ask for more before deciding", ja: "判断の前に追加の確認・資料を求める" },
};

/** Problems a trainee can find in a presented credential. */
export const CREDENTIAL_PROBLEMS = [
  { id: "altered", en: "Signature does not match: altered after signing", ja: "署名が一致しない（署名後の改ざん）" },
  { id: "unsigned", en: "Unsigned: no signature or proof", ja: "署名・証明がない" },
  { id: "unknown_issuer", en: "Issuer or signing key unknown (no published key)", ja: "発行者・署名鍵が不明（公開鍵がない）" },
  { id: "issuer_mismatch", en: "Named issuer differs from the signer", ja: "記載の発行者と署名者が異なる" },
  { id: "subject_mismatch", en: "Subject or ids inconsistent", ja: "対象者・IDの不一致" },
  { id: "expired", en: "Expired", ja: "有効期限切れ" },
  { id: "not_yet_valid", en: "Not yet valid", ja: "まだ有効でない" },
  { id: "revoked", en: "Revoked by the issuer", ja: "発行者により失効" },
  { id: "no_workload", en: "No workload stated", ja: "学修量の記載がない" },
  { id: "no_criteria", en: "No criteria stated", ja: "達成基準の記載がない" },
] as const;
export type CredentialProblem = (typeof CREDENTIAL_PROBLEMS)[number]["id"];
export const CREDENTIAL_PROBLEM_IDS = CREDENTIAL_PROBLEMS.map((p) => p.id) as unknown as readonly [CredentialProblem, ...CredentialProblem[]];

export function credentialProblemLabel(id: string, lang: "en" | "ja" = "en"): string | undefined {
  return CREDENTIAL_PROBLEMS.find((p) => p.id === id)?.[lang];
}

/** The problem a verifier failure shows (failures that only follow from another are left out). */
const PROBLEM_OF_CODE: Partial<Record<FailureCode, CredentialProblem[]>> = {
  bad_signature: ["altered"],
  unsigned: ["unsigned"],
  proof_unsupported: ["unsigned"],
  unknown_issuer: ["unknown_issuer"],
  unknown_key: ["unknown_issuer"],
  no_kid: ["unknown_issuer"],
  issuer_mismatch: ["issuer_mismatch"],
  subject_mismatch: ["subject_mismatch"],
  expired: ["expired"],
  not_yet_valid: ["not_yet_valid"],
  revoked: ["revoked"],
  suspended: ["revoked"],
  no_workload: ["no_workload"],
  no_criteria: ["no_criteria"],
  no_workload_no_criteria: ["no_workload", "no_criteria"],
};

/** The problems a verifier report shows, in vocabulary order. */
export function problemsFromChecks(checks: ReadonlyArray<Pick<CheckResult, "ok" | "code">>): CredentialProblem[] {
  const found = new Set<CredentialProblem>();
  for (const c of checks) if (!c.ok && c.code) for (const p of PROBLEM_OF_CODE[c.code] ?? []) found.add(p);
  return CREDENTIAL_PROBLEM_IDS.filter((p) => found.has(p));
}

function vocab<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, { error: (iss) => `unknown ${what} ${JSON.stringify(iss.input)}` });
}

export const credentialDecisionSchema = vocab(CREDENTIAL_DECISIONS, "decision");
export const credentialProblemSchema = vocab(CREDENTIAL_PROBLEM_IDS, "problem id");
const creditUnitSchema = vocab(CREDIT_UNITS, "unit");

// ---------------------------------------------------------------------------------------------
// Answer, presented credential, rubric items

export const credentialAnswerSchema = z.strictObject({
  decision: credentialDecisionSchema,
  problems: z.array(credentialProblemSchema).max(20).default([]),
  /** What the credential is worth for credit (0 when it is not accepted). */
  value: z.number({ error: "must be a number" }).refine(Number.isFinite, { error: "must be a finite number" }).optional(),
  unit: creditUnitSchema.optional(),
  justification: z.string().max(8000, { error: "is too long (at most 8000 characters)" }).optional(),
});
export type CredentialAnswer = z.infer<typeof credentialAnswerSchema>;

const publicJwkSchema = z
  .record(z.string(), z.unknown())
  .refine((k) => typeof k.kid === "string" && k.kty === "EC", { error: "must be a public EC JWK with a kid" })
  .refine((k) => !("d" in k), { error: "must not contain the private key (d)" });

/** What the officer has: the credential as presented and what its issuers publish. */
export const presentedCredentialSchema = z.strictObject({
  /** The credential as presented: a VC-JWT or a JSON credential. */
  credential: z.union([z.string().min(1).max(64 * 1024), z.record(z.string(), z.unknown())]),
  /** Issuers known to the officer and the public keys each publishes (its JWKS). */
  issuers: z
    .array(z.strictObject({ id: z.string().min(1), name: z.string().min(1), jwks: z.strictObject({ keys: z.array(publicJwkSchema) }) }))
    .default([]),
  /** Status list credentials the issuers publish, by URL. */
  status_lists: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /** The verifier's report on the credential (checked against a fresh run by `checkCredentialCase`). */
  report: z
    .array(z.strictObject({ check: vocab(CHECK_IDS, "check"), ok: z.boolean(), reason: z.string().min(1), reason_ja: z.string().optional(), code: z.string().optional() }))
    .min(1),
});
export type PresentedCredential = z.infer<typeof presentedCredentialSchema>;

/**
 * The rubric items of a credential case other than `concepts`, built on the practice schema's item
 * bases (`schema.ts` passes its `itemBase` and `penaltyBase`, so all types share one item format).
 */
export function credentialItemSchemas<B extends z.ZodRawShape, P extends z.ZodRawShape>(itemBase: B, penaltyBase: P) {
  return [
    /** The decision; `partial` points for a near one. */
    z.strictObject({ ...itemBase, check: z.literal("decision"), expected: credentialDecisionSchema, partial: z.partialRecord(credentialDecisionSchema, z.number().min(0)).optional() }),
    /** Pro rata for the listed problems found, full at `min` (default all). */
    z.strictObject({ ...itemBase, check: z.literal("problems"), problems: z.array(credentialProblemSchema).min(1), min: z.int().min(1).optional() }),
    /** `points` minus `penalty` per problem outside the answer key and `neutral`; may go negative. */
    z.strictObject({ ...penaltyBase, check: z.literal("false_problems"), penalty: z.number().positive(), neutral: z.array(credentialProblemSchema).optional() }),
    /** The worth: full points within `tolerance` of `expected` (a missing value counts as 0). */
    z.strictObject({
      ...itemBase,
      check: z.literal("value"),
      expected: z.number(),
      tolerance: z.number().min(0),
      partial: z.strictObject({ tolerance: z.number().min(0), points: z.number().min(0) }).optional(),
    }),
    z.strictObject({ ...itemBase, check: z.literal("unit"), expected: creditUnitSchema }),
  ] as const;
}

/** The credential rubric items as the grader sees them (structural: the zod items fit). */
export type CredentialItem =
  | { check: "decision"; points: number; expected: CredentialDecision; partial?: Partial<Record<CredentialDecision, number>> }
  | { check: "problems"; points: number; problems: readonly CredentialProblem[]; min?: number }
  | { check: "false_problems"; points: number; penalty: number; neutral?: readonly CredentialProblem[] }
  | { check: "value"; points: number; expected: number; tolerance: number; partial?: { tolerance: number; points: number } }
  | { check: "unit"; points: number; expected: (typeof CREDIT_UNITS)[number] };

export interface ItemOutcome {
  earned: number;
  details?: string[];
}

const EPS = 1e-9;

/** Grades one credential rubric item (the practice grader handles `concepts` items itself). */
export function gradeCredentialItem(item: CredentialItem, answer: CredentialAnswer, key: CredentialAnswer): ItemOutcome {
  const given = [...new Set(answer.problems ?? [])];
  switch (item.check) {
    case "decision": {
      if (answer.decision === item.expected) return { earned: item.points };
      const p = item.partial?.[answer.decision];
      return { earned: p === undefined ? 0 : Math.min(item.points, p), details: [`expected ${item.expected}, answered ${answer.decision}`] };
    }
    case "problems": {
      const hits = item.problems.filter((x) => given.includes(x));
      const missed = item.problems.filter((x) => !given.includes(x));
      const need = item.min ?? item.problems.length;
      const earned = need <= 0 ? item.points : (item.points * Math.min(hits.length, need)) / need;
      return { earned, ...(hits.length < need && missed.length ? { details: [`missed: ${missed.map((m) => credentialProblemLabel(m) ?? m).join("; ")}`] } : {}) };
    }
    case "false_problems": {
      const ok = new Set<string>([...(key.problems ?? []), ...(item.neutral ?? [])]);
      const wrong = given.filter((x) => !ok.has(x));
      if (!wrong.length) return { earned: item.points };
      return { earned: item.points - item.penalty * wrong.length, details: [`not shown by the credential: ${wrong.map((w) => credentialProblemLabel(w) ?? w).join("; ")}`] };
    }
    case "value": {
      const value = answer.value ?? 0;
      const diff = Math.abs(value - item.expected);
      if (diff <= item.tolerance + EPS) return { earned: item.points };
      if (item.partial && diff <= item.partial.tolerance + EPS) return { earned: Math.min(item.points, item.partial.points), details: [`${value} is close to ${item.expected}`] };
      return { earned: 0, details: [`expected about ${item.expected} (±${item.tolerance}), answered ${answer.value === undefined ? "nothing" : value}`] };
    }
    case "unit":
      return answer.unit === item.expected ? { earned: item.points } : { earned: 0, details: [`expected unit ${item.expected}`] };
  }
}

/** The answer form of a credential case, in the shape of the practice service's `FormField`. */
export function credentialAnswerForm() {
  const units: Record<(typeof CREDIT_UNITS)[number], { en: string; ja: string }> = {
    ects: { en: "ECTS credits", ja: "ECTS単位" },
    jp_credits: { en: "Japanese credits (単位)", ja: "日本の単位" },
    hours: { en: "Hours", ja: "時間" },
  };
  return [
    { field: "decision", kind: "choice" as const, required: true, options: CREDENTIAL_DECISIONS.map((id) => ({ id, ...CREDENTIAL_DECISION_LABELS[id] })) },
    { field: "problems", kind: "multi" as const, required: false, options: CREDENTIAL_PROBLEMS.map((p) => ({ id: p.id, en: p.en, ja: p.ja })) },
    { field: "value", kind: "number" as const, required: false },
    { field: "unit", kind: "choice" as const, required: false, options: CREDIT_UNITS.map((id) => ({ id, ...units[id] })) },
    { field: "justification", kind: "text" as const, required: false },
  ];
}

// ---------------------------------------------------------------------------------------------
// Checking a case against the verifier

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Resolves keys and status lists from what the case says the issuers publish. */
export function caseResolver(presented: Pick<PresentedCredential, "issuers" | "status_lists">): IssuerResolver {
  return {
    async keys(issuerId) {
      const found = presented.issuers.find((i) => i.id === issuerId);
      return found ? (found.jwks.keys as Array<Record<string, unknown>>).map((k) => ({ ...k })) : undefined;
    },
    async statusList(url) {
      const list = presented.status_lists[url];
      return list ? { ...list } : undefined;
    },
  };
}

/** Runs the verifier on a case's presented credential. */
export async function verifyPresentedCase(presented: PresentedCredential, now: Date) {
  return verifyCredential(parsePresented(presented.credential), { now, resolver: caseResolver(presented) });
}

/**
 * Checks a credential case (async: it runs the cryptography): the stored report must match a fresh
 * verification (each check's ok and reason), and the problems in the answer key must be exactly
 * the problems the verifier shows. Returns problem messages (empty when the case is consistent).
 */
export async function checkCredentialCase(scenario: { id: string; presented: PresentedCredential; answer: CredentialAnswer }, now: Date): Promise<string[]> {
  const out: string[] = [];
  let result;
  try {
    result = await verifyPresentedCase(scenario.presented, now);
  } catch (e) {
    return [`presented.credential: ${(e as Error).message}`];
  }
  for (const check of result.checks) {
    const stored = scenario.presented.report.find((r) => r.check === check.check);
    if (!stored) out.push(`presented.report: no entry for check "${check.check}"`);
    else if (stored.ok !== check.ok || stored.reason !== check.reason) out.push(`presented.report: check "${check.check}" now gives ${check.ok ? "ok" : "failed"}: ${check.reason}`);
  }
  const expected = problemsFromChecks(result.checks);
  const key = [...new Set(scenario.answer.problems)].sort();
  if (expected.slice().sort().join(",") !== key.join(",")) out.push(`answer.problems: the verifier shows [${expected.join(", ")}], the key lists [${key.join(", ")}]`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generating cases

export const CREDENTIAL_CASE_KINDS = ["genuine_jp", "genuine_ects", "altered", "expired", "issuer_mismatch", "revoked", "unsigned", "no_workload_criteria"] as const;
export type CredentialCaseKind = (typeof CREDENTIAL_CASE_KINDS)[number];

const MC = "micro-credentials";
const Q = {
  signature: "First, check that the signature is valid, which shows that the credential has not been altered since it was issued.",
  issuer: "Second, check that the issuer is who it claims to be, for example a recognised university or a known provider.",
  validity: "Third, check that the credential is within its validity period.",
  workload: "Fourth, read the workload that the achievement states, for example hours or credits.",
  convert: "Workload stated in hours can be converted into credits in the usual way, for example 45 hours per Japanese credit or 25 to 30 hours per ECTS credit.",
  not_current: "An expired or revoked credential should not be accepted as current evidence.",
  image: "A badge image alone is not evidence; the signed credential behind it is.",
  value: "A valid signature proves origin and integrity; it does not prove academic value.",
  criteria: "The achievement states the criteria for earning it.",
  proof: "The credential carries a digital signature (a cryptographic proof) made with the issuer's key.",
  anyone: "Anyone can check the signature without asking the platform that displays the badge.",
  outcomes: "The stated workload, level and learning outcomes then feed the usual comparison for a substantial difference.",
} as const;
type QuoteKey = keyof typeof Q;

/** Exact sentences of corpus/cards/micro-credentials.md that generated cases cite. */
export const CREDENTIAL_CASE_QUOTES: ReadonlyArray<{ doc: string; quote: string }> = Object.values(Q).map((quote) => ({ doc: MC, quote }));

/** The same seeded PRNG as the practice generator. */
const rng = mulberry32;

const PLACES = ["Kalmvik", "Nordvik", "Velmaria", "Ostrel", "Tarsis", "Marindor", "Brakenholm", "Sundra", "Elvaro", "Halden Bay"];
const GIVEN = ["Aino", "Lars", "Mei", "Tomas", "Sofia", "Ravi", "Elena", "Jonas", "Amira", "Kai", "Ines", "Oskar"];
const FAMILY = ["Lindqvist", "Moravec", "Haddad", "Okafor", "Varga", "Nyberg", "Costa", "Petrov", "Sato", "Ilves", "Brandt", "Kovac"];
const ACHIEVEMENTS: ReadonlyArray<{ name: string; hours: number; criteria: string; skills: string[] }> = [
  { name: "Data Analysis with Python", hours: 90, criteria: "Completed eight graded programming assignments and a proctored final project assessed against a published rubric.", skills: ["data analysis", "python"] },
  { name: "Foundations of Machine Learning", hours: 75, criteria: "Passed four assessed problem sets and a supervised final examination with at least 60%.", skills: ["machine learning", "statistics"] },
  { name: "Academic Writing in English", hours: 45, criteria: "Submitted three assessed essays graded against the course rubric and passed an invigilated writing test.", skills: ["academic writing"] },
  { name: "Introduction to Project Management", hours: 60, criteria: "Passed a case-based written assessment and a graded group project plan.", skills: ["project management"] },
  { name: "Environmental Monitoring Lab Skills", hours: 135, criteria: "Completed twelve supervised laboratory sessions and passed a practical examination.", skills: ["laboratory skills", "environmental science"] },
  { name: "Intercultural Communication", hours: 30, criteria: "Passed an assessed presentation and a reflective portfolio graded against published criteria.", skills: ["intercultural communication"] },
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

interface Issuer {
  id: string;
  name: string;
  url: string;
  base: string;
  key: SigningKey;
}

async function makeIssuer(name: string, host: string): Promise<Issuer> {
  const base = `https://${host}`;
  return { id: `${base}/issuer`, name, url: base, base, key: await generateSigningKey() };
}

function credentialFor(options: {
  issuer: Pick<Issuer, "id" | "name" | "url" | "base">;
  subject: string;
  learnerName: string;
  achievement: (typeof ACHIEVEMENTS)[number];
  validFrom: Date;
  validUntil?: Date;
  statusIndex: number;
  statusListUrl: string;
  uuid: string;
  omitWorkloadAndCriteria?: boolean;
}): JsonObject {
  const a = options.achievement;
  const achievement: JsonObject = {
    id: `${options.issuer.base}/achievements/${slug(a.name)}`,
    type: ["Achievement"],
    name: a.name,
    description: `A short course on ${a.name.toLowerCase()}.`,
    tag: a.skills,
  };
  if (!options.omitWorkloadAndCriteria) {
    achievement.criteria = { narrative: `${a.criteria} Notional workload: ${a.hours} hours.` };
    achievement.workloadHours = a.hours;
  }
  return {
    "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: `urn:uuid:${options.uuid}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: a.name,
    issuer: { id: options.issuer.id, type: ["Profile"], name: options.issuer.name, url: options.issuer.url },
    validFrom: isoSeconds(options.validFrom),
    ...(options.validUntil ? { validUntil: isoSeconds(options.validUntil) } : {}),
    credentialSubject: {
      id: options.subject,
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", identityHash: options.learnerName, identityType: "name", hashed: false }],
      achievement,
    },
    credentialStatus: {
      id: `${options.statusListUrl}#${options.statusIndex}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(options.statusIndex),
      statusListCredential: options.statusListUrl,
    },
  };
}

function uuidFrom(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(r() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function reportLine(c: CheckResult): string {
  return `Verifier: ${c.ok ? "✓" : "✗"} ${CHECK_LABELS[c.check].en}: ${c.reason}`;
}

interface KindText {
  title: string;
  title_ja: string;
  difficulty: 1 | 2 | 3;
  decision: CredentialDecision;
  partial?: Partial<Record<CredentialDecision, number>>;
  justification: string;
  decisionSources: QuoteKey[];
  decisionFeedback: { correct: string; incorrect: string; correct_ja: string; incorrect_ja: string };
  concepts: Array<string | { id: string; label: string; label_ja: string; terms: string[] }>;
  conceptSources: QuoteKey[];
  conceptFeedback: { correct: string; incorrect: string; correct_ja: string; incorrect_ja: string };
}

const C_ALTERED = { id: "altered", label: "altered after issue", label_ja: "発行後の改ざん", terms: ["altered", "tamper", "modified", "changed after", "edited", "改ざん", "改変", "書き換え"] };
const C_NOT_CURRENT = { id: "not-current", label: "not current evidence", label_ja: "現在の証拠にならない", terms: ["current evidence", "not current", "no longer valid", "no longer current", "現在の証拠", "現時点"] };
const C_MISMATCH = { id: "issuer-mismatch", label: "issuer does not match the signer", label_ja: "発行者と署名者の不一致", terms: ["mismatch", "does not match", "doesn't match", "different issuer", "not the same", "不一致", "一致しない", "異なる"] };
const C_REVOKED = { id: "revoked", label: "revoked in the status list", label_ja: "ステータスリストで失効", terms: ["revoked", "revocation", "status list", "失効"] };
const C_UNSIGNED = { id: "unsigned", label: "no signature", label_ja: "署名がない", terms: ["unsigned", "no signature", "not signed", "without a signature", "without signature", "署名がない", "署名なし", "無署名"] };
const C_ASK_SIGNED = { id: "ask-signed", label: "ask for the signed credential", label_ja: "署名付きの資格情報を求める", terms: ["signed credential", "signed version", "signed copy", "signed file", "vc-jwt", "署名付き", "再提出"] };
const C_CRITERIA = { id: "criteria", label: "criteria for earning it", label_ja: "達成基準", terms: ["criteria", "criterion", "how it was earned", "assessment", "達成基準", "基準", "評価方法"] };

function kindText(kind: CredentialCaseKind, a: (typeof ACHIEVEMENTS)[number], issuerName: string, signer: string): KindText {
  const feedbackSig = {
    correct: "You tied the decision to the verifier's findings.",
    incorrect: "Name what the verifier found and why it decides the case.",
    correct_ja: "検証結果に基づいて判断できています。",
    incorrect_ja: "検証で見つかった問題と、それが判断を左右する理由を述べてください。",
  };
  switch (kind) {
    case "genuine_jp":
    case "genuine_ects": {
      const jp = kind === "genuine_jp";
      return {
        title: `A verified badge for "${a.name}"`,
        title_ja: `検証済みのバッジ「${a.name}」`,
        difficulty: jp ? 1 : 2,
        decision: "accept",
        partial: { verify_further: 1 },
        justification: jp
          ? `The signature is valid, the issuer matches, it is within its validity period and not revoked. The achievement states ${a.hours} hours and its criteria; at 45 hours per Japanese credit that is ${round2(a.hours / 45)} credits.`
          : `The signature is valid, the issuer matches, it is within its validity period and not revoked. The achievement states ${a.hours} hours and its criteria; at 25 to 30 hours per ECTS credit that is about ${round2(a.hours / 30)} to ${round2(a.hours / 25)} ECTS.`,
        decisionSources: ["signature", "workload"],
        decisionFeedback: {
          correct: "Right. Every check passes, and the achievement states what you need to weigh it.",
          incorrect: "Every check passes and the achievement states its workload and criteria: accept it as evidence and weigh it.",
          correct_ja: "正解です。すべての確認項目を満たし、評価に必要な情報も記載されています。",
          incorrect_ja: "すべての確認項目を満たし、学修量と基準も記載されています。証拠として受け入れ、価値を評価してください。",
        },
        concepts: ["digital_signature", jp ? "jp_credit_hours" : "ects_hours"],
        conceptSources: ["signature", "convert"],
        conceptFeedback: {
          correct: "You named the checks and the conversion.",
          incorrect: jp ? "Name the checks you relied on and the conversion (45 hours per Japanese credit)." : "Name the checks you relied on and the conversion (25 to 30 hours per ECTS credit).",
          correct_ja: "確認項目と換算の根拠を示せています。",
          incorrect_ja: jp ? "依拠した確認項目と換算（1単位=45時間）を示してください。" : "依拠した確認項目と換算（1 ECTS=25〜30時間）を示してください。",
        },
      };
    }
    case "altered":
      return {
        title: `A badge whose workload was changed`,
        title_ja: "学修量が書き換えられたバッジ",
        difficulty: 2,
        decision: "reject",
        partial: { verify_further: 2 },
        justification: `The signature does not match: the credential was altered after it was issued (the stated workload differs from what ${issuerName} signed). An altered credential is not evidence; it is worth nothing as presented.`,
        decisionSources: ["signature", "proof"],
        decisionFeedback: {
          correct: "Right. A signature that does not match means the content is not what the issuer signed.",
          incorrect: "The signature does not match the content, so the credential was altered after signing: it cannot be accepted as it is.",
          correct_ja: "正解です。署名が一致しないのは、内容が発行者の署名したものと異なるためです。",
          incorrect_ja: "署名が内容と一致せず、署名後に改ざんされています。このままでは受け入れられません。",
        },
        concepts: [C_ALTERED, "digital_signature"],
        conceptSources: ["signature", "anyone"],
        conceptFeedback: { ...feedbackSig, incorrect: "Say that the signature fails and that this shows the credential was altered.", incorrect_ja: "署名の検証に失敗し、改ざんが示されていることを述べてください。" },
      };
    case "expired":
      return {
        title: `An expired badge for "${a.name}"`,
        title_ja: `有効期限切れのバッジ「${a.name}」`,
        difficulty: 1,
        decision: "reject",
        partial: { verify_further: 2 },
        justification: "The signature and the issuer are fine, but the credential expired: it is outside its validity period, so it is not current evidence and is worth nothing for credit as presented.",
        decisionSources: ["validity", "not_current"],
        decisionFeedback: {
          correct: "Right. An expired credential is not accepted as current evidence.",
          incorrect: "The credential is outside its validity period: an expired credential should not be accepted as current evidence.",
          correct_ja: "正解です。有効期限切れの資格情報は現在の証拠として受け入れません。",
          incorrect_ja: "有効期間外です。期限切れの資格情報は現在の証拠として受け入れるべきではありません。",
        },
        concepts: ["digital_signature", C_NOT_CURRENT],
        conceptSources: ["validity", "not_current"],
        conceptFeedback: { ...feedbackSig, incorrect: "Say that it expired and is therefore not current evidence.", incorrect_ja: "期限切れであり、現在の証拠にならないことを述べてください。" },
      };
    case "issuer_mismatch":
      return {
        title: `"${issuerName}" on a badge signed by someone else`,
        title_ja: `別の者が署名した「${issuerName}」名義のバッジ`,
        difficulty: 3,
        decision: "reject",
        partial: { verify_further: 2 },
        justification: `The signature is valid, but it was made by ${signer}: the issuer named in the credential (${issuerName}) does not match the signer (the JWT iss). The credential does not show that ${issuerName} issued it, so it is worth nothing as presented.`,
        decisionSources: ["issuer", "value"],
        decisionFeedback: {
          correct: "Right. A valid signature by someone else does not make the named issuer the issuer.",
          incorrect: "The signature is valid but belongs to another party than the named issuer: it does not show that the named institution issued it.",
          correct_ja: "正解です。他者による有効な署名は、記載された発行者による発行を示しません。",
          incorrect_ja: "署名は有効ですが、記載された発行者とは別の者のものです。記載の機関が発行したことは示されていません。",
        },
        concepts: [C_MISMATCH, "digital_signature"],
        conceptSources: ["issuer", "value"],
        conceptFeedback: { ...feedbackSig, incorrect: "Say that the named issuer does not match the one who signed.", incorrect_ja: "記載の発行者と署名者が一致しないことを述べてください。" },
      };
    case "revoked":
      return {
        title: `A revoked badge for "${a.name}"`,
        title_ja: `失効したバッジ「${a.name}」`,
        difficulty: 2,
        decision: "reject",
        partial: { verify_further: 2 },
        justification: `The signature and the issuer are fine, but ${issuerName} has revoked the credential in its status list. A revoked credential is not current evidence and is worth nothing for credit.`,
        decisionSources: ["not_current", "signature"],
        decisionFeedback: {
          correct: "Right. The issuer revoked it: it is no longer evidence.",
          incorrect: "The issuer's status list marks the credential as revoked: a revoked credential should not be accepted as current evidence.",
          correct_ja: "正解です。発行者が失効させています。",
          incorrect_ja: "発行者のステータスリストで失効とされています。失効した資格情報は現在の証拠として受け入れるべきではありません。",
        },
        concepts: [C_REVOKED, "digital_signature"],
        conceptSources: ["not_current", "signature"],
        conceptFeedback: { ...feedbackSig, incorrect: "Say that the issuer revoked it (the status list).", incorrect_ja: "発行者が（ステータスリストで）失効させたことを述べてください。" },
      };
    case "unsigned":
      return {
        title: "A badge sent as an image and an unsigned file",
        title_ja: "画像と署名のないファイルで届いたバッジ",
        difficulty: 2,
        decision: "verify_further",
        partial: { reject: 2 },
        justification: `The file is unsigned: it has no signature, so nothing shows that ${issuerName} issued it or that it is unaltered, and the image is not evidence either. Ask the applicant for the signed credential (the VC-JWT) before deciding; until then it is worth nothing.`,
        decisionSources: ["image", "proof"],
        decisionFeedback: {
          correct: "Right. Ask for the signed credential: the image and an unsigned copy prove nothing.",
          incorrect: "Without a signature nothing can be verified, but the applicant may hold the signed credential: ask for it before deciding.",
          correct_ja: "正解です。署名付きの資格情報を求めます。画像や署名のない写しは何も証明しません。",
          incorrect_ja: "署名がないため検証できませんが、申請者が署名付きの資格情報を持っている可能性があります。判断の前に提出を求めてください。",
        },
        concepts: [C_UNSIGNED, C_ASK_SIGNED],
        conceptSources: ["image", "proof"],
        conceptFeedback: { ...feedbackSig, incorrect: "Say that the file is unsigned and ask for the signed credential.", incorrect_ja: "署名がないことを指摘し、署名付きの資格情報を求めてください。" },
      };
    case "no_workload_criteria":
      return {
        title: `A genuine badge that says little: "${a.name}"`,
        title_ja: `真正だが情報の少ないバッジ「${a.name}」`,
        difficulty: 3,
        decision: "verify_further",
        partial: { reject: 1, accept: 1 },
        justification: `The signature, issuer and dates are fine, but the achievement states no workload and no criteria, so there is nothing to convert into credit. A valid signature does not prove academic value: contact the issuer (${issuerName}) or ask the applicant for the workload and the assessment criteria before deciding; for now it is worth nothing for credit.`,
        decisionSources: ["workload", "value", "criteria"],
        decisionFeedback: {
          correct: "Right. It is genuine, but you cannot weigh it until you know the workload and how it was assessed.",
          incorrect: "The credential is genuine, but it states neither workload nor criteria: ask for them before deciding what it is worth.",
          correct_ja: "正解です。真正ですが、学修量と評価方法が分かるまで価値を判断できません。",
          incorrect_ja: "資格情報は真正ですが、学修量も基準も記載がありません。価値を判断する前にそれらを求めてください。",
        },
        concepts: ["workload", C_CRITERIA, "verify_with_issuer"],
        conceptSources: ["workload", "criteria", "outcomes"],
        conceptFeedback: { ...feedbackSig, incorrect: "Say that the workload and the criteria are missing and whom you would ask.", incorrect_ja: "学修量と基準が欠けていること、誰に照会するかを述べてください。" },
      };
  }
}

export interface GeneratedCredentialCase {
  id: string;
  type: "credential";
  title: string;
  title_ja: string;
  skill: "authenticity";
  difficulty: 1 | 2 | 3;
  tags: string[];
  dossier: Record<string, unknown>;
  question: string;
  question_ja: string;
  presented: PresentedCredential;
  answer: CredentialAnswer;
  rubric: Array<Record<string, unknown>>;
  sources: Array<{ key: string; doc: string; quote: string }>;
}

/**
 * Builds a credential case of the given kind. Names, course and dates come from `seed`; the keys
 * are fresh (WebCrypto), so two runs differ in the key material and the JWT only. `now` dates the
 * verifier report (genuine cases have no end date, so they stay valid).
 */
export async function generateCredentialCase(kind: CredentialCaseKind, seed: number, now: Date): Promise<GeneratedCredentialCase> {
  const r = rng(seed * 7919 + CREDENTIAL_CASE_KINDS.indexOf(kind));
  const place = PLACES[(seed * 3 + CREDENTIAL_CASE_KINDS.indexOf(kind)) % PLACES.length] as string;
  const issuerName = pick(r, [`University of ${place}`, `${place} Institute of Technology`, `${place} Open University`]);
  const host = `badges.${slug(issuerName)}.example`;
  const issuer = await makeIssuer(issuerName, host);
  const learnerName = `${pick(r, GIVEN)} ${pick(r, FAMILY)}`;
  const learnerSlug = slug(learnerName);
  const achievement = pick(r, ACHIEVEMENTS);
  const year = 2023 + Math.floor(r() * 2);
  const validFrom = new Date(Date.UTC(year, Math.floor(r() * 12), 1 + Math.floor(r() * 27), 9, 0, 0));
  const expired = kind === "expired";
  const validUntil = expired ? new Date(Date.UTC(year + 1, validFrom.getUTCMonth(), validFrom.getUTCDate(), 0, 0, 0)) : undefined;
  const statusListUrl = `${issuer.base}/status/1`;
  const statusIndex = Math.floor(r() * 131_072);
  const uuid = uuidFrom(r);

  // The issuer named in the credential; for a mismatch, a badge platform signs in its own name.
  const signer = kind === "issuer_mismatch" ? await makeIssuer("QuickBadge Cloud", "quickbadge-cloud.example") : issuer;
  const credential = credentialFor({
    issuer,
    subject: `mailto:${learnerSlug.replace(/-/g, ".")}@mail.example`,
    learnerName,
    achievement,
    validFrom,
    validUntil,
    statusIndex,
    statusListUrl,
    uuid,
    omitWorkloadAndCriteria: kind === "no_workload_criteria",
  });

  let presentedCredential: string | Record<string, unknown>;
  let claimedHours: number | undefined = kind === "no_workload_criteria" ? undefined : achievement.hours;
  if (kind === "unsigned") {
    presentedCredential = credential;
  } else {
    const jwt = await signCredentialJwt(credential, signer.key, kind === "issuer_mismatch" ? { iss: signer.id } : {});
    if (kind === "altered") {
      const [h, p, s] = jwt.split(".") as [string, string, string];
      const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p))) as Record<string, any>;
      claimedHours = achievement.hours * 3;
      payload.credentialSubject.achievement.workloadHours = claimedHours;
      payload.credentialSubject.achievement.criteria.narrative = payload.credentialSubject.achievement.criteria.narrative.replace(`${achievement.hours} hours`, `${claimedHours} hours`);
      presentedCredential = [h, base64url.encode(new TextEncoder().encode(JSON.stringify(payload))), s].join(".");
    } else {
      presentedCredential = jwt;
    }
  }

  const statusList: JsonObject = {
    "@context": [VC_V2_CONTEXT],
    id: statusListUrl,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: issuer.id,
    validFrom: isoSeconds(new Date(Date.UTC(2026, 0, 1))),
    credentialSubject: { id: `${statusListUrl}#list`, type: "BitstringStatusList", statusPurpose: "revocation", encodedList: await encodeStatusList(kind === "revoked" ? [statusIndex] : []) },
  };
  const issuers = [issuer, ...(signer !== issuer ? [signer] : [])].map((i) => ({ id: i.id, name: i.name, jwks: { keys: [{ ...i.key.publicJwk } as Record<string, unknown>] } }));
  const presentedBase = { credential: presentedCredential, issuers, status_lists: { [statusListUrl]: statusList } };
  const result = await verifyCredential(parsePresented(presentedCredential), { now, resolver: caseResolver(presentedBase) });
  const report = result.checks.map((c) => ({ check: c.check, ok: c.ok, reason: c.reason, reason_ja: c.reason_ja, ...(c.code ? { code: c.code } : {}) }));
  const problems = problemsFromChecks(result.checks);

  const text = kindText(kind, achievement, issuerName, signer.name);
  const jp = kind !== "genuine_ects";
  const genuine = kind === "genuine_jp" || kind === "genuine_ects";
  const unit = jp ? ("jp_credits" as const) : ("ects" as const);
  const worth = genuine ? round2(jp ? achievement.hours / 45 : achievement.hours / 27.5) : 0;
  const tolerance = genuine ? (jp ? 0.1 : round2((achievement.hours / 25 - achievement.hours / 30) / 2 + 0.05)) : 0;

  const usedKeys = new Set<QuoteKey>([...text.decisionSources, ...text.conceptSources, "convert", "signature", ...(problems.length ? (["signature"] as QuoteKey[]) : [])]);
  const sources = [...usedKeys].map((key) => ({ key, doc: MC, quote: Q[key] }));
  const rubric: Array<Record<string, unknown>> = [
    {
      id: "decision",
      label: "Decision",
      label_ja: "判断",
      points: 4,
      check: "decision",
      expected: text.decision,
      ...(text.partial ? { partial: text.partial } : {}),
      sources: text.decisionSources,
      feedback: text.decisionFeedback,
    },
  ];
  if (problems.length) {
    rubric.push({
      id: "problems",
      label: "Problems found",
      label_ja: "見つけた問題",
      points: 3,
      check: "problems",
      problems,
      sources: text.decisionSources,
      feedback: {
        correct: "You named what the verifier found.",
        incorrect: `The verifier shows: ${problems.map((p) => credentialProblemLabel(p)).join("; ")}.`,
        correct_ja: "検証で見つかった問題を挙げられています。",
        incorrect_ja: `検証結果：${problems.map((p) => credentialProblemLabel(p, "ja")).join("、")}。`,
      },
    });
  }
  rubric.push({
    id: "no-invented-problems",
    label: "No invented problems",
    label_ja: "根拠のない問題を挙げない",
    points: 1,
    check: "false_problems",
    penalty: 1,
    sources: ["signature"],
    feedback: {
      correct: "You listed only problems the credential shows.",
      incorrect: "You listed a problem that the verifier does not show; read each check again.",
      correct_ja: "資格情報に実際にある問題だけを挙げています。",
      incorrect_ja: "検証結果にない問題を挙げています。各確認項目を読み直してください。",
    },
  });
  rubric.push({
    id: "worth",
    label: genuine ? (jp ? "Worth in Japanese credits" : "Worth in ECTS") : "Worth as presented",
    label_ja: genuine ? (jp ? "日本の単位での価値" : "ECTSでの価値") : "提示された状態での価値",
    points: genuine ? 3 : 2,
    check: "value",
    expected: worth,
    tolerance,
    ...(genuine ? { partial: { tolerance: round2(tolerance * 3 + 0.2), points: 1 } } : {}),
    sources: genuine ? ["convert", "workload"] : ["signature"],
    feedback: genuine
      ? {
          correct: `Right: ${achievement.hours} hours ${jp ? "/ 45 hours per credit" : "/ 25-30 hours per ECTS credit"}.`,
          incorrect: jp ? `${achievement.hours} hours / 45 hours per Japanese credit = ${worth} credits.` : `${achievement.hours} hours / 25-30 hours per ECTS credit = about ${round2(achievement.hours / 30)} to ${round2(achievement.hours / 25)} ECTS.`,
          partial: "Close; check the hours per credit.",
          correct_ja: "正解です。",
          incorrect_ja: jp ? `${achievement.hours}時間 ÷ 45時間 = ${worth}単位です。` : `${achievement.hours}時間 ÷ 25〜30時間 = 約${round2(achievement.hours / 30)}〜${round2(achievement.hours / 25)} ECTSです。`,
        }
      : {
          correct: "Right: as presented, it is worth nothing for credit.",
          incorrect: "A credential you do not accept as evidence is worth nothing for credit (0) until the problem is resolved.",
          correct_ja: "正解です。提示された状態では単位として価値がありません。",
          incorrect_ja: "証拠として受け入れない資格情報は、問題が解決するまで単位としての価値は0です。",
        },
  });
  if (genuine) {
    rubric.push({
      id: "unit",
      label: "Unit",
      label_ja: "単位の種類",
      points: 1,
      check: "unit",
      expected: unit,
      sources: ["convert"],
      feedback: { correct: "Right unit.", incorrect: jp ? "The question asks for Japanese credits." : "The question asks for ECTS credits.", correct_ja: "正しい単位です。", incorrect_ja: jp ? "日本の単位で答えてください。" : "ECTS単位で答えてください。" },
    });
  }
  rubric.push({
    id: "reasoning",
    label: "Justification",
    label_ja: "理由",
    points: 2,
    check: "concepts",
    concepts: text.concepts,
    min: 2,
    sources: text.conceptSources,
    feedback: text.conceptFeedback,
  });

  const shownHours = claimedHours === undefined ? "No workload is stated." : `The achievement states a workload of ${claimedHours} hours.`;
  const a = isObject(result.credential?.credentialSubject) ? (result.credential?.credentialSubject as Record<string, unknown>).achievement : undefined;
  const criteria = isObject(a) && isObject(a.criteria) && typeof a.criteria.narrative === "string" ? a.criteria.narrative : undefined;
  const workloadShown = statedWorkload(a);
  const documentNotes = [
    kind === "unsigned"
      ? "The applicant e-mailed a PNG image of the badge and a JSON file exported from the badge platform; the JSON has no proof and no JWT."
      : "The applicant uploaded the credential file (a VC-JWT); the office decoded it and ran the verifier with the keys and the status list the issuer publishes.",
    `Achievement: "${achievement.name}"${criteria ? `; criteria: ${criteria}` : "; no criteria are given."}`,
    ...(kind === "unsigned" ? ["The verifier was run on the JSON file as sent."] : []),
    ...report.map((c) => reportLine(c as CheckResult)),
  ];
  const question = jp
    ? "Do you accept this micro-credential as evidence, and what is it worth in Japanese credits (単位)? Choose a decision, list the problems you find, give the value (0 if it is worth nothing as presented) and the unit, and justify briefly."
    : "Do you accept this micro-credential as evidence, and what is it worth in ECTS credits? Choose a decision, list the problems you find, give the value (0 if it is worth nothing as presented) and the unit, and justify briefly.";
  const question_ja = jp
    ? "このマイクロクレデンシャルを証拠として受け入れますか。日本の単位で何単位に相当しますか。判断を選び、見つけた問題を挙げ、価値（提示された状態で価値がなければ0）と単位の種類を答え、簡潔に理由を述べてください。"
    : "このマイクロクレデンシャルを証拠として受け入れますか。ECTSで何単位に相当しますか。判断を選び、見つけた問題を挙げ、価値（提示された状態で価値がなければ0）と単位の種類を答え、簡潔に理由を述べてください。";

  return {
    id: `credential-${kind.replace(/_/g, "-")}-${slug(place)}`,
    type: "credential",
    title: text.title,
    title_ja: text.title_ja,
    skill: "authenticity",
    difficulty: text.difficulty,
    tags: ["micro-credentials", "open-badges", kind.replace(/_/g, "-")],
    dossier: {
      applicant: { name: learnerName, applying_for: "Credit for prior learning towards an elective course" },
      institution: issuerName,
      country: place,
      website: issuer.url,
      award: `"${achievement.name}" (Open Badges 3.0 credential)`,
      credits: workloadShown ? shownHours : "No workload is stated.",
      dates: [{ event: "Valid from", date: isoSeconds(validFrom) }, ...(validUntil ? [{ event: "Valid until", date: isoSeconds(validUntil) }] : [])],
      document_notes: documentNotes,
    },
    question,
    question_ja,
    presented: { ...presentedBase, report } as PresentedCredential,
    answer: {
      decision: text.decision,
      problems,
      value: worth,
      ...(genuine ? { unit } : {}),
      justification: text.justification,
    },
    rubric,
    sources,
  };
}

/** A generated case as a scenario file (`scenarios/<id>.yaml`). */
export function credentialCaseYaml(c: GeneratedCredentialCase): string {
  return `# yaml-language-server: $schema=./scenario.schema.json\n# Generated by generateCredentialCase (src/core/badges/cases.ts); the JWT and keys are real.\n${stringify(c, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
