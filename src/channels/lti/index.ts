/**
 * The LTI 1.3 channel. What other features use:
 * - `verifySessionToken(deps, token)`: the learner, role and launch context of a session opened by a
 *   launch (the token is also an ordinary app session token, so `currentSession` accepts it).
 * - `reportScore(deps, {...})`: queue a learner's module score for the LMS gradebook(s).
 * - `reportModuleCompletion(deps)`: an `onModuleCompleted` hook that calls `reportScore`.
 * - `drainOutbox(deps, now)`: send due scores (the Node worker calls it; a Workers cron can too).
 * - Ports in AppDeps that the practice feature fills: `listModules()` and `progressFor(learnerId)`.
 */
import type { AppDeps } from "../../app.js";
import { reportScore } from "./ags.js";
import type { LtiDeps } from "./service.js";

export { drainOutbox, reportScore, type DrainSummary, type ReportScoreResult, type ScoreReport } from "./ags.js";
export type { LtiOptions, ModuleSummary, RosterProgress } from "./ports.js";
export { ltiRoutes, sessionTokenOf } from "./routes.js";
export { ltiService, type LtiDeps } from "./service.js";
export { verifySessionToken, type LtiLaunchContext, type LtiRole, type LtiSessionClaims } from "./session-token.js";

/** The completion event of the practice feature (kept structural so this module does not import it). */
export interface ModuleCompletion {
  learnerId: string;
  moduleId: string;
  score: number;
  maxScore: number;
  completedAt: Date;
}

/** An `onModuleCompleted` hook: a completed module's score goes to every LMS line item it is linked to. */
export function reportModuleCompletion(deps: LtiDeps | AppDeps): (event: ModuleCompletion) => Promise<void> {
  return async (event) => {
    if (!(event.maxScore > 0)) return;
    await reportScore(deps, {
      learnerId: event.learnerId,
      moduleId: event.moduleId,
      scoreGiven: Math.max(0, event.score),
      scoreMaximum: event.maxScore,
      activityProgress: "Completed",
      gradingProgress: "FullyGraded",
      timestamp: event.completedAt,
    });
  };
}
