/**
 * The Worker on `wrangler dev --local` (workerd and a local D1 in a temp folder, offline): the shared
 * HTTP contract, parity with the Node runtime over the same index generation, and an attempt read
 * back from local D1 itself. FCE_DEBUG_WRANGLER=1 prints wrangler's log at the end.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyLocalMigrations, isolatedWranglerConfig, queryLocalD1, ROOT, startWranglerDev, type WranglerDev } from "../../scripts/worker-local.js";
import { OUTBOX_CRON, RETENTION_CRON } from "../../src/adapters/worker/schedule.js";
import { exportIndexArtifact } from "../../src/cli/export-index.js";
import { call, defineHttpContract, type FetchLike } from "../contract/http-contract.js";
import { defineParityTests } from "../contract/parity.js";
import { testRuntime } from "../helpers/runtime.js";
import { tempDir } from "../helpers/temp.js";

const ADMIN = "worker-admin-token";
/** The parity check asks every dev question on both runtimes within a minute: no per-client limit here. */
const NO_RATE_LIMITS = { FCE_RATE_LIMIT_ASK_PER_MINUTE: "0", FCE_RATE_LIMIT_ATTEMPTS_PER_MINUTE: "0" };
let rt: Awaited<ReturnType<typeof testRuntime>>;
let dev: WranglerDev;
let tmp: ReturnType<typeof tempDir>;
let persistTo: string;
/** wrangler.toml copied into the temp folder: wrangler's scratch files stay there, not in the work tree. */
let config: string;

const workerFetch: FetchLike = (path, init) => fetch(`${dev.url}${path}`, init);
const nodeFetch: FetchLike = async (path, init) => rt.app.request(path, init);

beforeAll(async () => {
  tmp = tempDir("fce-worker-");
  persistTo = join(tmp.path, "state");
  config = isolatedWranglerConfig(tmp.path);
  // One index generation for both runtimes: the Node runtime's, exported as the Worker's artifact.
  const artifact = join(tmp.path, "artifact");
  await Promise.all([
    (async () => {
      rt = await testRuntime({ env: { FCE_ADMIN_TOKEN: ADMIN, ...NO_RATE_LIMITS } });
      await exportIndexArtifact({ db: rt.db, dataDir: rt.dataDir, outDir: artifact, scenariosDir: "scenarios" });
    })(),
    applyLocalMigrations({ persistTo, config }),
  ]);
  dev = await startWranglerDev({ persistTo, config, assets: artifact, vars: { FCE_ADMIN_TOKEN: ADMIN, ...NO_RATE_LIMITS }, testScheduled: true });
}, 150_000);

afterAll(async () => {
  await dev?.stop();
  if (process.env.FCE_DEBUG_WRANGLER) console.log(dev?.output());
  rt?.cleanup();
  tmp?.cleanup();
});

defineHttpContract("the Worker (wrangler dev --local)", () => ({ fetch: workerFetch, adminToken: ADMIN }));

defineParityTests(["Node", "Worker"], () => ({ a: nodeFetch, b: workerFetch }));

describe("the Worker's storage is local D1", () => {
  it("an attempt is a row of D1's attempts table (read with wrangler d1 execute), with the score the API reports", async () => {
    const session = await call(workerFetch, "POST", "/api/session", { displayName: "D1 Trainee" });
    const auth = { authorization: `Bearer ${session.body.token}` };
    const id = (await call(workerFetch, "GET", "/api/scenarios?type=mill")).body[0].id as string;
    const result = await call(workerFetch, "POST", `/api/scenarios/${encodeURIComponent(id)}/attempts`, { answer: { verdict: "legitimate", flags: [] } }, auth);
    expect(result.status).toBe(200);
    const attemptId = result.body.attemptId as string;
    expect(attemptId).toMatch(/^[\w-]+$/);
    const progress = await call(workerFetch, "GET", `/api/learners/${session.body.learner.id}/progress`, undefined, auth);
    expect(progress.body.history[0]).toMatchObject({ attemptId, score: result.body.score });
    // One wrangler call: the attempt's row, and the session secret generated once and kept in D1.
    const rows = await queryLocalD1(
      `SELECT id, learner_id, scenario_id, score, (SELECT count(*) FROM app_settings WHERE key = 'session_secret') AS secrets FROM attempts WHERE id = '${attemptId}'`,
      { persistTo, config },
    );
    expect(rows).toEqual([{ id: attemptId, learner_id: session.body.learner.id, scenario_id: id, score: result.body.score, secrets: 1 }]);
  });

  it("the cron handlers run on D1: the LTI grade outbox every minute, the retention purge every 6 hours", async () => {
    for (const cron of [OUTBOX_CRON, RETENTION_CRON]) {
      const res = await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent(cron)}`);
      expect(res.status, cron).toBe(200);
      expect(await res.text()).toMatch(/Ran scheduled event/);
    }
    expect(dev.output()).not.toMatch(/Scheduled run .* failed/);
    expect(readFileSync(join(ROOT, "wrangler.toml"), "utf8")).toContain(`crons = [${JSON.stringify(OUTBOX_CRON)}, ${JSON.stringify(RETENTION_CRON)}]`);
  });
});
