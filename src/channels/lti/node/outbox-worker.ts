/** Node: sends the AGS outbox on an interval (a Worker would call drainOutbox from a cron trigger). */
import { drainOutbox } from "../ags.js";
import type { LtiDeps } from "../service.js";

/** Starts the worker; returns a stop function. `intervalMs` 0 disables it. */
export function startOutboxWorker(deps: LtiDeps, intervalMs: number, log: (line: string) => void = console.log): () => void {
  if (!(intervalMs > 0)) return () => {};
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const s = await drainOutbox(deps, deps.clock.now());
      if (s.attempted) log(`LTI outbox: ${s.delivered} delivered, ${s.retried} to retry, ${s.failed} failed`);
    } catch (e) {
      if (!stopped) log(`LTI outbox drain failed: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
