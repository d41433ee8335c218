/**
 * Scores the units of retrieved passages against a question, and measures how well the passages
 * support an answer. Shared by the extractive and the LLM answerers.
 */
import type { Passage } from "../types.js";
import { analyzeQuestion, type QuestionInfo } from "./question.js";
import { segmentPassage, type Unit } from "./segment.js";
import {
  acronymDefinitions,
  contentTerms,
  expandAcronym,
  hasDate,
  hasDuration,
  hasLevelNumber,
  hasQuantity,
  matchStrength,
  normalize,
  uniqueTerms,
} from "./text.js";


/**
 * Score multiplier of units from our own compiled cards: a published source that says the same is quoted
 * first (cards fill in where the sources are silent or garbled). Matches the retrieval prior on cards.
 */
export const DEFAULT_CARD_FACTOR = 0.7;

export interface ScoredUnit {
  passageIndex: number;
  passage: Passage;
  unit: Unit;
  /** Content terms of the unit text. */
  terms: Set<string>;
  /** The same, in text order with repeats (for proximity checks). */
  termList: string[];
  /** Terms of the headings above the unit, the table header, and long forms of acronyms in the unit. */
  contextTerms: Set<string>;
  /** Weighted share of the question's terms that the unit (and, at half weight, its context) covers. */
  coverage: number;
  /** Question terms matched by the unit text itself. */
  matched: Set<string>;
  /** Bonus for containing the kind of thing asked for (a number, a date, a definition, a level). */
  typeBonus: number;
  score: number;
  /** False for headings, labels and units too short to inform. */
  informative: boolean;
  /** Whether the unit states the kind of answer asked for (a number, a duration, a date, a level, a definition). */
  hasAnswerType: boolean;
}

export interface Analysis {
  question: QuestionInfo;
  units: ScoredUnit[];
  /** Rarity weight of each question term across the units of the passages. */
  weights: Map<string, number>;
  /** Question terms found in no passage. */
  missingTerms: string[];
  /** Named entities/acronyms/numbers of the question found in no passage. */
  missingEntities: string[];
}

export interface ScoreOptions {
  /** How many of the given passages to read (default 8). */
  maxPassages?: number;
  /** Score multiplier for units of compiled cards (document kind "card"); default 0.92. */
  cardFactor?: number;
}

/** Weight of the retrieval rank/score prior in a unit's score. */
const RANK_WEIGHT = 0.08;
const COVERAGE_WEIGHT = 0.7;
/** Strength of a question term found only in the headings above a unit, or only in its document's title. */
const CONTEXT_WEIGHT = 0.5;
const TITLE_WEIGHT = 0.3;
/** Score multiplier when the question asks for a kind of answer (a number, a date) the unit does not state. */
const MISSING_TYPE_FACTOR = 0.8;
/** In support: weight of the chosen units' joint coverage (the rest is the best single unit's coverage). */
const UNION_WEIGHT = 0.2;
/** In support, for questions asking for a number/date/level: discount on units that state none. */
const UNTYPED_FACTOR = 0.65;
/** Weight of a unit's precision (share of its terms that are question terms) in its score. */
const PRECISION_WEIGHT = 0.12;

function setOf(terms: Iterable<string>): Set<string> {
  return new Set(terms);
}

/** Strength with which a question term is matched by a unit: exact/prefix term match or acronym expansion. */
function termStrength(term: string, acronymRaw: string | undefined, unitTerms: Set<string>, unitText: string): number {
  const s = matchStrength(term, unitTerms);
  if (s > 0 || !acronymRaw) return s;
  return expandAcronym(acronymRaw, unitText).length > 0 ? 0.9 : 0;
}

const DEF_VERB = /\s(is|are|was|were|refers to|means|is defined as|is called|are called|describes?|denotes?)\s/;

/** True when the unit reads like a definition of the subject: "<subject ...> is/are/refers to ...". */
function isDefinitionOf(unit: Unit, subject: string[], aliases: Map<string, string[]>): boolean {
  if (!subject.length) return false;
  const t = normalize(unit.text).replace(/\*+/g, "");
  const m = DEF_VERB.exec(t);
  let head = "";
  if (m && m.index < 160) head = t.slice(0, m.index);
  else {
    const ja = /^(.{1,40}?)(とは|は、|は)/.exec(t);
    if (ja) head = ja[1]!;
  }
  if (!head) return false;
  const headTerms = setOf(contentTerms(head));
  // Acronyms in the head count as their long forms (GDN -> Groningen Declaration Network).
  for (const term of [...headTerms]) for (const lt of aliases.get(term) ?? []) headTerms.add(lt);
  let hit = 0;
  for (const s of subject) if (matchStrength(s, headTerms) > 0) hit++;
  return hit / subject.length >= 0.6 && headTerms.size <= subject.length + 8;
}

/** Units too short or too bare to answer anything are never chosen. */
function isInformative(unit: Unit, terms: string[]): boolean {
  if (unit.kind === "heading") return false;
  const letters = (unit.text.match(/[\p{L}\p{N}]/gu) ?? []).length;
  if (letters < 8) return false;
  if (/^\s*https?:\/\/\S+\s*$/.test(unit.text)) return false;
  const distinct = new Set(terms).size;
  if (unit.kind === "table-row" || unit.kind === "lines") return distinct >= 2;
  if (distinct >= 3) return true;
  return distinct >= 2 && hasQuantity(unit.text) && letters >= 12;
}

/**
 * Segments the top passages, weights the question's terms by rarity across their units, and scores every
 * unit: coverage of the question (rare terms weigh more), retrieval rank/score, and answer-type bonuses.
 */
export function analyzePassages(question: string | QuestionInfo, passages: Passage[], options: ScoreOptions = {}): Analysis {
  const q = typeof question === "string" ? analyzeQuestion(question) : question;
  const top = passages.slice(0, options.maxPassages ?? 8);

  interface Raw {
    passageIndex: number;
    passage: Passage;
    unit: Unit;
    termList: string[];
    terms: Set<string>;
    contextTerms: Set<string>;
    aliases: Map<string, string[]>;
    aliasTerms: Set<string>;
    titleTerms: Set<string>;
  }
  const raws: Raw[] = [];
  const passageTerms: Set<string>[] = [];
  const passageTexts: string[] = [];
  top.forEach((p, passageIndex) => {
    const text = p.chunk.text;
    const defs = acronymDefinitions(text);
    const headingTerms = uniqueTerms(p.chunk.headingPath.join(" \n "));
    const titleTerms = new Set(uniqueTerms(p.document.title));
    const all = new Set<string>(contentTerms(text));
    for (const h of headingTerms) all.add(h);
    passageTerms.push(all);
    passageTexts.push(`${p.chunk.headingPath.join("\n")}\n${text}`);
    for (const unit of segmentPassage(text)) {
      const termList = contentTerms(unit.text);
      const terms = setOf(termList);
      const contextTerms = new Set<string>(headingTerms);
      if (unit.context) for (const t of uniqueTerms(unit.context)) contextTerms.add(t);
      const aliases = new Map<string, string[]>();
      const aliasTerms = new Set<string>();
      for (const [abbr, longTerms] of defs) {
        if (terms.has(abbr)) {
          aliases.set(abbr, longTerms);
          for (const lt of longTerms) aliasTerms.add(lt);
        }
      }
      raws.push({ passageIndex, passage: p, unit, termList, terms, contextTerms, aliases, aliasTerms, titleTerms });
    }
  });

  // Rarity of each question term across the units of these passages (BM25-style idf).
  const n = raws.length;
  const weights = new Map<string, number>();
  for (const t of q.terms) {
    let df = 0;
    for (const r of raws) if (r.terms.has(t)) df++;
    weights.set(t, Math.log(1 + (n + 1) / (df + 0.5)));
  }
  // A specific number is rare by nature; as a topic term it weighs no more than the average other term.
  const wordWeights = q.terms.filter((t) => !/^\d/.test(t)).map((t) => weights.get(t)!);
  if (wordWeights.length) {
    const mean = wordWeights.reduce((a, b) => a + b, 0) / wordWeights.length;
    for (const t of q.terms) if (/^\d/.test(t)) weights.set(t, Math.min(weights.get(t)!, mean));
  }
  const totalWeight = [...weights.values()].reduce((a, b) => a + b, 0) || 1;

  // Acronyms in the question can be matched by their spelled-out forms in a unit.
  const acronymOf = new Map<string, string>();
  for (const e of q.entities) if (e.kind === "acronym" && e.terms.length === 1) acronymOf.set(e.terms[0]!, e.raw);

  const missingTerms = q.terms.filter((t) => {
    if (passageTerms.some((s) => matchStrength(t, s) > 0)) return false;
    const acr = acronymOf.get(t);
    return !(acr && passageTexts.some((txt) => expandAcronym(acr, txt).length > 0));
  });
  const missingEntities = q.entities
    .filter((e) => {
      const acr = e.kind === "acronym" ? e.raw : undefined;
      return !top.some((_, i) =>
        e.terms.every(
          (t) =>
            passageTerms[i]!.has(t) ||
            (e.kind === "name" && matchStrength(t, passageTerms[i]!) > 0) ||
            (acr !== undefined && expandAcronym(acr.replace(/[^A-Za-z]/g, ""), passageTexts[i]!).length > 0),
        ),
      );
    })
    .map((e) => e.raw);

  const topScore = top.length ? Math.max(...top.map((p) => p.score)) : 0;
  const units: ScoredUnit[] = raws.map((r) => {
    const matched = new Set<string>();
    let covered = 0;
    for (const t of q.terms) {
      const w = weights.get(t) ?? 0;
      const s = Math.max(termStrength(t, acronymOf.get(t), r.terms, r.unit.text), 0.9 * matchStrength(t, r.aliasTerms));
      if (s > 0) matched.add(t);
      const c = Math.max(s, CONTEXT_WEIGHT * matchStrength(t, r.contextTerms), TITLE_WEIGHT * matchStrength(t, r.titleTerms));
      covered += w * c;
    }
    const coverage = q.terms.length ? covered / totalWeight : 0;

    let typeBonus = 0;
    let hasAnswerType = false;
    const text = r.unit.text;
    if (q.expects.duration) {
      if (hasDuration(text)) {
        typeBonus += 0.12;
        hasAnswerType = true;
      }
    } else if (q.expects.quantity) {
      // Enumerators and footnote marks ("(1)", "(10)") are not quantities.
      const digits = contentTerms(text.replace(/\(\d{1,2}\)/g, " ")).some((t) => /^\d/.test(t) && !q.numbers.includes(t));
      if (digits) {
        typeBonus += 0.1;
        hasAnswerType = true;
      } else if (hasQuantity(text.replace(/\d+/g, ""))) {
        typeBonus += 0.05;
        hasAnswerType = true;
      }
    }
    if (q.expects.date && hasDate(text)) {
      typeBonus += 0.1;
      hasAnswerType = true;
    }
    if (q.expects.level && hasLevelNumber(text)) {
      typeBonus += 0.08;
      hasAnswerType = true;
    }
    if (q.expects.definition && isDefinitionOf(r.unit, q.subjectTerms, r.aliases)) {
      typeBonus += 0.12;
      hasAnswerType = true;
    }
    // Bonuses only count for units that are about the question at all.
    if (matched.size === 0) typeBonus = 0;
    else typeBonus *= Math.min(1, coverage * 2.5);
    const e = q.expects;
    const typeFactor = (e.quantity || e.date || e.level) && !hasAnswerType ? MISSING_TYPE_FACTOR : 1;

    const rankPrior = 1 / (1 + 0.35 * r.passageIndex);
    const scorePrior = topScore > 0 && r.passage.score > 0 ? r.passage.score / topScore : rankPrior;
    const prior = 0.5 * rankPrior + 0.5 * scorePrior;
    const informative = isInformative(r.unit, r.termList);
    // Very long units cover terms by sheer length; prefer the focused statement.
    const lengthFactor = r.termList.length > 45 ? 0.92 : 1;
    // Published sources are quoted before our own compiled cards when both say the same.
    const sourceFactor = r.passage.document.kind === "card" ? (options.cardFactor ?? DEFAULT_CARD_FACTOR) : 1;
    // Among units covering the question equally, prefer the focused one (fewer unrelated terms).
    // Parenthesised asides (translations, romanisations, abbreviations) do not make a unit less focused.
    const distinct = new Set([...contentTerms(text.replace(/\([^()]*\)/g, " ")), ...matched]);
    const precision = distinct.size ? [...distinct].filter((t) => matched.has(t)).length / distinct.size : 0;
    const score =
      (COVERAGE_WEIGHT * coverage + RANK_WEIGHT * prior + PRECISION_WEIGHT * precision + typeBonus) * typeFactor * lengthFactor * sourceFactor;
    return {
      passageIndex: r.passageIndex,
      passage: r.passage,
      unit: r.unit,
      terms: r.terms,
      termList: r.termList,
      contextTerms: r.contextTerms,
      coverage,
      matched,
      typeBonus,
      score,
      informative,
      hasAnswerType,
    };
  });
  return { question: q, units, weights, missingTerms, missingEntities };
}

/** Weighted share of the question's terms covered by the union of some units (context at half weight). */
export function unionCoverage(analysis: Analysis, chosen: ScoredUnit[]): number {
  const { question: q, weights } = analysis;
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (!total || !chosen.length) return 0;
  let covered = 0;
  for (const t of q.terms) {
    let best = 0;
    for (const u of chosen) {
      const s = u.matched.has(t) ? 1 : Math.max(matchStrength(t, u.terms), 0.5 * matchStrength(t, u.contextTerms));
      if (s > best) best = s;
    }
    covered += (weights.get(t) ?? 0) * best;
  }
  return covered / total;
}

/** Near-duplicate test on content terms (Jaccard or containment). */
export function isRedundant(a: ScoredUnit, b: ScoredUnit): boolean {
  if (normalize(a.unit.text).replace(/\s+/g, " ") === normalize(b.unit.text).replace(/\s+/g, " ")) return true;
  const A = a.terms;
  const B = b.terms;
  if (!A.size || !B.size) return false;
  // Units stating different numbers say different things ("... is at level 7" vs "... is at level 6").
  const numsA = [...A].filter((t) => /^\d/.test(t));
  const numsB = [...B].filter((t) => /^\d/.test(t));
  if (numsA.some((t) => !B.has(t)) && numsB.some((t) => !A.has(t))) return false;
  let inter = 0;
  for (const t of A) if (B.has(t)) inter++;
  const union = A.size + B.size - inter;
  return inter / union >= 0.6 || inter / Math.min(A.size, B.size) >= 0.85;
}

export interface SupportBreakdown {
  support: number;
  bestCoverage: number;
  unionCoverage: number;
  missingEntities: string[];
  missingTerms: string[];
  answerTypeFound: boolean;
  /** The multipliers applied to the coverage score (1 = no effect), for diagnostics and calibration. */
  factors: {
    missingEntities: number;
    entitiesElsewhere: number;
    definition: number;
    pairs: number;
    keyTerm: number;
  };
}

/** True when `a` and `b` occur within `window` content terms of each other in the unit. */
function near(u: ScoredUnit, a: string, b: string, window = 3): boolean {
  const one = new Set([a]);
  const two = new Set([b]);
  const pa: number[] = [];
  const pb: number[] = [];
  u.termList.forEach((t, i) => {
    if (matchStrength(t, one) > 0) pa.push(i);
    if (matchStrength(t, two) > 0) pb.push(i);
  });
  return pa.some((i) => pb.some((j) => Math.abs(i - j) <= window));
}

/**
 * Support for answering from the chosen units, in [0, 1]. Starts from coverage: 0.8 x the best single unit's
 * plus 0.2 x the chosen units' joint weighted share of the question's terms (rare terms weigh more; terms found
 * in no passage count fully against; for number/date/level questions, units stating none count at x0.65).
 * Then multiplies by factors for evidence that the passages are about something else:
 * - a named entity, acronym or number of the question found in no passage (heavy: x0.45 each, up to 3);
 * - such an entity present only in documents other than the quoted ones (x0.75 each, up to 2);
 * - a "what is X" question whose X is not defined or at least fully named by a quoted unit (x0.7);
 * - none of the question's word pairs ("tuition fee") found close together in a quoted unit (x0.85);
 * - the question's clearly most specific term present in the passages but not in the quoted units (x0.85).
 * Retrieval's rank and score enter through the unit scores that choose the quoted units; a vector similarity
 * can be blended in with `vectorWeight`.
 */
export function supportOf(analysis: Analysis, chosen: ScoredUnit[], passages: Passage[], options: { vectorWeight?: number } = {}): SupportBreakdown {
  const q = analysis.question;
  const informative = analysis.units.filter((u) => u.informative);
  const bestAny = informative.reduce((m, u) => Math.max(m, u.coverage), 0);
  // When a number, date or level is asked for, only units stating one can answer: the best of them counts
  // fully, any other unit at a discount.
  const e = q.expects;
  const typed = e.quantity || e.date || e.level;
  const bestTyped = informative.filter((u) => u.hasAnswerType).reduce((m, u) => Math.max(m, u.coverage), 0);
  const bestCoverage = typed ? Math.max(bestTyped, UNTYPED_FACTOR * bestAny) : bestAny;
  const uc = unionCoverage(analysis, chosen);
  let support = q.terms.length ? (1 - UNION_WEIGHT) * bestCoverage + UNION_WEIGHT * uc : 0;

  const missingEntitiesF = Math.pow(0.45, Math.min(analysis.missingEntities.length, 3));
  // "Quoted" at document level: the retrieved passages of the documents the chosen units come from (a
  // survey's year may sit in the neighbouring passage of the same document).
  const quotedDocs = new Set(chosen.map((u) => u.passage.document.id));
  const quotedTexts = passages
    .slice(0, Math.max(8, chosen.length))
    .filter((p) => quotedDocs.has(p.document.id))
    .map((p) => `${p.document.title}\n${p.chunk.headingPath.join("\n")}\n${p.chunk.text}`);
  const quotedTerms = new Set(quotedTexts.flatMap((t) => contentTerms(t)));
  const elsewhere = q.entities.filter(
    (e) =>
      !analysis.missingEntities.includes(e.raw) &&
      !e.terms.every(
        (t) =>
          matchStrength(t, quotedTerms) > 0 ||
          (e.kind === "acronym" && quotedTexts.some((txt) => expandAcronym(e.raw.replace(/[^A-Za-z]/g, ""), txt).length > 0)),
      ),
  ).length;
  const entitiesElsewhereF = Math.pow(0.75, Math.min(elsewhere, 2));

  const answerTypeFound = !typed || chosen.some((u) => u.hasAnswerType);

  let definitionF = 1;
  if (q.expects.definition) {
    const named = chosen.some((u) => u.typeBonus > 0 || q.subjectTerms.every((t) => u.matched.has(t)));
    if (!named) definitionF = 0.7;
  }

  let pairsF = 1;
  const pairs = q.pairs.filter(([a, b]) => !analysis.missingTerms.includes(a) && !analysis.missingTerms.includes(b));
  if (pairs.length && !chosen.some((u) => pairs.some(([a, b]) => near(u, a, b)))) pairsF = 0.85;

  let keyTermF = 1;
  const present = q.terms.filter((t) => !analysis.missingTerms.includes(t) && !/^\d/.test(t));
  if (present.length >= 2) {
    const key = present.reduce((a, b) => ((analysis.weights.get(b) ?? 0) > (analysis.weights.get(a) ?? 0) ? b : a));
    const others = present.filter((t) => t !== key).map((t) => analysis.weights.get(t) ?? 0);
    const clearlyKey = (analysis.weights.get(key) ?? 0) > 1.2 * Math.max(...others);
    if (clearlyKey && !chosen.some((u) => u.matched.has(key))) keyTermF = 0.85;
  }

  support *= missingEntitiesF * entitiesElsewhereF * definitionF * pairsF * keyTermF;
  // Optional: blend in the top passage's vector similarity. Off by default: with the local LSA embeddings the
  // cosine did not separate answerable from unanswerable dev questions (both spread over 0.1-0.7).
  const vw = options.vectorWeight ?? 0;
  const vec = passages[0]?.signals?.vector;
  if (vw > 0 && typeof vec === "number" && Number.isFinite(vec) && vec >= 0 && vec <= 1) {
    support = (1 - vw) * support + vw * vec;
  }
  return {
    support: Math.max(0, Math.min(1, support)),
    bestCoverage,
    unionCoverage: uc,
    missingEntities: analysis.missingEntities,
    missingTerms: analysis.missingTerms,
    answerTypeFound,
    factors: {
      missingEntities: missingEntitiesF,
      entitiesElsewhere: entitiesElsewhereF,
      definition: definitionF,
      pairs: pairsF,
      keyTerm: keyTermF,
    },
  };
}
