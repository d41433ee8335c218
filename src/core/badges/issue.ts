/**
 * Issuing: `issueModuleBadge(deps, ...)` builds an OpenBadgeCredential for a completed module (or a
 * whole training path: pass the path as the module), signs it as a VC-JWT with the active key,
 * reserves its revocation entry and stores it. The practice feature calls it when a module completes.
 */
import { z } from "zod";
import type { AppDatabase } from "../../db/types.js";
import { buildModuleCredential, issuerConfig, type BadgeEvidence, type IssuerConfig, type IssuerSettings, type JsonObject, type ModuleAchievement } from "./credential.js";
import { signCredentialJwt } from "./keys.js";
import { BadgeRepository, localIssuerResolver, type BadgeRecord } from "./store.js";
import { verifyPresented, type VerifyResult } from "./verify.js";

/** What issuing and verifying need from the app's deps (a subset of AppDeps). */
export interface BadgeDeps extends IssuerSettings {
  db: AppDatabase;
  clock: { now(): Date };
}

export interface IssueModuleBadgeInput {
  learnerId: string;
  learnerName?: string;
  module: ModuleAchievement;
  evidence: BadgeEvidence;
  /** Optional end of validity (module badges do not expire by default). */
  validUntil?: Date;
}

export interface IssuedBadge {
  /** The badge id (a uuid; the credential id is `urn:uuid:<id>`). */
  id: string;
  jwt: string;
  json: JsonObject;
  /** Download links under the issuer's base URL. */
  urls: { json: string; jwt: string; verify: string };
}

export class BadgeInputError extends Error {}

const text = z.string().trim().min(1, { error: "must not be empty" });
const inputSchema = z.object({
  learnerId: text.max(200),
  learnerName: z.string().max(200).optional(),
  module: z.object({
    id: text.max(200),
    title: text.max(300),
    description: z.string().max(4000).optional(),
    skills: z.array(text.max(100)).max(50),
    workloadHours: z.number({ error: "must be a number of hours" }).positive({ error: "must be more than 0 hours" }).max(10_000),
    criteria: text.max(4000),
  }),
  evidence: z.object({
    casesPassed: z.array(
      z.object({ id: text.max(200), title: z.string().max(300).optional(), score: z.number().finite().optional(), maxScore: z.number().finite().optional() }),
    ),
    mastery: z.union([z.number().min(0).max(1), z.record(z.string(), z.number().min(0).max(1))]).optional(),
  }),
  validUntil: z.date().optional(),
});

export function badgeUrls(issuer: IssuerConfig, id: string): IssuedBadge["urls"] {
  return { json: `${issuer.base}/badges/${id}.json`, jwt: `${issuer.base}/badges/${id}.jwt`, verify: `${issuer.base}/badges/verify` };
}

/** Issues, signs and stores a badge for a completed module. Throws `BadgeInputError` on bad input. */
export async function issueModuleBadge(deps: BadgeDeps, input: IssueModuleBadgeInput): Promise<IssuedBadge> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const iss = parsed.error.issues[0]!;
    throw new BadgeInputError(`Invalid badge input: ${iss.path.join(".")}: ${iss.message}`);
  }
  const issuer = issuerConfig(deps);
  const repo = new BadgeRepository(deps.db);
  const now = deps.clock.now();
  if (input.validUntil && input.validUntil.getTime() <= now.getTime()) throw new BadgeInputError("Invalid badge input: validUntil must be in the future");
  const id = crypto.randomUUID();
  const status = await repo.reserveStatusEntry(id, now);
  const key = await repo.keys.active(now);
  const json = buildModuleCredential({
    issuer,
    uuid: id,
    learnerId: input.learnerId,
    learnerName: input.learnerName,
    module: input.module,
    evidence: input.evidence,
    validFrom: now,
    validUntil: input.validUntil,
    status,
  });
  const jwt = await signCredentialJwt(json, key);
  const record: BadgeRecord = {
    id,
    learnerId: input.learnerId,
    moduleId: input.module.id,
    name: input.module.title,
    kid: key.kid,
    jwt,
    json,
    statusList: status.list,
    statusIndex: status.index,
    issuedAt: now,
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
  };
  await repo.insertBadge(record);
  return { id, jwt, json, urls: badgeUrls(issuer, id) };
}

/** Verifies a presented credential against our issuer's published keys and status lists. */
export async function verifyBadge(deps: BadgeDeps, credential: unknown): Promise<VerifyResult> {
  const issuer = issuerConfig(deps);
  const repo = new BadgeRepository(deps.db);
  return verifyPresented(credential, { now: deps.clock.now(), resolver: localIssuerResolver(repo, issuer, () => deps.clock.now()) });
}

/** Revokes a badge (sets its status-list bit). Undefined for an unknown id. */
export async function revokeBadge(deps: BadgeDeps, id: string, reason?: string): Promise<BadgeRecord | undefined> {
  return new BadgeRepository(deps.db).revoke(id, reason, deps.clock.now());
}
