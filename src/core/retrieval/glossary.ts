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
    return [...new Set(this.matchedEntries(query).flatMap((e) => e.terms))];
  }

  /**
   * The query with each Japanese term the glossary knows replaced by its main English name
   * (学士 -> "bachelor's degree"); terms it does not know stay as they are.
   */
  gloss(query: string): string {
    const { q, taken } = this.match(query);
    let out = "";
    let at = 0;
    for (const [from, to, entry] of [...taken].sort((a, b) => a[0] - b[0])) {
      const surface = q.slice(from, to);
      const english = entry.terms.find((t) => !hasJapanese(t) && /[a-z]/i.test(t));
      out += q.slice(at, from) + (hasJapanese(surface) && english ? ` ${english} ` : surface);
      at = to;
    }
    return (out + q.slice(at)).replace(/\s+/g, " ").trim();
  }

  /** The concepts a query mentions, longest non-overlapping matches first. */
  private matchedEntries(query: string): GlossaryEntry[] {
    return [...new Set(this.match(query).taken.map(([, , e]) => e))];
  }

  private match(query: string): { q: string; taken: Array<[number, number, GlossaryEntry]> } {
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
    const taken: Array<[number, number, GlossaryEntry]> = [];
    for (const hit of hits) {
      const { from, to } = hit;
      if (taken.some(([a, b]) => from < b && a < to)) continue;
      taken.push([from, to, hit.entry]);
    }
    return { q, taken };
  }
}
