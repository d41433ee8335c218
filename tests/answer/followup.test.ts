import { describe, expect, it } from "vitest";
import { isElliptical, resolveFollowUp } from "../../src/core/answer/index.js";

const turns = (...questions: string[]) => questions.map((question) => ({ question, answer: "..." }));

describe("resolveFollowUp", () => {
  it("passes standalone questions unchanged", () => {
    expect(resolveFollowUp("When did Japan ratify the Tokyo Convention?", turns("What is a diploma mill?"))).toBe(
      "When did Japan ratify the Tokyo Convention?",
    );
    expect(resolveFollowUp("What is a diploma mill?", [])).toBe("What is a diploma mill?");
    expect(resolveFollowUp("  and for a master's?  ", [])).toBe("and for a master's?");
  });

  it("replaces the degree slot of the previous question", () => {
    expect(resolveFollowUp("and for a master's?", turns("What JEQF level is a bachelor's degree?"))).toBe("What JEQF level is a master's degree?");
    expect(resolveFollowUp("and an associate degree?", turns("What JEQF level is a bachelor's degree?"))).toBe(
      "What JEQF level is an associate degree?",
    );
    expect(resolveFollowUp("And a doctorate?", turns("What JEQF level is a bachelor's degree?"))).toBe("What JEQF level is a doctorate?");
  });

  it("replaces the country slot", () => {
    expect(resolveFollowUp("What about Germany?", turns("How many credits does a bachelor's degree require in Japan?"))).toBe(
      "How many credits does a bachelor's degree require in Germany?",
    );
    expect(resolveFollowUp("and Korea?", turns("When did Japan ratify the Tokyo Convention?"))).toBe("When did Korea ratify the Tokyo Convention?");
  });

  it("replaces the modifiers of a shared head noun", () => {
    expect(resolveFollowUp("How about the Global Convention?", turns("When did Japan ratify the Tokyo Convention?"))).toBe(
      "When did Japan ratify the Global Convention?",
    );
  });

  it("chains through several follow-ups", () => {
    expect(resolveFollowUp("and for a doctorate?", turns("What JEQF level is a bachelor's degree?", "and for a master's?"))).toBe(
      "What JEQF level is a doctorate?",
    );
  });

  it("puts the previous topic in place of a pronoun", () => {
    expect(resolveFollowUp("How many credits does it require?", turns("What is a Japanese bachelor's degree?"))).toBe(
      "How many credits does a Japanese bachelor's degree require?",
    );
    expect(resolveFollowUp("Is it a competent recognition authority?", turns("What is NIC-Japan?"))).toBe(
      "Is NIC-Japan a competent recognition authority?",
    );
    expect(resolveFollowUp("what about its staff?", turns("What is NIC-Japan?"))).toBe("What about NIC-Japan's staff?");
  });

  it("resolves Japanese follow-ups", () => {
    expect(resolveFollowUp("それは？", turns("修士はJEQFのどのレベルですか"))).toBe("修士はJEQFのどのレベルですか");
    expect(resolveFollowUp("では博士は？", turns("修士はJEQFのどのレベルですか"))).toBe("博士はJEQFのどのレベルですか");
  });

  it("appends the new words when no slot matches", () => {
    const q = resolveFollowUp("What about fees?", turns("How many credits does a Japanese bachelor's degree require?"));
    expect(q).toContain("fees");
    expect(q).toContain("bachelor's degree");
  });
});

describe("isElliptical", () => {
  it("tells elliptical questions from standalone ones", () => {
    expect(isElliptical("and for a master's?")).toBe(true);
    expect(isElliptical("What about Germany?")).toBe(true);
    expect(isElliptical("How about it?")).toBe(true);
    expect(isElliptical("Germany?")).toBe(true);
    expect(isElliptical("それは？")).toBe(true);
    expect(isElliptical("Is it binding?")).toBe(true);
    expect(isElliptical("What JEQF level is a bachelor's degree?")).toBe(false);
    expect(isElliptical("How many credits does a Japanese bachelor's degree require?")).toBe(false);
    expect(isElliptical("修士はJEQFのどのレベルですか")).toBe(false);
  });
});
