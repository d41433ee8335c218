/** Wiring of the Node runtime from the validated environment: database, index, app. */
import { createApp, type AppDeps, type CorpusPort } from "../../app.js";
import { dbPath, type Env } from "../../env.js";
import { systemClock, type Clock, type Problem } from "../../ports.js";
import { currentGeneration, ingestCorpus, loadCorpusIndex, type EmbeddingConfig, type IngestProgress, type LoadedCorpusIndex } from "./corpus-index.js";
import { getOrCreateSetting, randomSecret } from "../../db/learners.js";
import { openDatabase, type NodeDatabase } from "./database.js";

export function embeddingConfig(env: Env): EmbeddingConfig {
  if (env.FCE_EMBEDDINGS === "openai") {
    return { kind: "openai", baseUrl: env.FCE_EMBEDDINGS_BASE_URL!, model: env.FCE_EMBEDDINGS_MODEL!, apiKey: env.FCE_EMBEDDINGS_API_KEY };
  }
  return { kind: env.FCE_EMBEDDINGS };
}

export interface NodeRuntime {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  db: NodeDatabase;
  index: () => LoadedCorpusIndex;
  /** Reloads the index when another process (npm run ingest) switched the live generation. */
  refresh: () => Promise<boolean>;
  close: () => void;
}

export interface NodeRuntimeOptions {
  clock?: Clock;
  onIngestProgress?: (p: IngestProgress) => void;
  log?: (line: string) => void;
  /** How often (ms) to check for a new index generation; 0 disables the check. */
  refreshIntervalMs?: number;
}

export async function createNodeRuntime(env: Env, options: NodeRuntimeOptions = {}): Promise<NodeRuntime> {
  const log = options.log ?? ((line: string) => console.log(line));
  const db = openDatabase(dbPath(env));
  const embedding = embeddingConfig(env);
  const problems: Problem[] = [];

  if (!currentGeneration(db)) {
    log(`No index yet: indexing ${env.FCE_CORPUS_DIR} ...`);
    const summary = await ingestCorpus({ corpusDir: env.FCE_CORPUS_DIR, dataDir: env.FCE_DATA_DIR, db, embedding, onProgress: options.onIngestProgress });
    for (const p of summary.problems) log(`skipped ${p.path}${p.field ? ` (${p.field})` : ""}: ${p.message}`);
    problems.push(...summary.problems);
    log(`Indexed ${summary.documents} documents, ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s.`);
  }
  let index = await loadCorpusIndex({ db, dataDir: env.FCE_DATA_DIR, embedding });

  let reloading: Promise<boolean> | undefined;
  const refresh = () => {
    reloading ??= (async () => {
      try {
        const live = currentGeneration(db);
        if (!live || live === index.generation) return false;
        index = await loadCorpusIndex({ db, dataDir: env.FCE_DATA_DIR, embedding });
        log(`Loaded index generation ${index.generation}.`);
        return true;
      } catch (e) {
        log(`Index reload failed, keeping generation ${index.generation}: ${(e as Error).message}`);
        return false;
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };
  const interval = options.refreshIntervalMs ?? 5000;
  const timer = interval > 0 ? setInterval(() => void refresh(), interval) : undefined;
  timer?.unref();

  const sessionSecret = env.FCE_SESSION_SECRET ?? (await getOrCreateSetting(db as unknown as AppDeps["db"], "session_secret", () => randomSecret()));
  const corpus = (): CorpusPort => ({ retriever: index.retriever, reader: index.reader });
  const deps: AppDeps = {
    corpus,
    db: db as unknown as AppDeps["db"],
    clock: options.clock ?? systemClock,
    problems: () => problems,
    publicUrl: env.FCE_PUBLIC_URL,
    adminToken: env.FCE_ADMIN_TOKEN,
    sessionSecret,
    llmTimeoutMs: env.FCE_LLM_TIMEOUT_MS,
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    db,
    index: () => index,
    refresh,
    close: () => {
      if (timer) clearInterval(timer);
      db.$client.close();
    },
  };
}
