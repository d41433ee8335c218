/**
 * Cross-cutting protections: request size limits, per-identity rate limits, security headers
 * (a Content-Security-Policy whose frame-ancestors allows only the registered LMS origins), and CSRF
 * protection for form posts. Runtime-agnostic (the rate limiter is in memory per process/isolate).
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps } from "../app.js";
import { HttpError } from "./http-error.js";
import { rememberLaunchOrigin } from "../services/lms-origins.js";
import { currentSession } from "./session.js";

/** Largest request body accepted by JSON APIs (a question is at most 2,000 characters). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;
/** Larger bodies for protocol endpoints (LTI id_tokens, Slack payloads, credentials to verify). */
export const MAX_PROTOCOL_BODY_BYTES = 512 * 1024;

export function sizeLimits(): MiddlewareHandler {
  const small = bodyLimit({
    maxSize: MAX_JSON_BODY_BYTES,
    onError: (c) => c.json({ error: `Request body too large (limit ${MAX_JSON_BODY_BYTES / 1024} KiB)` }, 413),
  });
  const large = bodyLimit({
    maxSize: MAX_PROTOCOL_BODY_BYTES,
    onError: (c) => c.json({ error: `Request body too large (limit ${MAX_PROTOCOL_BODY_BYTES / 1024} KiB)` }, 413),
  });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const path = c.req.path;
    const protocol = path.startsWith("/lti/") || path.startsWith("/slack/") || path.startsWith("/api/badges/verify") || path.startsWith("/badges/");
    return (protocol ? large : small)(c, next);
  };
}

/** A fixed-window counter per key; `limit` requests per `windowMs`. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts a request; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, now: number): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    w.count++;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

export interface RateLimits {
  /** Questions per identity per minute (POST /api/ask). */
  askPerMinute: number;
  /** Practice attempts per identity per minute. */
  attemptsPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { askPerMinute: 30, attemptsPerMinute: 60 };

/** The identity a request is counted under: the signed-in learner, else the client address. */
async function identityKey(deps: AppDeps, c: Context): Promise<string> {
  const session = await currentSession(deps, c);
  if (session) return `learner:${session.learner.id}`;
  const forwarded = deps.trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  const cf = c.req.header("cf-connecting-ip");
  return `addr:${cf ?? forwarded ?? incoming ?? "unknown"}`;
}

export function rateLimits(deps: AppDeps): MiddlewareHandler {
  const limits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const ask = new RateLimiter(limits.askPerMinute, 60_000);
  const attempts = new RateLimiter(limits.attemptsPerMinute, 60_000);
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const path = c.req.path;
    const limiter = path === "/api/ask" ? ask : /^\/api\/scenarios\/[^/]+\/attempts$/.test(path) ? attempts : undefined;
    if (!limiter || limiter.limit <= 0) return next();
    const wait = limiter.hit(await identityKey(deps, c), deps.clock.now().getTime());
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      throw new HttpError(429, `Too many requests: at most ${limiter.limit} per minute; try again in ${wait} s`);
    }
    return next();
  };
}

/**
 * Security headers on every response. Pages may be framed only by this site and the registered LMS
 * origins (`deps.frameAncestors`), so FCE Coach works inside Moodle or Canvas and nowhere else.
 */
export function securityHeaders(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // A valid launch posted from an LMS page: that page's origin may frame us from now on.
    if (c.req.method === "POST" && c.req.path === "/lti/launch" && c.res.status < 400) {
      await rememberLaunchOrigin(deps.db, c.req.header("origin"), deps.clock.now());
    }
    const origins = deps.frameAncestors ? await deps.frameAncestors() : [];
    const ancestors = ["'self'", ...origins].join(" ");
    c.header(
      "Content-Security-Policy",
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self' ${origins.join(" ")}; base-uri 'none'; object-src 'none'; frame-ancestors ${ancestors}`,
    );
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
  };
}

/**
 * CSRF: a state-changing request sent as a form (which a cross-site page can submit without CORS)
 * must come from our own origin. JSON APIs cannot be posted cross-site without a CORS preflight we
 * never grant. Protocol endpoints that are cross-site by design (LTI login and launch from the LMS,
 * Slack's signed events) check their own signatures instead.
 */
export function csrfProtection(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const path = c.req.path;
    if (path.startsWith("/lti/") || path.startsWith("/slack/")) return next();
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    const formLike = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data") || type.startsWith("text/plain");
    if (!formLike) return next();
    const origin = c.req.header("origin");
    const own = new URL(c.req.url).origin;
    const allowed = new Set([own, ...(deps.publicUrl ? [new URL(deps.publicUrl).origin] : [])]);
    if (!origin || !allowed.has(origin)) throw new HttpError(403, "Cross-site form post refused (CSRF protection): the Origin header must be this site");
    return next();
  };
}
