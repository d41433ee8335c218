/** `/practice`: the training path with its modules (mastery bars, reading, cases), every case, generated cases. */
import type { Skill } from "../../core/practice/index.js";
import type { LearnerProgress, ScenarioSummary } from "../../services/practice.js";
import { Badge, Bar, CitationList, percent } from "../components.js";
import { translator, type Lang, type MessageKey } from "../i18n.js";
import { Layout, href, type PageContext } from "../layout.js";

export interface PathView {
  id: string;
  title: string;
  title_ja?: string;
  description?: string;
  modules: Array<{
    id: string;
    title: string;
    title_ja?: string;
    description?: string;
    skills: Skill[];
    masteryThreshold: number;
    reading: Array<{ chunkId: string; documentId: string; title: string; date: string | null; quote: string; url: string; note?: string }>;
    cases: Array<{ id: string; type: string; title: string; title_ja?: string; skill: string; difficulty: number }>;
  }>;
}

export function localized(lang: Lang, en: string, ja: string | undefined): string {
  return lang === "ja" && ja ? ja : en;
}

export function skillLabel(lang: Lang, skill: string): string {
  const t = translator(lang);
  const key = `skill.${skill}` as MessageKey;
  const text = t(key);
  return text === key ? skill : text;
}

export function typeLabel(lang: Lang, type: string): string {
  const t = translator(lang);
  const key = `type.${type}` as MessageKey;
  const text = t(key);
  return text === key ? type : text;
}

export function round2(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The learner's best ratio per case (for "best 9/12" next to each case). */
function bestScores(progress: LearnerProgress | undefined): Map<string, { score: number; maxScore: number; passed: boolean }> {
  const best = new Map<string, { score: number; maxScore: number; passed: boolean }>();
  for (const h of progress?.history ?? []) {
    const prev = best.get(h.scenarioId);
    if (!prev || h.score / (h.maxScore || 1) > prev.score / (prev.maxScore || 1)) best.set(h.scenarioId, { score: h.score, maxScore: h.maxScore, passed: h.passed });
  }
  return best;
}

function CaseLink(props: { page: PageContext; c: { id: string; type: string; title: string; title_ja?: string; difficulty: number }; best?: { score: number; maxScore: number; passed: boolean } }) {
  const { page, c, best } = props;
  const t = translator(page.lang);
  return (
    <li class="case-link">
      <a href={href(page, `/practice/${encodeURIComponent(c.id)}`)}>{localized(page.lang, c.title, c.title_ja)}</a>{" "}
      <Badge>{typeLabel(page.lang, c.type)}</Badge> <span class="difficulty" title={t("practice.difficulty", { n: c.difficulty })} aria-label={t("practice.difficulty", { n: c.difficulty })}>{"●".repeat(c.difficulty) + "○".repeat(3 - c.difficulty)}</span>
      {best ? (
        <>
          {" "}
          <Badge tone={best.passed ? "ok" : "warn"}>{t("practice.best", { score: `${round2(best.score)}/${round2(best.maxScore)}` })}</Badge>
        </>
      ) : null}
    </li>
  );
}

export function StartForm(props: { page: PageContext; error?: string; action: string }) {
  const t = translator(props.page.lang);
  return (
    <form class="card start-form" method="post" action={props.action}>
      <h2>{t("practice.start")}</h2>
      <p class="muted">{t("practice.startIntro")}</p>
      {props.error ? (
        <p class="error-box" role="alert">
          {props.error}
        </p>
      ) : null}
      <label for="displayName">{t("practice.displayName")}</label>
      <div class="form-row">
        <input type="text" id="displayName" name="displayName" required maxlength={80} autocomplete="nickname" style="flex:1 1 14rem" />
        <button type="submit">{t("practice.start")}</button>
      </div>
    </form>
  );
}

export function MasteryBars(props: { page: PageContext; mastery: LearnerProgress["mastery"] }) {
  const t = translator(props.page.lang);
  return (
    <ul class="mastery-list">
      {props.mastery.map((m) => {
        const label = skillLabel(props.page.lang, m.skill);
        return (
          <li>
            <div class="mastery-head">
              <span>{label}</span>
              <span class="muted small">
                {percent(m.pL)} · {t("progress.attempts", { n: m.attempts, passed: m.passed })}
              </span>
            </div>
            <Bar value={m.pL} label={t("practice.masteryOf", { skill: label, value: percent(m.pL) })} />
          </li>
        );
      })}
    </ul>
  );
}

export function PracticePage(props: {
  page: PageContext;
  now: Date;
  learnerName?: string;
  progress?: LearnerProgress;
  paths: PathView[];
  scenarios: ScenarioSummary[];
  seeds: { mill: number; level: number };
  startError?: string;
}) {
  const { page, progress } = props;
  const t = translator(page.lang);
  const best = bestScores(progress);
  const moduleProgress = (pathId: string, moduleId: string) => progress?.paths.find((p) => p.pathId === pathId)?.modules.find((m) => m.id === moduleId);
  const bySkill = new Map<string, ScenarioSummary[]>();
  for (const s of props.scenarios) bySkill.set(s.skill, [...(bySkill.get(s.skill) ?? []), s]);
  return (
    <Layout page={page} title={t("practice.title")} nav="practice">
      <h1>{t("practice.title")}</h1>
      <p class="lead">{t("practice.intro")}</p>

      {props.learnerName ? (
        <p class="signed-in">{t("practice.signedInAs", { name: props.learnerName })}</p>
      ) : (
        <StartForm page={page} error={props.startError} action={href(page, "/practice")} />
      )}

      {progress?.next ? (
        <section class="card next-case" aria-labelledby="next-title">
          <h2 id="next-title">{t("practice.next")}</h2>
          <p>
            <strong>{progress.next.title}</strong> <Badge>{typeLabel(page.lang, progress.next.type)}</Badge>
          </p>
          <p class="muted small">
            {progress.next.reason === "review" ? t("practice.nextReview") : t("practice.nextWeakest", { skill: skillLabel(page.lang, progress.next.skill) })}
          </p>
          <p>
            <a class="button" href={href(page, `/practice/${encodeURIComponent(progress.next.scenarioId)}`)}>
              {t("practice.openCase")}
            </a>
          </p>
        </section>
      ) : null}

      {progress ? (
        <section aria-labelledby="mastery-title">
          <h2 id="mastery-title">{t("practice.mastery")}</h2>
          <MasteryBars page={page} mastery={progress.mastery} />
        </section>
      ) : null}

      {props.paths.map((path) => (
        <section class="path" aria-labelledby={`path-${path.id}`}>
          <h2 id={`path-${path.id}`}>
            <span class="muted small">{t("practice.paths")}: </span>
            {localized(page.lang, path.title, path.title_ja)}
          </h2>
          {path.description ? <p class="muted">{path.description}</p> : null}
          <ol class="modules">
            {path.modules.map((m, i) => {
              const mp = moduleProgress(path.id, m.id);
              const status = mp?.status ?? (i === 0 ? "current" : "upcoming");
              const title = localized(page.lang, m.title, m.title_ja);
              return (
                <li class={`module card status-${status}`} id={`module-${m.id}`}>
                  <div class="module-head">
                    <h3>
                      <span class="muted small">{t("practice.module", { n: i + 1 })} · </span>
                      {title}
                    </h3>
                    <Badge tone={status === "complete" ? "ok" : status === "current" ? "accent" : undefined}>{t(`practice.status.${status}`)}</Badge>
                  </div>
                  {m.description ? <p class="small muted">{m.description}</p> : null}
                  <p class="small">{m.skills.map((s) => skillLabel(page.lang, s)).join(" · ")}</p>
                  {mp ? (
                    <>
                      <Bar value={mp.mastery} threshold={mp.threshold} label={t("practice.moduleMastery", { value: percent(mp.mastery), threshold: percent(mp.threshold) })} />
                      <p class="small muted">
                        {t("practice.moduleMastery", { value: percent(mp.mastery), threshold: percent(mp.threshold) })} ·{" "}
                        {t("practice.casesProgress", { attempted: mp.casesAttempted, total: mp.casesTotal, passed: mp.casesPassed })}
                      </p>
                    </>
                  ) : null}
                  {m.reading.length ? (
                    <details class="reading">
                      <summary>
                        {t("practice.reading")} ({m.reading.length})
                      </summary>
                      <CitationList page={page} now={props.now} citations={m.reading.map((r, k) => ({ n: k + 1, title: r.title, date: r.date, quote: r.quote, url: r.url }))} />
                    </details>
                  ) : null}
                  <h4 class="small">{t("practice.cases")}</h4>
                  <ul class="case-list">
                    {m.cases.map((c) => (
                      <CaseLink page={page} c={c} best={best.get(c.id)} />
                    ))}
                  </ul>
                </li>
              );
            })}
          </ol>
        </section>
      ))}

      <section aria-labelledby="generated-title" class="card">
        <h2 id="generated-title">{t("practice.generated")}</h2>
        <p class="muted">{t("practice.generatedIntro")}</p>
        <p class="form-row">
          <a class="button secondary" href={href(page, `/practice/gen-mill-${props.seeds.mill}`)}>
            {t("practice.newMill")}
          </a>
          <a class="button secondary" href={href(page, `/practice/gen-level-${props.seeds.level}`)}>
            {t("practice.newLevel")}
          </a>
        </p>
      </section>

      <details class="all-cases" open={!progress}>
        <summary>
          <h2 id="all-title">{t("practice.allCases")} ({props.scenarios.length})</h2>
        </summary>
        {props.scenarios.length === 0 ? <p class="notice warn">{t("practice.noCases")}</p> : null}
        {[...bySkill.entries()].map(([skill, cases]) => (
          <>
            <h3>{skillLabel(page.lang, skill)}</h3>
            <ul class="case-list">
              {cases
                .slice()
                .sort((a, b) => a.difficulty - b.difficulty || a.title.localeCompare(b.title))
                .map((c) => (
                  <CaseLink page={page} c={c} best={best.get(c.id)} />
                ))}
            </ul>
          </>
        ))}
      </details>
    </Layout>
  );
}
