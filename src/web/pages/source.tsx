/** The source viewer at `/sources/:documentId?chunk=<chunkId>`: the whole document, the cited passage highlighted. */
import type { Chunk, DocumentMeta } from "../../core/types.js";
import { sourceAge, translator, type MessageKey } from "../i18n.js";
import { Layout, href, type PageContext } from "../layout.js";
import { DocumentBody, type Highlight } from "../markdown.js";
import type { QuoteRange } from "../urls.js";

/** Only http(s) links from document metadata become links; anything else is shown as text. */
export function safeExternalUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export interface SourcePageProps {
  page: PageContext;
  now: Date;
  document: DocumentMeta;
  body: string;
  /** The cited passage, when the `chunk` parameter names a passage of this document. */
  chunk?: Chunk;
  /** The requested chunk id when it is not a passage of this document. */
  unknownChunk?: string;
  quote?: QuoteRange;
  /** Whether another document id exists (links a card's sources to their documents). */
  hasDocument: (id: string) => boolean;
}

export function SourcePage(props: SourcePageProps) {
  const { page, document: doc, chunk } = props;
  const t = translator(page.lang);
  const age = sourceAge(page.lang, doc.date, props.now);
  const kindKey = `kind.${doc.kind}` as MessageKey;
  const kind = t(kindKey) === kindKey ? doc.kind : t(kindKey);
  const external = safeExternalUrl(doc.url);
  const headingPath = chunk ? chunk.headingPath.filter((h, i) => !(i === 0 && h === doc.title)) : [];
  let highlight: Highlight | undefined;
  if (chunk) {
    highlight = { id: chunk.id, start: chunk.start, end: chunk.end };
    const q = props.quote;
    if (q && q.end <= chunk.end - chunk.start) highlight.quote = { start: chunk.start + q.start, end: chunk.start + q.end };
  }
  return (
    <Layout page={page} title={doc.title}>
      <article class="source" aria-labelledby="doc-title">
        <p class="doc-actions small">
          <a href={href(page, "/")}>← {t("source.back")}</a>
          {chunk ? <a href={`#${encodeURIComponent(chunk.id)}`}>{t("source.jump")}</a> : null}
        </p>
        <p class="muted small">{t("source.title")}</p>
        <h1 id="doc-title" lang={doc.language}>
          {doc.title}
        </h1>
        <dl class="doc-meta">
          {doc.publisher ? (
            <>
              <dt>{t("source.publisher")}</dt>
              <dd>{doc.publisher}</dd>
            </>
          ) : null}
          <dt>{t("source.date")}</dt>
          <dd>
            {doc.date ? <time datetime={doc.date}>{doc.date}</time> : t("chat.undated")}
            {age ? ` ${t("source.age", { age })}` : null}
          </dd>
          <dt>{t("source.kind")}</dt>
          <dd>{kind}</dd>
          <dt>{t("source.language")}</dt>
          <dd>{doc.language}</dd>
          {doc.url ? (
            <>
              <dt>{t("source.url")}</dt>
              <dd>{external ? <a href={external} rel="noopener noreferrer">{doc.url}</a> : doc.url}</dd>
            </>
          ) : null}
          {doc.sources?.length ? (
            <>
              <dt>{t("source.sources")}</dt>
              <dd>
                <ul>
                  {doc.sources.map((s) => {
                    const label = s.title ?? s.id ?? s.url ?? "";
                    const url = safeExternalUrl(s.url);
                    if (s.id && props.hasDocument(s.id)) return <li><a href={href(page, `/sources/${encodeURIComponent(s.id)}`)}>{label}</a></li>;
                    if (url) return <li><a href={url} rel="noopener noreferrer">{label}</a>{s.title ? <span class="muted small"> ({s.url})</span> : null}</li>;
                    return <li>{label}</li>;
                  })}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        {chunk ? (
          <p class="notice">
            {t("source.cited")}
            {headingPath.length ? <span class="muted small"> ({headingPath.join(" › ")})</span> : null}
          </p>
        ) : null}
        {props.unknownChunk ? <p class="notice warn">{t("source.unknownChunk", { chunk: props.unknownChunk })}</p> : null}
        <div class="doc" lang={doc.language} role="region" aria-label={t("source.document")}>
          <DocumentBody body={props.body} highlight={highlight} />
        </div>
      </article>
    </Layout>
  );
}

export function NotFoundPage(props: { page: PageContext; id: string }) {
  const t = translator(props.page.lang);
  return (
    <Layout page={props.page} title={t("source.notFoundTitle")}>
      <h1>{t("source.notFoundTitle")}</h1>
      <p class="notice error" role="alert">
        {t("source.notFound", { id: props.id })}
      </p>
      <p>
        <a href={href(props.page, "/")}>← {t("source.back")}</a>
      </p>
    </Layout>
  );
}

