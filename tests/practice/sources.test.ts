import { describe, expect, it } from "vitest";
import { findQuote, resolveSources, splitFrontMatter, corpusDocsFromFiles } from "../../src/core/practice/index.js";

describe("findQuote", () => {
  it("matches exactly", () => {
    const body = "Alpha beta. Gamma delta.";
    expect(findQuote(body, "Gamma delta.")).toEqual({ start: 12, end: 24 });
  });

  it("tolerates differences in white space and maps offsets back to the body", () => {
    const body = "Intro.\nThe list may\n   be out of\tdate. More.";
    const at = findQuote(body, "The list may be out\nof date.");
    expect(at).toBeDefined();
    expect(body.slice(at!.start, at!.end)).toBe("The list may\n   be out of\tdate.");
  });

  it("does not tolerate other differences", () => {
    expect(findQuote("The list may be out of date.", "The list might be out of date.")).toBeUndefined();
    expect(findQuote("The list may be out of date.", "the list may be out of date.")).toBeUndefined();
    expect(findQuote("anything", "   ")).toBeUndefined();
  });
});

describe("splitFrontMatter and corpus documents", () => {
  it("strips the front matter between leading --- lines", () => {
    const text = '---\nid: "x"\ntitle: T\n---\n\n# Heading\nBody text.\n';
    expect(splitFrontMatter(text)).toEqual({ frontMatter: 'id: "x"\ntitle: T\n', body: "\n# Heading\nBody text.\n" });
    expect(splitFrontMatter("No front matter.").body).toBe("No front matter.");
    const docs = corpusDocsFromFiles([
      { path: "cards/some-card.md", text },
      { path: "cards/red-flags.md", text: "---\ntitle: No id\n---\nBody." },
      { path: "notes.txt", text: "x" },
    ]);
    // the front matter's id wins; the file stem is the fallback
    expect(docs).toEqual([
      { id: "x", body: "\n# Heading\nBody text.\n" },
      { id: "red-flags", body: "Body." },
    ]);
  });
});

describe("resolveSources", () => {
  const body = "First sentence here. Second sentence follows. Third one ends.";
  const docs = [{ id: "card", body }];
  const chunks = [
    { id: "card#0", documentId: "card", start: 0, end: 21 },
    { id: "card#1", documentId: "card", start: 21, end: 46 },
    { id: "card#2", documentId: "card", start: 46, end: body.length },
    { id: "other#0", documentId: "other", start: 0, end: 100 },
  ];

  it("resolves quotes to offsets and to the chunks that cover them", () => {
    const { resolved, problems } = resolveSources(
      { sources: [{ doc: "card", quote: "Second sentence follows." }, { doc: "card", quote: "here. Second", key: "span" }] },
      docs,
      { chunks },
    );
    expect(problems).toEqual([]);
    expect(resolved[0]).toMatchObject({ index: 0, doc: "card", start: 21, end: 45, chunkIds: ["card#1"] });
    expect(resolved[1]).toMatchObject({ index: 1, key: "span", chunkIds: ["card#0", "card#1"] });
  });

  it("leaves out chunk ids when no chunks are given", () => {
    const { resolved } = resolveSources({ sources: [{ doc: "card", quote: "Third one ends." }] }, docs);
    expect(resolved[0]!.chunkIds).toBeUndefined();
  });

  it("reports an unresolved source with the file, the source index and the document id", () => {
    const { resolved, problems } = resolveSources(
      { sources: [{ doc: "card", quote: "First sentence here." }, { doc: "card", quote: "Not in the text." }, { doc: "missing-card", quote: "x" }] },
      docs,
      { path: "scenarios/x.yaml" },
    );
    expect(resolved).toHaveLength(1);
    expect(problems).toEqual([
      { path: "scenarios/x.yaml", field: "sources[1].quote", message: expect.stringContaining('source 1: quote not found in document "card"') },
      { path: "scenarios/x.yaml", field: "sources[2].doc", message: 'source 2: unknown document "missing-card"' },
    ]);
  });
});
