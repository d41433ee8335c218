/**
 * npm run dev:worker: serves the Worker locally with `wrangler dev --local` on PORT (default 8788),
 * offline: builds the index (when there is none) and the index artifact (when it is missing or older
 * than the live index or the scenarios), and applies the local D1 migrations first.
 *
 * FCE_DATA_DIR, FCE_CORPUS_DIR and FCE_SCENARIOS_DIR are read as by the Node server; the artifact goes
 * to dist/index-artifact (wrangler.toml [assets]); wrangler keeps local D1 under .wrangler/state.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { currentGeneration, ingestCorpus } from "../src/adapters/node/corpus-index.js";
import { openDatabase } from "../src/adapters/node/database.js";
import type { ArtifactManifest } from "../src/adapters/worker/artifact.js";
import { DEFAULT_ARTIFACT_DIR, exportIndexArtifact, formatExportSummary, readScenarioFiles } from "../src/cli/export-index.js";
import { dbPath, loadEnv } from "../src/env.js";
import { applyLocalMigrations, DEFAULT_WORKER_PORT, ROOT, startWranglerDev } from "./worker-local.js";

async function main(): Promise<void> {
  const port = process.env.PORT ? Number(process.env.PORT) : DEFAULT_WORKER_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number (got ${process.env.PORT})`);
  const env = loadEnv({ ...process.env, PORT: String(port) });
  const artifactDir = join(ROOT, DEFAULT_ARTIFACT_DIR);

  const db = openDatabase(dbPath(env));
  try {
    if (!currentGeneration(db)) {
      console.log(`No index yet: indexing ${env.FCE_CORPUS_DIR} ...`);
      const embedding = env.FCE_EMBEDDINGS === "openai" ? { kind: "openai" as const, baseUrl: env.FCE_EMBEDDINGS_BASE_URL!, model: env.FCE_EMBEDDINGS_MODEL!, apiKey: env.FCE_EMBEDDINGS_API_KEY } : { kind: env.FCE_EMBEDDINGS };
      const s = await ingestCorpus({ corpusDir: env.FCE_CORPUS_DIR, dataDir: env.FCE_DATA_DIR, db, embedding });
      console.log(`Indexed ${s.documents} documents, ${s.chunks} chunks in ${s.seconds.toFixed(1)} s.`);
    }
    const manifestPath = join(artifactDir, "manifest.json");
    const manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, "utf8")) as ArtifactManifest) : undefined;
    const scenarios = JSON.stringify(await readScenarioFiles(env.FCE_SCENARIOS_DIR));
    const current =
      manifest !== undefined &&
      manifest.generation === currentGeneration(db) &&
      existsSync(join(artifactDir, manifest.files.scenarios)) &&
      readFileSync(join(artifactDir, manifest.files.scenarios), "utf8") === scenarios;
    if (current) console.log(`Index artifact ${DEFAULT_ARTIFACT_DIR} is up to date (generation ${manifest.generation}).`);
    else console.log(formatExportSummary(await exportIndexArtifact({ db, dataDir: env.FCE_DATA_DIR, outDir: artifactDir, scenariosDir: env.FCE_SCENARIOS_DIR })));
  } finally {
    db.$client.close();
  }

  await applyLocalMigrations({ log: (line) => console.log(line) });
  const dev = await startWranglerDev({ port, inherit: true, testScheduled: true, readyTimeoutMs: 120_000 });
  console.log(`FCE Coach (Worker, wrangler dev --local) on http://localhost:${port} (GET /__scheduled runs the cron: the LTI grade outbox)`);
  const stop = () => void dev.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await new Promise<void>((resolve) => dev.child.once("exit", () => resolve()));
}

main().catch((e: unknown) => {
  console.error(`dev:worker failed: ${(e as Error).message}`);
  process.exit(1);
});
