/** Helpers for the workshop tests: a runtime with an admin token, JSON calls, an SSE reader. */
import { join as pathJoin } from "node:path";
import type { Hono } from "hono";
import { createNodeRuntime, type NodeRuntime } from "../../src/adapters/node/runtime.js";
import { loadEnv } from "../../src/env.js";
import { tempDir } from "../helpers/temp.js";

export const ADMIN = "workshop-admin-token-0123456789";
export const MILL = "mill-accreditor-for-sale";
export const LEVEL = "level-german-three-year-bachelor";

type AppLike = Pick<Hono<any>, "request">;

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(app: AppLike, method: string, path: string, options: { body?: unknown; token?: string; admin?: boolean | string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json", ...(options.headers ?? {}) };
  if (options.token) headers["x-fce-session"] = options.token;
  if (options.admin) headers.authorization = `Bearer ${options.admin === true ? ADMIN : options.admin}`;
  const res = await app.request(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

/** A Node runtime on a data folder (a fresh temporary one unless given), with the admin token set. */
export async function workshopRuntime(dataDir?: string): Promise<NodeRuntime & { dataDir: string; cleanup: () => void }> {
  const tmp = dataDir ? undefined : tempDir("fce-ws-");
  const dir = dataDir ?? pathJoin(tmp!.path, "data");
  const env = loadEnv({ FCE_CORPUS_DIR: "corpus", FCE_DATA_DIR: dir, FCE_ADMIN_TOKEN: ADMIN, FCE_LTI_OUTBOX_INTERVAL_MS: "0" });
  const rt = await createNodeRuntime(env, { log: () => {}, refreshIntervalMs: 0 });
  return {
    ...rt,
    dataDir: dir,
    cleanup: () => {
      rt.close();
      tmp?.cleanup();
    },
  };
}

export async function createWorkshop(app: AppLike, cases: string[] = [MILL], title = "Test workshop"): Promise<{ code: string; id: string; body: any }> {
  const r = await call(app, "POST", "/api/workshops", { admin: true, body: { title, cases } });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
  return { code: r.body.code, id: r.body.id, body: r.body };
}

export async function join(app: AppLike, code: string, displayName: string): Promise<{ token: string; learnerId: string; body: any }> {
  const r = await call(app, "POST", "/api/workshops/join", { body: { code, displayName } });
  if (r.status !== 201) throw new Error(`join: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, learnerId: (await call(app, "GET", "/api/session", { token: r.body.token })).body.learner.id, body: r.body };
}

export const MILL_ANSWER = {
  verdict: "accreditation_mill",
  flags: ["accreditation_for_sale", "no_site_visit", "permanent_accreditation", "claims_chea_or_usde_recognition"],
  justification: "Accreditation is sold as a package with no site visit; it falsely claims CHEA recognition.",
};

export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

/**
 * Reads an SSE response incrementally. `next(pred, ms)` resolves with the first event (after those
 * already consumed) that matches, or rejects after `ms`.
 */
export function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = "";
  let done = false;
  let consumed = 0;
  const waiters: Array<() => void> = [];
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const ev: SseEvent = { event: "message", data: "" };
          let data = "";
          let any = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line);
            else if (line.startsWith("id: ")) ev.id = line.slice(4);
            else if (line.startsWith("event: ")) ev.event = line.slice(7);
            else if (line.startsWith("data: ")) {
              data += line.slice(6);
              any = true;
            }
          }
          if (any) {
            ev.data = JSON.parse(data);
            events.push(ev);
            for (const w of waiters.splice(0)) w();
          }
        }
      }
    } catch {
      /* cancelled */
    } finally {
      done = true;
      for (const w of waiters.splice(0)) w();
    }
  })();
  return {
    events,
    comments,
    async next(pred: (e: SseEvent) => boolean = () => true, ms = 3000): Promise<SseEvent> {
      const until = Date.now() + ms;
      for (;;) {
        while (consumed < events.length) {
          const e = events[consumed++]!;
          if (pred(e)) return e;
        }
        if (done) throw new Error(`stream ended before a matching event (got ${events.map((e) => e.event).join(", ")})`);
        const left = until - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${ms} ms (got ${events.map((e) => `${e.event}#${e.id}`).join(", ")})`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    /** Events received within `ms` that were not consumed yet. */
    async drain(ms: number): Promise<SseEvent[]> {
      await new Promise((r) => setTimeout(r, ms));
      const out = events.slice(consumed);
      consumed = events.length;
      return out;
    },
    async close() {
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}
