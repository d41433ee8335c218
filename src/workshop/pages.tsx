/**
 * The workshop pages: joining (`/w`), the participant's room (`/w/CODE`), the facilitator's home
 * (`/workshops`) and console (`/workshops/CODE`), and the projector (`/workshops/CODE/screen`).
 * The participant's room is server-rendered (forms, post/redirect/get) and reloads itself when the
 * facilitator moves on; the facilitator pages are filled by the workshop script (assets/workshop.js),
 * which keeps the facilitator's token in sessionStorage and sends it as a bearer token.
 */
import { AnswerField, fieldLabel, GradedItems } from "../web/pages/case.js";
import { raw } from "hono/html";
import type { ScenarioSummary } from "../services/practice.js";
import { Badge, Bar, CitationList, CiteSup } from "../web/components.js";
import { pick, translator, type Lang, type MessageKey } from "../web/i18n.js";
import { Layout, href, type PageContext } from "../web/layout.js";
import { DossierView, type FormValues } from "../web/pages/case.js";
import { localized, round2, typeLabel } from "../web/pages/practice.js";
import { wsMessages, wt } from "./i18n.js";
import type { AnswerKeyView, KeyField, ParticipantView } from "./service.js";

export const WORKSHOP_SCRIPT = "workshop.js";

function optionLabel(lang: Lang, o: { en: string; ja: string }): string {
  return lang === "ja" ? o.ja : o.en;
}


/** Strings the browser script needs: the workshop's own, the answer fields' labels, the case types. */
export function scriptMessages(lang: Lang): string {
  const fields = ["verdict", "flags", "level", "admission", "decision", "elements", "value", "unit", "grade", "steps", "inconsistencies", "justification"].map((f) => `field.${f}` as MessageKey);
  const types = ["mill", "level", "recognition", "credits", "authenticity"].map((x) => `type.${x}` as MessageKey);
  return JSON.stringify({ ...wsMessages(lang), ...pick(lang, [...fields, ...types, "case.sources", "case.status.correct", "case.question"]) });
}

// ---------------------------------------------------------------------------------------------
// Joining

export function JoinPage(props: { page: PageContext; code?: string; error?: string; learnerName?: string }) {
  const { page } = props;
  return (
    <Layout page={page} title={wt(page.lang, "ws.join.title")}>
      <h1>{wt(page.lang, "ws.join.title")}</h1>
      <p class="lead">{wt(page.lang, "ws.join.intro")}</p>
      <form class="card join-form" method="post" action={href(page, "/w")}>
        {props.error ? (
          <p class="error-box" role="alert">
            {props.error}
          </p>
        ) : null}
        <div class="field">
          <label for="code">{wt(page.lang, "ws.join.code")}</label>
          <input type="text" id="code" name="code" required maxlength={12} autocomplete="off" autocapitalize="characters" spellcheck={false} value={props.code ?? ""} style="max-width:12rem;text-transform:uppercase;letter-spacing:0.15em" />
        </div>
        {props.learnerName ? null : (
          <div class="field">
            <label for="displayName">{wt(page.lang, "ws.join.name")}</label>
            <input type="text" id="displayName" name="displayName" required maxlength={80} autocomplete="nickname" />
          </div>
        )}
        <div class="form-row">
          <button type="submit">{props.learnerName ? wt(page.lang, "ws.join.as", { name: props.learnerName }) : wt(page.lang, "ws.join.submit")}</button>
        </div>
      </form>
    </Layout>
  );
}

export function WorkshopErrorPage(props: { page: PageContext; title: string; message: string }) {
  return (
    <Layout page={props.page} title={props.title}>
      <h1>{props.title}</h1>
      <p class="notice error" role="alert">
        {props.message}
      </p>
      <p>
        <a href={href(props.page, "/w")}>← {wt(props.page.lang, "ws.join.title")}</a>
      </p>
    </Layout>
  );
}

/** The join form of one workshop (the room of someone who has not joined yet). */
export function RoomJoinPage(props: { page: PageContext; code: string; title: string; learnerName?: string; error?: string }) {
  const { page } = props;
  const self = href(page, `/w/${props.code}`);
  return (
    <Layout page={page} title={props.title}>
      <p class="muted small">{wt(page.lang, "ws.room.code", { code: props.code })}</p>
      <h1>{props.title}</h1>
      <form class="card join-form" method="post" action={self}>
        {props.error ? (
          <p class="error-box" role="alert">
            {props.error}
          </p>
        ) : null}
        <input type="hidden" name="action" value="join" />
        {props.learnerName ? null : (
          <div class="field">
            <label for="displayName">{wt(page.lang, "ws.join.name")}</label>
            <p class="hint">{wt(page.lang, "ws.join.intro")}</p>
            <input type="text" id="displayName" name="displayName" required maxlength={80} autocomplete="nickname" />
          </div>
        )}
        <div class="form-row">
          <button type="submit">{props.learnerName ? wt(page.lang, "ws.join.as", { name: props.learnerName }) : wt(page.lang, "ws.join.submit")}</button>
        </div>
      </form>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// The room

function FieldList(props: { lang: Lang; fields: KeyField[]; justification?: unknown }) {
  const t = translator(props.lang);
  return (
    <dl class="fields ws-answer">
      {props.fields.map((f) => (
        <>
          <dt>{fieldLabel(t, f.field)}</dt>
          <dd>{f.values.map((v) => optionLabel(props.lang, v)).join(" · ")}</dd>
        </>
      ))}
      {typeof props.justification === "string" && props.justification ? (
        <>
          <dt>{fieldLabel(t, "justification")}</dt>
          <dd>{props.justification}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The answer key with the feedback of each rubric item and the cited passages. */
export function KeyView(props: { page: PageContext; now: Date; keyView: AnswerKeyView }) {
  const { page, keyView } = props;
  const lang = page.lang;
  return (
    <section class="card ws-key" id="key" aria-labelledby="key-title">
      <h2 id="key-title">{wt(lang, "ws.room.key")}</h2>
      <p class="muted small">{wt(lang, "ws.room.keyIntro")}</p>
      <FieldList lang={lang} fields={keyView.fields} />
      <ol class="items">
        {keyView.items.map((item) => (
          <li class="item status-correct">
            <div class="item-head">
              <span class="item-label">{localized(lang, item.label, item.label_ja)}</span>
              <span class="item-points">{round2(item.points)}</span>
            </div>
            <p class="item-feedback">
              {localized(lang, item.feedback, item.feedback_ja)}
              {item.citations.map((n) => {
                const c = keyView.citations.find((x) => x.n === n);
                return c ? <CiteSup page={page} citation={c} /> : null;
              })}
            </p>
          </li>
        ))}
      </ol>
      {keyView.citations.length ? (
        <>
          <h3 class="small">{translator(lang)("case.sources")}</h3>
          <CitationList page={page} now={props.now} citations={keyView.citations} />
        </>
      ) : null}
    </section>
  );
}

function OwnFeedback(props: { page: PageContext; now: Date; result: NonNullable<NonNullable<ParticipantView["current"]>["result"]> }) {
  const { page, result } = props;
  const t = translator(page.lang);
  const ratio = result.maxScore > 0 ? result.score / result.maxScore : 0;
  return (
    <section id="feedback" class="card feedback-panel" aria-labelledby="feedback-title" tabindex={-1}>
      <h2 id="feedback-title">{t("case.feedback")}</h2>
      <p class="score-line">
        <strong class="score">{t("case.score", { score: round2(result.score), max: round2(result.maxScore) })}</strong>{" "}
        <Badge tone={result.passed ? "ok" : "warn"}>{result.passed ? t("case.passed") : t("case.notPassed")}</Badge>
      </p>
      <Bar value={ratio} label={t("case.score", { score: round2(result.score), max: round2(result.maxScore) })} />
      <GradedItems page={page} now={props.now} items={result.items} />
    </section>
  );
}

function stateLabel(lang: Lang, state: string): string {
  return wt(lang, `ws.state.${state}` as Parameters<typeof wt>[1]);
}

export function RoomPage(props: { page: PageContext; now: Date; view: ParticipantView; eventsUrl: string; values?: FormValues; error?: string }) {
  const { page, view } = props;
  const lang = page.lang;
  const t = translator(lang);
  const cur = view.current;
  const self = href(page, `/w/${view.workshop.code}`);
  const ended = view.workshop.status === "ended";
  return (
    <Layout page={page} title={view.workshop.title} scripts={[WORKSHOP_SCRIPT]}>
      <div
        id="ws-room"
        data-mode="room"
        data-lang={lang}
        data-events={props.eventsUrl}
        data-status={view.workshop.status}
        data-position={cur ? String(cur.position) : ""}
        data-state={cur ? cur.state : ""}
      >
        <p class="muted small ws-meta">
          <span class="signed-in">{wt(lang, "ws.room.joinedAs", { name: view.participant.displayName })}</span> · {wt(lang, "ws.room.code", { code: view.workshop.code })}
        </p>
        <h1>{view.workshop.title}</h1>
        {ended ? (
          <p class="notice" role="status" id="ws-status">
            {wt(lang, "ws.room.ended")}
          </p>
        ) : !cur ? (
          <p class="notice" role="status" id="ws-status">
            {wt(lang, "ws.room.waiting")}
          </p>
        ) : null}
        {cur && !ended ? (
          <section class="ws-case" aria-labelledby="case-title">
            <p class="case-meta">
              <Badge>{wt(lang, "ws.room.caseOf", { n: cur.position + 1, total: view.workshop.cases })}</Badge> <Badge>{typeLabel(lang, cur.case.type) || cur.case.type}</Badge>{" "}
              <Badge tone={cur.state === "open" ? "ok" : cur.state === "revealed" ? "accent" : "warn"}>{stateLabel(lang, cur.state)}</Badge>
            </p>
            <h2 id="case-title">{localized(lang, cur.case.title, cur.case.title_ja)}</h2>
            {cur.state === "revealed" ? (
              <>
                <p class="notice" role="status" id="ws-status">
                  {wt(lang, "ws.room.revealed")} {cur.answer ? null : wt(lang, "ws.room.noAnswer")}
                </p>
                {cur.result ? <OwnFeedback page={page} now={props.now} result={cur.result} /> : null}
                {cur.answer ? (
                  <section class="card">
                    <h3>{wt(lang, "ws.room.yourAnswer")}</h3>
                    <FieldList lang={lang} fields={cur.answer.fields} justification={cur.answer.values.justification} />
                  </section>
                ) : null}
                {cur.key ? <KeyView page={page} now={props.now} keyView={cur.key} /> : null}
              </>
            ) : cur.answer ? (
              <>
                <p class="notice" role="status" id="ws-status">
                  {cur.state === "open" ? wt(lang, "ws.room.received") : wt(lang, "ws.room.closed")}
                </p>
                <section class="card">
                  <h3>{wt(lang, "ws.room.yourAnswer")}</h3>
                  <p class="muted small">{wt(lang, "ws.room.submittedAt", { time: cur.answer.submittedAt.slice(11, 19) })}</p>
                  <FieldList lang={lang} fields={cur.answer.fields} justification={cur.answer.values.justification} />
                </section>
              </>
            ) : cur.state === "closed" ? (
              <p class="notice warn" role="status" id="ws-status">
                {wt(lang, "ws.room.closedNoAnswer")}
              </p>
            ) : null}
            <section class="question card" aria-labelledby="question-title">
              <h3 id="question-title" class="small muted">
                {t("case.question")}
              </h3>
              <p class="question-text">{localized(lang, cur.case.question, cur.case.question_ja)}</p>
            </section>
            {cur.state === "open" && !cur.answer ? (
              <>
                <DossierView page={page} dossier={cur.case.dossier} />
                <form class="card answer-form" id="answer" method="post" action={`${self}#ws-status`} aria-labelledby="answer-title">
                  <h3 id="answer-title">{t("case.answer")}</h3>
                  {props.error ? (
                    <p class="error-box" role="alert" id="answer-error">
                      {props.error}
                    </p>
                  ) : null}
                  <input type="hidden" name="action" value="answer" />
                  <input type="hidden" name="position" value={String(cur.position)} />
                  <input type="hidden" name="caseId" value={cur.case.id} />
                  <input type="hidden" name="startedAt" value={props.now.toISOString()} />
                  {cur.case.form.map((f) => (
                    <AnswerField page={page} f={f} values={props.values ?? {}} />
                  ))}
                  <p class="muted small">{wt(lang, "ws.room.oneAnswer")}</p>
                  <div class="form-row">
                    <button type="submit">{wt(lang, "ws.room.submit")}</button>
                  </div>
                </form>
              </>
            ) : props.error ? (
              <p class="error-box" role="alert" id="answer-error">
                {props.error}
              </p>
            ) : null}
          </section>
        ) : props.error ? (
          <p class="error-box" role="alert" id="answer-error">
            {props.error}
          </p>
        ) : null}
        {view.mine.length ? (
          <section class="card ws-mine" aria-labelledby="mine-title">
            <h2 id="mine-title" class="small">
              {wt(lang, "ws.room.mine")}
            </h2>
            <ol>
              {view.mine.map((m) => (
                <li value={m.position + 1}>
                  {m.title} — {stateLabel(lang, m.state)} ·{" "}
                  {m.score !== undefined && m.maxScore !== undefined ? (
                    <strong>{t("case.score", { score: round2(m.score), max: round2(m.maxScore) })}</strong>
                  ) : m.answered ? (
                    <span class="muted">{wt(lang, "ws.room.pendingScore")}</span>
                  ) : (
                    <span class="muted">{wt(lang, "ws.room.notAnswered")}</span>
                  )}
                </li>
              ))}
            </ol>
            <p class="small">
              <a href={href(page, "/progress")}>{wt(lang, "ws.room.progress")} →</a>
            </p>
          </section>
        ) : null}
        {!ended ? <p class="muted small">{wt(lang, "ws.room.live")}</p> : null}
      </div>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Facilitator

export function FacilitatorHomePage(props: { page: PageContext; scenarios: ScenarioSummary[] }) {
  const { page } = props;
  const lang = page.lang;
  const byType = new Map<string, ScenarioSummary[]>();
  for (const s of props.scenarios) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
  return (
    <Layout page={page} title={wt(lang, "ws.fac.title")} scripts={[WORKSHOP_SCRIPT]}>
      <div id="ws-home" data-mode="home" data-lang={lang} data-root={rootOfPage(page)} data-i18n={scriptMessages(lang)}>
        <h1>{wt(lang, "ws.fac.title")}</h1>
        <p class="lead">{wt(lang, "ws.fac.intro")}</p>
        <CredentialForm lang={lang} />
        <section class="card" id="create-section" aria-labelledby="create-title">
          <h2 id="create-title">{wt(lang, "ws.fac.create")}</h2>
          <form id="create-form">
            <p class="error-box" role="alert" id="create-error" hidden></p>
            <div class="field">
              <label for="ws-title">{wt(lang, "ws.fac.wsTitle")}</label>
              <input type="text" id="ws-title" name="title" maxlength={120} />
            </div>
            <fieldset class="field checks">
              <legend>{wt(lang, "ws.fac.pick")}</legend>
              {[...byType.entries()].map(([type, list]) => (
                <div class="ws-pick-group">
                  <h3 class="small">{typeLabel(lang, type) || type}</h3>
                  <div class="option-list">
                    {list.map((s) => (
                      <label class="option">
                        <input type="checkbox" name="cases" value={s.id} />
                        <span>
                          {s.title} <span class="muted small">({s.id})</span>
                        </span>
                      </label>
                    ))}
                  </div>
                </div>
              ))}
            </fieldset>
            <fieldset class="field">
              <legend>{wt(lang, "ws.fac.generated")}</legend>
              <label for="gen-mill">{wt(lang, "ws.fac.genMill")}</label>
              <input type="number" id="gen-mill" name="genMill" min={0} max={10} value="0" style="max-width:6rem" />
              <label for="gen-level">{wt(lang, "ws.fac.genLevel")}</label>
              <input type="number" id="gen-level" name="genLevel" min={0} max={10} value="0" style="max-width:6rem" />
            </fieldset>
            <div class="form-row">
              <button type="submit" id="create-submit">
                {wt(lang, "ws.fac.createSubmit")}
              </button>
            </div>
          </form>
        </section>
        <section class="card" aria-labelledby="list-title">
          <h2 id="list-title">{wt(lang, "ws.fac.list")}</h2>
          <ul id="ws-list" class="case-list"></ul>
        </section>
      </div>
    </Layout>
  );
}

function CredentialForm(props: { lang: Lang }) {
  const lang = props.lang;
  return (
    <section class="card" id="cred-section" aria-labelledby="cred-title">
      <form id="cred-form">
        <h2 id="cred-title" class="small">
          {wt(lang, "ws.fac.credential")}
        </h2>
        <p class="hint">{wt(lang, "ws.fac.credentialHint")}</p>
        <div class="form-row">
          <input type="password" id="cred-token" autocomplete="off" style="max-width:24rem" aria-labelledby="cred-title" />
          <button type="submit">{wt(lang, "ws.fac.useToken")}</button>
        </div>
      </form>
      <p id="cred-status" class="small" hidden>
        {wt(lang, "ws.fac.signedIn")}{" "}
        <button type="button" class="secondary" id="cred-forget">
          {wt(lang, "ws.fac.signOut")}
        </button>
      </p>
    </section>
  );
}

function rootOfPage(page: PageContext): string {
  const depth = page.path.split("/").length - 2;
  return depth <= 0 ? "./" : "../".repeat(depth);
}

function JoinBanner(props: { lang: Lang; code: string; joinUrl: string; qr: string; big?: boolean }) {
  return (
    <div class={`ws-join-banner${props.big ? " big" : ""}`}>
      <div class="ws-qr" aria-hidden="false">
        {raw(props.qr)}
      </div>
      <div>
        <p class="ws-join-at">{wt(props.lang, "ws.fac.joinAt", { url: props.joinUrl.replace(/\/w\/[A-Z0-9]+$/, "/w") })}</p>
        <p class="ws-code" id="ws-code">
          {props.code}
        </p>
        <p class="small muted ws-url">{props.joinUrl}</p>
      </div>
    </div>
  );
}

const WS_STYLE = `
.ws-join-banner{display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap;margin:1rem 0}
.ws-qr svg{width:11rem;height:11rem;display:block}
.ws-join-banner.big .ws-qr svg{width:18rem;height:18rem}
.ws-code{font-size:2.6rem;font-weight:700;letter-spacing:.25em;margin:.2rem 0;font-family:ui-monospace,monospace}
.ws-join-banner.big .ws-code{font-size:4.5rem}
.ws-controls{display:flex;gap:.5rem;flex-wrap:wrap;margin:.5rem 0}
.ws-cases li{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;padding:.3rem 0}
.ws-cases li.current{font-weight:600}
.ws-field{margin:1rem 0}
.ws-option{display:grid;grid-template-columns:minmax(8rem,22rem) 1fr 4.5rem;gap:.6rem;align-items:center;margin:.2rem 0}
.ws-option .ws-count{text-align:right;font-variant-numeric:tabular-nums}
.ws-option.correct .ws-label::before{content:"✓ ";color:#1a7f37;font-weight:700}
.ws-option.zero{opacity:.6}
.ws-headline{font-size:1.25rem}
.ws-live-status{font-weight:600}
.ws-screen .ws-headline{font-size:1.6rem}
.ws-table td,.ws-table th{padding:.25rem .5rem}
`;

export function FacilitatorConsolePage(props: { page: PageContext; code: string; title: string; joinUrl: string; qr: string }) {
  const { page } = props;
  const lang = page.lang;
  return (
    <Layout page={page} title={props.title} scripts={[WORKSHOP_SCRIPT]}>
      <style>{raw(WS_STYLE)}</style>
      <div id="ws-console" data-mode="console" data-lang={lang} data-code={props.code} data-root={rootOfPage(page)} data-i18n={scriptMessages(lang)}>
        <p class="small">
          <a href={href(page, "/workshops")}>← {wt(lang, "ws.fac.title")}</a>
        </p>
        <h1 id="ws-title">{props.title}</h1>
        <CredentialForm lang={lang} />
        <JoinBanner lang={lang} code={props.code} joinUrl={props.joinUrl} qr={props.qr} />
        <p>
          <a id="projector-link" class="button secondary" hidden>
            {wt(lang, "ws.fac.projector")}
          </a>
        </p>
        <p class="error-box" role="alert" id="console-error" hidden></p>
        <section class="card" aria-labelledby="cases-title">
          <h2 id="cases-title">{wt(lang, "ws.fac.cases")}</h2>
          <ol id="ws-cases" class="ws-cases"></ol>
          <div class="ws-controls">
            <button type="button" id="btn-close" class="secondary">
              {wt(lang, "ws.fac.close")}
            </button>
            <button type="button" id="btn-reveal">
              {wt(lang, "ws.fac.reveal")}
            </button>
            <button type="button" id="btn-end" class="secondary">
              {wt(lang, "ws.fac.end")}
            </button>
          </div>
        </section>
        <section class="card" aria-live="polite" id="ws-live"></section>
        <section class="card" aria-labelledby="results-title">
          <h2 id="results-title">{wt(lang, "ws.fac.results")}</h2>
          <div class="ws-controls">
            <button type="button" class="secondary" id="btn-results">
              {wt(lang, "ws.fac.refresh")}
            </button>
            <button type="button" class="secondary" data-csv="participants">
              {wt(lang, "ws.fac.csvParticipants")}
            </button>
            <button type="button" class="secondary" data-csv="cases">
              {wt(lang, "ws.fac.csvCases")}
            </button>
            <button type="button" class="secondary" data-csv="answers">
              {wt(lang, "ws.fac.csvAnswers")}
            </button>
          </div>
          <h3 class="small">{wt(lang, "ws.fac.byCase")}</h3>
          <div class="table-wrap" id="results-cases"></div>
          <h3 class="small">{wt(lang, "ws.fac.byParticipant")}</h3>
          <div class="table-wrap" id="results-participants"></div>
        </section>
      </div>
    </Layout>
  );
}

export function ProjectorPage(props: { page: PageContext; code: string; title: string; joinUrl: string; qr: string; eventsUrl: string }) {
  const { page } = props;
  const lang = page.lang;
  return (
    <Layout page={page} title={`${props.title} · ${wt(lang, "ws.screen.title")}`} scripts={[WORKSHOP_SCRIPT]}>
      <style>{raw(WS_STYLE)}</style>
      <div id="ws-screen" class="ws-screen" data-mode="screen" data-lang={lang} data-code={props.code} data-root={rootOfPage(page)} data-events={props.eventsUrl} data-i18n={scriptMessages(lang)}>
        <h1>{props.title}</h1>
        <JoinBanner lang={lang} code={props.code} joinUrl={props.joinUrl} qr={props.qr} big />
        <section class="card" aria-live="polite" id="ws-live"></section>
      </div>
    </Layout>
  );
}
