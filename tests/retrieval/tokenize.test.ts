import { describe, expect, it } from "vitest";
import { Glossary } from "../../src/core/retrieval/glossary.js";
import { stem, tokenize } from "../../src/core/retrieval/tokenize.js";

describe("tokenize", () => {
  it("segments a Japanese question into content words and drops particles", () => {
    const tokens = tokenize("修士はJEQFのどのレベルですか");
    expect(tokens).toContain("修士");
    expect(tokens).toContain("jeqf");
    expect(tokens).toContain("レベル");
    for (const particle of ["は", "の", "です", "か", "どの"]) expect(tokens).not.toContain(particle);
  });

  it("adds CJK bigrams that do not straddle hiragana particles", () => {
    const tokens = tokenize("専門士は短期大学士と同じレベル");
    expect(tokens).toContain("#専門");
    expect(tokens).toContain("#門士");
    expect(tokens.some((t) => t.startsWith("#") && /[\u3040-\u309f]/.test(t))).toBe(false);
  });

  it("normalises full-width letters and digits, case and thousands separators", () => {
    expect(tokenize("ＪＥＱＦ　レベル７")).toEqual(expect.arrayContaining(["jeqf", "7"]));
    expect(tokenize("1,303 admission offices")).toContain("1303");
  });

  it("stems English so that inflected forms meet", () => {
    expect(stem("ratified")).toBe(stem("ratify"));
    expect(stem("required")).toBe(stem("require"));
    expect(stem("universities")).toBe(stem("university"));
    expect(stem("bachelor's")).toBe("bachelor");
    expect(stem("training")).toBe("train");
  });

  it("keeps negations, which decide FCE answers", () => {
    expect(tokenize("NIC-Japan is not a competent recognition authority")).toContain("not");
  });
});

describe("glossary", () => {
  const glossary = new Glossary([
    { terms: ["bachelor's degree", "学士", "gakushi"] },
    { terms: ["diploma", "専門士", "senmonshi"] },
    { terms: ["advanced diploma", "高度専門士", "kodo-senmonshi"] },
  ]);

  it("expands a romanised term to its Japanese and English forms", () => {
    expect(glossary.expand("What level is a gakushi?")).toEqual(expect.arrayContaining(["学士", "bachelor's degree"]));
  });

  it("expands kanji inside a Japanese sentence", () => {
    expect(glossary.expand("学士はどのレベルですか")).toContain("gakushi");
  });

  it("prefers the longest match: kodo-senmonshi is not senmonshi", () => {
    const out = glossary.expand("Is a kodo-senmonshi enough for a master's?");
    expect(out).toContain("高度専門士");
    expect(out).not.toContain("専門士");
  });

  it("reads the Japanese terms it knows by their English names (for the answerer)", () => {
    expect(glossary.gloss("学士はどのレベルですか")).toBe("bachelor's degree はどのレベルですか");
    expect(glossary.gloss("専門士と高度専門士")).toBe("diploma と advanced diploma");
  });

  it("matches Latin terms on word boundaries only", () => {
    expect(glossary.expand("the gakushiX programme")).toEqual([]);
  });
});
