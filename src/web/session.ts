/**
 * The learner behind a page request. The session normally travels as the `fce_session` cookie; where
 * an LMS iframe drops third-party cookies, the pages carry the token as `?session=` in their links and
 * forms instead (see `PageContext.session`). A page reached with `?session=` while the cookie also
 * works is redirected to the clean URL, so the token does not stay in the address bar.
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppDeps } from "../app.js";
import { getLearner, type Learner } from "../db/learners.js";
import { SESSION_COOKIE, verifySession } from "../routes/session.js";

export interface PageSession {
  learner: Learner;
  role: string;
  /** How the request carried it. */
  via: "cookie" | "query";
}

async function learnerFor(deps: AppDeps, token: string | undefined): Promise<{ learner: Learner; role: string } | undefined> {
  if (!token || !deps.sessionSecret) return undefined;
  const claims = await verifySession(deps, token);
  if (!claims) return undefined;
  const learner = await getLearner(deps.db, claims.learnerId);
  return learner ? { learner, role: claims.role } : undefined;
}

/** The page's learner: from the cookie first, then from `?session=`. */
export async function pageSession(deps: AppDeps, c: Context): Promise<PageSession | undefined> {
  const byCookie = await learnerFor(deps, getCookie(c, SESSION_COOKIE));
  if (byCookie) return { ...byCookie, via: "cookie" };
  const byQuery = await learnerFor(deps, c.req.query("session"));
  return byQuery ? { ...byQuery, via: "query" } : undefined;
}

/**
 * When the request carries `?session=` but the cookie already identifies the same learner, the URL
 * without the token (to redirect to); otherwise undefined.
 */
export async function cleanUrlIfCookieWorks(deps: AppDeps, c: Context): Promise<string | undefined> {
  const token = c.req.query("session");
  if (!token) return undefined;
  const byCookie = await learnerFor(deps, getCookie(c, SESSION_COOKIE));
  if (!byCookie) return undefined;
  const byQuery = await learnerFor(deps, token);
  if (byQuery && byQuery.learner.id !== byCookie.learner.id) return undefined;
  const url = new URL(c.req.url);
  url.searchParams.delete("session");
  const last = url.pathname.split("/").pop() ?? "";
  return `./${last}${url.search}`;
}
