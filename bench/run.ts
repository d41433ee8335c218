/**
 * npm run bench -- [--sizes 10000,100000] [--queries 300] [--only retrieval,ask,worker] [--json]
 * Prints tables of figures; with --json the last line is one JSON object of all figures.
 */
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { tempDir } from "../tests/helpers/temp.js";
import { benchAsk } from "./ask.js";
import { benchRetrieval } from "./retrieval.js";
import { benchWorker } from "./worker.js";
import { table, type Row } from "./stats.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10000,100000" },
      only: { type: "string", default: "retrieval,ask" },
      seconds: { type: "string", default: "10" },
      queries: { type: "string", default: "300" },
      qa: { type: "string", default: "../shared/eval/qa-dev.jsonl" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const sizes = values.sizes.split(",").filter(Boolean).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 100) throw new Error(`--sizes takes whole numbers of at least 100 (got ${s})`);
    return n;
  });
  const queries = Number(values.queries);
  if (!Number.isInteger(queries) || queries < 20) throw new Error(`--queries must be a whole number of at least 20`);
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`machine: ${machine}`);
  const tmp = tempDir("fce-bench-");
  const log = (line: string) => console.error(line);
  let qaFile: string | undefined = values.qa;
  try {
    const { existsSync } = await import("node:fs");
    if (!existsSync(qaFile)) qaFile = undefined;
    const only = new Set(values.only.split(","));
    const figures: Record<string, unknown> = { machine };
    if (only.has("retrieval")) {
      const retrieval: Row[] = await benchRetrieval({ corpusDir: "corpus", workDir: tmp.path, sizes, queries, qaFile, log });
      console.log("\nRetrieval (hybrid search, k=5)\n" + table(retrieval));
      figures.retrieval = retrieval;
    }
    if (only.has("ask")) {
      const ask = await benchAsk({ workDir: tmp.path, qaFile, concurrency: [10, 50], seconds: Number(values.seconds), log });
      console.log("\nPOST /api/ask (extractive; load from a second process on loopback)\n" + table(ask));
      figures.ask = ask;
    }
    if (only.has("worker")) {
      const worker = await benchWorker({ workDir: tmp.path, qaFile, concurrency: [10, 50], seconds: Number(values.seconds), log, node: figures.ask as Row[] | undefined });
      console.log("\nPOST /api/ask: the Worker on wrangler dev --local beside the Node server (same index, load from a second process)\n" + table(worker));
      figures.worker = worker;
    }
    if (values.json) console.log(JSON.stringify(figures));
  } finally {
    tmp.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
