/**
 * The shared page layout (header with navigation and language switch, main area, footer) and the
 * helper that sends a page. Every link is relative to the page (`root` is `./` or `../`), so the app
 * works under a path prefix and inside an LMS iframe; nothing opens a new window or targets the top frame.
 */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { assetPath } from "./assets/index.js";
import { LANGS, translator, type Lang } from "./i18n.js";
import { rootPrefix, withLang } from "./urls.js";

export type NavKey = "ask" | "practice" | "progress";

export interface PageContext {
  lang: Lang;
  /** Path of the current page (e.g. `/sources/red-flags`). */
  path: string;
  /** Query of the current page without `lang` and `session`, kept by the language switch. */
  query?: URLSearchParams;
  /**
   * A session token carried in links and forms (`?session=`), when the browser does not keep the
   * session cookie (some LMS iframes). Undefined when the cookie works.
   */
  session?: string;
}

/** Relative prefix from the page to the app root. */
export function rootOf(page: PageContext): string {
  return rootPrefix(page.path);
}

/** A link from the current page to an app path (`/practice`, `/practice/x?attempt=y`), keeping the language (and a carried session). */
export function href(page: PageContext, appPath: string): string {
  const target = appPath.replace(/^\/+/, "");
  return carry(page, withLang(rootOf(page) + target, page.lang));
}

/** Adds the carried session token (if any) to a link. */
export function carry(page: PageContext, link: string): string {
  if (!page.session) return link;
  const hashAt = link.indexOf("#");
  const hash = hashAt >= 0 ? link.slice(hashAt) : "";
  const base = hashAt >= 0 ? link.slice(0, hashAt) : link;
  return `${base}${base.includes("?") ? "&" : "?"}session=${encodeURIComponent(page.session)}${hash}`;
}

export function Layout(props: {
  page: PageContext;
  title: string;
  nav?: NavKey;
  scripts?: string[];
  children?: Child;
}) {
  const { page } = props;
  const t = translator(page.lang);
  const root = rootOf(page);
  const navItems: Array<{ key: NavKey; path: string; label: string }> = [
    { key: "ask", path: "/", label: t("nav.ask") },
    { key: "practice", path: "/practice", label: t("nav.practice") },
    { key: "progress", path: "/progress", label: t("nav.progress") },
  ];
  const here = page.path.split("/").pop() ?? "";
  const switchHref = (lang: Lang) => {
    const params = new URLSearchParams(page.query);
    params.set("lang", lang);
    if (page.session) params.set("session", page.session);
    return `${here ? `./${here}` : root}?${params.toString()}`;
  };
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang={page.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <title>{`${props.title} · ${t("app.name")}`}</title>
          <link rel="stylesheet" href={root + assetPath("app.css")} />
          {(props.scripts ?? []).map((s) => (
            <script src={root + assetPath(s)} defer></script>
          ))}
        </head>
        <body>
          <a class="skip-link" href="#main">
            {t("nav.skip")}
          </a>
          <header class="site-header">
            <div class="header-inner">
              <a class="brand" href={href(page, "/")}>
                <span class="brand-mark" aria-hidden="true">
                  FCE
                </span>
                <span class="brand-name">{t("app.name")}</span>
              </a>
              <nav aria-label={t("nav.label")} class="site-nav">
                <ul>
                  {navItems.map((item) => (
                    <li>
                      <a href={href(page, item.path)} aria-current={props.nav === item.key ? "page" : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <nav aria-label={t("lang.label")} class="lang-switch">
                {LANGS.map((lang) =>
                  lang === page.lang ? (
                    <span aria-current="true" lang={lang}>
                      {t(`lang.${lang}`)}
                    </span>
                  ) : (
                    <a href={switchHref(lang)} lang={lang} hreflang={lang}>
                      {t(`lang.${lang}`)}
                    </a>
                  ),
                )}
              </nav>
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
          <footer class="site-footer">
            <p>{t("footer.note")}</p>
          </footer>
        </body>
      </html>
    </>
  );
}

/**
 * Headers of the HTML pages. The security headers (Content-Security-Policy with `frame-ancestors`
 * limited to the registered LMS origins, nosniff, Referrer-Policy) are set for every response by
 * `securityHeaders` in routes/guards.ts; the pages need no inline script, so its CSP suits them.
 */
export const PAGE_HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
};

/** Sends a rendered page with the page headers. */
export async function sendPage(c: Context, element: Child | Promise<string>, status: 200 | 404 | 400 = 200): Promise<Response> {
  const html = String(await (element as Promise<string> | string));
  return c.body(html, status, PAGE_HEADERS);
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The page context of a request: language, path, the query without `lang`/`session`, and a carried session token. */
export function pageContext(c: Context, lang: Lang): PageContext {
  const url = new URL(c.req.url);
  const query = new URLSearchParams(url.search);
  query.delete("lang");
  const session = query.get("session") ?? undefined;
  query.delete("session");
  return { lang, path: url.pathname, query, ...(session && TOKEN_SHAPE.test(session) ? { session } : {}) };
}
