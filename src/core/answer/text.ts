/**
 * Text normalisation for the answerer: lowercase + NFKC, light English stemming, stop words, and
 * Japanese terms (Intl.Segmenter words plus CJK bigrams). Pure TypeScript: runs on Node and Workers.
 *
 * This is deliberately self-contained (no glossary, no synonyms): the answerer measures how much of the
 * question the passages literally cover, and a glossary would hide gaps that should lead to abstention.
 */
import { memoizeByString } from "./memo.js";

/** English function words and question words that carry no content. */
const EN_STOP = new Set(
  (
    "a an the and or but nor so yet if then than that this these those there here of in on at to for from by with " +
    "without within into onto upon about above below over under between among through during before after since until " +
    "as per via vs is are was were be been being am do does did doing done have has had having can could shall should " +
    "will would may might must ought i me my mine we us our ours you your yours he him his she her hers it its they " +
    "them their theirs what which who whom whose when where why how whether any some all each every either neither " +
    "no not only own same such too very just also more most much many few less least other others another one's " +
    "please tell explain know say said says give gives given get gets got let like want need needs " +
    "s t d ll m o re ve y don doesn didn isn aren wasn weren won't can't cannot"
  ).split(/\s+/),
);

/** Words removed only from questions (they describe the question, not the topic). */
const EN_QUESTION_FILLER = new Set(
  "kind sort thing things way ways exactly actually really generally usually typically example take takes took taken make makes".split(
    /\s+/,
  ),
);

/** Japanese function words that Intl.Segmenter may return as word-like segments. */
const JA_STOP = new Set([
  "何", "なに", "なん", "誰", "だれ", "どこ", "いつ", "どの", "どれ", "どう", "なぜ", "どんな", "いくつ", "いくら",
  "です", "ます", "でしょう", "ですか", "ください", "する", "される", "した", "して", "ある", "いる", "なる", "こと",
  "もの", "ため", "よう", "それ", "これ", "あれ", "その", "この", "あの", "について", "における", "場合",
]);

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆ヶ]+/u;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;
const HAN_OR_KATAKANA = /[\p{Script=Han}\p{Script=Katakana}ー々〆ヶ]/u;

/** Lowercase + NFKC + unified quotes and dashes. */
export function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[‘’‛′`´]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―]/g, "-")
    .toLowerCase();
}

function undouble(w: string): string {
  const m = /([bcdfghjkmnpqrtvwx])\1$/.exec(w);
  return m ? w.slice(0, -1) : w;
}

/** A light English stemmer: plurals, -ed, -ing, final e. Consistent rather than linguistically exact. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w) || w.includes(".")) return w;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is|ys)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ied") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("ed") && w.length > 4 && !w.endsWith("eed")) w = undouble(w.slice(0, -2));
  if (w.endsWith("e") && w.length > 4 && !w.endsWith("ee")) w = w.slice(0, -1);
  return w;
}

let jaSegmenter: Intl.Segmenter | null | undefined;
function getJaSegmenter(): Intl.Segmenter | null {
  if (jaSegmenter === undefined) {
    try {
      jaSegmenter = typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter("ja", { granularity: "word" }) : null;
    } catch {
      jaSegmenter = null;
    }
  }
  return jaSegmenter;
}

/** Terms of a run of Japanese script: Intl.Segmenter words (minus function words) plus Han/Katakana bigrams. */
function cjkTerms(run: string, out: string[]): void {
  const seg = getJaSegmenter();
  if (seg) {
    for (const s of seg.segment(run)) {
      if (!s.isWordLike) continue;
      const w = s.segment;
      if (HIRAGANA_ONLY.test(w) || JA_STOP.has(w)) continue;
      if (w.length === 1 && !HAN_OR_KATAKANA.test(w)) continue;
      out.push(w);
    }
  }
  // Bigrams over maximal stretches of Han characters (kanji compounds are segmented inconsistently;
  // katakana words and hiragana grammar are left to the segmenter).
  const stretches = run.split(/[^\p{Script=Han}々〆ヶ]+/u);
  for (const st of stretches) {
    const chars = [...st];
    if (chars.length === 1 && !seg && !JA_STOP.has(st)) out.push(st);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  if (!seg) {
    for (const st of run.split(/[^\p{Script=Katakana}ー]+/u)) if ([...st].length >= 2) out.push(st);
  }
}

/** A letter or digit outside the Japanese scripts (Latin, Greek, Cyrillic, ... and combining marks). */
const WORD_CHAR = "(?:(?![\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}])[\\p{L}\\p{M}\\p{N}])";

const TOKEN_RE = new RegExp(`(${CJK_RUN.source})|(${WORD_CHAR}+(?:[.,']${WORD_CHAR}+)*)`, "gu");

export interface Token {
  /** The normalised, stemmed term. */
  term: string;
  /** The raw token as written (after NFKC). */
  raw: string;
  /** Offset of the raw token in the normalised-for-offsets text (NFKC can shift offsets; use for ordering only). */
  index: number;
  cjk: boolean;
}

function latinTerm(raw: string): string | null {
  let t = raw;
  // Acronym plural: HEIs -> hei, AOs -> ao.
  if (/^[A-Z]{2,}s$/.test(t)) return t.slice(0, -1).toLowerCase();
  const acronym = /^[A-Z0-9]{2,}$/.test(t);
  t = t.toLowerCase();
  t = t.replace(/'s$/, "").replace(/'$/, "");
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, "");
  else if (t.includes(",")) return null; // split below by caller
  if (/^\d+(\.\d+)*$/.test(t)) return t;
  t = t.replace(/'/g, "");
  if (!t) return null;
  return acronym ? t : stem(t);
}

/** All tokens of a text, in order, with function words kept (use `contentTerms` for the content only). */
export function tokenize(text: string): Token[] {
  const src = text.normalize("NFKC").replace(/[‘’‛′`´]/g, "'");
  const out: Token[] = [];
  for (const m of src.matchAll(TOKEN_RE)) {
    const index = m.index ?? 0;
    if (m[1]) {
      const terms: string[] = [];
      cjkTerms(m[1], terms);
      for (const term of terms) out.push({ term, raw: term, index, cjk: true });
      continue;
    }
    const raw = m[2]!;
    const pieces = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(raw) ? [raw] : raw.split(",");
    for (const piece of pieces) {
      // Dotted abbreviations (U.S., e.g.) stay one token; other dots split (a.m. is rare in this domain).
      const isDotted = /^(\p{L}\.)+\p{L}$/u.test(piece) && piece.length <= 7;
      const parts = isDotted || /^\d+(\.\d+)*$/.test(piece) ? [piece] : piece.split(".");
      for (const p of parts) {
        if (!p) continue;
        const term = isDotted ? p.toLowerCase() : latinTerm(p);
        if (term) out.push({ term, raw: p, index, cjk: false });
      }
    }
  }
  return out;
}

export function isStopTerm(term: string): boolean {
  return EN_STOP.has(term) || JA_STOP.has(term);
}

/** Content terms of a text (stop words removed), in order, duplicates kept. */
export function contentTerms(text: string, opts: { question?: boolean } = {}): string[] {
  return opts.question ? computeContentTerms(text, true) : cachedContentTerms(text);
}

const cachedContentTerms = memoizeByString((text) => Object.freeze(computeContentTerms(text, false)) as string[]);

function computeContentTerms(text: string, question: boolean): string[] {
  const opts = { question };
  const out: string[] = [];
  for (const t of tokenize(text)) {
    if (t.cjk) {
      out.push(t.term);
      continue;
    }
    const lower = t.raw.toLowerCase().replace(/'s$/, "");
    if (EN_STOP.has(lower) || EN_STOP.has(t.term)) continue;
    if (opts.question && (EN_QUESTION_FILLER.has(lower) || EN_QUESTION_FILLER.has(t.term))) continue;
    if (t.term.length === 1 && !/\d/.test(t.term)) continue;
    out.push(t.term);
  }
  return out;
}

export function uniqueTerms(text: string, opts: { question?: boolean } = {}): string[] {
  return [...new Set(contentTerms(text, opts))];
}

/** True when a term is written in Japanese script. */
export function isCjkTerm(term: string): boolean {
  return CJK_RUN.test(term);
}

/**
 * How well `term` is matched by a set of terms: 1 for an exact match; 0.7 when one is a prefix of the other
 * and they share at least 5 characters (doctor/doctoral, japan/japanese); else 0.
 */
export function matchStrength(term: string, terms: ReadonlySet<string>): number {
  if (terms.has(term)) return 1;
  if (term.length < 5 || /\d/.test(term) || isCjkTerm(term)) return 0;
  let best = 0;
  for (const t of terms) {
    if (t.length < 5 || /\d/.test(t)) continue;
    const [short, long] = t.length <= term.length ? [t, term] : [term, t];
    if (long.startsWith(short) && long.length - short.length <= 4) best = 0.7;
    if (best) break;
  }
  return best;
}

const NUMBER_WORDS =
  /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|twice|single|double)\b/i;

/** True when the text states a quantity: digits, a number word, a percentage or a kanji numeral with a counter. */
export function hasQuantity(text: string): boolean {
  return /\d/.test(text.normalize("NFKC")) || NUMBER_WORDS.test(text) || /[一二三四五六七八九十百千万]+[年人件回校%％割]/.test(text);
}

/** True when the text states a length of time: a number (digits or words) with a time unit. */
export function hasDuration(text: string): boolean {
  const t = text.normalize("NFKC");
  const num = "(?:\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|a|an|half a)";
  const re = new RegExp(`\\b${num}(?:\\s*(?:-|to|or|~|–)\\s*${num})?[\\s-]*(?:years?|months?|weeks?|days?|hours?|semesters?|terms?)\\b`, "i");
  return re.test(t) || /\d+\s*(年間?|か月|ヶ月|カ月|日間?|時間|学期)/.test(t);
}

const MONTHS = /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b/i;

/** True when the text states a date or year. */
export function hasDate(text: string): boolean {
  const t = text.normalize("NFKC");
  return /\b(1[89]\d\d|20\d\d)\b/.test(t) || (MONTHS.test(t) && /\d/.test(t)) || /\d+年|令和|平成|昭和/.test(t);
}

/** True when the text states a level number ("level 7", a table row starting with a small number). */
export function hasLevelNumber(text: string): boolean {
  const t = text.normalize("NFKC");
  return /\blevels?\s*\d{1,2}\b/i.test(t) || /^\s*\d{1,2}\s*(\t|\|)/.test(t) || /レベル\s*\d/.test(t) || /^\s*\|\s*\d{1,2}\s*\|/.test(t);
}

const LATIN_WORD_RE = new RegExp(`${WORD_CHAR}(?:${WORD_CHAR}|['-])*`, "gu");

/**
 * Finds the word sequences in `text` whose initials spell `acronym` (EQF -> European Qualifications
 * Framework), ignoring small function words inside the sequence. Returns the expansions found.
 */
export function expandAcronym(acronym: string, text: string): string[] {
  const letters = acronym.toLowerCase().replace(/[^a-z]/g, "");
  if (letters.length < 2 || letters.length > 8) return [];
  const words = [...text.normalize("NFKC").matchAll(LATIN_WORD_RE)].map((m) => m[0]);
  const skip = new Set(["of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le", "der", "die", "und", "to", "&"]);
  const found = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    if (words[i]![0]!.toLowerCase() !== letters[0]) continue;
    let li = 0;
    let j = i;
    const used: string[] = [];
    while (j < words.length && li < letters.length) {
      const w = words[j]!;
      const lw = w.toLowerCase();
      if (lw[0] === letters[li] && /^\p{Lu}/u.test(w)) {
        used.push(w);
        li++;
        j++;
      } else if (used.length > 0 && skip.has(lw)) {
        used.push(w);
        j++;
      } else break;
    }
    if (li === letters.length) found.add(used.join(" "));
  }
  return [...found];
}

/** Acronym definitions written as "Long Form Name (ABBR)" in a text: abbreviation -> long-form content terms. */
export function acronymDefinitions(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of text.normalize("NFKC").matchAll(/\(([A-Z][A-Za-z]{1,7})\)/g)) {
    const abbr = m[1]!;
    if (!/^[A-Z]{2,}[a-z]?$/.test(abbr) && !/^[A-Z][a-z]?[A-Z]+$/.test(abbr)) continue;
    const before = text.normalize("NFKC").slice(Math.max(0, (m.index ?? 0) - 160), m.index ?? 0);
    const upper = abbr.replace(/[a-z]/g, "");
    const exps = expandAcronym(upper, before);
    const exp = exps.find((e) => before.trimEnd().endsWith(e));
    if (exp) out.set(abbr.toLowerCase(), uniqueTerms(exp));
  }
  return out;
}
