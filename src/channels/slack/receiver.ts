/**
 * A Bolt receiver for the Hono route `POST /slack/events`: it takes a Fetch `Request`, checks Slack's
 * signature on the raw body, answers `url_verification` and `ssl_check`, parses JSON and
 * form-encoded bodies (interactivity `payload=`, slash-command fields), hands the event to Bolt and
 * returns Slack's HTTP response as soon as a listener acks (within 3 s), while the listener goes on
 * with the work in the background.
 */
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { safeEqual } from "../../routes/admin-auth.js";

/** Slack rejects requests older than this; so do we (and ones from the future). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Slack waits 3 s for the HTTP response; we answer before that even when no listener acked. */
const ACK_DEADLINE_MS = 2500;
/** Slack payloads are small; anything larger is not from Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Checks `x-slack-signature` (`v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing
 * secret, compared in constant time) and `x-slack-request-timestamp` (at most 5 minutes off).
 */
export async function verifySlackSignature(
  signingSecret: string,
  headers: { signature: string | null; timestamp: string | null },
  rawBody: string,
  nowMs: number,
): Promise<SignatureCheck> {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, reason: "missing x-slack-signature or x-slack-request-timestamp" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed x-slack-request-timestamp" };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: "stale x-slack-request-timestamp" };
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(signingSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`v0:${timestamp}:${rawBody}`));
  if (!safeEqual(signature, `v0=${hex(mac)}`)) return { ok: false, reason: "signature mismatch" };
  return { ok: true };
}

/** Parses a Slack request body: JSON (Events API) or form-encoded (`payload=` JSON, or command fields). */
export function parseSlackBody(rawBody: string, contentType: string): Record<string, unknown> {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(rawBody);
    const payload = form.get("payload");
    if (payload !== null) return asObject(JSON.parse(payload));
    const out: Record<string, string> = {};
    for (const [k, v] of form) out[k] = v;
    return out;
  }
  return asObject(JSON.parse(rawBody));
}

function asObject(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new SyntaxError("body is not an object");
  return v as Record<string, unknown>;
}

export interface HonoReceiverOptions {
  signingSecret: string;
  /** Called before each event is processed (e.g. lazy initialisation of the Bolt app). */
  beforeProcess?: () => Promise<void>;
  log: (level: "info" | "warn" | "error", message: string, error?: unknown) => void;
  now?: () => number;
}

const text = (body: string, status: number, headers: Record<string, string> = {}) => new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

export class HonoReceiver implements Receiver {
  private bolt: App | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: HonoReceiverOptions) {}

  init(app: App): void {
    this.bolt = app;
  }

  /** Nothing to listen on: the Hono server owns the socket. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.drain();
  }

  /** Resolves when every event received so far has been fully processed (tests, graceful shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  async handle(req: Request): Promise<Response> {
    const length = Number(req.headers.get("content-length") ?? "0");
    if (length > MAX_BODY_BYTES) return text("Payload too large", 413);
    const rawBody = await req.text();
    if (rawBody.length > MAX_BODY_BYTES) return text("Payload too large", 413);

    const check = await verifySlackSignature(
      this.options.signingSecret,
      { signature: req.headers.get("x-slack-signature"), timestamp: req.headers.get("x-slack-request-timestamp") },
      rawBody,
      (this.options.now ?? Date.now)(),
    );
    if (!check.ok) {
      this.options.log("warn", `Slack request rejected: ${check.reason}`);
      return text("Invalid Slack signature", 401);
    }

    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(rawBody, req.headers.get("content-type") ?? "");
    } catch {
      return text("Malformed Slack request body", 400);
    }
    // Slack checks the certificate of slash-command URLs with this; nothing to do.
    if (body.ssl_check !== undefined) return text("", 200);
    if (body.type === "url_verification") {
      return new Response(JSON.stringify({ challenge: body.challenge }), { status: 200, headers: { "content-type": "application/json" } });
    }
    const bolt = this.bolt;
    if (!bolt) return text("Slack app not initialised", 503);

    try {
      await this.options.beforeProcess?.();
    } catch (e) {
      this.options.log("error", "Slack app is not ready (auth.test failed); Slack will retry the event", e);
      return text("Slack app not ready", 503);
    }

    const retry = req.headers.get("x-slack-retry-num");
    let settle!: (r: Response) => void;
    const response = new Promise<Response>((resolve) => (settle = resolve));
    let acked = false;
    const event: ReceiverEvent = {
      body,
      retryNum: retry !== null && /^\d+$/.test(retry) ? Number(retry) : undefined,
      retryReason: req.headers.get("x-slack-retry-reason") ?? undefined,
      ack: async (reply?: unknown) => {
        if (acked) {
          this.options.log("warn", "Slack event acknowledged twice; the second ack is ignored");
          return;
        }
        acked = true;
        if (reply === undefined || reply === null || reply === "") settle(text("", 200));
        else if (typeof reply === "string") settle(text(reply, 200));
        else settle(new Response(JSON.stringify(reply), { status: 200, headers: { "content-type": "application/json" } }));
      },
    };

    const work = bolt
      .processEvent(event)
      .then(
        () => {
          if (!acked) settle(text("", 404));
        },
        (e: unknown) => {
          this.options.log("error", "Slack event processing failed", e);
          if (!acked) settle(text("Internal error", 500));
        },
      )
      .finally(() => this.pending.delete(work));
    this.pending.add(work);

    const timer = setTimeout(() => {
      if (acked) return;
      this.options.log("warn", `No listener acknowledged a Slack ${String(body.type ?? body.command ?? "request")} within ${ACK_DEADLINE_MS} ms`);
      acked = true;
      settle(text("", 200));
    }, ACK_DEADLINE_MS);
    try {
      return await response;
    } finally {
      clearTimeout(timer);
    }
  }
}
