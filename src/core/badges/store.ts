/**
 * Badge persistence over drizzle (better-sqlite3 on Node, D1 on Workers): signing keys, issued
 * badges and status-list entries. Every query is awaited; no interactive transactions. Where two
 * statements must agree, the order is chosen so that a crash between them errs on the safe side.
 */
import { and, desc, eq, inArray, isNotNull, max, ne, count } from "drizzle-orm";
import type { JWK } from "jose";
import { badgeKeys, badges, badgeStatusEntries } from "../../db/schema/badges.js";
import type { AppDatabase } from "../../db/types.js";
import { type IssuerConfig, type JsonObject } from "./credential.js";
import { generateSigningKey, KeyStoreError, publicPart, type KeyInfo, type KeyStatus, type KeyStore, type PublicJwk, type SigningKey } from "./keys.js";
import { buildStatusListCredential, STATUS_LIST_BITS } from "./status-list.js";
import type { IssuerResolver } from "./verify.js";

/** A list takes new entries until half full, then the next list starts (random indexes stay cheap). */
const LIST_FILL = STATUS_LIST_BITS / 2;

type KeyRow = typeof badgeKeys.$inferSelect;

function rowToKey(row: KeyRow): SigningKey {
  const priv = JSON.parse(row.privateJwk) as JWK;
  const pub = JSON.parse(row.publicJwk) as PublicJwk;
  return { kid: row.kid, publicJwk: pub, privateJwk: priv };
}

function rowToInfo(row: KeyRow): KeyInfo {
  return {
    kid: row.kid,
    status: row.status as KeyStatus,
    createdAt: row.createdAt,
    ...(row.rotatedAt ? { rotatedAt: row.rotatedAt } : {}),
    ...(row.retiredAt ? { retiredAt: row.retiredAt } : {}),
  };
}

/** Keys in the `badge_keys` table. The private JWK is stored as is (see the report's notes). */
export class DbKeyStore implements KeyStore {
  constructor(private readonly db: AppDatabase) {}

  private async activeRow(): Promise<KeyRow | undefined> {
    const rows = await this.db.select().from(badgeKeys).where(eq(badgeKeys.status, "active")).limit(1);
    return rows[0];
  }

  async active(now: Date): Promise<SigningKey> {
    const found = await this.activeRow();
    if (found) return rowToKey(found);
    const key = await generateSigningKey();
    // A partial unique index allows one active key: a concurrent first use keeps the first insert.
    await this.db
      .insert(badgeKeys)
      .values({ kid: key.kid, alg: "ES256", publicJwk: JSON.stringify(key.publicJwk), privateJwk: JSON.stringify(key.privateJwk), status: "active", createdAt: now })
      .onConflictDoNothing();
    const again = await this.activeRow();
    if (!again) throw new Error("No active badge signing key could be created");
    return rowToKey(again);
  }

  async rotate(now: Date): Promise<SigningKey> {
    await this.db.update(badgeKeys).set({ status: "published", rotatedAt: now }).where(eq(badgeKeys.status, "active"));
    return this.active(now);
  }

  async retire(kid: string, now: Date): Promise<KeyInfo> {
    const rows = await this.db.select().from(badgeKeys).where(eq(badgeKeys.kid, kid)).limit(1);
    const row = rows[0];
    if (!row) throw new KeyStoreError("not_found", `No badge signing key "${kid}"`);
    if (row.status === "active") throw new KeyStoreError("active", `Key "${kid}" is the active key: rotate first, then retire it`);
    if (row.status !== "retired") await this.db.update(badgeKeys).set({ status: "retired", retiredAt: now }).where(eq(badgeKeys.kid, kid));
    const after = await this.db.select().from(badgeKeys).where(eq(badgeKeys.kid, kid)).limit(1);
    return rowToInfo(after[0] ?? row);
  }

  async published(): Promise<PublicJwk[]> {
    const rows = await this.db.select().from(badgeKeys).where(ne(badgeKeys.status, "retired")).orderBy(desc(badgeKeys.createdAt));
    return rows.map((r) => publicPart(JSON.parse(r.publicJwk) as PublicJwk));
  }

  async list(): Promise<KeyInfo[]> {
    const rows = await this.db.select().from(badgeKeys).orderBy(desc(badgeKeys.createdAt));
    return rows.map(rowToInfo);
  }
}

export interface BadgeRecord {
  id: string;
  learnerId: string;
  moduleId: string;
  name: string;
  kid: string;
  jwt: string;
  json: JsonObject;
  statusList: number;
  statusIndex: number;
  issuedAt: Date;
  validUntil?: Date;
  revokedAt?: Date;
  revocationReason?: string;
}

type BadgeRow = typeof badges.$inferSelect;

function rowToBadge(r: BadgeRow): BadgeRecord {
  return {
    id: r.id,
    learnerId: r.learnerId,
    moduleId: r.moduleId,
    name: r.name,
    kid: r.kid,
    jwt: r.jwt,
    json: JSON.parse(r.json) as JsonObject,
    statusList: r.statusList,
    statusIndex: r.statusIndex,
    issuedAt: r.issuedAt,
    ...(r.validUntil ? { validUntil: r.validUntil } : {}),
    ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}),
    ...(r.revocationReason ? { revocationReason: r.revocationReason } : {}),
  };
}

function randomIndex(): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0] as number) % STATUS_LIST_BITS;
}

export class BadgeRepository {
  readonly keys: DbKeyStore;

  constructor(private readonly db: AppDatabase) {
    this.keys = new DbKeyStore(db);
  }

  /**
   * Hands out a status-list entry at a random index of the current list (random, so that the
   * index tells nothing about the order of issue). A taken index is retried.
   */
  async reserveStatusEntry(badgeId: string, now: Date): Promise<{ list: number; index: number }> {
    const last = await this.db.select({ list: max(badgeStatusEntries.list) }).from(badgeStatusEntries);
    let list = last[0]?.list ?? 1;
    const used = await this.db.select({ n: count() }).from(badgeStatusEntries).where(eq(badgeStatusEntries.list, list));
    if ((used[0]?.n ?? 0) >= LIST_FILL) list += 1;
    for (let attempt = 0; attempt < 64; attempt++) {
      const index = randomIndex();
      const inserted = await this.db
        .insert(badgeStatusEntries)
        .values({ list, idx: index, badgeId, createdAt: now })
        .onConflictDoNothing()
        .returning({ idx: badgeStatusEntries.idx });
      if (inserted.length) return { list, index };
    }
    throw new Error(`Status list ${list} has no free entry`);
  }

  async insertBadge(b: BadgeRecord): Promise<void> {
    await this.db.insert(badges).values({
      id: b.id,
      learnerId: b.learnerId,
      moduleId: b.moduleId,
      name: b.name,
      kid: b.kid,
      jwt: b.jwt,
      json: JSON.stringify(b.json),
      statusList: b.statusList,
      statusIndex: b.statusIndex,
      issuedAt: b.issuedAt,
      validUntil: b.validUntil ?? null,
    });
  }

  async getBadge(id: string): Promise<BadgeRecord | undefined> {
    const rows = await this.db.select().from(badges).where(eq(badges.id, id)).limit(1);
    return rows[0] ? rowToBadge(rows[0]) : undefined;
  }

  async listForLearner(learnerId: string): Promise<BadgeRecord[]> {
    const rows = await this.db.select().from(badges).where(eq(badges.learnerId, learnerId)).orderBy(desc(badges.issuedAt));
    return rows.map(rowToBadge);
  }

  /**
   * Revokes a badge: sets its status-list bit (the entry, which is what verifiers read) first,
   * then marks the badge record. Idempotent; returns undefined for an unknown badge.
   */
  async revoke(id: string, reason: string | undefined, now: Date): Promise<BadgeRecord | undefined> {
    const badge = await this.getBadge(id);
    if (!badge) return undefined;
    if (badge.revokedAt) return badge;
    await this.db
      .update(badgeStatusEntries)
      .set({ revokedAt: now })
      .where(and(eq(badgeStatusEntries.list, badge.statusList), eq(badgeStatusEntries.idx, badge.statusIndex)));
    await this.db.update(badges).set({ revokedAt: now, revocationReason: reason ?? null }).where(eq(badges.id, id));
    return this.getBadge(id);
  }

  /** Lists that exist (have at least one entry). */
  async hasList(list: number): Promise<boolean> {
    const rows = await this.db.select({ n: count() }).from(badgeStatusEntries).where(eq(badgeStatusEntries.list, list));
    return (rows[0]?.n ?? 0) > 0;
  }

  async revokedIndexes(list: number): Promise<number[]> {
    const rows = await this.db
      .select({ idx: badgeStatusEntries.idx })
      .from(badgeStatusEntries)
      .where(and(eq(badgeStatusEntries.list, list), isNotNull(badgeStatusEntries.revokedAt)));
    return rows.map((r) => r.idx);
  }

  /** The status list credential as published, or undefined for a list that does not exist. */
  async statusListCredential(issuer: IssuerConfig, list: number, now: Date): Promise<JsonObject | undefined> {
    if (!(await this.hasList(list))) return undefined;
    return buildStatusListCredential(issuer, list, await this.revokedIndexes(list), now);
  }

  /** Badges by id (for admin listings). */
  async getBadges(ids: string[]): Promise<BadgeRecord[]> {
    if (!ids.length) return [];
    const rows = await this.db.select().from(badges).where(inArray(badges.id, ids));
    return rows.map(rowToBadge);
  }
}

/** Parses `${base}/badges/status/<n>` into n, or undefined for any other URL. */
export function statusListNumber(issuer: IssuerConfig, url: string): number | undefined {
  const prefix = `${issuer.base}/badges/status/`;
  if (!url.startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length);
  return /^[1-9]\d{0,8}$/.test(rest) ? Number(rest) : undefined;
}

/** Resolves our own issuer (keys and status lists from the database); any other issuer is unknown. */
export function localIssuerResolver(repo: BadgeRepository, issuer: IssuerConfig, now: () => Date): IssuerResolver {
  return {
    async keys(issuerId) {
      return issuerId === issuer.id ? repo.keys.published() : undefined;
    },
    async statusList(url) {
      const n = statusListNumber(issuer, url);
      return n === undefined ? undefined : repo.statusListCredential(issuer, n, now());
    },
  };
}
