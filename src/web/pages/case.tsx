/**
 * `/practice/:id`: a case. The dossier is laid out like the papers an officer has on the desk (the
 * application form, the institution's record, the transcript, the website as a browser shows it, the
 * notes on the scanned documents, the correspondence); then the answer form for the case type; after
 * an attempt, the graded feedback with superscript citations and the cited sources.
 */
import type { Child } from "hono/jsx";
import { PASS_RATIO, type Dossier } from "../../core/practice/index.js";
import type { AttemptItem, FormField, PracticeCitation, publicScenario } from "../../services/practice.js";
import { Badge, Bar, CitationList, CiteSup, percent } from "../components.js";
import { translator, type MessageKey, type Translate } from "../i18n.js";
import { Layout, href, type PageContext } from "../layout.js";
import { localized, round2, skillLabel, typeLabel } from "./practice.js";

export type PublicCase = ReturnType<typeof publicScenario>;

export interface AttemptView {
  attemptId: string;
  score: number;
  maxScore: number;
  passed: boolean;
  items: AttemptItem[];
}

/** Form values as submitted or stored: field -> string | string[]. */
export type FormValues = Record<string, string | string[] | undefined>;

function Row(props: { t: Translate; k: MessageKey; value?: string }) {
  if (!props.value) return null;
  return (
    <>
      <dt>{props.t(props.k)}</dt>
      <dd>{props.value}</dd>
    </>
  );
}

function Sheet(props: { title: string; kind: string; children?: Child; aside?: Child }) {
  return (
    <section class={`sheet sheet-${props.kind}`} aria-label={props.title}>
      <header class="sheet-head">
        <span>{props.title}</span>
        {props.aside}
      </header>
      <div class="sheet-body">{props.children}</div>
    </section>
  );
}

export function DossierView(props: { page: PageContext; dossier: Dossier }) {
  const t = translator(props.page.lang);
  const d = props.dossier;
  const a = d.applicant;
  const programme = d.programme || d.award || d.programme_length || d.mode_of_study || d.admission_requirements || d.credits || d.fees;
  return (
    <div class="dossier">
      {a ? (
        <Sheet title={t("dossier.applicant")} kind="applicant">
          <dl class="fields">
            <Row t={t} k="dossier.name" value={a.name} />
            <Row t={t} k="dossier.nationality" value={a.nationality} />
            <Row t={t} k="dossier.born" value={a.born} />
            <Row t={t} k="dossier.status" value={a.status} />
            <Row t={t} k="dossier.applying_for" value={a.applying_for} />
          </dl>
        </Sheet>
      ) : null}
      <Sheet title={t("dossier.institution")} kind="institution">
        <p class="institution-name">{d.institution}</p>
        {d.institution_local ? <p class="institution-local">{d.institution_local}</p> : null}
        <dl class="fields">
          <Row t={t} k="dossier.institution_type" value={d.institution_type} />
          <Row t={t} k="dossier.country" value={d.country} />
          <Row t={t} k="dossier.city" value={d.city} />
          <Row t={t} k="dossier.address" value={d.address} />
          <Row t={t} k="dossier.claimed_accreditor" value={d.claimed_accreditor} />
          <Row t={t} k="dossier.claimed_recognition" value={d.claimed_recognition} />
          <Row t={t} k="dossier.website" value={d.website} />
          <Row t={t} k="dossier.contact" value={d.contact} />
        </dl>
      </Sheet>
      {programme ? (
        <Sheet title={t("dossier.programmeSection")} kind="programme">
          <dl class="fields">
            <Row t={t} k="dossier.programme" value={d.programme} />
            <Row t={t} k="dossier.award" value={d.award} />
            <Row t={t} k="dossier.programme_length" value={d.programme_length} />
            <Row t={t} k="dossier.mode_of_study" value={d.mode_of_study} />
            <Row t={t} k="dossier.admission_requirements" value={d.admission_requirements} />
            <Row t={t} k="dossier.credits" value={d.credits} />
            <Row t={t} k="dossier.fees" value={d.fees} />
          </dl>
        </Sheet>
      ) : null}
      {d.dates?.length ? (
        <Sheet title={t("dossier.dates")} kind="dates">
          <table class="plain-table">
            <thead>
              <tr>
                <th scope="col">{t("dossier.date")}</th>
                <th scope="col">{t("dossier.event")}</th>
              </tr>
            </thead>
            <tbody>
              {d.dates.map((x) => (
                <tr>
                  <td class="nowrap">{x.date}</td>
                  <td>{x.event}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Sheet>
      ) : null}
      {d.transcript?.length ? (
        <Sheet title={t("dossier.transcript")} kind="transcript" aside={<span class="muted small">{d.institution}</span>}>
          <div class="table-wrap">
            <table class="plain-table transcript">
              <thead>
                <tr>
                  <th scope="col">{t("dossier.course")}</th>
                  <th scope="col">{t("dossier.term")}</th>
                  <th scope="col" class="num">{t("dossier.courseCredits")}</th>
                  <th scope="col" class="num">{t("dossier.hours")}</th>
                  <th scope="col">{t("dossier.grade")}</th>
                </tr>
              </thead>
              <tbody>
                {d.transcript.map((r) => (
                  <tr>
                    <td>{r.course}</td>
                    <td>{r.term ?? ""}</td>
                    <td class="num">{r.credits !== undefined ? `${r.credits}${r.unit ? ` ${r.unit}` : ""}` : ""}</td>
                    <td class="num">{r.hours ?? ""}</td>
                    <td>{r.grade ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {d.grading_scale ? (
            <p class="small">
              <strong>{t("dossier.grading_scale")}:</strong> {d.grading_scale}
            </p>
          ) : null}
        </Sheet>
      ) : d.grading_scale ? (
        <Sheet title={t("dossier.grading_scale")} kind="scale">
          <p>{d.grading_scale}</p>
        </Sheet>
      ) : null}
      {d.website_notes?.length ? (
        <section class="browser" aria-label={t("dossier.website_notes")}>
          <div class="browser-bar" aria-hidden="true">
            <span class="dots">● ● ●</span>
            <span class="address">{d.website ?? d.institution}</span>
          </div>
          <div class="browser-body">
            <p class="small muted">{t("dossier.website_notes")}</p>
            <ul>
              {d.website_notes.map((n) => (
                <li>{n}</li>
              ))}
            </ul>
          </div>
        </section>
      ) : null}
      {d.document_notes?.length ? (
        <Sheet title={t("dossier.document_notes")} kind="scans">
          <ul class="scan-notes">
            {d.document_notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </Sheet>
      ) : null}
      {d.correspondence?.length ? (
        <Sheet title={t("dossier.correspondence")} kind="mail">
          {d.correspondence.map((m) => (
            <blockquote class="mail">{m}</blockquote>
          ))}
        </Sheet>
      ) : null}
      {d.notes ? (
        <aside class="sticky-note" aria-label={t("dossier.notes")}>
          <strong>{t("dossier.notes")}:</strong> {d.notes}
        </aside>
      ) : null}
    </div>
  );
}

function optionLabel(page: PageContext, o: { en: string; ja: string }): string {
  return page.lang === "ja" ? o.ja : o.en;
}

/** The label of an answer field in the page's language (the field id when there is none). */
export function fieldLabel(t: Translate, field: string): string {
  const key = `field.${field}` as MessageKey;
  const text = t(key);
  return text === key ? field : text;
}

/** One field of the answer form for a case (shared by the practice page and the workshop room). */
export function AnswerField(props: { page: PageContext; f: FormField; values: FormValues }) {
  const { page, f, values } = props;
  const t = translator(page.lang);
  const label = fieldLabel(t, f.field);
  const need = f.required ? t("case.required") : t("case.optional");
  const value = values[f.field];
  const selected = new Set((Array.isArray(value) ? value : value !== undefined ? [value] : []).map(String));
  const id = `f-${f.field}`;
  if (f.kind === "text") {
    const long = f.field === "justification";
    return (
      <div class="field">
        <label for={id}>
          {label} <span class="muted small">({need})</span>
        </label>
        {long ? (
          <>
            <textarea id={id} name={f.field} rows={4} maxlength={8000} aria-describedby={`${id}-hint`}>
              {typeof value === "string" ? value : ""}
            </textarea>
            <p class="hint" id={`${id}-hint`}>
              {t("field.justificationHint")}
            </p>
          </>
        ) : (
          <input type="text" id={id} name={f.field} value={typeof value === "string" ? value : ""} maxlength={200} />
        )}
      </div>
    );
  }
  if (f.kind === "number") {
    return (
      <div class="field">
        <label for={id}>
          {label} <span class="muted small">({need})</span>
        </label>
        <input type="text" inputmode="decimal" id={id} name={f.field} value={typeof value === "string" ? value : ""} required={f.required} style="max-width:12rem" />
      </div>
    );
  }
  const options = f.options ?? [];
  if (f.kind === "choice" && !f.required) {
    return (
      <div class="field">
        <label for={id}>
          {label} <span class="muted small">({need})</span>
        </label>
        <select id={id} name={f.field}>
          <option value="">—</option>
          {options.map((o) => (
            <option value={String(o.id)} selected={selected.has(String(o.id))}>
              {optionLabel(page, o)}
            </option>
          ))}
        </select>
      </div>
    );
  }
  const multi = f.kind === "multi";
  return (
    <fieldset class={`field ${multi ? "checks" : "radios"}`}>
      <legend>
        {label} <span class="muted small">({need})</span>
      </legend>
      <div class={multi && options.length > 6 ? "option-grid" : "option-list"}>
        {options.map((o) => (
          <label class="option">
            <input type={multi ? "checkbox" : "radio"} name={f.field} value={String(o.id)} checked={selected.has(String(o.id))} required={!multi && f.required} />
            <span>{optionLabel(page, o)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** One graded rubric item: label, points, status, cited feedback (practice page and workshop room). */
export function FeedbackItem(props: { page: PageContext; item: AttemptItem }) {
  const { page, item } = props;
  const t = translator(page.lang);
  return (
    <li class={`item status-${item.status}`}>
      <div class="item-head">
        <span class="item-label">{localized(page.lang, item.label, item.label_ja)}</span>
        <span class="item-points">
          {round2(item.earned)} / {round2(item.max)}
        </span>
        <Badge tone={item.status === "correct" ? "ok" : item.status === "partial" ? "warn" : "bad"}>{t(`case.status.${item.status}`)}</Badge>
      </div>
      <p class="item-feedback">
        {localized(page.lang, item.feedback, item.feedback_ja)}
        {item.citations.map((c) => (
          <CiteSup page={page} citation={c} />
        ))}
      </p>
      {item.details?.length ? (
        <ul class="item-details small muted">
          {item.details.map((d) => (
            <li>{d}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The graded items of an attempt, then each cited source once (practice page and workshop room). */
export function GradedItems(props: { page: PageContext; now: Date; items: AttemptItem[] }) {
  const { page } = props;
  const t = translator(page.lang);
  const citations = new Map<number, PracticeCitation>();
  for (const item of props.items) for (const c of item.citations) if (!citations.has(c.n)) citations.set(c.n, c);
  return (
    <>
      <ol class="items">
        {props.items.map((item) => (
          <FeedbackItem page={page} item={item} />
        ))}
      </ol>
      {citations.size ? (
        <>
          <h3 class="small">{t("case.sources")}</h3>
          <CitationList page={page} now={props.now} citations={[...citations.values()].sort((a, b) => a.n - b.n)} />
        </>
      ) : null}
    </>
  );
}

function FeedbackView(props: { page: PageContext; now: Date; attempt: AttemptView; completed: string[]; nextHref?: string; anotherHref?: string }) {
  const { page, attempt } = props;
  const t = translator(page.lang);
  const ratio = attempt.maxScore > 0 ? attempt.score / attempt.maxScore : 0;
  return (
    <section id="feedback" class="card feedback-panel" aria-labelledby="feedback-title" tabindex={-1}>
      <h2 id="feedback-title">{t("case.feedback")}</h2>
      <p class="score-line">
        <strong class="score">{t("case.score", { score: round2(attempt.score), max: round2(attempt.maxScore) })}</strong>{" "}
        <Badge tone={attempt.passed ? "ok" : "warn"}>{attempt.passed ? t("case.passed") : t("case.notPassed")}</Badge>
      </p>
      <Bar value={ratio} label={t("case.score", { score: round2(attempt.score), max: round2(attempt.maxScore) })} />
      {props.completed.map((m) => (
        <p class="notice" role="status">
          {t("case.moduleComplete", { module: m })}
        </p>
      ))}
      <GradedItems page={page} now={props.now} items={attempt.items} />
      <p class="muted small">{t("case.tryAgain")}</p>
      <p class="form-row">
        {props.nextHref ? (
          <a class="button" href={props.nextHref}>
            {t("case.nextCase")}
          </a>
        ) : null}
        {props.anotherHref ? (
          <a class="button secondary" href={props.anotherHref}>
            {t("case.anotherGenerated")}
          </a>
        ) : null}
      </p>
    </section>
  );
}

export function CasePage(props: {
  page: PageContext;
  now: Date;
  scenario: PublicCase;
  learnerName?: string;
  values: FormValues;
  error?: string;
  notice?: string;
  attempt?: AttemptView;
  completed?: string[];
  nextHref?: string;
  anotherHref?: string;
}) {
  const { page, scenario: s } = props;
  const t = translator(page.lang);
  const self = href(page, `/practice/${encodeURIComponent(s.id)}`);
  return (
    <Layout page={page} title={localized(page.lang, s.title, s.title_ja)} nav="practice">
      <p class="small">
        <a href={href(page, "/practice")}>← {t("case.back")}</a>
      </p>
      <h1>{localized(page.lang, s.title, s.title_ja)}</h1>
      <p class="case-meta">
        <Badge>{typeLabel(page.lang, s.type)}</Badge> <Badge>{skillLabel(page.lang, s.skill)}</Badge> <Badge>{t("practice.difficulty", { n: s.difficulty })}</Badge>
        {s.generated && s.seed !== undefined ? (
          <>
            {" "}
            <Badge>{t("case.generatedCase", { seed: s.seed })}</Badge>
          </>
        ) : null}
      </p>
      {props.notice ? <p class="notice warn">{props.notice}</p> : null}
      {props.attempt ? <FeedbackView page={page} now={props.now} attempt={props.attempt} completed={props.completed ?? []} nextHref={props.nextHref} anotherHref={props.anotherHref} /> : null}

      <section class="question card" aria-labelledby="question-title">
        <h2 id="question-title" class="small muted">
          {t("case.question")}
        </h2>
        <p class="question-text">{localized(page.lang, s.question, s.question_ja)}</p>
      </section>

      <section aria-labelledby="dossier-title">
        <h2 id="dossier-title">{t("case.dossier")}</h2>
        <DossierView page={page} dossier={s.dossier} />
      </section>

      <form class="card answer-form" id="answer" method="post" action={`${self}#feedback`} aria-labelledby="answer-title">
        <h2 id="answer-title">{t("case.answer")}</h2>
        {props.error ? (
          <p class="error-box" role="alert" id="answer-error">
            {props.error}
          </p>
        ) : null}
        {props.attempt ? <p class="muted small">{t("case.yourAnswerKept")}</p> : null}
        {!props.learnerName ? (
          <div class="field">
            <label for="displayName">{t("practice.displayName")}</label>
            <p class="hint">{t("practice.startIntro")}</p>
            <input type="text" id="displayName" name="displayName" required maxlength={80} autocomplete="nickname" value={typeof props.values.displayName === "string" ? props.values.displayName : ""} />
          </div>
        ) : (
          <p class="muted small">{t("practice.signedInAs", { name: props.learnerName })}</p>
        )}
        <input type="hidden" name="startedAt" value={props.now.toISOString()} />
        {s.form.map((f) => (
          <AnswerField page={page} f={f} values={props.values} />
        ))}
        <div class="form-row">
          <button type="submit">{props.attempt ? t("case.submitAgain") : t("case.submit")}</button>
        </div>
        <p class="muted small">{t("case.scoring", { max: round2(s.maxScore), pass: percent(PASS_RATIO) })}</p>
      </form>
    </Layout>
  );
}

export function CaseNotFoundPage(props: { page: PageContext; id: string }) {
  const t = translator(props.page.lang);
  return (
    <Layout page={props.page} title={t("case.notFoundTitle")} nav="practice">
      <h1>{t("case.notFoundTitle")}</h1>
      <p class="notice error" role="alert">
        {t("case.notFound", { id: props.id })}
      </p>
      <p>
        <a href={href(props.page, "/practice")}>← {t("case.back")}</a>
      </p>
    </Layout>
  );
}
