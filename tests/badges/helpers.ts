/** A small app over an in-memory database (no corpus index needed) and a settable clock. */
import { base64url } from "jose";
import { openDatabase } from "../../src/adapters/node/database.js";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../src/app.js";
import { badgeRoutes } from "../../src/routes/badges/routes.js";
import { HttpError } from "../../src/routes/http-error.js";
import type { ModuleAchievement, BadgeEvidence } from "../../src/core/badges/credential.js";

export const ADMIN_TOKEN = "admin-token-for-badge-tests";
export const PUBLIC_URL = "https://fce.example";
export const START = new Date("2026-11-22T09:00:00Z");

/** Deps over an in-memory database with a settable clock (no app: the core tests need none). */
export function badgeDeps(options: { adminToken?: string | null } = {}) {
  const db = openDatabase(":memory:");
  let now = START;
  const deps: AppDeps = {
    corpus: () => {
      throw new Error("no corpus in badge tests");
    },
    db: db as unknown as AppDeps["db"],
    clock: { now: () => now },
    problems: () => [],
    publicUrl: PUBLIC_URL,
    adminToken: options.adminToken === null ? undefined : (options.adminToken ?? ADMIN_TOKEN),
    badgeIssuer: { name: "FCE Coach Test Issuer", url: "https://university.example" },
  };
  return {
    deps,
    setNow(d: Date) {
      now = d;
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    close: () => db.$client.close(),
  };
}

/**
 * The badge routes over `badgeDeps`, with the error handling of createApp (HttpError -> JSON). The
 * routes alone, so these tests do not depend on the other features' routes and packages.
 */
export async function badgeApp(options: { adminToken?: string | null } = {}) {
  const t = badgeDeps(options);
  const app = new Hono<AppEnv>();
  app.route("/", badgeRoutes(t.deps));
  app.notFound((c) => c.json({ error: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, ...(err.details ?? {}) }, err.status);
    throw err;
  });
  return { ...t, app };
}

export const DAY = 86_400_000;

export const MODULE: ModuleAchievement = {
  id: "credits-and-grades",
  title: "Credits, hours and grades",
  description: "Converting workload between Japanese credits, ECTS and hours, and reading foreign grades.",
  skills: ["credits"],
  workloadHours: 12,
  criteria: "Passed six graded practice cases on credits and grades with a mastery estimate of at least 65%.",
};

export const EVIDENCE: BadgeEvidence = {
  casesPassed: [
    { id: "credits-ects-course-to-jp", title: "An ECTS course to Japanese credits", score: 7, maxScore: 8 },
    { id: "credits-german-grade-four", score: 6, maxScore: 6 },
  ],
  mastery: { credits: 0.82 },
};

export function splitJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown>; parts: string[] } {
  const parts = jwt.split(".");
  const dec = (s: string) => JSON.parse(new TextDecoder().decode(base64url.decode(s))) as Record<string, unknown>;
  return { header: dec(parts[0]!), payload: dec(parts[1]!), parts };
}

/** The JWT with its payload replaced, the original signature kept (tampering after signing). */
export function withPayload(jwt: string, payload: unknown): string {
  const parts = jwt.split(".");
  return [parts[0], base64url.encode(new TextEncoder().encode(JSON.stringify(payload))), parts[2]].join(".");
}

export function checkOf(result: { checks: Array<{ check: string; ok: boolean; reason: string }> }, check: string) {
  const found = result.checks.find((c) => c.check === check);
  if (!found) throw new Error(`no check ${check}`);
  return found;
}

export function failed(result: { checks: Array<{ check: string; ok: boolean }> }): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => c.check);
}
