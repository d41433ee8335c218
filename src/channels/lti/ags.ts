/**
 * Assignment and Grade Services through a durable outbox. `reportScore` only writes rows (one per
 * grade link of the learner and module); `drainOutbox` sends what is due: 2xx -> delivered; network
 * errors, 5xx, 408 and 429 -> retried with exponential back-off (the next attempt time is stored, so
 * restarts keep the schedule); any other 4xx -> failed with the platform's reason, shown to the
 * instructor.
 */
import { and, asc, desc, eq, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import { learners, ltiGradeLinks, ltiScoreOutbox } from "../../db/schema/index.js";
import { SCOPE } from "./claims.js";
import { ltiService, type LtiDeps, type LtiService } from "./service.js";
import { ServiceError, isTransientStatus, retryAfterMs } from "./service-token.js";
import { LtiError, bodySnippet, errorMessage, fetchWithTimeout, newLtiId, randomToken, scoresUrl } from "./util.js";

const ACTIVITY = ["Initialized", "Started", "InProgress", "Submitted", "Completed"] as const;
const GRADING = ["FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"] as const;

const ScoreReportSchema = z.object({
  learnerId: z.string().min(1),
  moduleId: z.string().min(1),
  scoreGiven: z.number().finite().min(0),
  scoreMaximum: z.number().finite().positive(),
  activityProgress: z.enum(ACTIVITY).default("Completed"),
  gradingProgress: z.enum(GRADING).default("FullyGraded"),
  timestamp: z.union([z.date(), z.iso.datetime({ offset: true })]).optional(),
  comment: z.string().max(1000).optional(),
});

export type ScoreReport = z.input<typeof ScoreReportSchema>;

export interface ReportScoreResult {
  /** Outbox rows written: one per LMS link of this learner and module that accepts scores. */
  enqueued: number;
  outboxIds: string[];
}

/**
 * Queues a learner's score for a module to every LMS line item it is linked to (the resource links
 * the learner launched this module from, with AGS). Returns 0 when the learner never came from an
 * LMS for this module. Safe to call from any runtime: it only writes to the database.
 */
export async function reportScore(deps: LtiDeps, input: ScoreReport): Promise<ReportScoreResult> {
  const parsed = ScoreReportSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LtiError(400, `Invalid score report: ${issue.path.join(".")}: ${issue.message}`);
  }
  const r = parsed.data;
  const now = deps.clock.now();
  const links = await deps.db
    .select()
    .from(ltiGradeLinks)
    .where(and(eq(ltiGradeLinks.learnerId, r.learnerId), eq(ltiGradeLinks.moduleId, r.moduleId)));
  const timestamp = (r.timestamp ? new Date(r.timestamp) : now).toISOString();
  const ids: string[] = [];
  for (const link of links) {
    const scopes = JSON.parse(link.agsScopes) as string[];
    if (!link.lineItemUrl || !scopes.includes(SCOPE.score)) continue;
    const payload = {
      userId: link.ltiUserId,
      scoreGiven: r.scoreGiven,
      scoreMaximum: r.scoreMaximum,
      activityProgress: r.activityProgress,
      gradingProgress: r.gradingProgress,
      timestamp,
      ...(r.comment ? { comment: r.comment } : {}),
    };
    // A newer score makes an older unsent one pointless (the platform keeps the latest anyway).
    await deps.db
      .update(ltiScoreOutbox)
      .set({ status: "superseded", updatedAt: now })
      .where(
        and(
          eq(ltiScoreOutbox.platformId, link.platformId),
          eq(ltiScoreOutbox.lineItemUrl, link.lineItemUrl),
          eq(ltiScoreOutbox.ltiUserId, link.ltiUserId),
          eq(ltiScoreOutbox.status, "pending"),
        ),
      );
    const id = newLtiId("ags");
    await deps.db.insert(ltiScoreOutbox).values({
      id,
      learnerId: r.learnerId,
      platformId: link.platformId,
      deploymentId: link.deploymentId,
      contextId: link.contextId,
      resourceLinkId: link.resourceLinkId,
      moduleId: r.moduleId,
      lineItemUrl: link.lineItemUrl,
      ltiUserId: link.ltiUserId,
      payload: JSON.stringify(payload),
      scoreGiven: r.scoreGiven,
      scoreMaximum: r.scoreMaximum,
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
    ids.push(id);
  }
  return { enqueued: ids.length, outboxIds: ids };
}

export interface DrainSummary {
  attempted: number;
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Sends the outbox rows due at `now` (at most `limit`). Called by the Node worker on an interval,
 * by a Workers cron trigger, and by tests with a chosen `now`.
 */
export async function drainOutbox(deps: LtiDeps, now: Date = deps.clock.now(), limit = 25): Promise<DrainSummary> {
  const svc = ltiService(deps);
  const db = deps.db;
  const summary: DrainSummary = { attempted: 0, delivered: 0, retried: 0, failed: 0 };
  const due = await db
    .select()
    .from(ltiScoreOutbox)
    .where(and(eq(ltiScoreOutbox.status, "pending"), lte(ltiScoreOutbox.nextAttemptAt, now)))
    .orderBy(asc(ltiScoreOutbox.nextAttemptAt))
    .limit(limit);
  for (const row of due) {
    // Claim: push next_attempt_at past the lease with our token. Only one worker's UPDATE matches.
    const claim = randomToken(12);
    const claimed = await db
      .update(ltiScoreOutbox)
      .set({ claimToken: claim, nextAttemptAt: new Date(now.getTime() + svc.options.claimLeaseMs) })
      .where(and(eq(ltiScoreOutbox.id, row.id), eq(ltiScoreOutbox.status, "pending"), lte(ltiScoreOutbox.nextAttemptAt, now)))
      .returning({ id: ltiScoreOutbox.id });
    if (claimed.length !== 1) continue;
    summary.attempted++;
    const attempts = row.attempts + 1;
    const mine = and(eq(ltiScoreOutbox.id, row.id), eq(ltiScoreOutbox.claimToken, claim));
    try {
      const status = await sendScore(svc, row, now);
      await db
        .update(ltiScoreOutbox)
        .set({ status: "delivered", attempts, lastStatus: status, lastError: null, deliveredAt: now, updatedAt: now, claimToken: null })
        .where(mine);
      summary.delivered++;
    } catch (e) {
      const err = e instanceof ServiceError ? e : new ServiceError(errorMessage(e), undefined, true);
      if (err.transient) {
        const backoff = Math.min(svc.options.retryBaseMs * 2 ** (attempts - 1), svc.options.retryMaxMs);
        const delay = Math.min(Math.max(backoff, err.retryAfterMs ?? 0), svc.options.retryMaxMs);
        await db
          .update(ltiScoreOutbox)
          .set({ attempts, lastStatus: err.status ?? null, lastError: err.message, nextAttemptAt: new Date(now.getTime() + delay), updatedAt: now, claimToken: null })
          .where(mine);
        summary.retried++;
      } else {
        await db
          .update(ltiScoreOutbox)
          .set({ status: "failed", attempts, lastStatus: err.status ?? null, lastError: err.message, updatedAt: now, claimToken: null })
          .where(mine);
        summary.failed++;
      }
    }
  }
  return summary;
}

/** Posts one score; returns the HTTP status on success, throws ServiceError otherwise. */
async function sendScore(svc: LtiService, row: typeof ltiScoreOutbox.$inferSelect, now: Date): Promise<number> {
  const platform = await svc.storage.platformById(row.platformId);
  if (!platform) throw new ServiceError("the platform registration was removed", undefined, false);
  const url = scoresUrl(row.lineItemUrl);
  for (let round = 0; ; round++) {
    const token = await svc.tokens.token(platform, [SCOPE.score], now);
    let res: Response;
    try {
      res = await fetchWithTimeout(
        svc.fetch,
        url,
        { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.ims.lis.v1.score+json" }, body: row.payload },
        svc.options.requestTimeoutMs,
      );
    } catch (e) {
      throw new ServiceError(`scores endpoint unreachable: ${errorMessage(e)}`, undefined, true);
    }
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      return res.status;
    }
    // A 401 may mean our cached token was revoked: retry once with a fresh one.
    if (res.status === 401 && round === 0) {
      await res.body?.cancel().catch(() => {});
      svc.tokens.invalidate(platform, [SCOPE.score]);
      continue;
    }
    const detail = await bodySnippet(res);
    throw new ServiceError(`scores endpoint answered ${res.status}${detail ? `: ${detail}` : ""}`, res.status, isTransientStatus(res.status), retryAfterMs(res, now.getTime()));
  }
}

export interface OutboxEntry {
  id: string;
  learnerId: string;
  learnerName: string;
  moduleId: string;
  resourceLinkId: string;
  scoreGiven: number;
  scoreMaximum: number;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** Scores reported in a course (newest first), optionally for one module. */
export async function outboxForContext(deps: LtiDeps, platformId: string, contextId: string, moduleId?: string, limit = 500): Promise<OutboxEntry[]> {
  const where = moduleId
    ? and(eq(ltiScoreOutbox.platformId, platformId), eq(ltiScoreOutbox.contextId, contextId), eq(ltiScoreOutbox.moduleId, moduleId))
    : and(eq(ltiScoreOutbox.platformId, platformId), eq(ltiScoreOutbox.contextId, contextId));
  const rows = await deps.db
    .select({ o: ltiScoreOutbox, name: learners.displayName })
    .from(ltiScoreOutbox)
    .leftJoin(learners, eq(learners.id, ltiScoreOutbox.learnerId))
    .where(and(where, inArray(ltiScoreOutbox.status, ["pending", "delivered", "failed"])))
    .orderBy(desc(ltiScoreOutbox.createdAt))
    .limit(limit);
  return rows.map(({ o, name }) => ({
    id: o.id,
    learnerId: o.learnerId,
    learnerName: name ?? o.learnerId,
    moduleId: o.moduleId,
    resourceLinkId: o.resourceLinkId,
    scoreGiven: o.scoreGiven,
    scoreMaximum: o.scoreMaximum,
    status: o.status,
    attempts: o.attempts,
    nextAttemptAt: o.nextAttemptAt,
    lastStatus: o.lastStatus,
    lastError: o.lastError,
    createdAt: o.createdAt,
    deliveredAt: o.deliveredAt,
  }));
}
