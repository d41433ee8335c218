/** `/progress`: mastery per skill as an inline SVG chart (with the same figures as a table), history, reviews, path progress. */
import type { LearnerProgress } from "../../services/practice.js";
import { Badge, percent } from "../components.js";
import { translator, type Lang } from "../i18n.js";
import { Layout, href, type PageContext } from "../layout.js";
import { localized, round2, skillLabel, typeLabel } from "./practice.js";

/** "2026-05-01 10:22 UTC" */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * Horizontal bars, one per skill: the label above its bar, the value at the right end, and a tick at
 * the mastery the training path asks of that skill. Scales with its container (viewBox).
 */
export function MasteryChart(props: { lang: Lang; mastery: LearnerProgress["mastery"]; thresholds: Record<string, number> }) {
  const t = translator(props.lang);
  const width = 640;
  const barX = 0;
  const barW = 560;
  const rowH = 46;
  const top = 8;
  const height = top + rowH * props.mastery.length + 8;
  const ticks = Object.values(props.thresholds);
  const typical = ticks.length ? Math.max(...ticks) : undefined;
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMinYMin meet">
      <title id="chart-title">{t("progress.chartTitle")}</title>
      <desc id="chart-desc">{t("progress.chartDesc", { threshold: typical !== undefined ? percent(typical) : "—" })}</desc>
      {props.mastery.map((m, i) => {
        const y = top + i * rowH;
        const v = Math.max(0, Math.min(1, m.pL));
        const th = props.thresholds[m.skill];
        const reached = th !== undefined && v >= th;
        return (
          <g class="chart-row" data-skill={m.skill}>
            <text x={barX} y={y + 13} class="chart-label">
              {skillLabel(props.lang, m.skill)}
            </text>
            <rect x={barX} y={y + 20} width={barW} height={14} rx={7} class="chart-track" />
            <rect x={barX} y={y + 20} width={Math.max(v * barW, v > 0 ? 4 : 0).toFixed(1)} height={14} rx={7} class={reached ? "chart-bar reached" : "chart-bar"} />
            {th !== undefined ? <line x1={barX + th * barW} x2={barX + th * barW} y1={y + 16} y2={y + 38} class="chart-threshold" /> : null}
            <text x={barX + barW + 8} y={y + 32} class="chart-value">
              {percent(v)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface BadgeLink {
  id: string;
  name: string;
  issuedAt: Date;
  revoked: boolean;
}

/** The learner's credentials, each with its JSON and JWT downloads and the verify page. */
function BadgeList(props: { page: PageContext; badges: BadgeLink[] }) {
  const { page } = props;
  const t = translator(page.lang);
  if (!props.badges.length) return null;
  return (
    <section class="card" aria-labelledby="badges-heading">
      <h2 id="badges-heading">{t("progress.badgesTitle")}</h2>
      <p class="small muted">{t("progress.badgesIntro")}</p>
      <ul class="badges">
        {props.badges.map((b) => (
          <li>
            <strong>{b.name}</strong> <span class="muted small">{b.issuedAt.toISOString().slice(0, 10)}</span>
            {b.revoked ? <span class="small"> ({t("progress.badgeRevoked")})</span> : null}{" "}
            <a href={href(page, `/badges/${encodeURIComponent(b.id)}.json`)}>JSON</a> · <a href={href(page, `/badges/${encodeURIComponent(b.id)}.jwt`)}>JWT</a> ·{" "}
            <a href={href(page, `/badges/verify?id=${encodeURIComponent(b.id)}`)}>{t("progress.badgeVerify")}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ProgressPage(props: { page: PageContext; learnerName?: string; progress?: LearnerProgress; thresholds: Record<string, number>; badges?: BadgeLink[] }) {
  const { page, progress } = props;
  const t = translator(page.lang);
  if (!progress) {
    return (
      <Layout page={page} title={t("progress.title")} nav="progress">
        <h1>{t("progress.title")}</h1>
        <p class="notice">{t("progress.needSession")}</p>
        <p>
          <a class="button" href={href(page, "/practice")}>
            {t("practice.start")}
          </a>
        </p>
      </Layout>
    );
  }
  return (
    <Layout page={page} title={t("progress.title")} nav="progress">
      <h1>{t("progress.title")}</h1>
      <p class="lead">
        {t("progress.intro")} {props.learnerName ? <span class="muted">({props.learnerName})</span> : null}
      </p>

      <BadgeList page={page} badges={props.badges ?? []} />

      <section class="card" aria-labelledby="chart-heading">
        <h2 id="chart-heading">{t("progress.chartTitle")}</h2>
        <MasteryChart lang={page.lang} mastery={progress.mastery} thresholds={props.thresholds} />
        <table class="plain-table small mastery-table">
          <thead>
            <tr>
              <th scope="col">{t("progress.skill")}</th>
              <th scope="col" class="num">{t("progress.mastery")}</th>
              <th scope="col">{t("progress.history")}</th>
            </tr>
          </thead>
          <tbody>
            {progress.mastery.map((m) => (
              <tr>
                <th scope="row">{skillLabel(page.lang, m.skill)}</th>
                <td class="num">{percent(m.pL)}</td>
                <td>{t("progress.attempts", { n: m.attempts, passed: m.passed })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {progress.paths.map((p) => (
        <section class="card" aria-label={localized(page.lang, p.title, p.title_ja)}>
          <h2>{localized(page.lang, p.title, p.title_ja)}</h2>
          <p>{t("progress.modules", { done: p.modules.filter((m) => m.complete || m.completedAt).length, total: p.modules.length })}</p>
          <ol class="module-steps">
            {p.modules.map((m) => (
              <li class={`status-${m.status}`}>
                <a href={href(page, `/practice#module-${m.id}`)}>{localized(page.lang, m.title, m.title_ja)}</a> <Badge tone={m.status === "complete" ? "ok" : m.status === "current" ? "accent" : undefined}>{t(`practice.status.${m.status}`)}</Badge>
              </li>
            ))}
          </ol>
        </section>
      ))}

      {progress.reviews.length ? (
        <section aria-labelledby="reviews-title">
          <h2 id="reviews-title">{t("progress.reviews")}</h2>
          <ul class="case-list">
            {progress.reviews.map((r) => (
              <li>
                <a href={href(page, `/practice/${encodeURIComponent(r.scenarioId)}`)}>{r.title}</a> <Badge tone={r.due ? "warn" : undefined}>{r.due ? t("progress.due") : t("progress.dueAt", { date: r.dueAt.slice(0, 10) })}</Badge>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("progress.history")}</h2>
        {progress.history.length === 0 ? (
          <p class="muted">{t("progress.noHistory")}</p>
        ) : (
          <div class="table-wrap">
            <table class="plain-table history">
              <thead>
                <tr>
                  <th scope="col">{t("progress.when")}</th>
                  <th scope="col">{t("progress.case")}</th>
                  <th scope="col">{t("progress.skill")}</th>
                  <th scope="col" class="num">{t("progress.score")}</th>
                  <th scope="col">{t("progress.result")}</th>
                </tr>
              </thead>
              <tbody>
                {progress.history.map((h) => (
                  <tr>
                    <td class="nowrap">
                      <time datetime={h.at}>{when(h.at)}</time>
                    </td>
                    <td>
                      <a href={href(page, `/practice/${encodeURIComponent(h.scenarioId)}?attempt=${encodeURIComponent(h.attemptId)}#feedback`)}>{h.title}</a> <span class="muted small">{typeLabel(page.lang, h.type)}</span>
                    </td>
                    <td>{skillLabel(page.lang, h.skill)}</td>
                    <td class="num">
                      {round2(h.score)} / {round2(h.maxScore)}
                    </td>
                    <td>
                      <Badge tone={h.passed ? "ok" : "warn"}>{h.passed ? t("case.passed") : t("case.notPassed")}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}
