/**
 * Workshop routes (mounted by createApp).
 *
 * Facilitator API (admin token as `Authorization: Bearer`, or an LMS instructor's launch session):
 *   POST /api/workshops                      {title?, cases: [ids]} -> 201 workshop with code, joinUrl, qrSvg
 *   GET  /api/workshops                      the facilitator's workshops
 *   GET  /api/workshops/:code                the live view (cases, current case, aggregates, key after reveal)
 *   POST /api/workshops/:code/open           {position} (0-based) opens a case for answers
 *   POST /api/workshops/:code/close          closes answers to the current case
 *   POST /api/workshops/:code/reveal         reveals the current case (answers close)
 *   POST /api/workshops/:code/end            ends the workshop (the code then answers 410)
 *   POST /api/workshops/:code/view-token     a read-only token for the projector's stream
 *   GET  /api/workshops/:code/results        per-participant and per-case tables (JSON)
 *   GET  /api/workshops/:code/results.csv    ?table=participants|cases|answers
 * Participant API (session token or cookie, see routes/session.ts):
 *   POST /api/workshops/join                 {code, displayName?}: joins (starts a web session if none)
 *   GET  /api/workshops/:code/me             own view: the open case without key; feedback after reveal
 *   POST /api/workshops/:code/answers        {position?, caseId?, answer} -> 201 (graded; feedback after reveal)
 * Both:
 *   GET  /api/workshops/:code/events         SSE (`?view=` token, facilitator credentials, or a participant session)
 * Pages: /w (join), /w/:code (room), /workshops (facilitator), /workshops/:code (console),
 *   /workshops/:code/screen?view= (projector). Form posts are covered by the app's CSRF check
 *   (routes/guards.ts: the Origin must be this site).
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../app.js";
import { verifySessionToken } from "../channels/lti/session-token.js";
import { hasAdminToken, requireAdmin } from "../routes/admin-auth.js";
import { HttpError, parseOr400, readJson } from "../routes/http-error.js";
import { currentSession, sessionToken, startWebSession } from "../routes/session.js";
import { findScenario, listScenarios, publicScenario, type FormField } from "../services/practice.js";
import { requestLang, type Lang } from "../web/i18n.js";
import { href, PAGE_HEADERS, pageContext, rootOf, type PageContext } from "../web/layout.js";
import { answerFromForm } from "../web/practice-routes.js";
import { cleanUrlIfCookieWorks, pageSession } from "../web/session.js";
import "./client.js";
import { wt } from "./i18n.js";
import { FacilitatorConsolePage, FacilitatorHomePage, JoinPage, ProjectorPage, RoomJoinPage, RoomPage, WorkshopErrorPage } from "./pages.js";
import { qrSvg } from "./qr.js";
import {
  closeCase,
  createWorkshop,
  endWorkshop,
  facilitatedWorkshop,
  facilitatorView,
  joinUrl,
  joinableWorkshop,
  joinLoaded,
  joinWorkshop,
  listWorkshops,
  normaliseCode,
  openCase,
  participantView,
  resultsCsv,
  revealCase,
  signViewToken,
  submitWorkshopAnswer,
  verifyViewToken,
  workshopByCode,
  workshopResults,
  workshopStream,
  type CsvTable,
  type Facilitator,
  type JoinChannel,
} from "./service.js";

const createBody = z.object(
  {
    title: z.string({ error: "must be a string" }).max(120, "must be at most 120 characters").optional(),
    cases: z.array(z.string({ error: "must be case ids" }).min(1).max(80), { error: "is required (a list of case ids, e.g. [\"mill-accreditor-for-sale\", \"gen-mill-42\"])" }),
  },
  { error: "must be a JSON object" },
);
const openBody = z.object({ position: z.int({ error: "is required (the 0-based position of the case)" }).min(0, "must be 0 or more") }, { error: "must be a JSON object" });
const joinBody = z.object(
  {
    code: z.string({ error: "is required (the code on the screen)" }),
    displayName: z.string({ error: "must be a string" }).trim().max(80, "must be at most 80 characters").optional(),
  },
  { error: "must be a JSON object" },
);
const answerBody = z.object(
  {
    position: z.int({ error: "must be a whole number" }).min(0).optional(),
    caseId: z.string().optional(),
    answer: z.record(z.string(), z.unknown(), { error: "is required (an object with the answer fields of this case type)" }),
    startedAt: z.iso.datetime({ offset: true, error: "must be an ISO date-time" }).optional(),
  },
  { error: "must be a JSON object" },
);

/**
 * The facilitator behind a request: the admin token or an admin account (every workshop), an LMS
 * instructor's launch session (their course's workshops) or a facilitator account (their own).
 * Undefined (with `optional`) or the 401/403 of `requireFacilitator` otherwise.
 */
export async function facilitatorFrom(deps: AppDeps, c: Context, optional = false): Promise<Facilitator | undefined> {
  if (hasAdminToken(deps, c)) return { kind: "admin" };
  const token = sessionToken(c);
  if (token && deps.sessionSecret) {
    try {
      const claims = await verifySessionToken(deps, token);
      if (claims.role === "instructor") return { kind: "owner", owner: `lti:${claims.context.issuer}|${claims.context.contextId}`, learnerId: claims.learnerId };
    } catch {
      /* not an LTI launch session */
    }
  }
  const session = await currentSession(deps, c);
  if (session?.learner.role === "admin") return { kind: "admin" };
  if (session?.learner.role === "facilitator") return { kind: "owner", owner: `learner:${session.learner.id}`, learnerId: session.learner.id };
  if (optional) return undefined;
  if (session) throw new HttpError(403, "Facilitators only: the admin token, a facilitator account, or an LMS instructor launch");
  await requireAdmin(deps, c); // 401 without a token, 403 for a wrong one (or none configured)
  throw new HttpError(403, "Facilitators only");
}

async function requireFacilitator(deps: AppDeps, c: Context): Promise<Facilitator> {
  return (await facilitatorFrom(deps, c))!;
}

function baseUrl(deps: AppDeps, c: Context): string {
  return deps.publicUrl ?? new URL(c.req.url).origin;
}

function noStore(c: Context): void {
  c.header("Cache-Control", "no-store");
}

function sendHtml(c: Context, html: unknown, status = 200): Promise<Response> {
  return Promise.resolve(html as string | Promise<string>).then((text) => c.body(String(text), status as 200, PAGE_HEADERS));
}

type FormValues = Record<string, string | string[] | undefined>;

async function formValues(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
    out[k] = list.length > 1 ? list : list[0];
  }
  return out;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function channelOf(claims: { context?: Record<string, unknown> } | undefined): JoinChannel {
  return claims?.context?.channel === "lti" ? "lti" : "web";
}

/** A redirect to an app path relative to the request (works under a path prefix and in an iframe). */
function redirectTo(c: Context, page: PageContext, appPath: string): Response {
  return c.redirect(href(page, appPath), 303);
}

export function workshopRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // ---- facilitator API ----------------------------------------------------------------------
  app.post("/api/workshops", async (c) => {
    const f = await requireFacilitator(deps, c);
    const body = parseOr400(createBody, await readJson(c.req), "body");
    const created = await createWorkshop(deps, f, body, baseUrl(deps, c));
    noStore(c);
    return c.json({ ...created, qrSvg: qrSvg(created.joinUrl, { title: created.joinUrl }) }, 201);
  });

  app.get("/api/workshops", async (c) => {
    const f = await requireFacilitator(deps, c);
    noStore(c);
    return c.json(await listWorkshops(deps, f));
  });

  // Before `/api/workshops/:code/...`: "join" is not a code (codes are six characters).
  app.post("/api/workshops/join", async (c) => {
    const body = parseOr400(joinBody, await readJson(c.req), "body");
    return joinRoute(c, body.code, body.displayName);
  });

  async function joinRoute(c: Context, code: string, displayName: string | undefined): Promise<Response> {
    const w = await joinableWorkshop(deps, code); // 404 or 410 before a session is started
    const session = await currentSession(deps, c);
    let token: string | undefined;
    let learnerId: string;
    let channel: JoinChannel = "web";
    if (session) {
      learnerId = session.learner.id;
      channel = channelOf(session);
    } else {
      if (!displayName) throw new HttpError(400, "Invalid body: displayName: is required to join without a session (the name shown to the facilitator)");
      const started = await startWebSession(deps, c, displayName);
      token = started.token;
      learnerId = started.learner.id;
    }
    const joined = await joinLoaded(deps, w, { learnerId, displayName, channel });
    noStore(c);
    return c.json({ ...joined, ...(token ? { token } : {}) }, joined.joined ? 201 : 200);
  }

  app.get("/api/workshops/:code", async (c) => {
    const f = await requireFacilitator(deps, c);
    const w = await facilitatedWorkshop(deps, f, c.req.param("code"));
    const url = joinUrl(baseUrl(deps, c), w.code);
    noStore(c);
    return c.json({ ...(await facilitatorView(deps, w)), joinUrl: url, qrSvg: qrSvg(url, { title: url }) });
  });

  app.post("/api/workshops/:code/open", async (c) => {
    const f = await requireFacilitator(deps, c);
    const { position } = parseOr400(openBody, await readJson(c.req), "body");
    return c.json(await openCase(deps, f, c.req.param("code"), position));
  });
  app.post("/api/workshops/:code/close", async (c) => c.json(await closeCase(deps, await requireFacilitator(deps, c), c.req.param("code"))));
  app.post("/api/workshops/:code/reveal", async (c) => c.json(await revealCase(deps, await requireFacilitator(deps, c), c.req.param("code"))));
  app.post("/api/workshops/:code/end", async (c) => c.json(await endWorkshop(deps, await requireFacilitator(deps, c), c.req.param("code"))));

  app.post("/api/workshops/:code/view-token", async (c) => {
    const f = await requireFacilitator(deps, c);
    const w = await facilitatedWorkshop(deps, f, c.req.param("code"));
    noStore(c);
    const vt = await signViewToken(deps, w.id);
    return c.json({ ...vt, screenPath: `/workshops/${w.code}/screen?view=${encodeURIComponent(vt.token)}` });
  });

  app.get("/api/workshops/:code/results", async (c) => {
    const f = await requireFacilitator(deps, c);
    const w = await facilitatedWorkshop(deps, f, c.req.param("code"));
    noStore(c);
    return c.json(await workshopResults(deps, w));
  });

  app.get("/api/workshops/:code/results.csv", async (c) => {
    const f = await requireFacilitator(deps, c);
    const w = await facilitatedWorkshop(deps, f, c.req.param("code"));
    const table = (c.req.query("table") ?? "participants") as CsvTable;
    if (!["participants", "cases", "answers"].includes(table)) throw new HttpError(400, "Invalid query: table: must be participants, cases or answers");
    const text = resultsCsv(await workshopResults(deps, w), table);
    return c.body(`\uFEFF${text}`, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="workshop-${w.code}-${table}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
  });

  // ---- live stream --------------------------------------------------------------------------
  app.get("/api/workshops/:code/events", async (c) => {
    const w = await workshopByCode(deps, c.req.param("code"));
    const lastEventId = c.req.header("last-event-id") ?? c.req.query("lastEventId");
    const view = c.req.query("view");
    let audience: "facilitator" | "participant";
    if (view) {
      if (!(await verifyViewToken(deps, view, w.id))) throw new HttpError(403, "Invalid or expired view token: open the projector link again from the facilitator page");
      audience = "facilitator";
    } else {
      const f = await facilitatorFrom(deps, c, true);
      if (f) {
        await facilitatedWorkshop(deps, f, w.code);
        audience = "facilitator";
      } else {
        const session = await currentSession(deps, c);
        if (!session) throw new HttpError(401, "No session: join the workshop first (POST /api/workshops/join), or use the facilitator's view token");
        await participantView(deps, w.code, session.learner.id); // 403 when not joined
        audience = "participant";
      }
    }
    return workshopStream(deps, w, audience, lastEventId, c.req.raw.signal);
  });

  // ---- participant API ----------------------------------------------------------------------
  app.post("/api/workshops/:code/join", async (c) => {
    const raw = (await readJson(c.req).catch(() => ({}))) as Record<string, unknown> | null;
    const name = raw && typeof raw.displayName === "string" ? raw.displayName.trim().slice(0, 80) : undefined;
    return joinRoute(c, c.req.param("code"), name || undefined);
  });

  app.get("/api/workshops/:code/me", async (c) => {
    const session = await currentSession(deps, c);
    const code = c.req.param("code");
    if (!session) throw new HttpError(401, "No session: join the workshop first (POST /api/workshops/join)");
    noStore(c);
    return c.json(await participantView(deps, code, session.learner.id));
  });

  app.post("/api/workshops/:code/answers", async (c) => {
    const code = c.req.param("code");
    const session = await currentSession(deps, c);
    if (!session) throw new HttpError(401, "No session: join the workshop first (POST /api/workshops/join)");
    const body = parseOr400(answerBody, await readJson(c.req), "body");
    const receipt = await submitWorkshopAnswer(deps, {
      code,
      learnerId: session.learner.id,
      position: body.position,
      caseId: body.caseId,
      answer: body.answer,
      startedAt: body.startedAt ? new Date(body.startedAt) : undefined,
    });
    return c.json(receipt, 201);
  });

  // ---- pages: participants ------------------------------------------------------------------
  app.get("/w", async (c) => {
    const page = pageContext(c, requestLang(c.req));
    // A learner with a session (e.g. from an LMS launch, `?session=`) joins under their own name.
    const session = await pageSession(deps, c);
    page.session = session?.via === "query" ? c.req.query("session") : undefined;
    return sendHtml(c, <JoinPage page={page} code={c.req.query("code")?.slice(0, 12)} learnerName={session?.learner.displayName} />);
  });

  /** Join by code from the form on /w. */
  app.post("/w", async (c) => {
    const lang = requestLang(c.req);
    const page = pageContext(c, lang);
    const values = await formValues(c);
    const rawCode = first(values.code)?.trim() ?? "";
    const name = first(values.displayName)?.trim() ?? "";
    const session = await pageSession(deps, c);
    page.session = session?.via === "query" ? c.req.query("session") : undefined;
    const learnerName = session?.learner.displayName;
    if (!rawCode) return sendHtml(c, <JoinPage page={page} learnerName={learnerName} error={wt(lang, "ws.join.codeNeeded")} />, 400);
    try {
      const w = await joinableWorkshop(deps, rawCode);
      if (!session && !name) return sendHtml(c, <JoinPage page={page} code={rawCode} error={wt(lang, "ws.join.nameNeeded")} />, 400);
      return await joinAndEnter(c, page, w.code, session, name);
    } catch (e) {
      if (e instanceof HttpError && (e.status === 404 || e.status === 410)) return sendHtml(c, <JoinPage page={page} code={rawCode} learnerName={learnerName} error={e.message} />, e.status);
      throw e;
    }
  });

  async function joinAndEnter(c: Context, page: PageContext, code: string, session: Awaited<ReturnType<typeof pageSession>>, name: string): Promise<Response> {
    let token = session?.via === "query" ? c.req.query("session") : undefined;
    let learnerId = session?.learner.id;
    let channel: JoinChannel = "web";
    if (session) {
      const claims = await currentSession(deps, c);
      channel = channelOf(claims);
    } else {
      const started = await startWebSession(deps, c, name.slice(0, 80));
      token = started.token;
      learnerId = started.learner.id;
    }
    await joinWorkshop(deps, { code, learnerId: learnerId!, displayName: name || undefined, channel });
    // The token rides along once; when the cookie works the room drops it from the URL.
    return redirectTo(c, { ...page, session: token }, `/w/${code}`);
  }

  /** The workshop of a room page and the visitor's session, or the error page for a wrong or ended code. */
  async function openRoom(c: Context, rawCode: string, page: PageContext): Promise<{ response: Response } | { w: Awaited<ReturnType<typeof workshopByCode>>; session: Awaited<ReturnType<typeof pageSession>> }> {
    let w;
    try {
      w = await workshopByCode(deps, rawCode);
    } catch (e) {
      if (e instanceof HttpError) return { response: await sendHtml(c, <WorkshopErrorPage page={page} title={wt(page.lang, "ws.notFound.title")} message={e.message} />, e.status) };
      throw e;
    }
    const session = await pageSession(deps, c);
    page.session = session?.via === "query" ? c.req.query("session") : undefined;
    return { w, session };
  }

  async function renderRoom(c: Context, rawCode: string, options: { status?: number; values?: FormValues; error?: string } = {}): Promise<Response> {
    const lang = requestLang(c.req);
    const page = pageContext(c, lang);
    const room = await openRoom(c, rawCode, page);
    if ("response" in room) return room.response;
    const { w, session } = room;
    let view;
    if (session) {
      try {
        view = await participantView(deps, w.code, session.learner.id);
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 403)) throw e;
      }
    }
    if (!view) {
      if (w.status !== "active") {
        return sendHtml(c, <WorkshopErrorPage page={page} title={wt(lang, "ws.ended.title")} message={`The workshop "${w.title}" (${w.code}) has ended: it no longer takes participants or answers`} />, 410);
      }
      return sendHtml(c, <RoomJoinPage page={page} code={w.code} title={w.title} learnerName={session?.learner.displayName} error={options.error} />, options.status ?? 200);
    }
    const events = `${rootOf(page)}api/workshops/${w.code}/events${page.session ? `?session=${encodeURIComponent(page.session)}` : ""}`;
    return sendHtml(c, <RoomPage page={page} now={deps.clock.now()} view={view} eventsUrl={events} values={options.values} error={options.error} />, options.status ?? 200);
  }

  app.get("/w/:code", async (c) => {
    const clean = await cleanUrlIfCookieWorks(deps, c);
    if (clean) return c.redirect(clean, 303);
    const raw = c.req.param("code");
    const code = normaliseCode(raw);
    if (code && code !== raw) return c.redirect(`./${code}${new URL(c.req.url).search}`, 303);
    return renderRoom(c, raw);
  });

  /** The room's forms: `action=join` (with a display name when there is no session) or `action=answer`. */
  app.post("/w/:code", async (c) => {
    const lang = requestLang(c.req);
    const page = pageContext(c, lang);
    const rawCode = c.req.param("code");
    const values = await formValues(c);
    const action = first(values.action) ?? "answer";
    const room = await openRoom(c, rawCode, page);
    if ("response" in room) return room.response;
    const { w, session } = room;
    if (action === "join") {
      const name = first(values.displayName)?.trim() ?? "";
      if (!session && !name) return renderRoom(c, w.code, { status: 400, error: wt(lang, "ws.join.nameNeeded") });
      try {
        return await joinAndEnter(c, page, w.code, session, name);
      } catch (e) {
        if (e instanceof HttpError) return renderRoom(c, w.code, { status: e.status, error: e.message });
        throw e;
      }
    }
    if (!session) return renderRoom(c, w.code, { status: 401, error: wt(lang, "ws.join.nameNeeded") });
    const position = Number(first(values.position));
    const caseId = first(values.caseId);
    let form: FormField[] = [];
    try {
      if (caseId) form = publicScenario(findScenario(deps, caseId)).form;
    } catch {
      /* an unknown case id: the empty answer is refused below */
    }
    const parsed = answerFromForm(form, values, lang as Lang);
    if ("error" in parsed) return renderRoom(c, w.code, { status: 400, values, error: parsed.error });
    const startedRaw = first(values.startedAt);
    try {
      await submitWorkshopAnswer(deps, {
        code: w.code,
        learnerId: session.learner.id,
        position: Number.isInteger(position) && position >= 0 ? position : undefined,
        caseId,
        answer: parsed.answer,
        startedAt: startedRaw && !Number.isNaN(Date.parse(startedRaw)) ? new Date(startedRaw) : undefined,
      });
    } catch (e) {
      if (e instanceof HttpError && e.status < 500) return renderRoom(c, w.code, { status: e.status, values, error: e.message });
      throw e;
    }
    return c.redirect(`${href(page, `/w/${w.code}`)}#ws-status`, 303);
  });

  // ---- pages: facilitator -------------------------------------------------------------------
  app.get("/workshops", (c) => {
    const page = pageContext(c, requestLang(c.req));
    return sendHtml(c, <FacilitatorHomePage page={page} scenarios={listScenarios(deps)} />);
  });

  app.get("/workshops/:code", async (c) => {
    const lang = requestLang(c.req);
    const page = pageContext(c, lang);
    let w;
    try {
      w = await workshopByCode(deps, c.req.param("code"));
    } catch (e) {
      if (e instanceof HttpError) return sendHtml(c, <WorkshopErrorPage page={page} title={wt(lang, "ws.notFound.title")} message={e.message} />, e.status);
      throw e;
    }
    const url = joinUrl(baseUrl(deps, c), w.code);
    return sendHtml(c, <FacilitatorConsolePage page={page} code={w.code} title={w.title} joinUrl={url} qr={qrSvg(url, { title: url })} />);
  });

  app.get("/workshops/:code/screen", async (c) => {
    const lang = requestLang(c.req);
    const page = pageContext(c, lang);
    let w;
    try {
      w = await workshopByCode(deps, c.req.param("code"));
    } catch (e) {
      if (e instanceof HttpError) return sendHtml(c, <WorkshopErrorPage page={page} title={wt(lang, "ws.notFound.title")} message={e.message} />, e.status);
      throw e;
    }
    const view = c.req.query("view");
    if (!(await verifyViewToken(deps, view, w.id))) return sendHtml(c, <WorkshopErrorPage page={page} title={wt(lang, "ws.screen.title")} message={wt(lang, "ws.screen.badToken")} />, 403);
    const url = joinUrl(baseUrl(deps, c), w.code);
    const events = `../../api/workshops/${w.code}/events?view=${encodeURIComponent(view!)}`;
    return sendHtml(c, <ProjectorPage page={page} code={w.code} title={w.title} joinUrl={url} qr={qrSvg(url, { title: url })} eventsUrl={events} />);
  });

  return app;
}
