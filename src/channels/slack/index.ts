/**
 * The Slack channel: a Bolt app sharing the server process and the deps of the Hono app.
 *
 * - HTTP mode: `handle(req)` is mounted on `POST /slack/events` (see `createApp`'s `slack` dep); the
 *   Hono receiver verifies the signature, acks within 3 s and lets the listeners work after the ack.
 * - Socket Mode (`appToken` given): Bolt's Socket Mode receiver connects out to Slack; no public URL.
 *
 * See README.md in this folder for the Slack app setup.
 */
import { App, LogLevel, type Logger, type webApi } from "@slack/bolt";
import type { AppDeps } from "../../app.js";
import { registerAsk } from "./ask.js";
import { registerCommands } from "./commands.js";
import { createSlackContext, defaultLog, type SlackContext, type SlackLog } from "./context.js";
import { registerPractice } from "./practice.js";
import { HonoReceiver } from "./receiver.js";

export interface SlackChannelOptions {
  signingSecret: string;
  botToken: string;
  /** An app-level token (`xapp-...`, scope connections:write): Socket Mode instead of HTTP. */
  appToken?: string;
  /** Base URL of the web app, for absolute links to the source viewer. */
  publicUrl: string;
  /** Web API client options (tests point `slackApiUrl` at a fake Slack). */
  clientOptions?: webApi.WebClientOptions;
  log?: SlackLog;
  /** Clock for the signature's timestamp check (epoch ms). */
  now?: () => number;
}

export interface SlackChannel {
  mode: "http" | "socket";
  /** The handler of `POST /slack/events` (HTTP mode; in Socket Mode it answers 404). */
  handle(req: Request): Promise<Response>;
  /** Checks the bot token (auth.test) and, in Socket Mode, connects. Logs and resolves on failure. */
  start(): Promise<boolean>;
  stop(): Promise<void>;
  /** Resolves when the events received so far are fully processed (HTTP mode). */
  drain(): Promise<void>;
  readonly bolt: App;
  readonly context: SlackContext;
}

function boltLogger(log: SlackLog): Logger {
  let level = LogLevel.WARN;
  let name = "bolt";
  const line = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : typeof a === "string" ? a : JSON.stringify(a))).join(" ");
  return {
    debug: () => {},
    info: (...args: unknown[]) => {
      if (level === LogLevel.INFO || level === LogLevel.DEBUG) log("info", `${name}: ${line(args)}`);
    },
    warn: (...args: unknown[]) => log("warn", `${name}: ${line(args)}`),
    error: (...args: unknown[]) => log("error", `${name}: ${line(args)}`, args.find((a) => a instanceof Error)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}

export function createSlackChannel(deps: AppDeps, options: SlackChannelOptions): SlackChannel {
  const log = options.log ?? defaultLog(() => deps.clock.now());
  const ctx = createSlackContext(deps, options.publicUrl, log);
  const socket = Boolean(options.appToken);
  const logger = boltLogger(log);

  let ready: Promise<void> | undefined;
  const ensureReady = (): Promise<void> => {
    ready ??= app.init().catch((e: unknown) => {
      ready = undefined;
      throw e;
    });
    return ready;
  };

  // An event waits at most this long for the token check, then gets 503 (Slack retries it later).
  const readyWithin = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`auth.test did not answer within ${ms} ms`)), ms);
      ensureReady().then(
        () => (clearTimeout(timer), resolve()),
        (e: unknown) => (clearTimeout(timer), reject(e)),
      );
    });

  const receiver = socket ? undefined : new HonoReceiver({ signingSecret: options.signingSecret, log, now: options.now, beforeProcess: () => readyWithin(2000) });
  const app: App = new App({
    token: options.botToken,
    ...(socket ? { socketMode: true, appToken: options.appToken } : { receiver }),
    deferInitialization: true,
    // A reply that cannot reach Slack within a minute is of no use: no half-hour retry schedule.
    clientOptions: { timeout: 15_000, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5000 }, ...options.clientOptions },
    logger,
    convoStore: false,
  });

  // Slack retries an event it thinks was lost (`x-slack-retry-num`); one answer per event id.
  app.use(async ({ body, next }) => {
    const b = body as { type?: string; event_id?: string; team_id?: string };
    if (b.type === "event_callback" && b.event_id && !ctx.seen.claim(`event:${b.team_id ?? ""}:${b.event_id}`)) {
      log("info", `event ${b.event_id} already handled; retry acknowledged and ignored`);
      return;
    }
    await next();
  });
  app.error(async (error) => {
    log("error", "unhandled error in a Slack listener", error);
  });

  registerAsk(app, ctx);
  registerPractice(app, ctx);
  registerCommands(app, ctx);

  return {
    mode: socket ? "socket" : "http",
    bolt: app,
    context: ctx,
    handle: (req) => (receiver ? receiver.handle(req) : Promise.resolve(new Response("Slack runs in Socket Mode", { status: 404 }))),
    async start() {
      try {
        await ensureReady();
        if (socket) await app.start();
        return true;
      } catch (e) {
        log("error", `Slack ${socket ? "Socket Mode connection" : "token check (auth.test)"} failed; the web app keeps running${socket ? "" : " and the token is checked again on the next Slack request"}`, e);
        return false;
      }
    },
    async stop() {
      if (socket) await app.stop();
      else await receiver?.drain();
    },
    drain: () => receiver?.drain() ?? Promise.resolve(),
  };
}

export { verifySlackSignature, parseSlackBody } from "./receiver.js";
