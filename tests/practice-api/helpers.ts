/** Helpers for the practice API tests: requests with a session, the authored answer keys. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { Hono } from "hono";

export const ROOT = resolve(__dirname, "../..");

type AppLike = Pick<Hono<any>, "request">;

export interface Reply {
  status: number;
  body: any;
}

export async function call(app: AppLike, method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json", ...(options.headers ?? {}) };
  if (options.token) headers["x-fce-session"] = options.token;
  const res = await app.request(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

export async function startSession(app: AppLike, displayName = "Trainee"): Promise<{ token: string; learnerId: string }> {
  const r = await call(app, "POST", "/api/session", { body: { displayName } });
  if (r.status !== 201) throw new Error(`session: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, learnerId: r.body.learner.id };
}

/** An authored scenario as written (with its answer key), read straight from the YAML file. */
export function authored(id: string): any {
  return parse(readFileSync(join(ROOT, "scenarios", `${id}.yaml`), "utf8"));
}

export function attempt(app: AppLike, token: string, scenarioId: string, answer: unknown, extra: Record<string, unknown> = {}): Promise<Reply> {
  return call(app, "POST", `/api/scenarios/${encodeURIComponent(scenarioId)}/attempts`, { token, body: { answer, ...extra } });
}
