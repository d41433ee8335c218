import { z } from "zod";
import { hasJapanese, normalize } from "./tokenize.js";

/**
 * The glossary maps romanised terms, Japanese script and English names of one concept
 * (gakushi = 学士 = bachelor's degree) so that a query in any of them also finds the others.
 */
export const glossarySchema = z.object({
  entries: z
    .array(
      z
        .object({
          en: z.array(z.string().min(1)).default([]),
          ja: z.array(z.string().min(1)).default([]),
          romaji: z.array(z.string().min(1)).default([]),
          de: z.array(z.string().min(1)).default([]),
        })
        .passthrough(),
    )
    .min(1),
});

export type GlossaryData = z.infer<typeof glossarySchema>;

export interface GlossaryEntry {
  /** Every surface form of the concept. */
  terms: string[];
}

const cleanTerm = (term: string) => normalize(term).replace(/[^\p{L}\p{N}'\u3000-\u9fff]+/gu, " ").trim();

export class Glossary {
  readonly entries: GlossaryEntry[];
  /** Each entry's terms normalised once, with whether they are matched as Japanese substrings. */
  private readonly needles: Array<{ entry: GlossaryEntry; text: string; japanese: boolean }>;

  constructor(entries: GlossaryEntry[]) {
    this.entries = entries.filter((e) => e.terms.length > 1);
    this.needles = this.entries.flatMap((entry) =>
      entry.terms.map((term) => ({ entry, text: cleanTerm(term), japanese: hasJapanese(term) })).filter((n) => n.text.length > 0),
    );
  }

  static fromData(data: GlossaryData): Glossary {
    return new Glossary(
      data.entries.map((e) => ({ terms: [...new Set([...e.en, ...e.ja, ...e.romaji, ...e.de].map((t) => t.trim()))] })),
    );
  }

  static empty(): Glossary {
    return new Glossary([]);
  }

  /**
   * Returns the other forms of every concept the query mentions. A Latin term matches on word
   * boundaries (so "shushi" does not match inside another word); a Japanese term matches as a substring.
   * The longest match wins where terms overlap ("kodo-senmonshi" over "senmonshi").
   */
  expand(query: string): string[] {
    const q = ` ${cleanTerm(query)} `;
    const hits: Array<{ from: number; to: number; entry: GlossaryEntry }> = [];
    for (const { entry, text, japanese } of this.needles) {
      const pad = japanese ? 0 : 1;
      const needle = pad ? ` ${text} ` : text;
      let at = q.indexOf(needle);
      while (at >= 0) {
        // Latin needles carry a space on each side, which a neighbouring match may share.
        hits.push({ from: at + pad, to: at + needle.length - pad, entry });
        at = q.indexOf(needle, at + 1);
      }
    }
    // Keep the longest non-overlapping matches.
    hits.sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from);
    const taken: Array<[number, number]> = [];
    const expansions = new Set<string>();
    for (const hit of hits) {
      const { from, to } = hit;
      if (taken.some(([a, b]) => from < b && a < to)) continue;
      taken.push([from, to]);
      for (const term of hit.entry.terms) expansions.add(term);
    }
    return [...expansions];
  }
}
