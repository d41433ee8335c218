/**
 * The chat page in headless Chromium against the real app (bundled corpus, real /api/ask):
 * ask, see a cited answer, give feedback, follow up, open a citation and see the highlighted passage,
 * come back to the conversation; Japanese interface; inside an LMS iframe; server text is never HTML.
 */
import { Hono } from "hono";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBrowserTest, type BrowserTest } from "../helpers/browser.js";

/** A canned /api/ask answer full of HTML and hostile links (the client must show it as text). */
const HOSTILE_ANSWER = {
  answerId: "hostile-answer",
  answer: 'An <img src=x onerror="window.__pwned=1"> answer [1]. Another <b>sentence</b> [2].',
  abstained: false,
  citations: [
    {
      n: 1,
      chunkId: "x#1",
      documentId: "x",
      title: "<script>window.__pwned=2</script>Title",
      date: "2020-01-01",
      quote: '<img src=x onerror="window.__pwned=3">quoted',
      url: "javascript:window.__pwned=4",
    },
    { n: 2, chunkId: "x#2", documentId: "x", title: "Second", date: null, quote: "plain", url: "//evil.example/steal" },
  ],
  related: [],
  conversationId: "hostile-conv",
  mode: "extractive",
};

describe("chat page in Chromium", () => {
  let bt: BrowserTest;
  beforeAll(async () => {
    bt = await startBrowserTest({
      lms: true,
      // The real app, plus a canned hostile answer for questions that ask for it.
      fetch: (rt) => {
        const wrapper = new Hono();
        wrapper.post("/api/ask", async (c) => {
          const raw = await c.req.raw.clone().text();
          if (raw.includes("HOSTILE-TEST")) return c.json(HOSTILE_ANSWER);
          return rt.app.fetch(c.req.raw);
        });
        wrapper.all("*", (c) => rt.app.fetch(c.req.raw));
        return wrapper.fetch;
      },
    });
  });
  afterAll(async () => {
    await bt?.close();
  });

  async function openChat(page: Page, path = "/") {
    await page.goto(bt.url(path));
    await page.waitForSelector("#chat[data-ready=true]");
  }

  async function ask(page: Page, question: string) {
    const before = await page.locator("#transcript .turn").count();
    await page.fill("#question", question);
    const response = page.waitForResponse((r) => r.url().endsWith("/api/ask"));
    await page.click("#ask-button");
    await response;
    await page.locator("#transcript .turn").nth(before).locator(".answer, .error-box").waitFor();
    return page.locator("#transcript .turn").nth(before);
  }

  it("asks, shows a cited answer, takes feedback, follows up, opens the cited passage highlighted, and comes back", async () => {
    const page = await bt.newPage({ lang: "en" });
    await openChat(page);
    await expect(page.textContent("#question-label")).resolves.toBe("Your question");

    const turn = await ask(page, "What is an accreditation mill?");
    const answer = turn.locator(".answer");
    await expect(answer.locator(".answer-text").textContent()).resolves.toMatch(/accreditation mill/i);
    const cites = answer.locator(".answer-text sup > a.cite");
    expect(await cites.count()).toBeGreaterThan(0);
    expect(await cites.first().textContent()).toMatch(/^\d+$/);
    // Sources are listed below the answer with their date and the quoted text.
    const sources = answer.locator("ol.sources > li");
    expect(await sources.count()).toBeGreaterThan(0);
    await expect(sources.first().locator(".source-title").textContent()).resolves.toBeTruthy();
    await expect(sources.first().locator(".source-date").textContent()).resolves.toMatch(/\d{4}|undated/);
    await expect(sources.first().locator(".source-quote").textContent()).resolves.toBeTruthy();

    // Thumbs up: stored, and a thank-you.
    const feedback = page.waitForResponse((r) => /\/api\/answers\/[^/]+\/feedback$/.test(r.url()));
    await answer.locator("button.thumb-up").click();
    expect((await feedback).status()).toBe(201);
    await answer.locator(".thanks").waitFor();

    // Follow-up: same conversation.
    const firstConversation = await page.evaluate(() => JSON.parse(sessionStorage.getItem("fce-coach-chat-v1") ?? "{}").conversationId as string);
    expect(firstConversation).toBeTruthy();
    await expect(page.textContent("#question-label")).resolves.toBe("Follow-up question");
    const request = page.waitForRequest((r) => r.url().endsWith("/api/ask"));
    const followUp = await ask(page, "And what is a diploma mill?");
    expect((await request).postDataJSON()).toMatchObject({ question: "And what is a diploma mill?", conversationId: firstConversation });
    await followUp.locator(".answer").waitFor();
    expect(await page.locator("#transcript .turn").count()).toBe(2);

    // Click the first citation: the source viewer, with the cited passage highlighted and scrolled to.
    const href = (await cites.first().getAttribute("href"))!;
    expect(href).toMatch(/^\.\/sources\/[^?]+\?chunk=[^&]+(&q=\d+-\d+)?&lang=en#/);
    const chunkId = decodeURIComponent(href.split("#")[1]!);
    await cites.first().click();
    await page.waitForURL(/\/sources\//);
    const mark = page.locator(`mark[id="${chunkId}"]`);
    await mark.waitFor({ state: "visible" });
    const inView = await mark.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });
    expect(inView).toBe(true);
    const background = await mark.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe("rgba(0, 0, 0, 0)");
    const chunkText = bt.rt.deps.corpus().reader.getChunk(chunkId)!.chunk.text;
    const marked = await page.$$eval(`mark[data-chunk="${chunkId}"]`, (els) => els.map((e) => e.textContent).join(""));
    expect(marked.replace(/\s+/g, "")).toBe(chunkText.replace(/^\s*([-*+•]|\d+[.)]|#+)\s+/gm, "").replace(/\*\*|\\(?=\W)|\|/g, "").replace(/\s+/g, ""));
    await expect(page.locator("h1").textContent()).resolves.toBeTruthy();

    // Back to the conversation: restored.
    await page.click("text=Back to the conversation");
    await page.waitForSelector("#chat[data-ready=true]");
    expect(await page.locator("#transcript .turn").count()).toBe(2);
    await page.locator("#transcript .turn").first().locator(".thanks").waitFor();

    // New conversation clears it.
    await page.click("#new-conversation");
    expect(await page.locator("#transcript .turn").count()).toBe(0);
    await expect(page.textContent("#question-label")).resolves.toBe("Your question");

    expect(bt.errors).toEqual([]);
    expect(bt.external).toEqual([]);
  });

  it("shows an abstention honestly with related passages", async () => {
    const page = await bt.newPage({ lang: "en" });
    await openChat(page);
    const turn = await ask(page, "What is the capital of Australia?");
    const answer = turn.locator(".answer");
    await expect(answer.getAttribute("class")).resolves.toMatch(/abstained/);
    await expect(answer.locator(".answer-text").textContent()).resolves.toMatch(/sources|NIC-Japan|ENIC/i);
    expect(await answer.locator("ul.related > li").count()).toBeGreaterThan(0);
    expect(await answer.locator("ul.related a").first().getAttribute("href")).toMatch(/sources\//);
    expect(bt.errors).toEqual([]);
  });

  it("shows the server's error message (unknown conversation) and starts afresh", async () => {
    const page = await bt.newPage({ lang: "en" });
    await page.goto(bt.url("/"));
    await page.evaluate(() => sessionStorage.setItem("fce-coach-chat-v1", JSON.stringify({ conversationId: "no-such-conversation", turns: [], feedback: {} })));
    await openChat(page);
    const turn = await ask(page, "What is a diploma mill?");
    await expect(turn.locator(".error-box").textContent()).resolves.toMatch(/no-such-conversation/);
    await expect(page.textContent("#question-label")).resolves.toBe("Your question");
    const again = await ask(page, "What is a diploma mill?");
    await again.locator(".answer").waitFor();
    // The failed request is logged by the browser as a console error; nothing else may be.
    expect(bt.errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
    bt.errors.length = 0;
  });

  it("inserts server text as text: HTML in answers, titles and quotes is escaped; bad links are not links", async () => {
    const page = await bt.newPage({ lang: "en" });
    await openChat(page);
    const turn = await ask(page, "HOSTILE-TEST <img src=x onerror=\"window.__pwned=5\">");
    await expect(turn.locator(".turn-question").textContent()).resolves.toContain('<img src=x onerror="window.__pwned=5">');
    await expect(turn.locator(".answer-text").textContent()).resolves.toContain("<b>sentence</b>");
    await expect(turn.locator("ol.sources").textContent()).resolves.toContain("<script>window.__pwned=2</script>Title");
    expect(await page.locator("#transcript img, #transcript script, #transcript b").count()).toBe(0);
    expect(await page.locator('#transcript a[href^="javascript"], #transcript a[href^="//"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(bt.errors).toEqual([]);
  });

  it("speaks Japanese from the browser's language and answers a Japanese question", async () => {
    const page = await bt.newPage({ lang: "ja" });
    await openChat(page);
    await expect(page.getAttribute("html", "lang")).resolves.toBe("ja");
    await expect(page.textContent("#question-label")).resolves.toBe("質問");
    const turn = await ask(page, "修士はJEQFのどのレベルですか");
    const answer = turn.locator(".answer");
    expect(await answer.locator(".answer-text sup > a").count()).toBeGreaterThan(0);
    expect(await answer.locator(".answer-text sup > a").first().getAttribute("href")).toContain("lang=ja");
    await expect(answer.locator(".feedback").textContent()).resolves.toContain("役に立った");
    await expect(page.textContent("#question-label")).resolves.toBe("追加の質問");
    expect(bt.errors).toEqual([]);
  });

  it("works inside an LMS iframe: the citation opens in the frame, the LMS page stays", async () => {
    const page = await bt.newPage({ lang: "en", viewport: { width: 800, height: 900 } });
    // The LMS (http://localhost:port) is another site than the app (http://127.0.0.1:port), registered
    // as an LTI platform: the app's frame-ancestors lets it, and only it, frame the pages.
    const lms = bt.lms!.frame("/?lang=en");
    await page.goto(lms);
    const frame = page.frameLocator("#tool");
    await frame.locator("#chat[data-ready=true]").waitFor();
    await frame.locator("#question").fill("What is an accreditation mill?");
    await frame.locator("#ask-button").click();
    const cite = frame.locator(".answer-text sup > a").first();
    await cite.waitFor();
    const chunkId = decodeURIComponent((await cite.getAttribute("href"))!.split("#")[1]!);
    await cite.click();
    await frame.locator(`mark[id="${chunkId}"]`).waitFor({ state: "visible" });
    expect(page.url()).toBe(lms);
    expect(page.frames()).toHaveLength(2);
    expect(bt.errors).toEqual([]);
  });
});
