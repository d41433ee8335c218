/**
 * Tokenisation for English, German and Japanese text with `Intl.Segmenter` (no extra dependency).
 *
 * - Text is NFKC-normalised (full-width letters and digits become ASCII) and lower-cased.
 * - Latin words are lightly stemmed (plural and possessive endings) and stop words dropped.
 * - Japanese runs give the segmenter's words (particles dropped) plus character bigrams, so a query
 *   still matches when the segmenter cuts a compound differently in the question and in the source.
 */

const segmenter = new Intl.Segmenter("ja", { granularity: "word" });

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+/g;
const KANA_ONLY = /^[\u3040-\u309f\u30fc]+$/;
const HIRAGANA = /[\u3040-\u309f]/;

const ENGLISH_STOP = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have how i if in into is it its " +
    "may me might must my no nor not of on or our shall should so such than that the their them then there these they this " +
    "those to was we were what when where which while who whom why will with would you your yours about after all also any " +
    "both each few more most other same some very just only own too s t der die das und von zu den im"
  ).split(" "),
);
// Words that carry the question's intent: kept, because "not" and numbers decide many FCE answers.
ENGLISH_STOP.delete("not");
ENGLISH_STOP.delete("no");

const JAPANESE_STOP = new Set(
  "は が を に の へ と で や か も な だ です ます する した して し こと もの これ それ あれ この その どの どれ 何 なに ですか ますか ください でしょう でしょうか いる ある よう ため ような".split(" "),
);

/** NFKC, lower case, unify quotes and dashes. */
export function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, "-");
}

/**
 * A light English stemmer (after Porter's steps 1a, 1b and 5a): enough to match plurals, possessives,
 * past tenses and gerunds ("ratified" ~ "ratify", "required" ~ "require", "training" ~ "train").
 */
export function stem(word: string): string {
  let w = word;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  else if (w.endsWith("'")) w = w.slice(0, -1);
  if (w.length <= 3 || /\d/.test(w) || !/^[a-z]+$/.test(w)) return w;
  // Step 1a: plurals.
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies") || w.endsWith("ied")) w = w.length > 4 ? w.slice(0, -3) + "i" : w.slice(0, -1);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  // Step 1b: -ed and -ing when what is left still has a vowel.
  const m = /^(.*?)(eed|ed|ing)$/.exec(w);
  if (m && m[2] !== "eed" && /[aeiouy]/.test(m[1]!) && m[1]!.length >= 3) {
    w = m[1]!;
    if (/(at|bl|iz)$/.test(w)) w += "e";
    else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
  }
  // Step 1c: a final y after a consonant becomes i ("ratify" ~ "ratifi").
  if (/[^aeiou]y$/.test(w) && w.length > 3) w = w.slice(0, -1) + "i";
  // Step 5a: a final e goes ("degree" ~ "degre", "require" ~ "requir").
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

export interface TokenizeOptions {
  /** Keep stop words (used for phrase matching); default false. */
  keepStopWords?: boolean;
  /** Add CJK character bigrams; default true. */
  cjkBigrams?: boolean;
}

/** Splits text into index terms. Deterministic and pure. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const { keepStopWords = false, cjkBigrams = true } = options;
  // "1,303" is one number, not two.
  const norm = normalize(text).replace(/(\d),(?=\d{3}\b)/g, "$1");
  const out: string[] = [];
  for (const seg of segmenter.segment(norm)) {
    if (!seg.isWordLike) continue;
    const raw = seg.segment;
    if (CJK.test(raw)) {
      if (keepStopWords || !(JAPANESE_STOP.has(raw) || (raw.length === 1 && KANA_ONLY.test(raw)))) out.push(raw);
      continue;
    }
    // Split tokens like "nic-japan" or "b.sc" into parts the same way in queries and documents.
    for (const part of raw.split(/[^\p{L}\p{N}']+/u)) {
      const word = part.replace(/^'+|'+$/g, "");
      if (!word) continue;
      if (!keepStopWords && ENGLISH_STOP.has(word)) continue;
      const s = stem(word);
      if (s) out.push(s);
    }
  }
  if (cjkBigrams) {
    for (const run of norm.match(CJK_RUN) ?? []) {
      if (run.length < 2 || KANA_ONLY.test(run)) continue;
      for (let i = 0; i + 2 <= run.length; i++) {
        const bigram = run.slice(i, i + 2);
        // Hiragana are mostly particles and endings: a bigram across them carries no meaning.
        if (!HIRAGANA.test(bigram)) out.push(`#${bigram}`);
      }
    }
  }
  return out;
}

/** True when the text contains Japanese script. */
export function hasJapanese(text: string): boolean {
  return CJK.test(text);
}
