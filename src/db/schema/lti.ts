import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { learners } from "./identity.js";

/**
 * LTI 1.3 platforms (the library's "clients"): one row per (issuer, client_id) registration, added
 * by dynamic registration or `npm run lti:add-platform`.
 */
export const ltiPlatforms = sqliteTable(
  "lti_platforms",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    authUrl: text("auth_url").notNull(),
    tokenUrl: text("token_url").notNull(),
    jwksUrl: text("jwks_url").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("lti_platforms_issuer_client").on(t.issuer, t.clientId)],
);

/** Deployments of the tool on a platform; a launch with an unregistered deployment_id is refused. */
export const ltiDeployments = sqliteTable(
  "lti_deployments",
  {
    id: text("id").primaryKey(),
    platformId: text("platform_id")
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: "cascade" }),
    deploymentId: text("deployment_id").notNull(),
    name: text("name"),
    description: text("description"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("lti_deployments_platform_deployment").on(t.platformId, t.deploymentId)],
);

/**
 * OIDC login requests: the state and nonce we issued at /lti/login. Single use (`used_at` is set by
 * one conditional UPDATE at launch) and expiring.
 */
export const ltiLoginRequests = sqliteTable(
  "lti_login_requests",
  {
    nonce: text("nonce").primaryKey(),
    state: text("state").unique(),
    platformId: text("platform_id"),
    /** The lti_deployment_id hint sent with the login, if any: the launch must carry the same. */
    deploymentId: text("deployment_id"),
    targetLinkUri: text("target_link_uri"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("lti_login_requests_expires").on(t.expiresAt)],
);

/** Accepted launches (the library's LTISession, as JSON). Only a fully verified launch creates one. */
export const ltiSessions = sqliteTable(
  "lti_sessions",
  {
    id: text("id").primaryKey(),
    /** `${issuer}|${sub}`, the learner identity subject. */
    subject: text("subject").notNull(),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    deploymentId: text("deployment_id").notNull(),
    messageType: text("message_type").notNull(),
    contextId: text("context_id"),
    resourceLinkId: text("resource_link_id"),
    data: text("data").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("lti_sessions_subject").on(t.subject)],
);

/** Dynamic registration in progress (between the form and its submission); single use, 15 minutes. */
export const ltiRegistrationSessions = sqliteTable("lti_registration_sessions", {
  id: text("id").primaryKey(),
  data: text("data").notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Where a learner's grade for a module goes: stored at each resource-link launch (line item URL,
 * AGS scopes, the platform's user id). `reportScore` fans out to every link of (learner, module).
 */
export const ltiGradeLinks = sqliteTable(
  "lti_grade_links",
  {
    id: text("id").primaryKey(),
    learnerId: text("learner_id")
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    platformId: text("platform_id")
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: "cascade" }),
    deploymentId: text("deployment_id").notNull(),
    contextId: text("context_id").notNull(),
    resourceLinkId: text("resource_link_id").notNull(),
    moduleId: text("module_id"),
    /** The platform's user id (`sub`), the `userId` of an AGS score. */
    ltiUserId: text("lti_user_id").notNull(),
    lineItemUrl: text("line_item_url"),
    /** JSON array of the AGS scopes granted in the launch. */
    agsScopes: text("ags_scopes").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("lti_grade_links_target").on(t.platformId, t.deploymentId, t.contextId, t.resourceLinkId, t.learnerId),
    index("lti_grade_links_learner_module").on(t.learnerId, t.moduleId),
  ],
);

/**
 * The durable AGS outbox. `status`: "pending" (to send at `next_attempt_at`), "delivered", "failed"
 * (the platform answered 4xx: `last_error` says why) or "superseded" (a newer score for the same
 * line item and user was queued before this one was sent). A worker claims a row by moving
 * `next_attempt_at` forward with a claim token (one conditional UPDATE), so a crash mid-send only
 * delays the retry.
 */
export const ltiScoreOutbox = sqliteTable(
  "lti_score_outbox",
  {
    id: text("id").primaryKey(),
    learnerId: text("learner_id").notNull(),
    platformId: text("platform_id").notNull(),
    deploymentId: text("deployment_id").notNull(),
    contextId: text("context_id").notNull(),
    resourceLinkId: text("resource_link_id").notNull(),
    moduleId: text("module_id").notNull(),
    lineItemUrl: text("line_item_url").notNull(),
    ltiUserId: text("lti_user_id").notNull(),
    /** JSON: the AGS score body. */
    payload: text("payload").notNull(),
    scoreGiven: real("score_given").notNull(),
    scoreMaximum: real("score_maximum").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    claimToken: text("claim_token"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("lti_score_outbox_due").on(t.status, t.nextAttemptAt),
    index("lti_score_outbox_context").on(t.platformId, t.contextId, t.moduleId),
  ],
);
