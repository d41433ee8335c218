/** Wiring of the Node runtime from the validated environment: database, index, app. */
import { buildAppDeps } from "../../app-deps.js";
import { createApp, type AppDeps, type CorpusPort } from "../../app.js";
import { dbPath, type Env } from "../../env.js";
import { systemClock, type Clock, type Problem } from "../../ports.js";
import { currentGeneration, ingestCorpus, loadCorpusIndex, type EmbeddingConfig, type IngestProgress, type LoadedCorpusIndex } from "./corpus-index.js";
import { getOrCreateSetting, randomSecret } from "../../db/learners.js";
import { chatModelFromConfig } from "../../llm/langchain-chat.js";
import { purgeExpiredQuestions } from "../../services/privacy.js";
import { openDatabase, type NodeDatabase } from "./database.js";
import type { SlackChannel, SlackChannelOptions } from "../../channels/slack/index.js";
import { installLtiCoreShim } from "../../channels/lti/node/esm-shim.js";
import { startOutboxWorker } from "../../channels/lti/node/outbox-worker.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { CorpusReader } from "../../ports.js";
import { formatProblem, type BankFile } from "../../core/practice/index.js";
import { buildPracticeBank, EMPTY_BANK, type PracticeBank } from "../../services/practice.js";

/** The YAML files under the scenarios folder, paths relative to it (with `/`); undefined when the folder is missing. */
function readScenarioFiles(dir: string): BankFile[] | undefined {
  const out: BankFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(name)) out.push({ path: relative(dir, full).split(sep).join("/"), text: readFileSync(full, "utf8") });
    }
  };
  try {
    if (!statSync(dir).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  walk(dir);
  return out;
}

/**
 * Loads the practice bank from the scenarios folder against the live index. A broken file is
 * skipped; its message is logged (as `npm run scenarios:check` prints it) and kept in `problems`.
 */
export function loadPracticeBank(dir: string, reader: CorpusReader, log: (line: string) => void): PracticeBank {
  let files: BankFile[] | undefined;
  try {
    files = readScenarioFiles(dir);
  } catch (e) {
    const problem = { path: dir, message: `cannot read the scenarios folder: ${(e as Error).message}` };
    log(formatProblem(problem));
    return { ...EMPTY_BANK, problems: [problem] };
  }
  if (!files) {
    const problem = { path: dir, message: "scenarios folder not found: practice has no cases" };
    log(formatProblem(problem));
    return { ...EMPTY_BANK, problems: [problem] };
  }
  const bank = buildPracticeBank(files, reader);
  const problems = bank.problems.map((p) => ({ ...p, path: join(dir, p.path) }));
  for (const p of problems) log(formatProblem(p));
  log(`Loaded ${bank.scenarios.length} practice scenarios and ${bank.paths.length} training paths${problems.length ? ` (${problems.length} problems)` : ""}.`);
  return { ...bank, problems };
}

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
  /** The Slack channel when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set (start it after listening). */
  slack?: SlackChannel;
  close: () => void;
}

export interface NodeRuntimeOptions {
  clock?: Clock;
  onIngestProgress?: (p: IngestProgress) => void;
  log?: (line: string) => void;
  /** How often (ms) to check for a new index generation; 0 disables the check. */
  refreshIntervalMs?: number;
  /** Slack Web API client options (tests point `slackApiUrl` at a fake Slack). */
  slackClientOptions?: SlackChannelOptions["clientOptions"];
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
  let practice = loadPracticeBank(env.FCE_SCENARIOS_DIR, index.reader, log);

  let reloading: Promise<boolean> | undefined;
  const refresh = () => {
    reloading ??= (async () => {
      try {
        const live = currentGeneration(db);
        if (!live || live === index.generation) return false;
        index = await loadCorpusIndex({ db, dataDir: env.FCE_DATA_DIR, embedding });
        log(`Loaded index generation ${index.generation}.`);
        // Chunk ids change with the index: resolve the scenarios' sources again.
        practice = loadPracticeBank(env.FCE_SCENARIOS_DIR, index.reader, log);
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
  const deps = buildAppDeps(
    {
      corpus,
      db: db as unknown as AppDeps["db"],
      clock: options.clock ?? systemClock,
      problems: () => [...problems, ...practice.problems],
      practice: () => practice,
      sessionSecret,
      chatModel: chatModelFromConfig({ baseUrl: env.FCE_LLM_BASE_URL, model: env.FCE_LLM_MODEL, apiKey: env.FCE_LLM_API_KEY, timeoutMs: env.FCE_LLM_TIMEOUT_MS }),
    },
    env,
  );

  // LTI on Node: the library's import shim, the registration switch, the outbox timer.
  installLtiCoreShim();
  deps.lti = { ...deps.lti, dynamicRegistration: env.FCE_LTI_DYNAMIC_REGISTRATION === "on" };
  const stopLtiOutbox = startOutboxWorker(deps, env.FCE_LTI_OUTBOX_INTERVAL_MS, log);
  // Slack: Bolt in this process when its secrets are set; Socket Mode when SLACK_APP_TOKEN is set too.
  let slack: SlackChannel | undefined;
  if (env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN) {
    const { createSlackChannel } = await import("../../channels/slack/index.js");
    slack = createSlackChannel(deps, {
      signingSecret: env.SLACK_SIGNING_SECRET,
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      publicUrl: env.FCE_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      clientOptions: options.slackClientOptions,
    });
    if (slack.mode === "http") deps.slack = slack;
  }
  const app = createApp(deps);

  // Retention: stored questions older than FCE_RETENTION_DAYS are deleted, at start and every 6 hours.
  const purge = () =>
    purgeExpiredQuestions(deps, env.FCE_RETENTION_DAYS)
      .then((n) => {
        if (n.answers || n.conversations) log(`Purged ${n.answers} stored questions older than ${env.FCE_RETENTION_DAYS} days.`);
      })
      .catch((e: unknown) => log(`Purge failed: ${(e as Error).message}`));
  void purge();
  const purgeTimer = setInterval(() => void purge(), 6 * 3_600_000);
  purgeTimer.unref();

  return {
    app,
    deps,
    db,
    slack,
    index: () => index,
    refresh,
    close: () => {
      clearInterval(purgeTimer);
      stopLtiOutbox();
      if (timer) clearInterval(timer);
      db.$client.close();
    },
  };
}
