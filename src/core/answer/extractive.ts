/**
 * The extractive answerer: quotes the units of the top passages that answer the question, each followed
 * by a `[n]` marker pointing at its citation, or abstains when the passages do not support an answer.
 * Passage text is only ever quoted: nothing in it is interpreted, so text such as "ignore previous
 * instructions" is treated like any other sentence.
 */
import type { Passage } from "../types.js";
import { abstentionMessage, DEFAULT_SUPPORT_THRESHOLD } from "./abstain.js";
import { analyzeQuestion } from "./question.js";
import { analyzePassages, isRedundant, supportOf, type Analysis, type ScoredUnit } from "./score.js";
import { markersOf } from "./citations.js";
import { splitSentences, type Unit } from "./segment.js";
import type { AnswerOptions, AnswerResult, Citation } from "./types.js";

/** The unit's text as shown in an answer: table cells joined with " | ", emphasis marks and line breaks removed. */
export function displayText(unit: Pick<Unit, "text" | "kind">): string {
  let t = unit.text;
  if (unit.kind === "table-row") {
    t = t
      .split(/\t|\s\|\s|^\||\|$/)
      .map((c) => c.trim())
      .filter(Boolean)
      .join(" | ");
  } else if (unit.kind === "lines") {
    t = t
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean)
      .join("; ");
  }
  t = t
    .replace(/\*\*|__/g, "")
    .replace(/\\([#*_[\]])/g, "$1")
    // Bracketed numbers in the source ("+49[0]228") must not read as citation markers.
    .replace(/\[(\d+(?:\s*[,;]\s*\d+)*)\]/g, "($1)")
    .replace(/\s+/g, " ")
    .trim();
  return t;
}

/** Appends ` [n]` to every sentence of a unit's display text. */
function withMarkers(text: string, n: number): string {
  const ranges = splitSentences(text);
  if (!ranges.length) return `${text} [${n}]`;
  return ranges.map((r) => `${text.slice(r.start, r.end)} [${n}]`).join(" ");
}

/**
 * Joins the units' display texts, unit i followed by ` [i+1]` after each of its sentences, and makes sure
 * every sentence of the joined answer (as `answerSentences` splits it) carries a marker: where the joined
 * text splits differently from a unit on its own, the owning unit's marker is added at the extra boundary.
 */
export function composeAnswer(texts: string[]): string {
  const parts = texts.map((t, i) => withMarkers(t, i + 1));
  let answer = parts.join(" ");
  // Owner of each character: the unit whose part it belongs to.
  const owners: number[] = [];
  parts.forEach((p, i) => {
    for (let k = 0; k < p.length; k++) owners.push(i + 1);
    if (i < parts.length - 1) owners.push(i + 1);
  });
  for (let guard = 0; guard < 50; guard++) {
    const unmarked = splitSentences(answer).filter((r) => markersOf(answer.slice(r.start, r.end)).length === 0 && /[\p{L}\p{N}]/u.test(answer.slice(r.start, r.end)));
    const r = unmarked[unmarked.length - 1];
    if (!r) break;
    const n = owners[Math.max(0, r.end - 1)] ?? 1;
    const insert = ` [${n}]`;
    answer = answer.slice(0, r.end) + insert + answer.slice(r.end);
    owners.splice(r.end, 0, ...Array.from({ length: insert.length }, () => n));
  }
  return answer;
}

/** Chooses 1–3 non-redundant units (up to `maxUnitsExtended` when they cover further question terms). */
export function selectUnits(analysis: Analysis, options: Pick<AnswerOptions, "maxUnits" | "maxUnitsExtended"> = {}): ScoredUnit[] {
  const maxUnits = options.maxUnits ?? 3;
  const hardCap = Math.max(maxUnits, options.maxUnitsExtended ?? 4);
  const candidates = analysis.units
    .filter((u) => u.informative && u.matched.size > 0)
    .sort((a, b) => b.score - a.score || a.passageIndex - b.passageIndex || a.unit.start - b.unit.start);
  const best = candidates[0];
  if (!best) return [];
  const chosen: ScoredUnit[] = [best];
  const covered = new Set(best.matched);
  const seenTerms = new Set(best.terms);
  const e = analysis.question.expects;
  // When a specific kind of answer is asked for (a number, a date, a level) and the best unit states one,
  // further units must state one too: the others do not answer.
  const needType = (e.quantity || e.date || e.level) && best.hasAnswerType;
  for (const c of candidates.slice(1)) {
    if (chosen.length >= hardCap) break;
    if (c.score < 0.75 * best.score) break;
    if (needType && !c.hasAnswerType) continue;
    if (chosen.some((s) => isRedundant(s, c))) continue;
    const newQuestionTerms = [...c.matched].filter((t) => !covered.has(t)).length;
    const newContent = [...c.terms].filter((t) => !seenTerms.has(t)).length;
    if (chosen.length >= maxUnits && newQuestionTerms === 0) continue;
    // A further unit must add something: question terms not yet covered, or new content while being
    // nearly as strong as the best one.
    const addsTerms = newQuestionTerms > 0 && c.score >= 0.8 * best.score;
    // For a number/date/level question, a unit stating a value not yet shown is distinct content by itself.
    const newValues = needType ? [...c.terms].filter((t) => /^\d/.test(t) && !seenTerms.has(t)).length : 0;
    const addsContent = (newContent >= 3 || newValues > 0) && c.score >= 0.9 * best.score;
    if (!addsTerms && !addsContent) continue;
    chosen.push(c);
    for (const t of c.matched) covered.add(t);
    for (const t of c.terms) seenTerms.add(t);
  }
  return chosen;
}

/**
 * Orders chosen units: the best unit first (it answers most directly); then the others by their passage's
 * best score, in document order inside a passage.
 */
function orderUnits(chosen: ScoredUnit[]): ScoredUnit[] {
  const [best, ...rest] = chosen;
  if (!best) return [];
  const groupScore = new Map<number, number>();
  for (const u of chosen) groupScore.set(u.passageIndex, Math.max(groupScore.get(u.passageIndex) ?? 0, u.score));
  rest.sort(
    (a, b) =>
      (groupScore.get(b.passageIndex) ?? 0) - (groupScore.get(a.passageIndex) ?? 0) ||
      a.passageIndex - b.passageIndex ||
      a.unit.start - b.unit.start,
  );
  return [best, ...rest];
}

export function citationFor(n: number, u: { passage: Passage; unit: Pick<Unit, "start" | "end" | "text"> }, urlFor?: AnswerOptions["urlFor"]): Citation {
  const { chunk, document } = u.passage;
  const url = urlFor ? urlFor(chunk.id, u.unit.start, u.unit.end) : document.url;
  const c: Citation = {
    n,
    chunkId: chunk.id,
    documentId: document.id,
    title: document.title,
    quote: chunk.text.slice(u.unit.start, u.unit.end),
    start: u.unit.start,
    end: u.unit.end,
  };
  if (document.date !== undefined) c.date = document.date;
  if (url !== undefined) c.url = url;
  return c;
}

/** Passages worth reading next: the top ones not already cited, one per chunk. */
export function relatedPassages(passages: Passage[], citedChunkIds: Set<string>, count: number): Passage[] {
  const out: Passage[] = [];
  const seen = new Set<string>(citedChunkIds);
  for (const p of passages) {
    if (out.length >= count) break;
    if (seen.has(p.chunk.id)) continue;
    seen.add(p.chunk.id);
    out.push(p);
  }
  return out;
}

/**
 * Answers by quoting the units of the top passages that best cover the question. Every sentence of the
 * answer ends with a `[n]` marker; citation `n` quotes the exact unit text. Abstains (with a pointer to who
 * can answer) when the support score is below `options.threshold`.
 */
export function answerExtractive(question: string, passages: Passage[], options: AnswerOptions = {}): AnswerResult {
  const threshold = options.threshold ?? DEFAULT_SUPPORT_THRESHOLD;
  const relatedCount = options.relatedCount ?? 3;
  const q = analyzeQuestion(question);
  const analysis = analyzePassages(q, passages, { maxPassages: options.maxPassages, cardFactor: options.cardFactor });
  const chosen = selectUnits(analysis, options);
  const breakdown = supportOf(analysis, chosen, passages, { vectorWeight: options.vectorWeight });
  const diagnostics = {
    bestCoverage: breakdown.bestCoverage,
    unionCoverage: breakdown.unionCoverage,
    missingEntities: breakdown.missingEntities,
    missingTerms: breakdown.missingTerms,
    factors: breakdown.factors,
    threshold,
  };
  const language = options.language ?? (q.japanese ? "ja" : "en");
  if (!chosen.length || breakdown.support < threshold) {
    return {
      answer: abstentionMessage(language),
      abstained: true,
      citations: [],
      related: relatedPassages(passages, new Set(), relatedCount),
      support: breakdown.support,
      mode: "extractive",
      diagnostics,
    };
  }
  const ordered = orderUnits(chosen);
  const citations = ordered.map((u, i) => citationFor(i + 1, u, options.urlFor));
  const answer = composeAnswer(ordered.map((u) => displayText(u.unit)));
  return {
    answer,
    abstained: false,
    citations,
    related: relatedPassages(passages, new Set(citations.map((c) => c.chunkId)), relatedCount),
    support: breakdown.support,
    mode: "extractive",
    diagnostics,
  };
}
