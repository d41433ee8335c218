/**
 * Verifying a presented Open Badges 3.0 credential: a VC-JWT (compact JWS), a JSON credential, or
 * a VC 2.0 `EnvelopedVerifiableCredential` that wraps a VC-JWT in a `data:` URL.
 *
 * `parsePresented` turns raw input into a presented credential or throws `CredentialInputError`
 * (a 400 for the HTTP API: not JSON, not a JWT, too large). `verifyCredential` then runs every
 * check and reports each one with a reason in English and Japanese:
 *
 *   format      - a VC-JWT or JSON with the VC 2.0 and OB 3.0 contexts and types
 *   signature   - signed (a JSON credential without a proof is unsigned) with a key the issuer
 *                 publishes, found by `kid`; an unknown issuer or key fails
 *   issuer      - the credential's issuer is the JWT `iss`
 *   subject     - `sub` = credentialSubject.id and `jti` = id
 *   validity    - within validFrom/validUntil, mirrored by nbf/exp
 *   status      - not revoked in the issuer's status list
 *   achievement - the achievement states its criteria and its workload
 *
 * Keys and status lists come from an `IssuerResolver`, so the same code checks our own badges (the
 * database) and practice cases (keys that come with the case).
 */
import { base64url, compactVerify, importJWK, type JWK } from "jose";
import { OB_V3_CONTEXT_PREFIX, VC_V2_CONTEXT, credentialFromPayload } from "./credential.js";
import { BADGE_ALG } from "./keys.js";
import { decodeStatusList, getBit } from "./status-list.js";

/** Largest credential accepted (bytes of the JWT or of the JSON). */
export const MAX_CREDENTIAL_BYTES = 64 * 1024;

export const CHECK_IDS = ["format", "signature", "issuer", "subject", "validity", "status", "achievement"] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_LABELS: Record<CheckId, { en: string; ja: string }> = {
  format: { en: "Format", ja: "形式" },
  signature: { en: "Signature", ja: "署名" },
  issuer: { en: "Issuer", ja: "発行者" },
  subject: { en: "Subject and ids", ja: "対象者とID" },
  validity: { en: "Validity dates", ja: "有効期間" },
  status: { en: "Revocation status", ja: "失効状況" },
  achievement: { en: "Achievement: criteria and workload", ja: "達成内容：基準と学修量" },
};

export interface CheckResult {
  check: CheckId;
  ok: boolean;
  reason: string;
  reason_ja: string;
  /** On a failure, what kind it is (e.g. `bad_signature`, `expired`, `revoked`); see FAILURE_CODES. */
  code?: FailureCode;
}

/** Machine-readable kinds of failure (the reasons say the same in words). */
export const FAILURE_CODES = [
  "not_open_badge",
  "unsigned",
  "proof_unsupported",
  "alg_not_accepted",
  "no_iss",
  "no_kid",
  "unknown_issuer",
  "unknown_key",
  "bad_signature",
  "no_issuer",
  "issuer_unconfirmed",
  "issuer_mismatch",
  "subject_mismatch",
  "bad_dates",
  "dates_claims_mismatch",
  "not_yet_valid",
  "expired",
  "bad_status_entry",
  "status_list_unknown",
  "status_list_issuer",
  "status_list_unreadable",
  "revoked",
  "suspended",
  "no_achievement",
  "no_workload_no_criteria",
  "no_criteria",
  "no_workload",
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface VerifyResult {
  valid: boolean;
  checks: CheckResult[];
  /** The presented credential as read (for display), and the JWT header when it was a JWT. */
  credential?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

/** Where a verifier finds an issuer's published keys and status lists. */
export interface IssuerResolver {
  /** The issuer's published verification keys, or undefined when the issuer is unknown. */
  keys(issuerId: string): Promise<JWK[] | undefined>;
  /** The status list credential published at `url`, or undefined when none is known there. */
  statusList(url: string): Promise<Record<string, unknown> | undefined>;
}

export type Presented =
  | { kind: "jwt"; jwt: string; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { kind: "json"; credential: Record<string, unknown> };

/** Input that is not a credential at all (the HTTP API answers 400 with the message). */
export class CredentialInputError extends Error {}

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ENVELOPE_PREFIX = "data:application/vc+jwt,";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64url.decode(part)));
  } catch {
    throw new CredentialInputError(`Not a JWT: the ${what} is not base64url-encoded JSON`);
  }
  if (!isObject(value)) throw new CredentialInputError(`Not a JWT: the ${what} is not a JSON object`);
  return value;
}

/**
 * Reads the `credential` of a verify request: a compact JWT, a JSON object, or JSON text.
 * Throws `CredentialInputError` with a message that says what is wrong.
 */
export function parsePresented(input: unknown, maxBytes = MAX_CREDENTIAL_BYTES): Presented {
  if (input === undefined || input === null || (typeof input === "string" && !input.trim())) {
    throw new CredentialInputError('Missing credential: send {"credential": "<VC-JWT>"} or {"credential": { ...JSON credential... }}');
  }
  if (typeof input === "string") {
    const text = input.trim();
    if (byteLength(text) > maxBytes) throw new CredentialInputError(`Credential too large: ${byteLength(text)} bytes (at most ${maxBytes})`);
    if (text.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CredentialInputError("Not JSON: the credential starts with '{' but does not parse as JSON");
      }
      return parsePresented(parsed, maxBytes);
    }
    const jwt = text.replace(/\s+/g, "");
    if (!JWS_COMPACT.test(jwt)) {
      throw new CredentialInputError("Not a JWT: a VC-JWT is three base64url parts separated by dots (header.payload.signature); paste the JWT or the JSON credential");
    }
    const [h, p] = jwt.split(".") as [string, string, string];
    return { kind: "jwt", jwt, header: decodeJsonPart(h, "header"), payload: decodeJsonPart(p, "payload") };
  }
  if (isObject(input)) {
    const size = byteLength(JSON.stringify(input));
    if (size > maxBytes) throw new CredentialInputError(`Credential too large: ${size} bytes (at most ${maxBytes})`);
    const types = asArray(input.type);
    if (types.includes("EnvelopedVerifiableCredential")) {
      const id = typeof input.id === "string" ? input.id : "";
      if (!id.startsWith(ENVELOPE_PREFIX)) throw new CredentialInputError(`Enveloped credential: id must be a "${ENVELOPE_PREFIX}<JWT>" data URL`);
      return parsePresented(id.slice(ENVELOPE_PREFIX.length), maxBytes);
    }
    return { kind: "json", credential: input };
  }
  throw new CredentialInputError("The credential must be a JWT string or a JSON object");
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function idOf(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (isObject(v) && typeof v.id === "string") return v.id;
  return undefined;
}

function nameOf(v: unknown): string | undefined {
  return isObject(v) && typeof v.name === "string" ? v.name : undefined;
}

function day(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, "Z");
}

function q(s: unknown): string {
  const text = typeof s === "string" ? s : JSON.stringify(s);
  return `"${text && text.length > 120 ? text.slice(0, 117) + "..." : text}"`;
}

type Partial_ = Omit<CheckResult, "check">;
const pass = (reason: string, reason_ja: string): Partial_ => ({ ok: true, reason, reason_ja });
const fail = (reason: string, reason_ja: string, code: FailureCode): Partial_ => ({ ok: false, reason, reason_ja, code });

function checkFormat(p: Presented, cred: Record<string, unknown>): Partial_ {
  const contexts = asArray(cred["@context"]);
  const types = asArray(cred.type);
  const problems: Array<[string, string]> = [];
  if (contexts[0] !== VC_V2_CONTEXT) problems.push([`the first @context is not ${VC_V2_CONTEXT}`, `最初の@contextが${VC_V2_CONTEXT}ではない`]);
  if (!contexts.some((c) => typeof c === "string" && c.startsWith(OB_V3_CONTEXT_PREFIX))) problems.push(["no Open Badges 3.0 @context", "Open Badges 3.0の@contextがない"]);
  if (!types.includes("VerifiableCredential")) problems.push(['type lacks "VerifiableCredential"', 'typeに"VerifiableCredential"がない']);
  if (!types.includes("OpenBadgeCredential") && !types.includes("AchievementCredential")) problems.push(['type lacks "OpenBadgeCredential"', 'typeに"OpenBadgeCredential"がない']);
  if (!isObject(cred.credentialSubject)) problems.push(["no credentialSubject object", "credentialSubjectがない"]);
  if (problems.length) {
    return fail(`Not an Open Badges 3.0 credential: ${problems.map((x) => x[0]).join("; ")}.`, `Open Badges 3.0の資格情報ではありません：${problems.map((x) => x[1]).join("、")}。`, "not_open_badge");
  }
  if (p.kind === "jwt") {
    const alg = String(p.header.alg ?? "?");
    return pass(`A VC-JWT (alg ${alg}${p.header.kid ? `, kid ${p.header.kid}` : ""}) carrying an OpenBadgeCredential.`, `OpenBadgeCredentialを含むVC-JWTです（alg ${alg}${p.header.kid ? `、kid ${p.header.kid}` : ""}）。`);
  }
  if (cred.proof !== undefined) return pass("A JSON OpenBadgeCredential with an embedded proof.", "埋め込み証明付きのJSON形式のOpenBadgeCredentialです。");
  return pass("A JSON OpenBadgeCredential without an embedded proof (unsigned).", "埋め込み証明のないJSON形式のOpenBadgeCredentialです（署名なし）。");
}

async function checkSignature(p: Presented, resolver: IssuerResolver): Promise<Partial_> {
  if (p.kind === "json") {
    if (p.credential.proof !== undefined) {
      return fail(
        "The credential carries an embedded (Data Integrity) proof, which this verifier does not check: ask for the VC-JWT.",
        "埋め込み（Data Integrity）証明はこの検証では確認できません。VC-JWT形式を求めてください。",
        "proof_unsupported",
      );
    }
    return fail(
      "Unsigned: a JSON credential without a proof carries no signature, so nothing shows it came from the issuer unaltered.",
      "署名がありません：証明のないJSONには署名がなく、発行者から改ざんなく発行されたことを示すものがありません。",
      "unsigned",
    );
  }
  const alg = p.header.alg;
  const [, , sig] = p.jwt.split(".");
  if (alg === "none" || !sig) return fail('Unsigned: the JWT has no signature (alg "none" or an empty signature).', "署名がありません：JWTに署名がありません（alg \"none\" または空の署名）。", "unsigned");
  if (alg !== BADGE_ALG) return fail(`Algorithm ${q(alg)} is not accepted (ES256 only).`, `アルゴリズム${q(alg)}は受け付けていません（ES256のみ）。`, "alg_not_accepted");
  const iss = p.payload.iss;
  if (typeof iss !== "string" || !iss) return fail("The JWT has no iss claim, so the signing issuer and its keys cannot be found.", "JWTにissクレームがなく、署名した発行者とその鍵を特定できません。", "no_iss");
  const kid = p.header.kid;
  if (typeof kid !== "string" || !kid) return fail("The JWT header has no kid, so the issuer's signing key cannot be found.", "JWTヘッダーにkidがなく、発行者の署名鍵を特定できません。", "no_kid");
  const keys = await resolver.keys(iss);
  if (!keys) {
    return fail(
      `Unknown issuer ${q(iss)}: no published keys are known for it, so the signature cannot be checked.`,
      `不明な発行者${q(iss)}：公開鍵が見つからないため、署名を検証できません。`,
      "unknown_issuer",
    );
  }
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) {
    return fail(
      `Key ${q(kid)} is not among the keys the issuer publishes (retired or never issued by it).`,
      `鍵${q(kid)}は発行者が公開している鍵に含まれていません（廃止済み、または発行者のものではありません）。`,
      "unknown_key",
    );
  }
  try {
    const { d: _d, ...pub } = jwk;
    await compactVerify(p.jwt, await importJWK(pub, BADGE_ALG), { algorithms: [BADGE_ALG] });
  } catch {
    return fail(
      "The signature does not match: the credential was altered after signing, or was not signed with the issuer's key.",
      "署名が一致しません：署名後に内容が改ざんされたか、発行者の鍵で署名されていません。",
      "bad_signature",
    );
  }
  return pass(`Signed with the issuer's published key ${kid} (ES256).`, `発行者が公開している鍵${kid}（ES256）で署名されています。`);
}

function checkIssuer(p: Presented, cred: Record<string, unknown>): Partial_ {
  const id = idOf(cred.issuer);
  if (!id) return fail("The credential names no issuer (issuer or issuer.id is missing).", "資格情報に発行者（issuerまたはissuer.id）がありません。", "no_issuer");
  const label = nameOf(cred.issuer) ? `${q(nameOf(cred.issuer))} (${id})` : q(id);
  if (p.kind === "json") {
    return fail(`The credential names issuer ${label}, but without a signature nothing confirms that this issuer issued it.`, `発行者は${label}とされていますが、署名がないため発行者による発行を確認できません。`, "issuer_unconfirmed");
  }
  const iss = p.payload.iss;
  if (typeof iss !== "string") return fail(`The credential names issuer ${label}, but the JWT has no iss claim to match.`, `発行者は${label}とされていますが、JWTに照合するissクレームがありません。`, "no_iss");
  if (iss !== id) {
    return fail(
      `Issuer mismatch: the credential names issuer ${q(id)} but the JWT was issued by ${q(iss)}.`,
      `発行者の不一致：資格情報の発行者は${q(id)}ですが、JWTの発行者（iss）は${q(iss)}です。`,
      "issuer_mismatch",
    );
  }
  return pass(`The issuer ${label} matches the JWT iss claim.`, `発行者${label}はJWTのissクレームと一致しています。`);
}

function checkSubject(p: Presented, cred: Record<string, unknown>): Partial_ {
  const subject = cred.credentialSubject;
  if (!isObject(subject)) return fail("There is no credentialSubject.", "credentialSubjectがありません。", "subject_mismatch");
  const problems: Array<[string, string]> = [];
  const sid = typeof subject.id === "string" && subject.id ? subject.id : undefined;
  const cid = typeof cred.id === "string" && cred.id ? cred.id : undefined;
  if (!sid) problems.push(["credentialSubject.id is missing", "credentialSubject.idがない"]);
  if (!cid) problems.push(["the credential has no id", "資格情報にidがない"]);
  if (!asArray(subject.type).includes("AchievementSubject")) problems.push(['credentialSubject.type lacks "AchievementSubject"', 'credentialSubject.typeに"AchievementSubject"がない']);
  if (p.kind === "jwt") {
    const { sub, jti } = p.payload;
    if (sub === undefined) problems.push(["the JWT has no sub claim", "JWTにsubクレームがない"]);
    else if (sid && sub !== sid) problems.push([`sub ${q(sub)} differs from credentialSubject.id ${q(sid)}`, `sub ${q(sub)} がcredentialSubject.id ${q(sid)} と異なる`]);
    if (jti === undefined) problems.push(["the JWT has no jti claim", "JWTにjtiクレームがない"]);
    else if (cid && jti !== cid) problems.push([`jti ${q(jti)} differs from the credential id ${q(cid)}`, `jti ${q(jti)} が資格情報のid ${q(cid)} と異なる`]);
  }
  if (problems.length) return fail(`Subject and ids are inconsistent: ${problems.map((x) => x[0]).join("; ")}.`, `対象者とIDが一致しません：${problems.map((x) => x[1]).join("、")}。`, "subject_mismatch");
  if (p.kind === "json") return pass(`Subject ${sid} and credential id ${cid} are present (no JWT claims to compare).`, `対象者${sid}と資格情報ID ${cid}があります（照合するJWTクレームはありません）。`);
  return pass(`sub matches the subject ${sid} and jti matches the credential id ${cid}.`, `subは対象者${sid}と、jtiは資格情報ID ${cid}と一致しています。`);
}

function parseDate(v: unknown): Date | undefined {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function checkValidity(p: Presented, cred: Record<string, unknown>, now: Date): Partial_ {
  const from = parseDate(cred.validFrom);
  if (cred.validFrom === undefined) return fail("The credential has no validFrom date.", "資格情報にvalidFrom（有効開始日）がありません。", "bad_dates");
  if (!from) return fail(`validFrom ${q(cred.validFrom)} is not an ISO 8601 date-time.`, `validFrom ${q(cred.validFrom)} はISO 8601の日時ではありません。`, "bad_dates");
  const until = cred.validUntil === undefined ? undefined : parseDate(cred.validUntil);
  if (cred.validUntil !== undefined && !until) return fail(`validUntil ${q(cred.validUntil)} is not an ISO 8601 date-time.`, `validUntil ${q(cred.validUntil)} はISO 8601の日時ではありません。`, "bad_dates");
  if (until && until.getTime() <= from.getTime()) return fail(`validUntil ${day(until)} is not after validFrom ${day(from)}.`, `validUntil ${day(until)} がvalidFrom ${day(from)} より後ではありません。`, "bad_dates");
  if (p.kind === "jwt") {
    const { nbf, exp } = p.payload;
    const fromS = Math.floor(from.getTime() / 1000);
    if (typeof nbf !== "number") return fail("The JWT has no nbf claim mirroring validFrom.", "JWTにvalidFromに対応するnbfクレームがありません。", "dates_claims_mismatch");
    if (nbf !== fromS) return fail(`The JWT nbf (${day(new Date(nbf * 1000))}) does not mirror validFrom (${day(from)}).`, `JWTのnbf（${day(new Date(nbf * 1000))}）がvalidFrom（${day(from)}）と一致しません。`, "dates_claims_mismatch");
    if (until) {
      if (typeof exp !== "number") return fail("The JWT has no exp claim mirroring validUntil.", "JWTにvalidUntilに対応するexpクレームがありません。", "dates_claims_mismatch");
      if (exp !== Math.floor(until.getTime() / 1000)) return fail(`The JWT exp (${day(new Date(exp * 1000))}) does not mirror validUntil (${day(until)}).`, `JWTのexp（${day(new Date(exp * 1000))}）がvalidUntil（${day(until)}）と一致しません。`, "dates_claims_mismatch");
    } else if (exp !== undefined) {
      return fail("The JWT has an exp claim but the credential has no validUntil.", "JWTにexpクレームがありますが、資格情報にvalidUntilがありません。", "dates_claims_mismatch");
    }
  }
  if (now.getTime() < from.getTime()) return fail(`Not yet valid: valid from ${day(from)}.`, `まだ有効ではありません：有効開始は${day(from)}です。`, "not_yet_valid");
  if (until && now.getTime() >= until.getTime()) return fail(`Expired: valid until ${day(until)}.`, `有効期限切れです：有効期限は${day(until)}でした。`, "expired");
  return until
    ? pass(`Within its validity period: ${day(from)} to ${day(until)}.`, `有効期間内です：${day(from)}から${day(until)}まで。`)
    : pass(`Valid from ${day(from)}, with no end date.`, `${day(from)}から有効で、有効期限はありません。`);
}

async function checkStatus(cred: Record<string, unknown>, resolver: IssuerResolver): Promise<Partial_> {
  const entries = asArray(cred.credentialStatus);
  if (!entries.length) return pass("No credentialStatus: the issuer offers no status list for this credential, so it cannot be revoked.", "credentialStatusがありません：この資格情報には失効確認用のステータスリストがありません。");
  const notes: Array<[string, string]> = [];
  for (const entry of entries) {
    if (!isObject(entry)) return fail("credentialStatus is not an object.", "credentialStatusがオブジェクトではありません。", "bad_status_entry");
    const purpose = typeof entry.statusPurpose === "string" ? entry.statusPurpose : "";
    const url = entry.statusListCredential;
    const indexText = entry.statusListIndex;
    if (entry.type !== "BitstringStatusListEntry") return fail(`Unsupported status type ${q(entry.type)} (expected BitstringStatusListEntry).`, `対応していないステータス形式${q(entry.type)}です（BitstringStatusListEntryを想定）。`, "bad_status_entry");
    if (typeof url !== "string" || !url) return fail("The status entry names no statusListCredential.", "ステータスエントリにstatusListCredentialがありません。", "bad_status_entry");
    const index = typeof indexText === "string" && /^\d+$/.test(indexText) ? Number(indexText) : typeof indexText === "number" && Number.isInteger(indexText) && indexText >= 0 ? indexText : undefined;
    if (index === undefined) return fail(`statusListIndex ${q(indexText)} is not a non-negative integer.`, `statusListIndex ${q(indexText)} は0以上の整数ではありません。`, "bad_status_entry");
    const list = await resolver.statusList(url);
    if (!list) return fail(`The status list ${url} is not published by a known issuer, so revocation cannot be checked.`, `ステータスリスト${url}は既知の発行者が公開したものではないため、失効を確認できません。`, "status_list_unknown");
    const listIssuer = idOf(list.issuer);
    const credIssuer = idOf(cred.issuer);
    if (listIssuer !== credIssuer) return fail(`The status list ${url} was published by ${q(listIssuer)}, not by the credential's issuer.`, `ステータスリスト${url}の発行者は${q(listIssuer)}で、資格情報の発行者ではありません。`, "status_list_issuer");
    const subject = isObject(list.credentialSubject) ? list.credentialSubject : {};
    if (subject.statusPurpose !== purpose) return fail(`The status list's purpose ${q(subject.statusPurpose)} differs from the entry's ${q(purpose)}.`, `ステータスリストの目的${q(subject.statusPurpose)}がエントリの${q(purpose)}と異なります。`, "status_list_issuer");
    let bits: Uint8Array;
    try {
      bits = await decodeStatusList(String(subject.encodedList ?? ""));
    } catch (e) {
      return fail(`The status list ${url} cannot be read: ${(e as Error).message}.`, `ステータスリスト${url}を読み取れません：${(e as Error).message}。`, "status_list_unreadable");
    }
    if (index >= bits.length * 8) return fail(`statusListIndex ${index} is outside the status list (${bits.length * 8} entries).`, `statusListIndex ${index} はステータスリスト（${bits.length * 8}件）の範囲外です。`, "bad_status_entry");
    if (getBit(bits, index)) {
      if (purpose === "suspension") return fail(`Suspended: entry ${index} of ${url} is set.`, `一時停止中です：${url}のエントリ${index}が設定されています。`, "suspended");
      return fail(`Revoked: the issuer has set entry ${index} of its status list ${url}.`, `失効しています：発行者がステータスリスト${url}のエントリ${index}を設定しています。`, "revoked");
    }
    notes.push([`entry ${index} of ${url} (${purpose}) is not set`, `${url}のエントリ${index}（${purpose}）は設定されていません`]);
  }
  return pass(`Not revoked: ${notes.map((n) => n[0]).join("; ")}.`, `失効していません：${notes.map((n) => n[1]).join("、")}。`);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0;
}

/** The workload an achievement states: `workloadHours` (our term) or OB 3.0 `creditsAvailable`. */
export function statedWorkload(achievement: unknown): { hours?: number; credits?: number } | undefined {
  if (!isObject(achievement)) return undefined;
  const h = achievement.workloadHours;
  const c = achievement.creditsAvailable;
  const hours = typeof h === "number" && Number.isFinite(h) && h > 0 ? h : undefined;
  const credits = typeof c === "number" && Number.isFinite(c) && c > 0 ? c : undefined;
  return hours === undefined && credits === undefined ? undefined : { ...(hours !== undefined ? { hours } : {}), ...(credits !== undefined ? { credits } : {}) };
}

function checkAchievement(cred: Record<string, unknown>): Partial_ {
  const subject = isObject(cred.credentialSubject) ? cred.credentialSubject : {};
  const a = subject.achievement;
  if (!isObject(a)) return fail("The credential describes no achievement.", "資格情報に達成内容（achievement）の記述がありません。", "no_achievement");
  const criteria = isObject(a.criteria) && (nonEmpty(a.criteria.narrative) || nonEmpty(a.criteria.id));
  const workload = statedWorkload(a);
  const name = nonEmpty(a.name) ? q(a.name) : "The achievement";
  if (!criteria && !workload) return fail(`${name} states neither its criteria nor its workload: there is nothing to weigh for credit or admission.`, `${name}は基準も学修量も示していません：単位や入学資格として評価する材料がありません。`, "no_workload_no_criteria");
  if (!criteria) return fail(`${name} states no criteria (criteria.narrative or criteria.id).`, `${name}は達成基準（criteria）を示していません。`, "no_criteria");
  if (!workload) return fail(`${name} states no workload (workloadHours or creditsAvailable).`, `${name}は学修量（workloadHoursまたはcreditsAvailable）を示していません。`, "no_workload");
  const w = workload.hours !== undefined ? `${workload.hours} hours` : `${workload.credits} credits`;
  const wJa = workload.hours !== undefined ? `${workload.hours}時間` : `${workload.credits}単位`;
  return pass(`${name} states its criteria and a workload of ${w}.`, `${name}は達成基準と学修量（${wJa}）を示しています。`);
}

export interface VerifyOptions {
  now: Date;
  resolver: IssuerResolver;
}

/** Runs every check on a presented credential. `valid` is true only when all checks pass. */
export async function verifyCredential(presented: Presented, options: VerifyOptions): Promise<VerifyResult> {
  const cred = presented.kind === "jwt" ? credentialFromPayload(presented.payload) : presented.credential;
  const results: Record<CheckId, Partial_> = {
    format: checkFormat(presented, cred),
    signature: await checkSignature(presented, options.resolver),
    issuer: checkIssuer(presented, cred),
    subject: checkSubject(presented, cred),
    validity: checkValidity(presented, cred, options.now),
    status: await checkStatus(cred, options.resolver),
    achievement: checkAchievement(cred),
  };
  const checks = CHECK_IDS.map((check) => ({ check, ...results[check] }));
  return {
    valid: checks.every((c) => c.ok),
    checks,
    credential: cred,
    ...(presented.kind === "jwt" ? { header: presented.header } : {}),
  };
}

/** Parses and verifies in one step (throws `CredentialInputError` on malformed input). */
export async function verifyPresented(input: unknown, options: VerifyOptions): Promise<VerifyResult> {
  return verifyCredential(parsePresented(input), options);
}
