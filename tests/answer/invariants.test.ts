import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerExtractive, answerWithLlm, uncitedSentences } from "../../src/core/answer/index.js";
import { CONVENTION_TEXT, CREDITS_TEXT, LIST_TEXT, makePassage, ranked } from "./fixtures.js";

const PIECES = [
  "Japan ratified the Tokyo Convention in 2017. ",
  "One credit is 45 hours (including review). ",
  "(18.6% response rate) ",
  "242 offices responded to the survey. ",
  "e.g. ",
  "U.S. ",
  "Prof. Mori said so! ",
  "Is it binding? ",
  "No. 5 applies. ",
  "3.5 hours ",
  "+49[0]228 ",
  "[1] ",
  "\n",
  "\n\n",
  "- A diploma mill sells degrees. ",
  "1. Check the seal. ",
  "| 7 | Master's degree |\n",
  "8\tDoctoral degree\n",
  "## Heading\n",
  "修士はレベル7である。",
  "博士は？",
  "level 6 ",
  "etc. and more ",
  "\"Quoted.\" ",
  "see (note) ",
];

describe("answer invariants (property)", () => {
  it("every answer sentence carries a valid marker and every quote is an exact slice", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom("degree", "credit", "hours", "survey", "level", "修士", "seal", "binding", "Tokyo", "offices", "2017"), {
          minLength: 1,
          maxLength: 4,
        }),
        (docs, words) => {
          const passages = docs.map((d, i) => ({ ...makePassage(d.join("")), score: 1 / (1 + i) }));
          const r = answerExtractive(`What about ${words.join(" ")}?`, passages, { threshold: 0 });
          if (r.abstained) return r.citations.length === 0;
          if (uncitedSentences(r.answer, r.citations.map((c) => c.n)).length) return false;
          return r.citations.every((c) => passages.find((p) => p.chunk.id === c.chunkId)!.chunk.text.slice(c.start, c.end) === c.quote);
        },
      ),
      { numRuns: 400 },
    );
    expect(true).toBe(true);
  });
});

describe("LLM answer invariants (property)", () => {
  const passages = ranked([makePassage(CONVENTION_TEXT), makePassage(CREDITS_TEXT), makePassage(LIST_TEXT)]);
  const SENTENCES = [
    "Japan ratified the Tokyo Convention in December 2017",
    "One credit stands for 45 hours of study",
    "A diploma mill issues degrees without study",
    "It was 1999",
    "(18.6% response rate)",
    "See e.g. Prof. Smith",
    "Japan joined the Global Convention in September 2022",
  ];
  it("whatever the model replies, the result is well cited or an extractive fallback", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            s: fc.constantFrom(...SENTENCES),
            m: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
            end: fc.constantFrom(".", "", "!", " ."),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (parts) => {
          const reply = parts.map((p) => `${p.s}${p.m.map((n) => ` [${n}]`).join("")}${p.end}`).join(" ");
          const model = { name: "fake", complete: async () => reply };
          const r = await answerWithLlm("When did Japan ratify the Tokyo Convention?", passages, model);
          if (r.abstained) return r.citations.length === 0;
          if (uncitedSentences(r.answer, r.citations.map((c) => c.n)).length) return false;
          if (r.mode === "llm" && /\[(0|4|5)\]/.test(r.answer)) return false;
          return r.citations.every((c) => passages.find((p) => p.chunk.id === c.chunkId)!.chunk.text.slice(c.start, c.end) === c.quote);
        },
      ),
      { numRuns: 300 },
    );
    expect(true).toBe(true);
  });
});
