/**
 * The Open Badges 3.0 credential FCE Coach issues for completed training (an `OpenBadgeCredential`
 * on the W3C Verifiable Credentials 2.0 data model), and the issuer profile.
 *
 * Workload: Open Badges 3.0 has no field for a workload in hours (`creditsAvailable` counts credit
 * hours of an unstated system), so the achievement states it as `workloadHours` (a number of hours),
 * an issuer-dependent term that the VC 2.0 context maps through its `@vocab`
 * (https://www.w3.org/ns/credentials/issuer-dependent#workloadHours). The criteria narrative repeats
 * it in words, so a reader without our extension still sees it.
 *
 * Pure TypeScript (no Node APIs): runs on Node and Cloudflare Workers.
 */

export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/** Any OB 3.0 context version is accepted when verifying. */
export const OB_V3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Who issues the badges, derived from the app's configuration (see `issuerConfig`). */
export interface IssuerConfig {
  /** The issuer's id: `${base}/badges/issuer`, where the profile is published. */
  id: string;
  name: string;
  /** The issuer's home page. */
  url: string;
  /** Where this app publishes `/badges/...` (JWKS, status lists, downloads). No trailing slash. */
  base: string;
}

export interface IssuerSettings {
  publicUrl?: string;
  badgeIssuer?: { name?: string; url?: string };
}

export const DEFAULT_PUBLIC_URL = "http://localhost:8787";
export const DEFAULT_ISSUER_NAME = "FCE Coach";

export function issuerConfig(settings: IssuerSettings): IssuerConfig {
  const base = (settings.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, "");
  return {
    id: `${base}/badges/issuer`,
    name: settings.badgeIssuer?.name?.trim() || DEFAULT_ISSUER_NAME,
    url: settings.badgeIssuer?.url?.trim() || base,
    base,
  };
}

/** The issuer's Profile (embedded in each credential and published at its id). */
export function issuerProfile(issuer: IssuerConfig): JsonObject {
  return { id: issuer.id, type: ["Profile"], name: issuer.name, url: issuer.url };
}

export function statusListUrl(issuer: IssuerConfig, list: number): string {
  return `${issuer.base}/badges/status/${list}`;
}

export function learnerSubjectId(learnerId: string): string {
  return `urn:fce-coach:learner:${encodeURIComponent(learnerId)}`;
}

export interface ModuleAchievement {
  id: string;
  title: string;
  description?: string;
  skills: string[];
  workloadHours: number;
  /** What a learner did to earn it (the criteria narrative). */
  criteria: string;
}

export interface BadgeEvidence {
  /** Practice cases passed for the module. */
  casesPassed: Array<{ id: string; title?: string; score?: number; maxScore?: number }>;
  /** Mastery estimate(s) from 0 to 1: one number or one per skill. */
  mastery?: number | Record<string, number>;
}

export interface BuildCredentialInput {
  issuer: IssuerConfig;
  /** The credential's uuid (the credential id is `urn:uuid:<uuid>`). */
  uuid: string;
  learnerId: string;
  learnerName?: string;
  module: ModuleAchievement;
  evidence: BadgeEvidence;
  validFrom: Date;
  validUntil?: Date;
  status: { list: number; index: number };
}

/** ISO 8601 date-time without milliseconds (seconds are what the JWT nbf/exp can mirror). */
export function isoSeconds(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

function hoursText(h: number): string {
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? "" : "s"}`;
}

function pct(x: number): string {
  return `${Math.round(Math.max(0, Math.min(1, x)) * 100)}%`;
}

function evidenceEntries(ev: BadgeEvidence): JsonObject[] {
  const out: JsonObject[] = ev.casesPassed.map((c) => {
    const scored = c.score !== undefined && c.maxScore !== undefined ? ` Scored ${c.score} of ${c.maxScore}.` : "";
    return {
      type: ["Evidence"],
      name: c.title ?? c.id,
      description: `Practice case "${c.id}" passed.${scored}`,
      genre: "Practice case",
    };
  });
  if (ev.mastery !== undefined) {
    const narrative =
      typeof ev.mastery === "number"
        ? `Estimated mastery: ${pct(ev.mastery)}.`
        : `Estimated mastery: ${Object.entries(ev.mastery)
            .map(([skill, p]) => `${skill} ${pct(p)}`)
            .join(", ")}.`;
    out.push({ type: ["Evidence"], name: "Mastery", narrative, genre: "Mastery estimate" });
  }
  return out;
}

/** Builds the credential (without JWT claims and without a proof). */
export function buildModuleCredential(input: BuildCredentialInput): JsonObject {
  const { issuer, module: m } = input;
  const listUrl = statusListUrl(issuer, input.status.list);
  const subject: JsonObject = {
    id: learnerSubjectId(input.learnerId),
    type: ["AchievementSubject"],
    achievement: {
      id: `${issuer.base}/badges/achievements/${encodeURIComponent(m.id)}`,
      type: ["Achievement"],
      name: m.title,
      description: m.description?.trim() || `Completed the ${issuer.name} training module "${m.title}".`,
      criteria: { narrative: `${m.criteria.trim()} Notional workload: ${hoursText(m.workloadHours)}.` },
      tag: [...m.skills],
      alignment: m.skills.map((s) => ({
        type: ["Alignment"],
        targetName: s,
        targetUrl: `${issuer.base}/badges/skills#${encodeURIComponent(s)}`,
        targetFramework: `${issuer.name} training skills`,
      })),
      workloadHours: m.workloadHours,
    },
  };
  if (input.learnerName?.trim()) {
    subject.identifier = [{ type: "IdentityObject", identityHash: input.learnerName.trim(), identityType: "name", hashed: false }];
  }
  const credential: JsonObject = {
    "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: `urn:uuid:${input.uuid}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: m.title,
    issuer: issuerProfile(issuer),
    validFrom: isoSeconds(input.validFrom),
    ...(input.validUntil ? { validUntil: isoSeconds(input.validUntil) } : {}),
    credentialSubject: subject,
    evidence: evidenceEntries(input.evidence),
    credentialStatus: {
      id: `${listUrl}#${input.status.index}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(input.status.index),
      statusListCredential: listUrl,
    },
  };
  return credential;
}

/** The JWT claims that mirror a credential (OB 3.0 VC-JWT: iss, sub, jti, nbf, exp). */
export function jwtClaimsFor(credential: JsonObject): JsonObject {
  const issuer = credential.issuer;
  const iss = typeof issuer === "string" ? issuer : issuer && typeof issuer === "object" && !Array.isArray(issuer) ? issuer.id : undefined;
  const subject = credential.credentialSubject;
  const sub = subject && typeof subject === "object" && !Array.isArray(subject) ? subject.id : undefined;
  const claims: JsonObject = {};
  if (typeof iss === "string") claims.iss = iss;
  if (typeof sub === "string") claims.sub = sub;
  if (typeof credential.id === "string") claims.jti = credential.id;
  if (typeof credential.validFrom === "string") claims.nbf = Math.floor(Date.parse(credential.validFrom) / 1000);
  if (typeof credential.validUntil === "string") claims.exp = Math.floor(Date.parse(credential.validUntil) / 1000);
  return claims;
}

/** The registered JWT claims a VC-JWT payload may carry beside the credential. */
export const JWT_CLAIMS = ["iss", "sub", "jti", "nbf", "exp", "iat", "aud"] as const;

/** The credential inside a VC-JWT payload (the payload without the JWT claims). */
export function credentialFromPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) if (!(JWT_CLAIMS as readonly string[]).includes(k)) out[k] = v;
  return out;
}
