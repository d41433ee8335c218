/** Small shared pieces of the pages: bars, badges, dates with their age, citation links and lists. */
import type { Child } from "hono/jsx";
import { sourceAge, translator, type Lang } from "./i18n.js";
import { href, type PageContext } from "./layout.js";

export function percent(value: number): string {
  return `${Math.round(Math.max(0, Math.min(1, value)) * 100)}%`;
}

/** A horizontal bar for a value in [0, 1], announced as a meter; an optional threshold tick. */
export function Bar(props: { value: number; label: string; threshold?: number; class?: string }) {
  const v = Math.max(0, Math.min(1, props.value));
  return (
    <div class={`bar${props.class ? ` ${props.class}` : ""}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(v * 100)} aria-valuetext={percent(v)} aria-label={props.label}>
      <span style={`width:${(v * 100).toFixed(1)}%`}></span>
      {props.threshold !== undefined ? <i class="bar-threshold" style={`left:${(Math.max(0, Math.min(1, props.threshold)) * 100).toFixed(1)}%`} aria-hidden="true"></i> : null}
    </div>
  );
}

export function Badge(props: { children?: Child; tone?: "ok" | "warn" | "bad" | "accent" }) {
  return <span class={`badge${props.tone ? ` ${props.tone}` : ""}`}>{props.children}</span>;
}

/** A source's date with how old it is ("2019-04-01 (7 years old)"), or "undated". */
export function SourceDate(props: { lang: Lang; date?: string | null; now: Date }) {
  const t = translator(props.lang);
  if (!props.date) return <span class="source-date">{t("chat.undated")}</span>;
  const age = sourceAge(props.lang, props.date, props.now);
  const old = age !== undefined && /^\d{4}/.test(props.date) && props.now.getUTCFullYear() - Number(props.date.slice(0, 4)) >= 3;
  return (
    <span class={`source-date${old ? " old" : ""}`}>
      <time datetime={props.date}>{props.date}</time>
      {age ? ` (${age})` : null}
    </span>
  );
}

export interface CitationView {
  n: number;
  title: string;
  date?: string | null;
  quote: string;
  /** Root-relative viewer URL (`/sources/...`), as the APIs return it. */
  url: string;
}

/** A link from the page to a root-relative app URL (a citation's), keeping the language. */
export function appLink(page: PageContext, url: string): string | undefined {
  if (!url.startsWith("/") || url.startsWith("//")) return undefined;
  return href(page, url);
}

/** `[n]` as a superscript link to the cited passage. */
export function CiteSup(props: { page: PageContext; citation: CitationView }) {
  const t = translator(props.page.lang);
  const link = appLink(props.page, props.citation.url);
  const label = t("chat.citation", { n: props.citation.n, title: props.citation.title });
  return <sup>{link ? <a class="cite" href={link} aria-label={label} title={label}>{props.citation.n}</a> : props.citation.n}</sup>;
}

/** The numbered list of sources: title (link to the passage), date and age, quoted text. */
export function CitationList(props: { page: PageContext; citations: CitationView[]; now: Date }) {
  const t = translator(props.page.lang);
  return (
    <ol class="sources">
      {props.citations.map((c) => {
        const link = appLink(props.page, c.url);
        return (
          <li value={c.n}>
            <div class="source-head">
              {link ? <a class="source-title" href={link} title={t("chat.openSource")}>{c.title}</a> : <span class="source-title">{c.title}</span>}
              <SourceDate lang={props.page.lang} date={c.date} now={props.now} />
            </div>
            <blockquote class="source-quote">{c.quote}</blockquote>
          </li>
        );
      })}
    </ol>
  );
}
