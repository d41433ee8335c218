/** Learner records and their identities on each channel. Works on better-sqlite3 and D1. */
import { and, eq } from "drizzle-orm";
import { appSettings, learnerIdentities, learners } from "./schema/index.js";
import type { AppDatabase } from "./types.js";

export type IdentityProvider = "web" | "slack" | "lti";

export interface Learner {
  id: string;
  displayName: string;
  role: string;
}

export function newId(prefix: string): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export async function getLearner(db: AppDatabase, id: string): Promise<Learner | undefined> {
  const rows = await db.select().from(learners).where(eq(learners.id, id)).limit(1);
  const row = rows[0];
  return row ? { id: row.id, displayName: row.displayName, role: row.role } : undefined;
}

/** The learner behind a channel identity, created on first sight. */
export async function findOrCreateLearner(db: AppDatabase, provider: IdentityProvider, subject: string, displayName: string, now: Date): Promise<Learner> {
  const found = await db
    .select({ id: learners.id, displayName: learners.displayName, role: learners.role })
    .from(learnerIdentities)
    .innerJoin(learners, eq(learners.id, learnerIdentities.learnerId))
    .where(and(eq(learnerIdentities.provider, provider), eq(learnerIdentities.subject, subject)))
    .limit(1);
  if (found[0]) return found[0];
  const id = newId("lrn");
  const name = displayName.trim().slice(0, 80) || "Learner";
  await db.insert(learners).values({ id, displayName: name, role: "learner", createdAt: now });
  // A concurrent first sight of the same identity keeps the first record.
  await db.insert(learnerIdentities).values({ provider, subject, learnerId: id, createdAt: now }).onConflictDoNothing();
  const again = await db
    .select({ id: learners.id, displayName: learners.displayName, role: learners.role })
    .from(learnerIdentities)
    .innerJoin(learners, eq(learners.id, learnerIdentities.learnerId))
    .where(and(eq(learnerIdentities.provider, provider), eq(learnerIdentities.subject, subject)))
    .limit(1);
  if (again[0] && again[0].id !== id) await db.delete(learners).where(eq(learners.id, id));
  return again[0] ?? { id, displayName: name, role: "learner" };
}

/** A setting generated once and kept (e.g. a signing secret): the first writer wins. */
export async function getOrCreateSetting(db: AppDatabase, key: string, create: () => string): Promise<string> {
  const found = await db.select().from(appSettings).where(eq(appSettings.key, key)).limit(1);
  if (found[0]) return found[0].value;
  await db.insert(appSettings).values({ key, value: create() }).onConflictDoNothing();
  const again = await db.select().from(appSettings).where(eq(appSettings.key, key)).limit(1);
  return again[0]!.value;
}

export function randomSecret(bytes = 32): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
