/**
 * npm run bench:workshop [-- --participants 300 --spread 20 --json]
 *
 * Workshop mode under a room's load: the Node server in this process (the real runtime on a
 * temporary data folder, bundled corpus and scenarios), a workshop with one authored case opened by
 * the facilitator, and N simulated participants from a second process on loopback (see
 * bench/workshop-client.ts) who join, fetch the case and submit within `--spread` seconds while the
 * facilitator's live stream is open. Prints submit latency (p50/p95/p99), errors, answers stored
 * against answers sent (counted in SQLite afterwards) and the delay from the last submission to the
 * facilitator view showing it. With --json the last line is
 * `{"participants":N,"p50_ms":a,"p95_ms":b,"p99_ms":c,"errors":e,"sent":s,"stored":t,"view_delay_ms":d}`.
 * Targets (2-core machine): p95 < 200 ms, no errors, every answer stored, view current within 1 s.
 */
import { serve } from "@hono/node-server";
import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createNodeRuntime } from "../src/adapters/node/runtime.js";
import { randomSecret } from "../src/db/learners.js";
import { loadEnv } from "../src/env.js";
import { storedAnswerCount, workshopByCode } from "../src/workshop/service.js";
import { tempDir } from "../tests/helpers/temp.js";
import { percentile, table } from "./stats.js";

const CASE = "mill-accreditor-for-sale";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      participants: { type: "string", default: "300" },
      spread: { type: "string", default: "20" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const participants = Number(values.participants);
  const spread = Number(values.spread);
  if (!Number.isInteger(participants) || participants < 1 || participants > 5000) throw new Error("--participants must be a whole number from 1 to 5000");
  if (!(spread >= 1 && spread <= 60)) throw new Error("--spread must be 1 to 60 seconds (everyone answers within it)");
  const log = (line: string) => console.error(line);
  const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
  log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load()}`);

  const tmp = tempDir("fce-bench-ws-");
  const admin = randomSecret(16);
  const env = loadEnv({ FCE_CORPUS_DIR: "corpus", FCE_DATA_DIR: join(tmp.path, "data"), FCE_ADMIN_TOKEN: admin, FCE_LLM_BASE_URL: "", FCE_LLM_MODEL: "", FCE_LTI_OUTBOX_INTERVAL_MS: "0" });
  const runtime = await createNodeRuntime(env, { log: () => {}, refreshIntervalMs: 0 });
  // Time spent in the app per request (to tell server time from queueing on the way).
  const serverMs: Record<string, number[]> = { join: [], fetch: [], submit: [] };
  const timed = async (req: Request): Promise<Response> => {
    const t = performance.now();
    const res = await runtime.app.fetch(req);
    const path = new URL(req.url).pathname;
    const kind = path.endsWith("/join") ? "join" : path.endsWith("/me") ? "fetch" : path.endsWith("/answers") ? "submit" : undefined;
    if (kind) serverMs[kind]!.push(performance.now() - t);
    return res;
  };
  const server = serve({ fetch: timed, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
    const created = await fetch(`${origin}/api/workshops`, { method: "POST", headers, body: JSON.stringify({ title: "Load benchmark", cases: [CASE] }) });
    if (created.status !== 201) throw new Error(`creating the workshop: HTTP ${created.status} ${await created.text()}`);
    const { code } = (await created.json()) as { code: string };
    const opened = await fetch(`${origin}/api/workshops/${code}/open`, { method: "POST", headers, body: JSON.stringify({ position: 0 }) });
    if (!opened.ok) throw new Error(`opening the case: HTTP ${opened.status}`);
    log(`workshop ${code} on ${origin}: ${participants} participants from a second process within ${spread} s ...`);

    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "bench/workshop-client.ts", "--url", origin, "--code", code, "--admin", admin, "--participants", String(participants), "--spread", String(spread)],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      const killer = setTimeout(() => child.kill("SIGTERM"), (spread + 90) * 1000);
      child.on("exit", (code) => {
        clearTimeout(killer);
        if (code === 0) resolve(text);
        else reject(new Error(`workshop client exited with ${code}`));
      });
    });
    const r = JSON.parse(out.trim().split("\n").pop()!) as Record<string, number | string[]>;
    const w = await workshopByCode(runtime.deps, code);
    const stored = await storedAnswerCount(runtime.deps, w.id);
    const row = {
      participants,
      sent: r.sent as number,
      stored,
      errors: r.errors as number,
      "p50 ms": r.p50_ms as number,
      "p95 ms": r.p95_ms as number,
      "p99 ms": r.p99_ms as number,
      "max ms": r.max_ms as number,
      "join p95": r.join_p95_ms as number,
      "fetch p95": r.fetch_p95_ms as number,
      "view delay ms": r.view_delay_ms as number,
      "server p95 (submit)": Math.round(percentile(serverMs.submit!, 95) * 10) / 10,
      "server max": Math.round(Math.max(0, ...serverMs.join!, ...serverMs.fetch!, ...serverMs.submit!)),
      seconds: r.seconds as number,
    };
    console.log("\nWorkshop: join, fetch the case, submit (second process on loopback; facilitator stream open)\n" + table([row]));
    console.log(`load average after the run: ${load()} (other processes competing for the ${cpus().length} cores slow every figure)`);
    if ((r.error_samples as string[]).length) console.log(`errors, first ones: ${(r.error_samples as string[]).join(" | ")}`);
    const misses = [
      row["p95 ms"] < 200 ? "" : `p95 ${row["p95 ms"]} ms >= 200 ms`,
      row.errors === 0 ? "" : `${row.errors} errors`,
      stored === row.sent ? "" : `stored ${stored} of ${row.sent} sent`,
      row["view delay ms"] >= 0 && row["view delay ms"] <= 1000 ? "" : `view delay ${row["view delay ms"]} ms`,
    ].filter(Boolean);
    console.log(misses.length ? `targets missed: ${misses.join("; ")}` : "targets met: p95 < 200 ms, no errors, every answer stored, view current within 1 s");
    if (values.json) {
      console.log(
        JSON.stringify({
          participants,
          p50_ms: row["p50 ms"],
          p95_ms: row["p95 ms"],
          p99_ms: row["p99 ms"],
          errors: row.errors,
          sent: row.sent,
          stored,
          view_delay_ms: row["view delay ms"],
        }),
      );
    }
  } finally {
    await new Promise<void>((resolve) => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    });
    runtime.close();
    tmp.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(`bench:workshop failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
