import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A person who trains or asks: one record across the web, Slack and the LMS. */
export const learners = sqliteTable("learners", {
  id: text("id").primaryKey(),
  displayName: text("display_name").notNull(),
  /** "learner" | "facilitator" | "admin" (roles from the LMS are per launch, not stored here). */
  role: text("role").notNull().default("learner"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * The ways a learner is known: `provider` "web" (subject = session id), "slack" (subject =
 * `${teamId}:${userId}`) or "lti" (subject = `${issuer}|${sub}`).
 */
export const learnerIdentities = sqliteTable(
  "learner_identities",
  {
    provider: text("provider").notNull(),
    subject: text("subject").notNull(),
    learnerId: text("learner_id")
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("learner_identities_provider_subject").on(t.provider, t.subject), index("learner_identities_learner").on(t.learnerId)],
);

/** Server-side settings generated on first start (e.g. the session signing secret). */
export const appSettings = sqliteTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** Short-lived codes that link a Slack or LMS identity to an existing learner (one person, one record). */
export const linkCodes = sqliteTable("link_codes", {
  code: text("code").primaryKey(),
  learnerId: text("learner_id")
    .notNull()
    .references(() => learners.id, { onDelete: "cascade" }),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Origins of LMS pages that frame FCE Coach, learned from successful LTI launches (a hosted Canvas
 * frames from the school's own domain, not the issuer's) and allowed in frame-ancestors.
 */
export const lmsFrameOrigins = sqliteTable("lms_frame_origins", {
  origin: text("origin").primaryKey(),
  firstSeenAt: integer("first_seen_at", { mode: "timestamp_ms" }).notNull(),
});
