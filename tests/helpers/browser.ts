/**
 * Browser tests: the real app served on 127.0.0.1 (over `testRuntime()`) and driven by Debian's
 * Chromium through playwright-core.
 *
 *   const bt = await startBrowserTest();            // runtime + server + browser
 *   const page = await bt.newPage({ lang: "en" });  // fails the test on page errors (see `errors`)
 *   await page.goto(bt.url("/"));
 *   ...
 *   await bt.close();
 *
 * Every request to another host is blocked and recorded in `bt.external` (pages must not load anything
 * from a CDN). Set `FCE_CHROMIUM` to use another Chromium binary.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { testRuntime } from "./runtime.js";

export const CHROMIUM_PATH = process.env.FCE_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable()) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set FCE_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

export interface Served {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close: () => Promise<void>;
}

/** Serves a fetch handler (e.g. `rt.app.fetch`) on 127.0.0.1 at a free port. */
export function serveApp(fetch: (req: Request) => Response | Promise<Response>): Promise<Served> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.on("error", reject);
  });
}

export type Runtime = Awaited<ReturnType<typeof testRuntime>>;

export interface BrowserTest {
  rt: Runtime;
  browser: Browser;
  origin: string;
  /** Absolute URL of an app path. */
  url: (path: string) => string;
  /** A fresh page (own context: own storage) with `Accept-Language` set from `lang`. */
  newPage: (options?: { lang?: "en" | "ja"; viewport?: { width: number; height: number } }) => Promise<Page>;
  /** Uncaught page errors and console errors (CSP violations included) of every page opened. */
  errors: string[];
  /** Requests to other hosts that were blocked. */
  external: string[];
  close: () => Promise<void>;
}

/**
 * Starts a runtime (bundled corpus unless `corpusDir`), serves `rt.app` (or what `fetch` returns for it,
 * e.g. a wrapper app with extra test routes) and launches Chromium.
 */
export async function startBrowserTest(
  options: { corpusDir?: string; env?: Record<string, string>; fetch?: (rt: Runtime) => (req: Request) => Response | Promise<Response> } = {},
): Promise<BrowserTest> {
  const rt = await testRuntime({ corpusDir: options.corpusDir, env: options.env });
  let served: Served | undefined;
  let browser: Browser | undefined;
  try {
    served = await serveApp(options.fetch ? options.fetch(rt) : rt.app.fetch);
    browser = await launchBrowser();
  } catch (e) {
    await served?.close();
    rt.cleanup();
    throw e;
  }
  const origin = served.origin;
  const errors: string[] = [];
  const external: string[] = [];
  const contexts: BrowserContext[] = [];
  const b = browser;
  const s = served;
  return {
    rt,
    browser: b,
    origin,
    url: (path) => origin + (path.startsWith("/") ? path : `/${path}`),
    errors,
    external,
    newPage: async ({ lang = "en", viewport = { width: 1100, height: 800 } } = {}) => {
      const context = await b.newContext({ locale: lang === "ja" ? "ja-JP" : "en-US", extraHTTPHeaders: { "Accept-Language": lang === "ja" ? "ja,en;q=0.5" : "en" }, viewport });
      contexts.push(context);
      await context.route("**/*", (route) => {
        const u = route.request().url();
        if (u.startsWith(origin) || u.startsWith("data:") || u.startsWith("about:")) return route.continue();
        external.push(u);
        return route.abort();
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      return page;
    },
    close: async () => {
      for (const c of contexts) await c.close().catch(() => {});
      await b.close().catch(() => {});
      await s.close();
      rt.cleanup();
    },
  };
}
