/**
 * A fake Slack on 127.0.0.1: the Web API methods the app calls (the WebClient's `slackApiUrl` points
 * here) and `response_url` endpoints. Records every call so tests can assert what Slack would receive.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiCall {
  method: string;
  args: Record<string, any>;
  token?: string;
  /** What the fake answered. */
  result?: Record<string, any>;
}

export interface ResponseCall {
  id: string;
  body: Record<string, any>;
}

type Handler = (args: Record<string, any>) => Record<string, unknown>;

export interface FakeSlack {
  apiUrl: string;
  responseUrl(id: string): string;
  calls: ApiCall[];
  responses: ResponseCall[];
  /** Calls of one method, in order. */
  of(method: string): ApiCall[];
  /** Overrides a method's reply (e.g. `{ ok: false, error: "not_in_channel" }`). */
  on(method: string, handler: Handler | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

const BOT_USER = "UBOT";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

/** Web API form fields; objects and arrays arrive JSON-encoded. */
function parseArgs(raw: string, contentType: string): Record<string, any> {
  if (contentType.includes("application/json")) return raw ? JSON.parse(raw) : {};
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* a plain string that starts with a bracket */
      }
    }
    out[k] = v;
  }
  return out;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: ResponseCall[] = [];
  const overrides = new Map<string, Handler>();
  let ts = 0;
  const nextTs = () => `${1_700_000_000 + ++ts}.000100`;

  const defaults: Record<string, Handler> = {
    "auth.test": () => ({ ok: true, url: "https://fake.slack.test/", team: "Fake Uni", user: "fce-coach", team_id: "T1", user_id: BOT_USER, bot_id: "BBOT" }),
    "chat.postMessage": (a) => {
      const t = nextTs();
      return { ok: true, channel: a.channel, ts: t, message: { type: "message", text: a.text, ts: t, thread_ts: a.thread_ts, blocks: a.blocks } };
    },
    "chat.postEphemeral": () => ({ ok: true, message_ts: nextTs() }),
    "chat.update": (a) => ({ ok: true, channel: a.channel, ts: a.ts, text: a.text }),
    "conversations.open": (a) => ({ ok: true, channel: { id: `D${String(a.users).replace(/^U/, "")}` } }),
    "views.open": (a) => ({ ok: true, view: { id: "V1", ...a.view } }),
    "views.publish": (a) => ({ ok: true, view: { id: "VHOME", ...a.view } }),
    "users.info": (a) => ({ ok: true, user: { id: a.user, name: `user-${a.user}`, real_name: `Real ${a.user}`, profile: { display_name: `Officer ${a.user}` } } }),
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (url.pathname.startsWith("/response/")) {
      responses.push({ id: decodeURIComponent(url.pathname.slice("/response/".length)), body: raw ? JSON.parse(raw) : {} });
      send(200, "ok", "text/plain");
      return;
    }
    if (url.pathname.startsWith("/api/")) {
      const method = url.pathname.slice("/api/".length);
      const args = parseArgs(raw, String(req.headers["content-type"] ?? ""));
      const token = String(req.headers.authorization ?? "").replace(/^Bearer\s+/, "") || args.token;
      const handler = overrides.get(method) ?? defaults[method] ?? (() => ({ ok: true }));
      const result = handler(args);
      calls.push({ method, args, token, result });
      send(200, result);
      return;
    }
    send(404, { ok: false, error: "unknown_path" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${encodeURIComponent(id)}`,
    calls,
    responses,
    of: (method) => calls.filter((c) => c.method === method),
    on: (method, handler) => {
      if (handler) overrides.set(method, handler);
      else overrides.delete(method);
    },
    reset: () => {
      calls.length = 0;
      responses.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
