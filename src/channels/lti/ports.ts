/**
 * What the LTI channel needs from the rest of the app, and what other features fill in.
 * Types only: imported by src/app.ts (AppDeps) without pulling LTI code into it.
 */

/** A training module or case set an instructor can place in a course (deep linking picker). */
export interface ModuleSummary {
  id: string;
  title: string;
  /** Optional one-line description shown in the picker. */
  description?: string;
}

/** A learner's progress, shown next to their name in the instructor's roster. */
export interface RosterProgress {
  /** Short human summary, e.g. "4 of 6 cases, mastery 0.72". */
  summary: string;
  /** 0..1, drawn as a bar when given. */
  fraction?: number;
  completed?: boolean;
}

export type MaybePromise<T> = T | Promise<T>;

/** Tuning of the LTI channel (tests and runtimes); every field has a default. */
export interface LtiOptions {
  /** fetch used for platform calls (JWKS, token, AGS, NRPS); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Lifetime of the session token given after a launch (seconds, default 2 h). */
  sessionTtlSeconds?: number;
  /** Lifetime of an OIDC login's state and nonce (seconds, default 10 min). */
  loginTtlSeconds?: number;
  /** First retry delay of the outbox (ms, default 30 s); doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  /** Longest delay between two outbox attempts (ms, default 1 h). */
  retryMaxMs?: number;
  /** How long a claimed outbox row is hidden from other workers while it is being sent (ms, default 2 min). */
  claimLeaseMs?: number;
  /** Dynamic registration at /lti/register; on by default. */
  dynamicRegistration?: boolean;
  /** Timeout of a call to the platform (ms, default 10 s). */
  requestTimeoutMs?: number;
}
