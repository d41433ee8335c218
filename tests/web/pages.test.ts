import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSETS } from "../../src/web/assets/index.js";
import { pickLang, sourceAge, t } from "../../src/web/i18n.js";
import { parseBlocks } from "../../src/web/markdown.js";
import { parseQuoteRange, rootPrefix, sourceUrl, withLang } from "../../src/web/urls.js";
import { testRuntime } from "../helpers/runtime.js";
import { tempDir } from "../helpers/temp.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

const HOSTILE_BODY = `# Evaluating <b>odd</b> documents

A transcript may contain <script>alert(1)</script> in its notes; show it as text.

## Steps

- Check the <img src=x onerror=alert(2)> issuing body.
- Compare **the seal** with a known sample.

Country\tYears\tLevel
Ruritania\t4\t<i>bachelor</i>

| Term | Meaning |
| --- | --- |
| mill | a <a href="javascript:alert(3)">fake</a> provider |
`;

const PLAIN_BODY = `# Credit notes

One Japanese credit stands for 45 hours of study, including class time and self-study.

## Conversion

A full academic year is usually 30 to 32 Japanese credits.
`;

function writeCorpus(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "hostile.md"),
    `---\nid: hostile-doc\ntitle: "Odd <script>alert('title')</script> document"\npublisher: "Test <em>Publisher</em>"\ndate: "2019-04-01"\nlanguage: en\nkind: document\nurl: "https://example.org/doc?a=1&b=<2>"\n---\n\n${HOSTILE_BODY}`,
  );
  writeFileSync(
    join(dir, "plain.md"),
    `---\nid: plain-doc\ntitle: "Credit notes"\ndate: "2024-01-15"\nlanguage: en\nkind: card\nsources:\n  - id: hostile-doc\n    title: "Odd document"\n  - title: "Bad link"\n    url: "javascript:alert(4)"\n---\n\n${PLAIN_BODY}`,
  );
}

describe("web pages", () => {
  let rt: Runtime;
  let corpus: { path: string; cleanup: () => void };
  beforeAll(async () => {
    corpus = tempDir("fce-web-corpus-");
    writeCorpus(corpus.path);
    rt = await testRuntime({ corpusDir: corpus.path });
  });
  afterAll(() => {
    rt?.cleanup();
    corpus?.cleanup();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await rt.app.request(path, { headers });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };

  it("renders the chat page in English", async () => {
    const { status, headers, html } = await get("/");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/text\/html/);
    expect(headers.get("x-frame-options")).toBeNull(); // an LMS may frame the page
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(t("en", "chat.title"));
    expect(html).toMatch(/<label for="question" id="question-label">/);
    expect(html).toMatch(/aria-live="polite"/);
    expect(html).toMatch(/src="\.\/assets\/chat\.js\?v=[0-9a-f]+"/);
    // Navigation keeps the language and uses relative links.
    expect(html).toContain('href="./practice?lang=en"');
    expect(html).toContain('href="./progress?lang=en"');
    expect(html).not.toMatch(/target="_(blank|top)"/);
  });

  it("renders the chat page in Japanese from ?lang=ja and from Accept-Language", async () => {
    const byQuery = await get("/?lang=ja");
    expect(byQuery.html).toContain('<html lang="ja">');
    expect(byQuery.html).toContain(t("ja", "chat.title"));
    expect(byQuery.html).toContain('href="./practice?lang=ja"');
    expect(byQuery.html).toContain('name="lang" value="ja"');
    const byHeader = await get("/", { "accept-language": "ja-JP,ja;q=0.9,en;q=0.8" });
    expect(byHeader.html).toContain('<html lang="ja">');
    const override = await get("/?lang=en", { "accept-language": "ja" });
    expect(override.html).toContain('<html lang="en">');
  });

  it("escapes a prefilled question", async () => {
    const { html } = await get("/?q=" + encodeURIComponent("<script>alert(9)</script>"));
    expect(html).not.toContain("<script>alert(9)");
    expect(html).toContain("&lt;script&gt;alert(9)&lt;/script&gt;");
  });

  it("the source viewer highlights exactly the cited passage", async () => {
    const doc = rt.deps.corpus().reader.getDocument("plain-doc")!;
    const chunk = doc.chunks[0]!;
    const { status, html } = await get(sourceUrl(chunk.id, "plain-doc").replace(/#.*$/, ""));
    expect(status).toBe(200);
    const marks = [...html.matchAll(/<mark class="passage"( id="([^"]*)")? data-chunk="([^"]*)">([\s\S]*?)<\/mark>/g)];
    expect(marks.length).toBeGreaterThan(0);
    expect(marks[0]![2]).toBe(chunk.id);
    expect(marks.filter((m) => m[2]).length).toBe(1); // one element carries the id
    const marked = marks.map((m) => m[4]!).join("");
    const visible = chunk.text.replace(/^#+\s+/gm, "").replace(/\s+/g, "");
    expect(marked.replace(/\s+/g, "")).toBe(visible);
    expect(html).toContain("Credit notes");
    expect(html).toContain("2024-01-15");
    expect(html).toContain(`href="#${encodeURIComponent(chunk.id)}"`);
    // Card sources: a known document id links to the viewer; a javascript: URL is not a link.
    expect(html).toContain('href="../sources/hostile-doc?lang=en"');
    expect(html).not.toContain("javascript:");
  });

  it("emphasises the quoted part of the passage when the link carries it", async () => {
    const doc = rt.deps.corpus().reader.getDocument("plain-doc")!;
    const chunk = doc.chunks.find((c) => c.text.includes("45 hours"))!;
    const start = chunk.text.indexOf("One Japanese credit");
    const end = chunk.text.indexOf("self-study.") + "self-study.".length;
    const { html } = await get(sourceUrl(chunk.id, "plain-doc", { quote: { start, end } }).replace(/#.*$/, ""));
    expect(html).toContain(`<strong class="quote">${chunk.text.slice(start, end)}</strong>`);
  });

  it("a document with HTML in it is shown as text, never as markup", async () => {
    const doc = rt.deps.corpus().reader.getDocument("hostile-doc")!;
    const chunk = doc.chunks.find((c) => c.text.includes("<script>"))!;
    expect(chunk).toBeTruthy();
    const { status, html } = await get(`/sources/hostile-doc?chunk=${encodeURIComponent(chunk.id)}`);
    expect(status).toBe(200);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.every((s) => /src="\.\.\/assets\//.test(s))).toBe(true);
    expect(html).not.toMatch(/<script>alert/);
    expect(html).not.toMatch(/<img\b/);
    expect(html).not.toMatch(/<(b|i|em)>(odd|bachelor|Publisher)/);
    expect(html).not.toMatch(/<a href="javascript/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Odd &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; document");
    expect(html).toContain("Test &lt;em&gt;Publisher&lt;/em&gt;");
    // Markdown structure is rendered: headings, lists, bold, tables (shown here without a highlight).
    const plain = (await get("/sources/hostile-doc")).html;
    expect(plain).not.toContain("<mark");
    expect(plain).toMatch(/<h2[^>]*>Evaluating &lt;b&gt;odd&lt;\/b&gt; documents<\/h2>/);
    expect(plain).toMatch(/<li[^>]*>[^<]*Check the/);
    expect(plain).toContain("<b>the seal</b>");
    expect(plain).toMatch(/<td>Ruritania<\/td><td>4<\/td><td>&lt;i&gt;bachelor&lt;\/i&gt;<\/td>/);
    expect(plain).toMatch(/<th scope="col">Term<\/th>/);
    // The highlighted passage contains the escaped script text.
    expect(html).toMatch(/<mark class="passage" id="[^"]+" data-chunk="[^"]+">[^<]*&lt;script&gt;/);
  });

  it("an unknown document is a 404 page with a message; an unknown passage shows the document", async () => {
    const missing = await get("/sources/no-such-doc?chunk=x");
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("no-such-doc");
    expect(missing.html).toContain(t("en", "source.notFoundTitle"));
    const missingJa = await get("/sources/no-such-doc?lang=ja");
    expect(missingJa.status).toBe(404);
    expect(missingJa.html).toContain(t("ja", "source.notFoundTitle"));
    const hostileId = await get(`/sources/${encodeURIComponent("<script>x</script>")}`);
    expect(hostileId.status).toBe(404);
    expect(hostileId.html).not.toContain("<script>x");
    const unknownChunk = await get("/sources/plain-doc?chunk=plain-doc%23999-zzz");
    expect(unknownChunk.status).toBe(200);
    expect(unknownChunk.html).toContain("plain-doc#999-zzz");
    expect(unknownChunk.html).not.toContain("<mark");
  });

  it("serves the assets with their types, and the chat script parses", async () => {
    const js = await rt.app.request("/assets/chat.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    const code = await js.text();
    expect(() => new Function(code)).not.toThrow();
    expect(code).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write|window\.open|window\.top/);
    const css = await rt.app.request(`/assets/app.css?v=${ASSETS["app.css"]!.version}`);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    expect(css.headers.get("cache-control")).toMatch(/immutable/);
    expect((await rt.app.request("/assets/nothing.js")).status).toBe(404);
  });
});

/** The text a reader sees of a passage: Markdown markers (headings, list markers, bold, escapes, pipes) removed. */
function visibleText(text: string): string {
  return text
    .split("\n")
    // Table rows (with tabs) show their first cell as it is; other lines lose their block marker.
    // Rules and table separator rows are not text.
    .map((line) => (/^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$/.test(line) || /^[ \t]*\|?([ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*(:?-{2,}:?)?[ \t]*$/.test(line) ? "" : line))
    .map((line) => (/^[ \t]*#{1,6}[ \t]/.test(line) || !line.includes("\t") ? line.replace(/^[ \t]*(#{1,6}|[-*+•・]|\d{1,3}[.)]|>)[ \t]+/, "") : line))
    .join("\n")
    .replace(/\*\*|\\(?=[\\`*_{}[\]()#+\-.!|<>~])|\|/g, "")
    .replace(/\s+/g, "");
}

describe("source viewer over the bundled corpus", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await testRuntime();
  });
  afterAll(() => rt?.cleanup());

  it("highlights every passage of every document exactly, with one id per passage", async () => {
    const reader = rt.deps.corpus().reader;
    let checked = 0;
    for (const meta of reader.listDocuments()) {
      const { chunks } = reader.getDocument(meta.id)!;
      for (const chunk of chunks) {
        const res = await rt.app.request(sourceUrl(chunk.id, meta.id).replace(/#.*$/, ""));
        expect(res.status).toBe(200);
        const html = await res.text();
        const esc = chunk.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const marks = [...html.matchAll(new RegExp(`<mark class="passage"(?: id="([^"]*)")? data-chunk="${esc}">((?:(?!</mark>)[\\s\\S])*)</mark>`, "g"))];
        expect(marks.filter((m) => m[1] === chunk.id)).toHaveLength(1);
        const shown = marks
          .map((m) => m[2]!.replace(/<[^>]+>/g, ""))
          .join("")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&");
        expect(shown.replace(/\s+/g, ""), `${chunk.id}`).toBe(visibleText(chunk.text));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("web helpers", () => {
  it("sourceUrl points at the viewer with the chunk as parameter and fragment", () => {
    expect(sourceUrl("red-flags#2-ab12", "red-flags")).toBe("/sources/red-flags?chunk=red-flags%232-ab12#red-flags%232-ab12");
    expect(sourceUrl("d#1-x", "d", { quote: { start: 3, end: 9 }, base: "https://fce.example/" })).toBe("https://fce.example/sources/d?chunk=d%231-x&q=3-9#d%231-x");
    expect(parseQuoteRange("3-9")).toEqual({ start: 3, end: 9 });
    expect(parseQuoteRange("9-3")).toBeUndefined();
    expect(parseQuoteRange("x")).toBeUndefined();
  });

  it("withLang and rootPrefix keep links relative and in the chosen language", () => {
    expect(withLang("./practice", "ja")).toBe("./practice?lang=ja");
    expect(withLang("../sources/a?chunk=b#c", "en")).toBe("../sources/a?chunk=b&lang=en#c");
    expect(withLang("./?lang=en", "ja")).toBe("./?lang=ja");
    expect(rootPrefix("/")).toBe("./");
    expect(rootPrefix("/progress")).toBe("./");
    expect(rootPrefix("/sources/x")).toBe("../");
  });

  it("pickLang prefers ?lang, then Accept-Language by quality, then English", () => {
    expect(pickLang("ja", "en")).toBe("ja");
    expect(pickLang("xx", "ja-JP")).toBe("ja");
    expect(pickLang(undefined, "fr-FR,fr;q=0.9,ja;q=0.8,en;q=0.7")).toBe("ja");
    expect(pickLang(undefined, "en;q=0.5,ja;q=0.9")).toBe("ja");
    expect(pickLang(undefined, "ja;q=0,en")).toBe("en");
    expect(pickLang(undefined, undefined)).toBe("en");
    expect(pickLang(undefined, "de")).toBe("en");
  });

  it("sourceAge says how old a source is", () => {
    const now = new Date("2026-06-15T00:00:00Z");
    expect(sourceAge("en", "2023-06-01", now)).toBe("3 years old");
    expect(sourceAge("en", "2025-05", now)).toBe("1 year old");
    expect(sourceAge("en", "2026-01-10", now)).toBe("5 months old");
    expect(sourceAge("ja", "2020", now)).toBe("6年前");
    expect(sourceAge("en", undefined, now)).toBeUndefined();
  });

  it("the Markdown-ish parser keeps offsets of displayed text", () => {
    const body = "# T\n\n- a **b** c\n- d\n\nx\ty\n1\t2\n";
    const blocks = parseBlocks(body);
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "list", "table"]);
    const list = blocks[1]!;
    if (list.kind !== "list") throw new Error("list expected");
    expect(list.items[0]!.spans.map((s) => body.slice(s.s, s.e))).toEqual(["a ", "b", " c"]);
    expect(list.items[0]!.spans[1]!.strong).toBe(true);
  });
});
