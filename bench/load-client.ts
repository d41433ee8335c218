/**
 * A load generator run as a separate process (so it does not share the server's event loop):
 * `tsx bench/load-client.ts URL --concurrency 50 --seconds 10 --bodies FILE` posts JSON bodies
 * (one per line of FILE, round robin) and prints one JSON line of figures.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { percentile } from "./stats.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: "string", default: "50" }, seconds: { type: "string", default: "10" }, bodies: { type: "string" } },
});
const url = positionals[0];
if (!url || !values.bodies) throw new Error("usage: load-client URL --bodies FILE [--concurrency N] [--seconds S]");
const bodies = readFileSync(values.bodies, "utf8").split("\n").filter(Boolean);
const concurrency = Number(values.concurrency);
const until = Date.now() + Number(values.seconds) * 1000;
const latencies: number[] = [];
let errors = 0;
let next = 0;

async function worker(): Promise<void> {
  while (Date.now() < until) {
    const body = bodies[next++ % bodies.length]!;
    const t = performance.now();
    try {
      const res = await fetch(url!, { method: "POST", headers: { "content-type": "application/json" }, body });
      await res.arrayBuffer();
      if (!res.ok) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / seconds),
    p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p95_ms: Math.round(percentile(latencies, 95) * 10) / 10,
    p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
  }),
);
