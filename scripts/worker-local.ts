/**
 * Running the Worker locally and offline with wrangler (workerd, local D1): used by `npm run
 * dev:worker`, the Worker tests and the Worker bench. Nothing here needs a Cloudflare account or the
 * network: metrics, error reports and the `Request.cf` download are switched off.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const WRANGLER_BIN = resolve(ROOT, "node_modules/wrangler/bin/wrangler.js");
export const DEFAULT_WORKER_PORT = 8788;

/** The environment for wrangler: no telemetry, no `Request.cf` fetch, no Cloudflare credentials. */
export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^CLOUDFLARE_/.test(k) && !/^WRANGLER_/.test(k)) env[k] = v;
  return {
    ...env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    // miniflare otherwise downloads a sample `Request.cf` object from workers.cloudflare.com.
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...extra,
  };
}

/**
 * A copy of wrangler.toml in `dir` with its paths made absolute, for tests and benchmarks: wrangler
 * keeps its scratch files (`.wrangler/tmp`) beside the config file, so they stay in `dir` instead of
 * the work tree. Everything else (bindings, assets, D1, crons) is the committed configuration.
 */
export function isolatedWranglerConfig(dir: string): string {
  const abs = (key: string, text: string) =>
    text.replace(new RegExp(`^(${key}\\s*=\\s*)"([^"]+)"`, "m"), (_m, head: string, path: string) => `${head}${JSON.stringify(resolve(ROOT, path))}`);
  let toml = readFileSync(resolve(ROOT, "wrangler.toml"), "utf8");
  for (const key of ["main", "directory", "migrations_dir"]) toml = abs(key, toml);
  const file = resolve(dir, "wrangler.toml");
  writeFileSync(file, toml);
  return file;
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

function run(args: string[], options: { env?: Record<string, string>; log?: (line: string) => void; timeoutMs?: number }): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], { cwd: ROOT, env: wranglerEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(out);
      else reject(new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (${signal ?? `exit ${code}`}):\n${out}`));
    });
  });
}

export interface LocalD1Options {
  /** wrangler's local state folder (default .wrangler/state). */
  persistTo?: string;
  /** wrangler config file (default wrangler.toml). */
  config?: string;
  log?: (line: string) => void;
}

/** Applies the committed drizzle/ migrations to the local D1 database (those not applied yet). */
export async function applyLocalMigrations(options: LocalD1Options = {}): Promise<string> {
  const args = ["d1", "migrations", "apply", "DB", "--local"];
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  if (options.config) args.push("--config", options.config);
  const out = await run(args, { env: { CI: "true" } });
  options.log?.(out.includes("No migrations to apply") ? "local D1: migrations up to date" : "local D1: migrations applied");
  return out;
}

/** Runs SQL on the local D1 database and returns the rows of the last statement. */
export async function queryLocalD1(sql: string, options: LocalD1Options = {}): Promise<Array<Record<string, unknown>>> {
  const args = ["d1", "execute", "DB", "--local", "--json", "--command", sql];
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  if (options.config) args.push("--config", options.config);
  const out = await run(args, {});
  const start = out.indexOf("[");
  const parsed = JSON.parse(out.slice(start)) as Array<{ results: Array<Record<string, unknown>> }>;
  return parsed[parsed.length - 1]?.results ?? [];
}

export interface WranglerDev {
  url: string;
  port: number;
  child: ChildProcess;
  /** What wrangler printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface WranglerDevOptions extends LocalD1Options {
  port?: number;
  /** The index artifact folder (overrides [assets] directory). */
  assets?: string;
  /** Vars and secrets for the Worker (`--var NAME:VALUE`). */
  vars?: Record<string, string>;
  /** How long to wait for GET /healthz to answer 200 (default 60 s). */
  readyTimeoutMs?: number;
  /** Pass wrangler's output through to this process (dev:worker) instead of capturing it. */
  inherit?: boolean;
  /** `--test-scheduled`: GET /__scheduled runs the cron handler (the LTI outbox). */
  testScheduled?: boolean;
}

/**
 * Starts `wrangler dev --local` in its own process group and waits until GET /healthz answers 200
 * (the first request also loads the index artifact). Throws with wrangler's output when it exits or
 * does not become ready in time.
 */
export async function startWranglerDev(options: WranglerDevOptions = {}): Promise<WranglerDev> {
  const port = options.port ?? (await freePort());
  const args = ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", "--inspector-port", String(await freePort())];
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  if (options.config) args.push("--config", options.config);
  if (options.assets) args.push("--assets", options.assets);
  if (options.testScheduled) args.push("--test-scheduled");
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push("--var", `${k}:${v}`);
  const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
    cwd: ROOT,
    env: wranglerEnv(),
    detached: true,
    stdio: options.inherit ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  let exited: string | undefined;
  child.on("exit", (code, signal) => (exited = signal ?? `exit ${code}`));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((r) => child.once("exit", () => r()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`wrangler dev exited (${exited}) before it was ready:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      if (res.status === 200) break;
      if (res.status === 503) {
        await stop();
        throw new Error(`the Worker could not start: ${body}\n${out}`);
      }
    } catch (e) {
      if ((e as Error).message.startsWith("the Worker could not start")) throw e;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer GET /healthz within ${options.readyTimeoutMs ?? 60_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, child, output: () => out, stop };
}
