/**
 * The Cloudflare Workers entry (wrangler.toml `main`): the same Hono app as the Node server, built by
 * createWorkerRuntime once per isolate and kept in module scope. A failed start (missing binding, bad
 * configuration, no index artifact) answers 503 with the reason and is retried on the next request.
 *
 * `scheduled` (cron triggers, wrangler.toml) does what the Node server does with timers: every minute
 * it drains the LTI grade outbox; on RETENTION_CRON it deletes stored questions older than
 * FCE_RETENTION_DAYS.
 * Locally: `wrangler dev --test-scheduled`, then GET /__scheduled (wrangler's /cdn-cgi/handler/scheduled
 * answers "exception" without calling the Worker when [assets] is configured, as of wrangler 4.86).
 */
import { drainOutbox } from "../../channels/lti/index.js";
import { purgeExpiredQuestions } from "../../services/privacy.js";
import { RETENTION_CRON } from "./schedule.js";
import type { ExecutionContextLike, ScheduledControllerLike, WorkerEnv } from "./bindings.js";
import { createWorkerRuntime, type WorkerRuntime } from "./runtime.js";

let runtime: Promise<WorkerRuntime> | undefined;

function runtimeFor(env: WorkerEnv): Promise<WorkerRuntime> {
  if (!runtime) {
    runtime = createWorkerRuntime(env);
    runtime.catch(() => {
      runtime = undefined;
    });
  }
  return runtime;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
    let rt: WorkerRuntime;
    try {
      rt = await runtimeFor(env);
    } catch (e) {
      const message = (e as Error).message;
      console.error(`FCE Coach could not start on this Worker: ${message}`);
      return Response.json({ status: "unavailable", error: `The service could not start: ${message}` }, { status: 503 });
    }
    return rt.app.fetch(request, env, ctx as never);
  },

  async scheduled(controller: ScheduledControllerLike, env: WorkerEnv): Promise<void> {
    try {
      const rt = await runtimeFor(env);
      if (controller.cron === RETENTION_CRON) {
        const n = await purgeExpiredQuestions(rt.deps, rt.config.FCE_RETENTION_DAYS);
        if (n.answers || n.conversations) console.log(`Purged ${n.answers} stored questions older than ${rt.config.FCE_RETENTION_DAYS} days.`);
        return;
      }
      const s = await drainOutbox(rt.deps, new Date(controller.scheduledTime));
      if (s.attempted) console.log(`LTI outbox: ${s.delivered} delivered, ${s.retried} to retry, ${s.failed} failed`);
    } catch (e) {
      console.error(`Scheduled run (${controller.cron}) failed: ${(e as Error).stack ?? (e as Error).message}`);
      throw e;
    }
  },
};
