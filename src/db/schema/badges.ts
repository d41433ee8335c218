import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The issuer's ES256 signing keys. `status`: "active" (signs new credentials; one at most),
 * "published" (rotated out, still in the JWKS so older credentials verify), "retired" (no longer
 * published: credentials signed with it stop verifying).
 */
export const badgeKeys = sqliteTable(
  "badge_keys",
  {
    kid: text("kid").primaryKey(),
    alg: text("alg").notNull(),
    /** JSON: the public JWK (kty, crv, x, y, kid, alg, use). */
    publicJwk: text("public_jwk").notNull(),
    /** JSON: the private JWK (with `d`). */
    privateJwk: text("private_jwk").notNull(),
    status: text("status").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    rotatedAt: integer("rotated_at", { mode: "timestamp_ms" }),
    retiredAt: integer("retired_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("badge_keys_one_active").on(t.status).where(sql`status = 'active'`)],
);

/** Issued Open Badges 3.0 credentials. `id` is the uuid of the credential id (`urn:uuid:<id>`). */
export const badges = sqliteTable(
  "badges",
  {
    id: text("id").primaryKey(),
    learnerId: text("learner_id").notNull(),
    /** The training-path module (or path) the badge is for. */
    moduleId: text("module_id").notNull(),
    name: text("name").notNull(),
    kid: text("kid").notNull(),
    jwt: text("jwt").notNull(),
    /** JSON: the credential (the JWT payload without the JWT claims). */
    json: text("json").notNull(),
    statusList: integer("status_list").notNull(),
    statusIndex: integer("status_index").notNull(),
    issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
    validUntil: integer("valid_until", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revocationReason: text("revocation_reason"),
  },
  (t) => [index("badges_learner").on(t.learnerId, t.issuedAt)],
);

/**
 * Entries of the revocation status lists (BitstringStatusList): one row per index handed out.
 * Kept apart from `badges` so that a revoked bit survives the deletion of a badge record.
 */
export const badgeStatusEntries = sqliteTable(
  "badge_status_entries",
  {
    list: integer("list").notNull(),
    idx: integer("idx").notNull(),
    badgeId: text("badge_id").notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.list, t.idx] }), index("badge_status_entries_badge").on(t.badgeId)],
);
