/**
 * The practice pages: `/practice` (path, modules, mastery bars; start a session), `/practice/:id`
 * (a case: dossier, answer form, graded feedback), `/progress` (mastery chart, history).
 * Server-rendered HTML forms, no script: a submitted answer is graded and stored by the practice
 * service, then the browser is redirected to the case with `?attempt=` (post/redirect/get).
 * Cross-site form posts are refused app-wide (`csrfProtection` in routes/guards.ts).
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../app.js";
import { HttpError } from "../routes/http-error.js";
import { startWebSession } from "../routes/session.js";
import {
  attemptDetail,
  findScenario,
  getPath,
  listPaths,
  listScenarios,
  progressFor,
  publicScenario,
  submitAttempt,
  type AttemptItem,
  type FormField,
} from "../services/practice.js";
import { isPass } from "../core/practice/index.js";
import { requestLang, t } from "./i18n.js";
import { href, pageContext, sendPage, type PageContext } from "./layout.js";
import { CaseNotFoundPage, CasePage, type FormValues } from "./pages/case.js";
import { localized, PracticePage, type PathView } from "./pages/practice.js";
import { ProgressPage } from "./pages/progress.js";
import { BadgeRepository } from "../core/badges/index.js";
import { cleanUrlIfCookieWorks, pageSession } from "./session.js";

function randomSeed(): number {
  const b = new Uint32Array(1);
  crypto.getRandomValues(b);
  return b[0]! % 1_000_000_000;
}

/** Values of a url-encoded or multipart form: repeated names become arrays. */
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

/** The answer object for the API from the form, following the case type's form; or a message for the learner. */
export function answerFromForm(form: readonly FormField[], values: FormValues, lang: "en" | "ja"): { answer: Record<string, unknown> } | { error: string } {
  const answer: Record<string, unknown> = {};
  for (const f of form) {
    const label = t(lang, `field.${f.field}` as Parameters<typeof t>[1]);
    const raw = values[f.field];
    if (f.kind === "multi") {
      const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((x) => x !== "");
      if (list.length) answer[f.field] = list;
      continue;
    }
    const value = first(raw)?.trim() ?? "";
    if (value === "") {
      if (f.required) return { error: t(lang, "case.missing", { field: label }) };
      continue;
    }
    if (f.kind === "number") {
      const n = Number(value.replace(/[,，]/g, ".").replace(/\s+/g, ""));
      if (!Number.isFinite(n)) return { error: t(lang, "case.notNumber", { field: label }) };
      answer[f.field] = n;
    } else if (f.kind === "choice" && f.options?.length && typeof f.options[0]!.id === "number") {
      answer[f.field] = Number(value);
    } else {
      answer[f.field] = value;
    }
  }
  return { answer };
}

/** The form values of a stored answer (to show the learner what they chose). */
function valuesFromAnswer(answer: unknown): FormValues {
  const out: FormValues = {};
  if (!answer || typeof answer !== "object") return out;
  for (const [k, v] of Object.entries(answer as Record<string, unknown>)) {
    if (Array.isArray(v)) out[k] = v.map(String);
    else if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

function pathsView(deps: AppDeps): PathView[] {
  return listPaths(deps).map((p) => getPath(deps, p.id) as PathView);
}

/** Mastery each skill needs in the training paths (the highest module threshold that names it). */
function skillThresholds(deps: AppDeps): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pathsView(deps)) for (const m of p.modules) for (const s of m.skills) out[s] = Math.max(out[s] ?? 0, m.masteryThreshold);
  return out;
}

function moduleTitles(deps: AppDeps, lang: "en" | "ja", keys: string[]): string[] {
  const paths = pathsView(deps);
  return keys.flatMap((key) => {
    const [pathId, moduleId] = key.split(":");
    const m = paths.find((p) => p.id === pathId)?.modules.find((x) => x.id === moduleId);
    return m ? [localized(lang, m.title, m.title_ja)] : [];
  });
}

/** A redirect to an app path relative to the current request's path (works under a path prefix). */
function redirectTo(c: Context, page: PageContext, appPath: string, extra: Record<string, string> = {}): Response {
  let link = href(page, appPath);
  const params = Object.entries(extra);
  if (params.length) {
    const hashAt = link.indexOf("#");
    const hash = hashAt >= 0 ? link.slice(hashAt) : "";
    const base = hashAt >= 0 ? link.slice(0, hashAt) : link;
    link = `${base}&${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}${hash}`;
  }
  return c.redirect(link, 303);
}

export function practicePageRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function renderPractice(c: Context, status: 200 | 400, startError?: string) {
    const page = pageContext(c, requestLang(c.req));
    const session = await pageSession(deps, c);
    page.session = session?.via === "query" ? c.req.query("session") : undefined;
    const progress = session ? await progressFor(deps, session.learner.id) : undefined;
    return sendPage(
      c,
      <PracticePage
        page={page}
        now={deps.clock.now()}
        learnerName={session?.learner.displayName}
        progress={progress}
        paths={pathsView(deps)}
        scenarios={listScenarios(deps)}
        seeds={{ mill: randomSeed(), level: randomSeed() }}
        startError={startError}
      />,
      status,
    );
  }

  app.get("/practice", async (c) => {
    const clean = await cleanUrlIfCookieWorks(deps, c);
    if (clean) return c.redirect(clean, 303);
    return renderPractice(c, 200);
  });

  /** Starts a session from the form on /practice. */
  app.post("/practice", async (c) => {
    const lang = requestLang(c.req);
    const values = await formValues(c);
    const name = first(values.displayName)?.trim() ?? "";
    if (!name) return renderPractice(c, 400, t(lang, "case.nameNeeded"));
    const { token } = await startWebSession(deps, c, name.slice(0, 80));
    const page = pageContext(c, lang);
    // The token rides along once; if the cookie works, the next request drops it from the URL.
    return redirectTo(c, { ...page, session: token }, "/practice");
  });

  async function renderCase(c: Context, id: string, options: { status?: 200 | 400; values?: FormValues; error?: string } = {}) {
    const lang = requestLang(c.req);
    const page = pageContext(c, lang);
    let found;
    try {
      found = findScenario(deps, id);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return sendPage(c, <CaseNotFoundPage page={page} id={id} />, 404);
      throw e;
    }
    const scenario = publicScenario(found);
    const session = await pageSession(deps, c);
    page.session = session?.via === "query" ? c.req.query("session") : undefined;
    let values = options.values ?? {};
    let notice: string | undefined;
    let attempt;
    let nextHref: string | undefined;
    const attemptId = c.req.query("attempt");
    if (attemptId && options.status !== 400) {
      const detail = session ? await attemptDetail(deps, session.learner.id, attemptId) : undefined;
      if (detail && detail.scenarioId === scenario.id) {
        attempt = { attemptId: detail.attemptId, score: detail.score, maxScore: detail.maxScore, passed: isPass(detail), items: detail.items as AttemptItem[] };
        values = valuesFromAnswer(detail.answer);
        const progress = await progressFor(deps, session!.learner.id);
        if (progress.next && progress.next.scenarioId !== scenario.id) nextHref = href(page, `/practice/${encodeURIComponent(progress.next.scenarioId)}`);
      } else {
        notice = t(lang, "case.attemptNotFound");
      }
    }
    const done = (c.req.query("done") ?? "").split(",").filter(Boolean);
    const anotherHref = scenario.generated ? href(page, `/practice/gen-${scenario.type}-${randomSeed()}`) : undefined;
    return sendPage(
      c,
      <CasePage
        page={page}
        now={deps.clock.now()}
        scenario={scenario}
        learnerName={session?.learner.displayName}
        values={values}
        error={options.error}
        notice={notice}
        attempt={attempt}
        completed={attempt ? moduleTitles(deps, lang, done) : []}
        nextHref={nextHref}
        anotherHref={anotherHref}
      />,
      options.status ?? 200,
    );
  }

  app.get("/practice/:id", async (c) => {
    const clean = await cleanUrlIfCookieWorks(deps, c);
    if (clean) return c.redirect(clean, 303);
    return renderCase(c, c.req.param("id"));
  });

  /** Grades and stores an answer from the case's form, then shows the feedback (post/redirect/get). */
  app.post("/practice/:id", async (c) => {
    const id = c.req.param("id");
    const lang = requestLang(c.req);
    const page = pageContext(c, lang);
    let found;
    try {
      found = findScenario(deps, id);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return sendPage(c, <CaseNotFoundPage page={page} id={id} />, 404);
      throw e;
    }
    const values = await formValues(c);
    const parsed = answerFromForm(publicScenario(found).form, values, lang);
    if ("error" in parsed) return renderCase(c, id, { status: 400, values, error: parsed.error });

    let session = await pageSession(deps, c);
    let token = session?.via === "query" ? c.req.query("session") : undefined;
    if (!session) {
      const name = first(values.displayName)?.trim() ?? "";
      if (!name) return renderCase(c, id, { status: 400, values, error: t(lang, "case.nameNeeded") });
      const started = await startWebSession(deps, c, name.slice(0, 80));
      session = { learner: started.learner, role: started.learner.role, via: "query" };
      token = started.token;
    }
    const startedRaw = first(values.startedAt);
    const startedAt = startedRaw && !Number.isNaN(Date.parse(startedRaw)) ? new Date(startedRaw) : undefined;
    let result;
    try {
      result = await submitAttempt(deps, { learnerId: session.learner.id, scenarioId: id, answer: parsed.answer, startedAt });
    } catch (e) {
      if (e instanceof HttpError && e.status === 400) return renderCase(c, id, { status: 400, values, error: e.message });
      throw e;
    }
    const extra: Record<string, string> = {};
    if (result.completedModules.length) extra.done = result.completedModules.map((m) => `${m.pathId}:${m.moduleId}`).join(",");
    return redirectTo(c, { ...page, session: token }, `/practice/${encodeURIComponent(id)}?attempt=${encodeURIComponent(result.attemptId)}#feedback`, extra);
  });

  app.get("/progress", async (c) => {
    const clean = await cleanUrlIfCookieWorks(deps, c);
    if (clean) return c.redirect(clean, 303);
    const page = pageContext(c, requestLang(c.req));
    const session = await pageSession(deps, c);
    page.session = session?.via === "query" ? c.req.query("session") : undefined;
    const progress = session ? await progressFor(deps, session.learner.id) : undefined;
    const badges = session ? (await new BadgeRepository(deps.db).listForLearner(session.learner.id)).map((b) => ({ id: b.id, name: b.name, issuedAt: b.issuedAt, revoked: !!b.revokedAt })) : [];
    return sendPage(c, <ProgressPage page={page} learnerName={session?.learner.displayName} progress={progress} thresholds={skillThresholds(deps)} badges={badges} />);
  });

  return app;
}
