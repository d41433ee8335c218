/**
 * The Worker's cron triggers (wrangler.toml `[triggers] crons`), here and not in worker.ts: a Worker
 * entry module may export only handlers.
 */

/** Every minute: send the LTI grade outbox (the Node server uses a 10 s timer). */
export const OUTBOX_CRON = "* * * * *";
/** Every 6 hours, as on Node: delete stored questions older than FCE_RETENTION_DAYS. */
export const RETENTION_CRON = "17 */6 * * *";
