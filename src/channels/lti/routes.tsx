/**
 * LTI 1.3 routes: /lti/login (GET, POST), /lti/launch, /lti/jwks, /lti/register (+ /complete),
 * /lti/deep-link (the picker's answer), /lti/instructor and /lti/config (the URLs to paste into an LMS).
 * Refusals are 4xx with a message (HTML for browsers, JSON otherwise) and never open a session.
 */
import { Hono, type Context } from "hono";
import { setCookie } from "hono/cookie";
import { and, eq, inArray } from "drizzle-orm";
import type { AppDeps, AppEnv } from "../../app.js";
import { learnerIdentities } from "../../db/schema/index.js";
import { HttpError } from "../../routes/http-error.js";
import { SESSION_COOKIE } from "../../routes/session.js";
import { outboxForContext, type OutboxEntry } from "./ags.js";
import { openLaunchSession, verifyLaunch } from "./launch.js";
import { startLogin } from "./login.js";
import { fetchRoster } from "./nrps.js";
import { AUTOSUBMIT_JS, ErrorPage, InstructorPage, PickerPage, REGISTRATION_DONE_JS, RegistrationDonePage, ReturnToPlatformPage, type RosterRow } from "./pages.js";
import type { ModuleSummary } from "./ports.js";
import { completeRegistration, initiateRegistration } from "./registration.js";
import { ltiCore } from "./lib.js";
import { ltiService } from "./service.js";
import { verifySessionToken } from "./session-token.js";
import { LtiError, baseUrlOf, errorMessage } from "./util.js";

/** Score maximum of the line item a deep link creates (the platform scales our scores to it). */
export const DEFAULT_SCORE_MAXIMUM = 100;

export function ltiRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const svc = () => ltiService(deps);
  const base = (c: Context) => baseUrlOf(deps.publicUrl, c.req.url);

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      if (/text\/html/i.test(c.req.header("accept") ?? "")) return c.html(<ErrorPage status={err.status} message={err.message} />, err.status);
      return c.json({ error: err.message }, err.status);
    }
    console.error(`[${deps.clock.now().toISOString()}] ${c.req.method} ${c.req.path} failed:`, err);
    return c.json({ error: "Internal error: the LTI request could not be completed." }, 500);
  });

  // ---- OIDC login initiation ------------------------------------------------------------------
  const login = async (c: Context<AppEnv>) => {
    const params: Record<string, string | undefined> = { ...c.req.query() };
    if (c.req.method === "POST") Object.assign(params, await formOf(c));
    const location = await startLogin(svc(), params, base(c), deps.clock.now());
    c.header("cache-control", "no-store");
    return c.redirect(location, 302);
  };
  app.get("/lti/login", login);
  app.post("/lti/login", login);

  // ---- launch ---------------------------------------------------------------------------------
  app.get("/lti/launch", () => {
    throw new LtiError(405, "The LMS posts launches here (id_token and state): open the activity from your course instead");
  });
  app.post("/lti/launch", async (c) => {
    const s = svc();
    const now = deps.clock.now();
    const launch = await verifyLaunch(s, await formOf(c), now);
    const b = base(c);
    const outcome = await openLaunchSession(s, b, launch, now);
    // The token travels in the URL/page (third-party cookies are often blocked in LMS iframes); where
    // the browser keeps partitioned cookies, the same token is also set as the app's session cookie,
    // so this launch replaces any older session in this LMS's partition.
    setCookie(c, SESSION_COOKIE, outcome.token, { path: "/", httpOnly: true, secure: true, sameSite: "None", partitioned: true, maxAge: s.options.sessionTtlSeconds });
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    if (launch.messageType === "LtiDeepLinkingRequest") {
      const modules = await modulesOf(deps);
      return c.html(<PickerPage modules={modules} session={outcome.token} courseTitle={launch.claims["https://purl.imsglobal.org/spec/lti/claim/context"]?.title} />);
    }
    if (outcome.role === "instructor") return c.redirect(`${b}/lti/instructor?session=${encodeURIComponent(outcome.token)}`, 303);
    const q = new URLSearchParams();
    if (outcome.context.moduleId) q.set("module", outcome.context.moduleId);
    q.set("session", outcome.token);
    return c.redirect(`${b}/practice?${q.toString()}`, 303);
  });

  // ---- the tool's public keys -----------------------------------------------------------------
  app.get("/lti/jwks", async (c) => {
    const tool = await svc().tool(base(c));
    c.header("cache-control", "public, max-age=300");
    return c.json(await tool.getJWKS());
  });

  // ---- configuration summary (what to paste into an LMS) --------------------------------------
  app.get("/lti/config", (c) => {
    const b = base(c);
    return c.json({
      toolName: "FCE Coach",
      loginUrl: `${b}/lti/login`,
      launchUrl: `${b}/lti/launch`,
      redirectUrls: [`${b}/lti/launch`],
      deepLinkingUrl: `${b}/lti/launch`,
      jwksUrl: `${b}/lti/jwks`,
      dynamicRegistrationUrl: `${b}/lti/register`,
      customParameters: "module_id=<module id> (set for you by deep linking)",
      scopes: [
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
      ],
    });
  });

  // ---- dynamic registration -------------------------------------------------------------------
  app.get("/lti/register", async (c) => c.html(await initiateRegistration(svc(), base(c), c.req.query())));
  app.post("/lti/register/complete", async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Record<string, string | string[] | undefined>;
    // The library's success page closes the LMS dialog with an inline handler (blocked by the app's
    // CSP); show our own with the same postMessage from a script file.
    const libraryHtml = await completeRegistration(svc(), base(c), form);
    const codes = [...libraryHtml.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => unescapeHtml(m[1] ?? ""));
    return c.html(<RegistrationDonePage clientId={codes[0]} deploymentId={codes[1]} />);
  });

  // ---- deep linking: the picker's choice -> signed LtiDeepLinkingResponse -----------------------
  app.post("/lti/deep-link", async (c) => {
    const form = await formOf(c);
    const claims = await verifySessionToken(deps, form.session);
    if (claims.context.messageType !== "LtiDeepLinkingRequest") throw new LtiError(400, "This session was not opened by a deep-linking request");
    if (claims.role !== "instructor") throw new LtiError(403, "Only instructors can add FCE Coach modules to a course");
    const moduleId = form.module;
    if (!moduleId) throw new LtiError(400, "Choose a module");
    const module = (await modulesOf(deps)).find((m) => m.id === moduleId);
    if (!module) throw new LtiError(400, `Unknown module "${moduleId}"`);
    const b = base(c);
    const tool = await svc().tool(b);
    const session = await tool.getSession(claims.context.ltiSessionId);
    if (!session?.services?.deepLinking) throw new LtiError(401, "The deep-linking request has expired: start again from the LMS");
    const { ContentItemSchema } = await ltiCore();
    const item = ContentItemSchema.parse({
      type: "ltiResourceLink",
      title: module.title,
      ...(module.description ? { text: module.description } : {}),
      url: `${b}/lti/launch`,
      custom: { module_id: module.id },
      lineItem: { scoreMaximum: DEFAULT_SCORE_MAXIMUM, label: module.title, resourceId: module.id, tag: "fce-coach" },
    });
    // The library signs the response and wraps it in a form with an inline script, which the app's
    // Content-Security-Policy blocks: keep its signed JWT and target, post them from our own page.
    const libraryHtml = await tool.createDeepLinkingResponse(session, [item]);
    const action = unescapeHtml(/<form[^>]*action="([^"]*)"/.exec(libraryHtml)?.[1] ?? "");
    const jwt = unescapeHtml(/name="JWT" value="([^"]*)"/.exec(libraryHtml)?.[1] ?? "");
    if (!action || !jwt) throw new Error("@lti-tool/core returned a deep-linking response without a form");
    c.header("cache-control", "no-store");
    return c.html(<ReturnToPlatformPage action={action} jwt={jwt} title={module.title} />);
  });

  app.get("/lti/autosubmit.js", (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=3600");
    return c.body(AUTOSUBMIT_JS);
  });
  app.get("/lti/registration-done.js", (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=3600");
    return c.body(REGISTRATION_DONE_JS);
  });

  // ---- instructor view ------------------------------------------------------------------------
  app.get("/lti/instructor", async (c) => {
    const claims = await verifySessionToken(deps, sessionTokenOf(c));
    if (claims.role !== "instructor") throw new LtiError(403, "Only instructors of the course can see its results");
    const s = svc();
    const ctx = claims.context;
    const platform = await s.storage.platform(ctx.issuer, ctx.clientId);
    if (!platform) throw new LtiError(401, "The platform of this session is no longer registered");
    const entries = await outboxForContext(deps, platform.id, ctx.contextId, ctx.moduleId);
    const latest = new Map<string, OutboxEntry>();
    for (const e of entries) if (!latest.has(`${e.learnerId}|${e.moduleId}`)) latest.set(`${e.learnerId}|${e.moduleId}`, e);
    const results = [...latest.values()];
    const failures = entries.filter((e) => e.status === "failed");

    let roster: RosterRow[] | undefined;
    let rosterError: string | undefined;
    if (ctx.nrpsUrl) {
      try {
        const members = await fetchRoster(s, platform, ctx.nrpsUrl, deps.clock.now());
        const subjects = members.map((m) => `${ctx.issuer}|${m.userId}`);
        const known = subjects.length
          ? await deps.db
              .select({ subject: learnerIdentities.subject, learnerId: learnerIdentities.learnerId })
              .from(learnerIdentities)
              .where(and(eq(learnerIdentities.provider, "lti"), inArray(learnerIdentities.subject, subjects)))
          : [];
        const bySubject = new Map(known.map((k) => [k.subject, k.learnerId]));
        roster = await Promise.all(
          members.map(async (member) => {
            const learnerId = bySubject.get(`${ctx.issuer}|${member.userId}`);
            let progress;
            if (learnerId && deps.progressFor) {
              try {
                progress = await deps.progressFor(learnerId, ctx.moduleId);
              } catch (e) {
                progress = { summary: `progress unavailable (${errorMessage(e)})` };
              }
            }
            const mine = learnerId ? results.find((r) => r.learnerId === learnerId) : undefined;
            return { member, ...(learnerId ? { learnerId } : {}), ...(progress ? { progress } : {}), ...(mine ? { latest: mine } : {}) };
          }),
        );
      } catch (e) {
        rosterError = errorMessage(e);
      }
    }
    const moduleTitle = ctx.moduleId ? (await modulesOf(deps)).find((m) => m.id === ctx.moduleId)?.title : undefined;
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer");
    return c.html(
      <InstructorPage
        moduleId={ctx.moduleId}
        moduleTitle={moduleTitle}
        contextId={ctx.contextId}
        results={results}
        failures={failures}
        roster={roster}
        rosterError={rosterError}
      />,
    );
  });

  return app;
}

async function modulesOf(deps: AppDeps): Promise<ModuleSummary[]> {
  return deps.listModules ? await deps.listModules() : [];
}

/** The session token of a request: `?session=`, `Authorization: Bearer` or `x-fce-session`. */
export function sessionTokenOf(c: Context): string | undefined {
  const auth = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  return c.req.query("session") ?? auth ?? c.req.header("x-fce-session") ?? undefined;
}

async function formOf(c: Context): Promise<Record<string, string | undefined>> {
  const type = c.req.header("content-type") ?? "";
  if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) {
    throw new LtiError(400, "Expected a form POST (application/x-www-form-urlencoded)");
  }
  const body = await c.req.parseBody();
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
