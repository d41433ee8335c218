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
 *
 * With `{ lms: true }`, a fake LMS on another site (`http://localhost:<port>`, registered as an LTI
 * platform so that the app's `frame-ancestors` lets it frame the pages): `page.goto(bt.lms.frame("/practice"))`
 * opens an LMS page with the app path in `<iframe id="tool">`.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { ltiPlatforms } from "../../src/db/schema/index.js";
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

export interface FakeLms {
  /** `http://localhost:<port>`: another site than the app's `http://127.0.0.1:<port>`. */
  origin: string;
  /** URL of an LMS page that frames the app path in `<iframe id="tool">`. */
  frame: (appPath: string) => string;
}

export interface BrowserTest {
  rt: Runtime;
  /** The fake LMS, when started with `{ lms: true }`. */
  lms?: FakeLms;
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
  options: { corpusDir?: string; env?: Record<string, string>; fetch?: (rt: Runtime) => (req: Request) => Response | Promise<Response>; lms?: boolean } = {},
): Promise<BrowserTest> {
  const rt = await testRuntime({ corpusDir: options.corpusDir, env: options.env });
  let served: Served | undefined;
  let lmsServer: Served | undefined;
  let browser: Browser | undefined;
  let lms: FakeLms | undefined;
  try {
    if (options.lms) {
      // Registered before the app answers anything: the app caches the allowed framing origins.
      lmsServer = await serveApp(fakeLmsApp().fetch);
      const lmsOrigin = lmsServer.origin.replace("127.0.0.1", "localhost");
      const now = new Date();
      await rt.deps.db.insert(ltiPlatforms).values({
        id: "test-lms",
        name: "Test LMS",
        issuer: lmsOrigin,
        clientId: "test-client",
        authUrl: `${lmsOrigin}/auth`,
        tokenUrl: `${lmsOrigin}/token`,
        jwksUrl: `${lmsOrigin}/jwks`,
        createdAt: now,
        updatedAt: now,
      });
      lms = { origin: lmsOrigin, frame: (appPath) => `${lmsOrigin}/course?src=${encodeURIComponent(appPath)}` };
    }
    served = await serveApp(options.fetch ? options.fetch(rt) : rt.app.fetch);
    browser = await launchBrowser();
  } catch (e) {
    await served?.close();
    await lmsServer?.close();
    rt.cleanup();
    throw e;
  }
  const origin = served.origin;
  if (lms) {
    const appOrigin = origin;
    const frame = lms.frame;
    lms.frame = (appPath) => frame(appOrigin + (appPath.startsWith("/") ? appPath : `/${appPath}`));
  }
  const errors: string[] = [];
  const external: string[] = [];
  const contexts: BrowserContext[] = [];
  const b = browser;
  const s = served;
  const l = lmsServer;
  return {
    rt,
    lms,
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
        if (u.startsWith(origin) || (lms && u.startsWith(lms.origin)) || u.startsWith("data:") || u.startsWith("about:")) return route.continue();
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
      await l?.close();
      rt.cleanup();
    },
  };
}

/** An LMS course page that frames the tool: `/course?src=<app URL>`. */
function fakeLmsApp(): Hono {
  const app = new Hono();
  app.get("/course", (c) => {
    const src = c.req.query("src") ?? "";
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(src)) return c.text("src must be the app under test", 400);
    const attr = src.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    return c.html(`<!DOCTYPE html><html><head><title>Course</title></head><body><h1>Course page</h1><iframe id="tool" title="FCE Coach" src="${attr}" style="width:860px;height:760px;border:1px solid #999"></iframe></body></html>`);
  });
  return app;
}
