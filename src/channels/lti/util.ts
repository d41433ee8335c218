/** Small helpers of the LTI channel (WebCrypto only, so they run on Workers too). */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HttpError } from "../../routes/http-error.js";

/** A refused LTI request: a 4xx with a message meant for the person in front of the LMS. */
export class LtiError extends HttpError {
  constructor(status: ContentfulStatusCode, message: string) {
    super(status, message);
  }
}

/** A random url-safe token of `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newLtiId(prefix: string): string {
  return `${prefix}_${randomToken(12)}`;
}

/** The base URL of the tool: FCE_PUBLIC_URL, else the request's origin. No trailing slash. */
export function baseUrlOf(publicUrl: string | undefined, requestUrl: string): string {
  return (publicUrl ?? new URL(requestUrl).origin).replace(/\/+$/, "");
}

/** The AGS scores endpoint of a line item: `/scores` appended to the path, the query kept. */
export function scoresUrl(lineItemUrl: string): string {
  const u = new URL(lineItemUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, "")}/scores`;
  return u.toString();
}

/** fetch with a time-out (AbortSignal.timeout exists on Node 20 and Workers). */
export async function fetchWithTimeout(f: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("user-agent")) headers.set("user-agent", "FCE-Coach/0.1 (LTI 1.3 tool)");
  return f(url, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
}

/** The first `max` characters of a response body, for error messages. */
export async function bodySnippet(res: Response, max = 300): Promise<string> {
  try {
    const text = (await res.text()).replace(/\s+/g, " ").trim();
    return text.length > max ? `${text.slice(0, max)}…` : text;
  } catch {
    return "";
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
