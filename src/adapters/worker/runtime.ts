/**
 * Wiring of the Workers runtime: the same `createApp(deps)` as on Node, with D1 (drizzle's D1 driver
 * over the same schema and migrations), the index artifact from static assets, a fetch-based chat
 * model when configured, and the session secret from a secret/var or generated once and kept in D1.
 *
 * Built once per isolate (the artifact is fetched and parsed on the first request, then kept in
 * module scope; see worker.ts).
 */
import { drizzle } from "drizzle-orm/d1";
import { buildAppDeps } from "../../app-deps.js";
import { createApp, type AppDeps, type CorpusPort } from "../../app.js";
import { createOpenAiChatModel } from "../../core/answer/index.js";
import { getOrCreateSetting, randomSecret } from "../../db/learners.js";
import * as schema from "../../db/schema/index.js";
import { envSchema, type Env } from "../../env.js";
import { systemClock, type Clock, type Problem } from "../../ports.js";
import { buildPracticeBank, type PracticeBank } from "../../services/practice.js";
import { loadIndexArtifact, type ArtifactSource, type LoadArtifactOptions, type LoadedArtifact } from "./artifact.js";
import type { WorkerEnv } from "./bindings.js";
import { VectorizeVectorSearch } from "./vectorize-index.js";

export interface WorkerRuntime {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  config: Env;
  index: LoadedArtifact;
  practice: PracticeBank;
}

export interface WorkerRuntimeOptions {
  clock?: Clock;
  log?: (line: string) => void;
  /** Where the artifact's files come from (default: the ASSETS binding). */
  artifact?: ArtifactSource;
}

/** The artifact's files through the static-assets binding (the host is never looked up). */
export function assetsSource(env: WorkerEnv): ArtifactSource {
  if (!env.ASSETS) throw new Error("the ASSETS binding is missing: add [assets] with binding = \"ASSETS\" to wrangler.toml");
  return (name) => env.ASSETS.fetch(new Request(`https://index.artifact/${encodeURIComponent(name)}`));
}

/** The app's configuration from the Worker's vars and secrets (string values), validated like on Node. */
export function workerConfig(env: WorkerEnv): Env {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === "string") vars[k] = v;
  const parsed = envSchema.safeParse(vars);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** A query embedder on plain fetch for indexes built with FCE_EMBEDDINGS=openai (same request as on Node). */
function remoteEmbedder(config: Env): ((text: string) => Promise<number[]>) | undefined {
  const { FCE_EMBEDDINGS_BASE_URL: baseUrl, FCE_EMBEDDINGS_MODEL: model, FCE_EMBEDDINGS_API_KEY: apiKey } = config;
  if (!baseUrl || !model) return undefined;
  const url = `${baseUrl.replace(/\/+$/, "")}/embeddings`;
  return async (text) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ model, input: [text] }),
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`embeddings endpoint ${url} answered ${res.status}`);
    const body = (await res.json()) as { data?: Array<{ embedding: number[] }> };
    const v = body.data?.[0]?.embedding;
    if (!Array.isArray(v)) throw new Error(`embeddings endpoint ${url} returned a malformed body`);
    return v;
  };
}

function vectorSearchOption(env: WorkerEnv): LoadArtifactOptions["vectorSearch"] {
  const choice = (typeof env.FCE_VECTOR_SEARCH === "string" ? env.FCE_VECTOR_SEARCH : "").trim() || undefined;
  if (choice === undefined || choice === "hnsw" || choice === "flat") return choice;
  if (choice === "vectorize") {
    const binding = env.VECTORIZE;
    if (!binding) throw new Error("FCE_VECTOR_SEARCH=vectorize needs a [[vectorize]] binding named VECTORIZE");
    return ({ ids, dimensions }) => new VectorizeVectorSearch(binding, ids, dimensions);
  }
  throw new Error(`Invalid configuration:\n  FCE_VECTOR_SEARCH: must be hnsw, flat or vectorize (got ${JSON.stringify(choice)})`);
}

export async function createWorkerRuntime(env: WorkerEnv, options: WorkerRuntimeOptions = {}): Promise<WorkerRuntime> {
  const log = options.log ?? ((line: string) => console.log(line));
  const config = workerConfig(env);
  if (!env.DB) throw new Error("the DB binding is missing: add [[d1_databases]] with binding = \"DB\" to wrangler.toml");
  // drizzle's D1 driver types its client with @cloudflare/workers-types, which this project does not load.
  const db = drizzle(env.DB as never, { schema }) as unknown as AppDeps["db"];

  const started = Date.now();
  const index = await loadIndexArtifact(options.artifact ?? assetsSource(env), {
    vectorSearch: vectorSearchOption(env),
    remoteEmbedder: remoteEmbedder(config),
  });
  const bank = buildPracticeBank(index.scenarioFiles, index.reader);
  const practice: PracticeBank = { ...bank, problems: bank.problems.map((p) => ({ ...p, path: `scenarios/${p.path}` })) };
  const { documents, chunks } = index.reader.stats();
  log(
    `Loaded index generation ${index.generation}: ${documents} documents, ${chunks} passages, vector search ${index.vectorSearch}; ` +
      `${practice.scenarios.length} practice scenarios, ${practice.paths.length} training paths (${Date.now() - started} ms).`,
  );

  const sessionSecret = config.FCE_SESSION_SECRET ?? (await getOrCreateSetting(db, "session_secret", () => randomSecret()));
  const chatModel =
    config.FCE_LLM_BASE_URL && config.FCE_LLM_MODEL
      ? createOpenAiChatModel({ baseUrl: config.FCE_LLM_BASE_URL, model: config.FCE_LLM_MODEL, apiKey: config.FCE_LLM_API_KEY, timeoutMs: config.FCE_LLM_TIMEOUT_MS })
      : undefined;
  const corpus = (): CorpusPort => ({ retriever: index.retriever, reader: index.reader });
  const problems: Problem[] = practice.problems;
  const deps = buildAppDeps(
    { corpus, db, clock: options.clock ?? systemClock, problems: () => problems, practice: () => practice, sessionSecret, chatModel },
    config,
  );

  // The LTI outbox is drained by the Worker's cron trigger (worker.ts `scheduled`) instead of a timer.
  deps.lti = { dynamicRegistration: config.FCE_LTI_DYNAMIC_REGISTRATION === "on" };
  return { app: createApp(deps), deps, config, index, practice };
}
