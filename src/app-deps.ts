/**
 * The app's dependencies from its runtime ports and the validated configuration. Shared by the Node
 * server and the Worker, so a new setting or hook is wired once for both runtimes.
 */
import type { AppDeps, CorpusPort } from "./app.js";
import { reportModuleCompletion } from "./channels/lti/index.js";
import { maskText } from "./core/privacy/mask.js";
import type { AppDatabase } from "./db/types.js";
import type { Env } from "./env.js";
import type { ChatModel, Clock, Problem } from "./ports.js";
import { badgeOnModuleCompletion } from "./services/badge-on-completion.js";
import { lmsOrigins } from "./services/lms-origins.js";
import { ltiModuleSummaries, rosterProgress, type PracticeBank } from "./services/practice.js";

export interface RuntimePorts {
  corpus: () => CorpusPort;
  db: AppDatabase;
  clock: Clock;
  problems: () => Problem[];
  practice: () => PracticeBank;
  sessionSecret: string;
  chatModel?: ChatModel;
}

export function buildAppDeps(ports: RuntimePorts, env: Env): AppDeps {
  const deps: AppDeps = {
    ...ports,
    publicUrl: env.FCE_PUBLIC_URL,
    adminToken: env.FCE_ADMIN_TOKEN,
    badgeIssuer: { name: env.FCE_ISSUER_NAME, url: env.FCE_ISSUER_URL },
    maskPersonalData: maskText,
    retentionDays: env.FCE_RETENTION_DAYS,
    // In memory per process (Node) or per isolate (Workers): see the README for a global limit.
    rateLimits: { askPerMinute: env.FCE_RATE_LIMIT_ASK_PER_MINUTE, attemptsPerMinute: env.FCE_RATE_LIMIT_ATTEMPTS_PER_MINUTE },
    trustProxy: env.FCE_TRUST_PROXY === "on",
    frameAncestors: lmsOrigins(ports.db, () => Date.now(), { extra: env.FCE_FRAME_ANCESTORS }),
    llmTimeoutMs: env.FCE_LLM_TIMEOUT_MS,
  };
  // LTI: the modules an instructor can place, each learner's progress for the roster, and grade
  // passback and credentials when a module is completed.
  deps.listModules = () => ltiModuleSummaries(deps);
  deps.progressFor = (learnerId, moduleId) => rosterProgress(deps, learnerId, moduleId);
  deps.onModuleCompleted = [reportModuleCompletion(deps), badgeOnModuleCompletion(deps)];
  return deps;
}
