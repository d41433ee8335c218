/**
 * A learner's own data: export, deletion, linking identities; and the retention purge of stored
 * questions. Tables are found by their `learner_id` column, so a feature's new table is covered
 * without editing this file. Runtime-agnostic (awaits every query).
 */
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { AppDeps } from "../app.js";
import { newId } from "../db/learners.js";
import * as schema from "../db/schema/index.js";
import { answers, conversations, learnerIdentities, learners, linkCodes } from "../db/schema/index.js";
import { HttpError } from "../routes/http-error.js";

/** Every table of the schema with a `learner_id` column (the learner's data), but the learner row itself. */
export function learnerScopedTables(): Array<{ name: string; table: SQLiteTable }> {
  const out: Array<{ name: string; table: SQLiteTable }> = [];
  for (const value of Object.values(schema)) {
    if (!value || typeof value !== "object") continue;
    let config: ReturnType<typeof getTableConfig>;
    try {
      config = getTableConfig(value as SQLiteTable);
    } catch {
      continue;
    }
    if (!config?.columns?.some((c) => c.name === "learner_id")) continue;
    out.push({ name: config.name, table: value as SQLiteTable });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function exportLearnerData(deps: AppDeps, learnerId: string) {
  const learner = (await deps.db.select().from(learners).where(eq(learners.id, learnerId)).limit(1))[0];
  if (!learner) throw new HttpError(404, `Unknown learner "${learnerId}"`);
  const tables: Record<string, unknown[]> = {};
  for (const { name, table } of learnerScopedTables()) {
    tables[name] = await deps.db.select().from(table).where(sql`learner_id = ${learnerId}`);
  }
  const convIds = ((tables.conversations ?? []) as Array<{ id: string }>).map((c) => c.id);
  tables.answers = convIds.length ? await deps.db.select().from(answers).where(inArray(answers.conversationId, convIds)) : [];
  return { exportedAt: deps.clock.now().toISOString(), learner, tables };
}

/** Deletes the learner and everything stored under their id; returns row counts per table. */
export async function deleteLearnerData(deps: AppDeps, learnerId: string): Promise<Record<string, number>> {
  const learner = (await deps.db.select({ id: learners.id }).from(learners).where(eq(learners.id, learnerId)).limit(1))[0];
  if (!learner) throw new HttpError(404, `Unknown learner "${learnerId}"`);
  const counts: Record<string, number> = {};
  const convIds = (await deps.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.learnerId, learnerId))).map((c) => c.id);
  if (convIds.length) {
    counts.answers = (await deps.db.select({ n: sql<number>`count(*)` }).from(answers).where(inArray(answers.conversationId, convIds)))[0]?.n ?? 0;
    await deps.db.delete(answers).where(inArray(answers.conversationId, convIds));
  }
  for (const { name, table } of learnerScopedTables()) {
    const n = (await deps.db.select({ n: sql<number>`count(*)` }).from(table).where(sql`learner_id = ${learnerId}`))[0]?.n ?? 0;
    if (n) await deps.db.delete(table).where(sql`learner_id = ${learnerId}`);
    counts[name] = Number(n);
  }
  await deps.db.delete(learners).where(eq(learners.id, learnerId));
  counts.learners = 1;
  return counts;
}

/** Deletes stored questions (and their feedback) older than the retention period. */
export async function purgeExpiredQuestions(deps: AppDeps, retentionDays: number): Promise<{ answers: number; conversations: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - retentionDays * 86_400_000);
  const expired = (await deps.db.select({ n: sql<number>`count(*)` }).from(answers).where(lt(answers.createdAt, cutoff)))[0]?.n ?? 0;
  if (expired) await deps.db.delete(answers).where(lt(answers.createdAt, cutoff));
  const empty = await deps.db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(lt(conversations.updatedAt, cutoff), sql`not exists (select 1 from answers a where a.conversation_id = ${conversations.id})`));
  if (empty.length) await deps.db.delete(conversations).where(inArray(conversations.id, empty.map((c) => c.id)));
  return { answers: Number(expired), conversations: empty.length };
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LINK_CODE_TTL_MS = 10 * 60_000;

/** A short code the learner types in Slack (`/fce link CODE`) or an LMS to join that identity to this record. */
export async function createLinkCode(deps: AppDeps, learnerId: string): Promise<{ code: string; expiresAt: Date }> {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  const code = Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
  const expiresAt = new Date(deps.clock.now().getTime() + LINK_CODE_TTL_MS);
  await deps.db.insert(linkCodes).values({ code, learnerId, expiresAt });
  return { code, expiresAt };
}

/**
 * Links a channel identity to the learner who created the code; the code is used up. An identity that
 * already belonged to another record is moved, and that record's data follows it when it has no other identity.
 */
export async function redeemLinkCode(deps: AppDeps, code: string, provider: "web" | "slack" | "lti", subject: string): Promise<{ learnerId: string }> {
  const normalized = code.trim().toUpperCase();
  const row = (await deps.db.select().from(linkCodes).where(eq(linkCodes.code, normalized)).limit(1))[0];
  if (!row || row.expiresAt.getTime() < deps.clock.now().getTime()) throw new HttpError(404, "Unknown or expired link code");
  const deleted = await deps.db.delete(linkCodes).where(eq(linkCodes.code, normalized)).returning({ code: linkCodes.code });
  if (!deleted.length) throw new HttpError(404, "Unknown or expired link code");
  const existing = (await deps.db.select().from(learnerIdentities).where(and(eq(learnerIdentities.provider, provider), eq(learnerIdentities.subject, subject))).limit(1))[0];
  if (existing?.learnerId === row.learnerId) return { learnerId: row.learnerId };
  if (existing) {
    const others = await deps.db.select({ n: sql<number>`count(*)` }).from(learnerIdentities).where(eq(learnerIdentities.learnerId, existing.learnerId));
    await deps.db.update(learnerIdentities).set({ learnerId: row.learnerId }).where(and(eq(learnerIdentities.provider, provider), eq(learnerIdentities.subject, subject)));
    if (Number(others[0]?.n ?? 0) <= 1) {
      // The old record had only this identity: its history moves to the linked learner.
      for (const { name, table } of learnerScopedTables()) {
        if (name === "learner_identities") continue;
        // A unique constraint (e.g. one module completion per learner) keeps the linked learner's row.
        await deps.db.run(sql`update or ignore ${table} set learner_id = ${row.learnerId} where learner_id = ${existing.learnerId}`);
        await deps.db.run(sql`delete from ${table} where learner_id = ${existing.learnerId}`);
      }
      await deps.db.delete(learners).where(eq(learners.id, existing.learnerId));
    }
  } else {
    await deps.db.insert(learnerIdentities).values({ provider, subject, learnerId: row.learnerId, createdAt: deps.clock.now() });
  }
  return { learnerId: row.learnerId };
}

export { newId };
