/** What the Slack listeners share: the app's deps, links, logging, event dedupe and learner lookup. */
import type { webApi } from "@slack/bolt";
import type { AppDeps } from "../../app.js";
import { findOrCreateLearner, type Learner } from "../../db/learners.js";
import { SeenEvents } from "./dedupe.js";

export type WebClient = webApi.WebClient;
export type SlackLog = (level: "info" | "warn" | "error", message: string, error?: unknown) => void;

export interface SlackContext {
  deps: AppDeps;
  /** Base URL of the web app, for absolute links to the source viewer. */
  publicUrl: string;
  log: SlackLog;
  seen: SeenEvents;
  /** The learner record of a Slack user (one per team and user id), created on first sight. */
  learner(client: WebClient, teamId: string, userId: string, nameHint?: string): Promise<Learner>;
}

export const APOLOGY =
  ":warning: Sorry, something went wrong on my side and I could not finish that. The cause has been logged for the administrators; please try again in a few minutes.";

export function defaultLog(now: () => Date): SlackLog {
  return (level, message, error) => {
    const line = `[${now().toISOString()}] slack ${level}: ${message}`;
    if (level === "info") console.log(line);
    else if (error !== undefined) console.error(line, error);
    else console.error(line);
  };
}

export function createSlackContext(deps: AppDeps, publicUrl: string, log: SlackLog): SlackContext {
  const names = new Map<string, string>();
  return {
    deps,
    publicUrl,
    log,
    seen: new SeenEvents(),
    async learner(client, teamId, userId, nameHint) {
      let name = nameHint ?? names.get(`${teamId}:${userId}`);
      if (!name) {
        try {
          const info = await client.users.info({ user: userId });
          name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || undefined;
        } catch (e) {
          log("warn", `users.info for ${userId} failed (${(e as Error).message}); using the user id as the learner's name`);
        }
        name ??= userId;
        names.set(`${teamId}:${userId}`, name);
      }
      return findOrCreateLearner(deps.db, "slack", `${teamId}:${userId}`, name, deps.clock.now());
    },
  };
}

/** The Slack Web API error code (`not_in_channel`, ...) of a failed call, if it is one. */
export function slackErrorCode(e: unknown): string | undefined {
  const data = (e as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

/**
 * Runs a listener's work; on an error, logs the cause and tells the user with `apologize`
 * (whose own failure is logged too). Never throws: the process keeps serving.
 */
export async function safely(ctx: SlackContext, what: string, work: () => Promise<void>, apologize: (message: string) => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (e) {
    ctx.log("error", `${what} failed`, e);
    try {
      await apologize(APOLOGY);
    } catch (e2) {
      ctx.log("error", `could not send the apology for ${what}`, e2);
    }
  }
}

/** Slack message text to plain text: mentions removed, links to their labels, entities decoded. */
export function cleanSlackText(t: string): string {
  return t
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/gi, " ")
    .replace(/<#[A-Z0-9]+\|([^>]*)>/gi, "#$1")
    .replace(/<![^>]*>/g, " ")
    .replace(/<((?:https?|mailto):[^>|]+)\|([^>]+)>/g, "$2")
    .replace(/<((?:https?|mailto):[^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The team of an interaction payload (`team.id`, or the user's team). */
export function teamOf(body: { team?: { id?: string } | null; team_id?: string; user?: { team_id?: string } }): string {
  return body.team?.id ?? body.team_id ?? body.user?.team_id ?? "T_UNKNOWN";
}
