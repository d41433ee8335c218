/**
 * Retrieval evaluation over a JSON-lines QA file shaped like shared/eval/qa-dev.jsonl.
 * A passage is relevant when it contains a gold `contains` string (case-insensitive, white space
 * collapsed) and, where the gold entry names a `doc`, comes from that document.
 */
import { z } from "zod";
import type { Passage } from "../types.js";

export const qaItemSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  answerable: z.boolean(),
  gold: z.array(z.object({ doc: z.string().optional(), contains: z.string().min(1) })).optional(),
  answer_contains: z.array(z.string()).optional(),
});
export type QaItem = z.infer<typeof qaItemSchema>;

/** Parses JSON lines; an error names the line number and the field. */
export function parseQaLines(text: string, source = "qa file"): QaItem[] {
  const items: QaItem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not valid JSON`);
    }
    const parsed = qaItemSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${source}:${i + 1}: ${issue.path.join(".") || "line"}: ${issue.message}`);
    }
    items.push(parsed.data);
  });
  return items;
}

export function collapse(s: string): string {
  return s.toLowerCase().replace(/\s+/g, " ").trim();
}

export function isRelevant(passage: Pick<Passage, "chunk">, gold: NonNullable<QaItem["gold"]>): boolean {
  const text = collapse(passage.chunk.text);
  return gold.some((g) => (!g.doc || g.doc === passage.chunk.documentId) && text.includes(collapse(g.contains)));
}

/** 1-based rank of the first relevant passage, or 0 when none is relevant. */
export function firstRelevantRank(passages: Array<Pick<Passage, "chunk">>, gold: NonNullable<QaItem["gold"]>): number {
  const i = passages.findIndex((p) => isRelevant(p, gold));
  return i + 1;
}

export interface RetrievalFigures {
  "recall@5": number;
  "mrr@10": number;
}

/** recall@k and MRR@10 from first-relevant ranks (0 = not found in the top 10). */
export function retrievalFigures(ranks: number[], recallK = 5): RetrievalFigures {
  if (ranks.length === 0) return { "recall@5": 0, "mrr@10": 0 };
  const recall = ranks.filter((r) => r > 0 && r <= recallK).length / ranks.length;
  const mrr = ranks.reduce((s, r) => s + (r > 0 && r <= 10 ? 1 / r : 0), 0) / ranks.length;
  return { "recall@5": round(recall), "mrr@10": round(mrr) };
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
