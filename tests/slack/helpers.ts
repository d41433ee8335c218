/** A Node runtime with Slack enabled against the fake Slack, and signed Slack requests. */
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { createNodeRuntime, type NodeRuntime } from "../../src/adapters/node/runtime.js";
import { loadEnv } from "../../src/env.js";
import { tempDir } from "../helpers/temp.js";
import type { FakeSlack } from "./fake-slack.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
export const PUBLIC_URL = "https://fce.example.ac.jp";
export const TEAM = "T1";

export type SlackRuntime = NodeRuntime & { cleanup: () => void };

export async function slackRuntime(fake: FakeSlack, env: Record<string, string> = {}): Promise<SlackRuntime> {
  const tmp = tempDir("fce-slack-");
  const parsed = loadEnv({
    FCE_CORPUS_DIR: "corpus",
    FCE_DATA_DIR: join(tmp.path, "data"),
    FCE_PUBLIC_URL: PUBLIC_URL,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    ...env,
  });
  const rt = await createNodeRuntime(parsed, {
    log: () => {},
    refreshIntervalMs: 0,
    slackClientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  return {
    ...rt,
    cleanup: () => {
      rt.close();
      tmp.cleanup();
    },
  };
}

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface PostOptions {
  timestamp?: number;
  signature?: string;
  retryNum?: number;
  headers?: Record<string, string>;
}

/** Posts a raw body to /slack/events, signed unless a signature is given. */
export async function postRaw(rt: SlackRuntime, body: string, contentType: string, o: PostOptions = {}) {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": o.signature ?? sign(body, ts),
    ...(o.retryNum !== undefined ? { "x-slack-retry-num": String(o.retryNum), "x-slack-retry-reason": "http_timeout" } : {}),
    ...o.headers,
  };
  const res = await rt.app.request("/slack/events", { method: "POST", headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    /* empty or plain text */
  }
  return { status: res.status, text, json };
}

let eventSeq = 0;

/** An Events API callback (JSON). */
export function eventBody(event: Record<string, unknown>, eventId = `Ev${++eventSeq}`) {
  return JSON.stringify({ token: "legacy", team_id: TEAM, api_app_id: "A1", type: "event_callback", event_id: eventId, event_time: 1_700_000_000, event });
}

export async function postEvent(rt: SlackRuntime, event: Record<string, unknown>, o: PostOptions & { eventId?: string } = {}) {
  const body = eventBody(event, o.eventId);
  const res = await postRaw(rt, body, "application/json", o);
  await rt.slack!.drain();
  return res;
}

/** A slash command (form-encoded). */
export async function postCommand(rt: SlackRuntime, fields: { text: string; user?: string; channel?: string; responseUrl: string }, o: PostOptions = {}) {
  const form = new URLSearchParams({
    token: "legacy",
    team_id: TEAM,
    team_domain: "fake-uni",
    channel_id: fields.channel ?? "C1",
    channel_name: "admissions",
    user_id: fields.user ?? "U1",
    user_name: "alice",
    command: "/fce",
    text: fields.text,
    api_app_id: "A1",
    response_url: fields.responseUrl,
    trigger_id: "trigger-cmd",
  });
  const res = await postRaw(rt, form.toString(), "application/x-www-form-urlencoded", o);
  await rt.slack!.drain();
  return res;
}

/** An interactivity payload (`payload=` JSON, form-encoded). */
export async function postInteraction(rt: SlackRuntime, payload: Record<string, unknown>, o: PostOptions = {}) {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  const res = await postRaw(rt, form.toString(), "application/x-www-form-urlencoded", o);
  await rt.slack!.drain();
  return res;
}

/** A block_actions payload for a click on a message. */
export function blockAction(opts: {
  user?: string;
  channel: string;
  messageTs: string;
  action: Record<string, unknown>;
  responseUrl?: string;
  ephemeral?: boolean;
  threadTs?: string;
}) {
  return {
    type: "block_actions",
    team: { id: TEAM, domain: "fake-uni" },
    user: { id: opts.user ?? "U1", username: "alice", name: "alice", team_id: TEAM },
    api_app_id: "A1",
    token: "legacy",
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    container: { type: "message", message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: Boolean(opts.ephemeral) },
    channel: { id: opts.channel, name: "admissions" },
    message: { type: "message", ts: opts.messageTs, ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}), text: "" },
    ...(opts.responseUrl ? { response_url: opts.responseUrl } : {}),
    actions: [{ action_ts: "1700000000.1", ...opts.action }],
  };
}

/** Every action element of a message's blocks. */
export function elementsOf(blocks: any[]): any[] {
  return blocks.flatMap((b) => (b.type === "actions" ? b.elements.map((e: any) => ({ ...e, block_id: b.block_id })) : b.accessory ? [{ ...b.accessory, block_id: b.block_id }] : []));
}

/** All text of a message's blocks (for content assertions). */
export function textOf(blocks: any[]): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(blocks);
  return parts.join("\n");
}
