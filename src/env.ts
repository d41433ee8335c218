import { z } from "zod";

/**
 * All configuration, validated in one place. Every variable is optional: the defaults run the app on
 * one machine with the bundled corpus, a SQLite file and an on-disk index.
 */
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional());
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().default("0.0.0.0"),
  /** Base URL users reach the app at (links in Slack and LTI); defaults to http://localhost:PORT. */
  FCE_PUBLIC_URL: optionalUrl,
  FCE_CORPUS_DIR: z.string().default("corpus"),
  /** Practice scenarios (`<id>.yaml`) and training paths (`paths/*.yaml`). */
  FCE_SCENARIOS_DIR: z.string().default("scenarios"),
  FCE_DATA_DIR: z.string().default("data"),
  /** SQLite file; defaults to `${FCE_DATA_DIR}/fce.db`. */
  FCE_DB_PATH: optionalString,
  FCE_EMBEDDINGS: z.enum(["lsa", "hashed", "combined", "openai"]).default("lsa"),
  FCE_EMBEDDINGS_BASE_URL: optionalUrl,
  FCE_EMBEDDINGS_MODEL: optionalString,
  FCE_EMBEDDINGS_API_KEY: optionalString,
  FCE_LLM_BASE_URL: optionalUrl,
  FCE_LLM_MODEL: optionalString,
  FCE_LLM_API_KEY: optionalString,
  FCE_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  FCE_ADMIN_TOKEN: optionalString,
  /** Micro-credential issuer name shown in the badges (default "FCE Coach"). */
  FCE_ISSUER_NAME: optionalString,
  /** Micro-credential issuer home page (default FCE_PUBLIC_URL). */
  FCE_ISSUER_URL: optionalUrl,
  /** Questions per identity (signed-in learner, else client address) per minute; 0 = no limit. */
  FCE_RATE_LIMIT_ASK_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /** Practice attempts per identity per minute; 0 = no limit. */
  FCE_RATE_LIMIT_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** "on" trusts X-Forwarded-For for the client address (only behind your own proxy). */
  FCE_TRUST_PROXY: z.enum(["on", "off"]).default("off"),
  /** Extra origins allowed to frame the pages (comma-separated), beside the registered LMS platforms. */
  FCE_FRAME_ANCESTORS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().url("must be a list of origins such as https://lms.example.ac.jp"))),
  /** Days stored questions are kept before the purge job deletes them. */
  FCE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Signs session tokens; generated and kept in the database when unset. */
  FCE_SESSION_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(32, "must be at least 32 characters").optional()),
  /** How often (ms) the LTI grade outbox is sent; 0 turns the worker off (e.g. when a cron drains it). */
  FCE_LTI_OUTBOX_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** "off" refuses LTI dynamic registration at /lti/register (platforms are then added with npm run lti:add-platform). */
  FCE_LTI_DYNAMIC_REGISTRATION: z.enum(["on", "off"]).default("on"),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; on a bad value, throws an error naming each variable and the problem. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  if (env.FCE_EMBEDDINGS === "openai" && (!env.FCE_EMBEDDINGS_BASE_URL || !env.FCE_EMBEDDINGS_MODEL)) {
    throw new Error("Invalid configuration:\n  FCE_EMBEDDINGS=openai needs FCE_EMBEDDINGS_BASE_URL and FCE_EMBEDDINGS_MODEL");
  }
  return env;
}

export function dbPath(env: Env): string {
  return env.FCE_DB_PATH ?? `${env.FCE_DATA_DIR}/fce.db`;
}
