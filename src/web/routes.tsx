/**
 * The web pages: the chat page (`/`), the source viewer (`/sources/:documentId`), the practice pages
 * (`/practice`, `/practice/:id`, `/progress`) and the static assets (`/assets/*`). Mounted by `createApp`.
 */
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../app.js";
import { ASSETS } from "./assets/index.js";
import { requestLang } from "./i18n.js";
import { pageContext, sendPage } from "./layout.js";
import { ChatPage } from "./pages/chat.js";
import { NotFoundPage, SourcePage } from "./pages/source.js";
import { practicePageRoutes } from "./practice-routes.js";
import { parseQuoteRange } from "./urls.js";

/** Longest question the chat page accepts (the ask API's limit). */
export const MAX_QUESTION_CHARS = 2000;

export function webRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => {
    const page = pageContext(c, requestLang(c.req));
    const prefill = c.req.query("q")?.slice(0, MAX_QUESTION_CHARS);
    return sendPage(c, <ChatPage page={page} maxChars={MAX_QUESTION_CHARS} prefill={prefill} />);
  });

  app.get("/sources/:documentId", (c) => {
    const page = pageContext(c, requestLang(c.req));
    const id = c.req.param("documentId");
    const reader = deps.corpus().reader;
    const found = reader.getDocument(id);
    if (!found) return sendPage(c, <NotFoundPage page={page} id={id} />, 404);
    const chunkId = c.req.query("chunk");
    const chunk = chunkId ? found.chunks.find((ch) => ch.id === chunkId) : undefined;
    return sendPage(
      c,
      <SourcePage
        page={page}
        now={deps.clock.now()}
        document={found.document}
        body={found.body}
        chunk={chunk}
        unknownChunk={chunkId && !chunk ? chunkId : undefined}
        quote={parseQuoteRange(c.req.query("q"))}
        hasDocument={(other) => other !== id && !!reader.getDocument(other)}
      />,
    );
  });

  app.get("/assets/:name", (c) => {
    const asset = ASSETS[c.req.param("name")];
    if (!asset) return c.json({ error: `No asset ${c.req.param("name")}` }, 404);
    const versioned = c.req.query("v") === asset.version;
    return c.body(asset.body, 200, {
      "Content-Type": asset.type,
      "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
  });

  app.route("/", practicePageRoutes(deps));

  return app;
}
