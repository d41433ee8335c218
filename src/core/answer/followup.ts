/**
 * Follow-up resolution: turns an elliptical question ("and for a master's?", "what about Germany?",
 * "それは？") into a standalone retrieval query using the previous turns. Standalone questions pass unchanged.
 */
import { contentTerms, isStopTerm } from "./text.js";

export interface Turn {
  question: string;
  answer?: string;
}

/** Words that can fill the same slot of a question: one degree for another, one country for another. */
const SLOT_CATEGORIES: Array<{ name: string; words: string[] }> = [
  {
    name: "degree",
    words: [
      "bachelor", "bachelors", "master", "masters", "doctoral", "doctorate", "doctor", "phd", "ph.d", "associate", "diploma",
      "advanced diploma", "certificate", "abitur", "baccalaureate", "baccalauréat", "magister", "staatsprüfung", "diplom",
      "gakushi", "shushi", "hakushi", "jun-gakushi", "tanki-daigakushi", "senmonshi", "kodo-senmonshi",
      "学士", "修士", "博士", "短期大学士", "準学士", "専門士", "高度専門士", "専門職学位", "法務博士", "教職修士",
    ],
  },
  {
    name: "country",
    words: [
      "japan", "japanese", "germany", "german", "china", "chinese", "korea", "korean", "south korea", "taiwan", "taiwanese",
      "france", "french", "italy", "italian", "spain", "spanish", "portugal", "portuguese", "netherlands", "dutch", "belgium",
      "austria", "austrian", "switzerland", "swiss", "sweden", "swedish", "norway", "norwegian", "denmark", "danish",
      "finland", "finnish", "poland", "polish", "russia", "russian", "ukraine", "ukrainian", "turkey", "turkish",
      "uk", "united kingdom", "britain", "british", "england", "english", "ireland", "irish", "us", "usa", "united states",
      "america", "american", "canada", "canadian", "mexico", "mexican", "brazil", "brazilian", "peru", "peruvian",
      "argentina", "chile", "colombia", "australia", "australian", "new zealand", "india", "indian", "nepal", "nepalese",
      "nepali", "bangladesh", "sri lanka", "pakistan", "vietnam", "vietnamese", "thailand", "thai", "indonesia",
      "indonesian", "malaysia", "malaysian", "philippines", "filipino", "singapore", "myanmar", "mongolia", "mongolian",
      "kazakhstan", "uzbekistan", "iran", "egypt", "nigeria", "nigerian", "kenya", "ghana", "south africa",
      "日本", "ドイツ", "中国", "韓国", "台湾", "フランス", "イタリア", "スペイン", "英国", "イギリス", "アメリカ", "米国", "カナダ",
      "ブラジル", "ペルー", "オーストラリア", "インド", "ネパール", "ベトナム", "タイ", "インドネシア", "マレーシア", "フィリピン",
      "ミャンマー", "モンゴル", "バングラデシュ", "スリランカ", "ロシア",
    ],
  },
];

const LEADING_CONNECTIVE =
  /^\s*(?:(?:and|but|also|or|so|then|ok|okay|now)\s*,?\s+)*(?:what about|how about|what of|as for|same for|same question for|and for|likewise for)?\s*/i;
const JA_LEADING = /^\s*(?:それでは|では|じゃあ|じゃ|なら|あと|また|で、|それと)\s*/;
const PRONOUN = /\b(it|its|it's|they|them|their|theirs|this|that|these|those|he|she|him|her|one|ones|there)\b/i;
const JA_PRONOUN = /(それ|その|これ|この|あれ|あの|そこ|ここ|同じ)/;
const QUESTION_WORD = /\b(what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|should|will|would|has|have)\b/i;
const JA_QUESTION = /(何|いつ|どこ|誰|どの|どれ|いくつ|いくら|なぜ|どう|ですか|ますか|か[?？]?$)/;

function stripQuestionMark(s: string): string {
  return s.trim().replace(/[?？。.!！]+$/u, "").trim();
}

function hasJapanese(s: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(s);
}

/** Words of a text with their offsets (Latin words keep internal ' . - characters). */
function words(s: string): Array<{ w: string; start: number; end: number }> {
  return [...s.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu)].map((m) => ({
    w: m[0],
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
}

function baseWord(w: string): string {
  return w.toLowerCase().replace(/['’]s$/, "").replace(/['’]$/, "");
}

/** Finds the first slot word of `category` in `text`: longest phrase first; for Japanese, substring search. */
function findSlot(text: string, category: { words: string[] }): { start: number; end: number; word: string } | undefined {
  const lower = text.toLowerCase();
  let best: { start: number; end: number; word: string } | undefined;
  for (const word of category.words) {
    if (hasJapanese(word)) {
      const i = text.indexOf(word);
      if (i >= 0 && (!best || i < best.start || (i === best.start && word.length > best.end - best.start))) {
        best = { start: i, end: i + word.length, word };
      }
      continue;
    }
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:['’]s|s)?(?![\\p{L}\\p{N}])`, "giu");
    for (const m of lower.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (!best || start < best.start || (start === best.start && end > best.end)) best = { start, end, word };
      break;
    }
  }
  return best;
}

function fixArticle(text: string, at: number, replacement: string): string {
  // "a bachelor's" -> "an associate": fix the article right before the replaced word.
  const before = text.slice(0, at);
  const m = /\b(a|an)\s+$/i.exec(before);
  if (!m) return text;
  const vowel = /^[aeiou]/i.test(replacement) && !/^(uni|eu|one)/i.test(replacement);
  const article = vowel ? "an" : "a";
  const fixed = m[1]![0] === m[1]![0]!.toUpperCase() ? article[0]!.toUpperCase() + article.slice(1) : article;
  return before.slice(0, m.index) + fixed + before.slice(m.index + m[1]!.length) + text.slice(at);
}

/** Replaces the slot in `prev` that `fragment` refers to (same category, or same head noun). */
function replaceSlot(prev: string, fragment: string): string | undefined {
  for (const cat of SLOT_CATEGORIES) {
    const inNew = findSlot(fragment, cat);
    const inPrev = findSlot(prev, cat);
    if (!inNew || !inPrev) continue;
    let replacement = fragment.slice(inNew.start, inNew.end);
    let prevEnd = inPrev.end;
    const prevText = prev.slice(inPrev.start, inPrev.end);
    if (baseWord(replacement) === baseWord(prevText)) continue;
    const headAfter = (text: string, at: number) => /^\s+(degrees?|programmes?|programs?|courses?|diplomas?|qualifications?)\b/i.exec(text.slice(at));
    const newHead = headAfter(fragment, inNew.end);
    const prevHead = headAfter(prev, inPrev.end);
    if (newHead) {
      // "an associate degree" replaces "bachelor's degree" as a whole phrase.
      replacement = fragment.slice(inNew.start, inNew.end + newHead[0].length);
      if (prevHead) prevEnd = inPrev.end + prevHead[0].length;
    } else if (prevHead && /^(bachelor|master|doctor|associate)$/i.test(baseWord(replacement))) {
      // Keep the possessive form of the slot ("bachelor's degree" -> "master's degree").
      if (/['’]s$/.test(prevText) && !/['’]s$/.test(replacement)) replacement += "'s";
      if (!/['’]s$/.test(prevText)) replacement = replacement.replace(/['’]s$/, "");
    } else if (prevHead && !hasJapanese(replacement)) {
      // A degree named by one word ("a doctorate") replaces the whole phrase "bachelor's degree".
      prevEnd = inPrev.end + prevHead[0].length;
    }
    const replaced = prev.slice(0, inPrev.start) + replacement + prev.slice(prevEnd);
    return fixArticle(replaced, inPrev.start, replacement);
  }
  // Same head noun: "the Global Convention" after "... the Tokyo Convention ..." replaces the modifiers.
  const fw = words(fragment).filter((x) => !/^(the|a|an)$/i.test(x.w));
  if (fw.length >= 2) {
    const head = baseWord(fw[fw.length - 1]!.w);
    const pw = words(prev);
    const j = pw.findIndex((x) => baseWord(x.w) === head);
    if (j > 0) {
      let k = j;
      const maxMods = fw.length - 1;
      while (k > 0 && j - k < maxMods && !isStopTerm(pw[k - 1]!.w.toLowerCase()) && !QUESTION_WORD.test(pw[k - 1]!.w)) k--;
      if (k < j) {
        const newPhrase = fragment.slice(fw[0]!.start, fw[fw.length - 1]!.end);
        return prev.slice(0, pw[k]!.start) + newPhrase + prev.slice(pw[j]!.end);
      }
    }
  }
  return undefined;
}

/** The main noun phrase of a question: the subject of "what is X", else its longest run of content words. */
export function topicPhrase(question: string): string {
  const q = stripQuestionMark(question);
  if (hasJapanese(q)) {
    const m = /^(.+?)(?:は|とは|って|の)/.exec(q);
    return (m ? m[1]! : q).trim();
  }
  const def = /^\s*(?:what|who)\s+(?:is|are|was|were)\s+(.+)$/i.exec(q);
  if (def && def[1]!.split(/\s+/).length <= 14) return def[1]!.trim();
  const ws = words(q);
  let best: { start: number; end: number; n: number } | undefined;
  let runStart = -1;
  let n = 0;
  const flush = (endIdx: number) => {
    if (runStart >= 0 && n > 0) {
      const cand = { start: ws[runStart]!.start, end: ws[endIdx]!.end, n };
      if (!best || cand.n >= best.n) best = cand;
    }
    runStart = -1;
    n = 0;
  };
  ws.forEach((x, i) => {
    const content = !isStopTerm(baseWord(x.w)) && !QUESTION_WORD.test(x.w) && contentTerms(x.w).length > 0;
    const joiner = runStart >= 0 && /^(of|for|in)$/i.test(x.w) && ws[i + 1] && !isStopTerm(baseWord(ws[i + 1]!.w));
    if (content || joiner) {
      if (runStart < 0) runStart = i;
      if (content) n++;
    } else flush(i - 1);
  });
  flush(ws.length - 1);
  return best ? q.slice(best.start, best.end) : q;
}

/** True when a question cannot stand on its own: short, starts with a connective, or uses pronouns without nouns. */
export function isElliptical(question: string): boolean {
  const q = question.trim();
  if (!q) return false;
  if (hasJapanese(q)) {
    const terms = contentTerms(q.replace(JA_PRONOUN, ""));
    if (JA_LEADING.test(q)) return true;
    if (JA_PRONOUN.test(q) && terms.length <= 2) return true;
    return q.replace(/[?？。\s]/g, "").length <= 8 && !JA_QUESTION.test(q.replace(/は[?？]?$/, ""));
  }
  const lead = /^\s*(and|but|also|or|so|then|what about|how about|what of|as for|same for)\b/i.test(q);
  if (lead) return true;
  const terms = contentTerms(q, { question: true });
  if (terms.length <= 1) return true;
  if (PRONOUN.test(q) && terms.length <= 2) return true;
  // A pronoun as the subject or possessor ("Is it ...", "how long is it valid", "its staff") needs the context.
  if (/\b(is|are|was|were|does|do|did|can|could|will|would|has|have|should|must|may)\s+(it|they|this|that|these|those|he|she)\b/i.test(q)) return true;
  if (/\b(its|their)\b/i.test(q) && terms.length <= 3) return true;
  return false;
}

/**
 * Resolves a follow-up question against the conversation so far into a standalone retrieval query.
 * Elliptical questions are combined with the previous (resolved) question: the matching slot is replaced
 * when clear ("What JEQF level is a bachelor's degree?" + "and for a master's?" -> "What JEQF level is a
 * master's degree?"); a pronoun is replaced by the previous topic; otherwise the previous topic is appended.
 * Standalone questions are returned unchanged.
 */
export function resolveFollowUp(question: string, history: Turn[]): string {
  const q = question.trim();
  if (!history.length || !isElliptical(q)) return q;
  const last = history[history.length - 1]!;
  const prev = stripQuestionMark(resolveFollowUp(last.question, history.slice(0, -1)));
  if (!prev) return q;
  const finish = (s: string) => {
    const t = s.trim();
    if (/[?？]$/.test(t) && hasJapanese(t)) return t;
    if (hasJapanese(t)) return /か$/.test(t) ? t : `${t}？`;
    const cap = t.charAt(0).toUpperCase() + t.slice(1);
    return /[?]$/.test(cap) ? cap : `${cap}?`;
  };

  // The new part, without connectives and the question mark.
  let fragment = stripQuestionMark(q).replace(LEADING_CONNECTIVE, "").replace(JA_LEADING, "");
  fragment = fragment.replace(/^(?:for|in|with|at|of|about|regarding|to|on)\s+/i, "").replace(/(?:は|なら|の場合は|では)$/u, "").trim();
  const fragmentTerms = contentTerms(fragment.replace(JA_PRONOUN, ""), { question: true });

  // Only a pronoun or nothing left ("それは？", "and that?"): the previous question again.
  if (!fragmentTerms.length) return finish(prev);

  const hasQuestionWord = hasJapanese(fragment) ? JA_QUESTION.test(fragment) : QUESTION_WORD.test(fragment.split(/\s+/)[0] ?? "");
  if (hasQuestionWord) {
    // A full question that leans on the previous one through a pronoun: put the topic in its place.
    const topic = topicPhrase(prev);
    if (hasJapanese(fragment) && JA_PRONOUN.test(fragment)) return finish(fragment.replace(/(それ|これ|あれ)/, topic).replace(/(その|この|あの)/, `${topic}の`));
    const pm = /\b(it|they|them|this|that|these|those)\b(?!\s+(?:is|are)\s+(?:a|an|the)\b)|\b(its|their)\b/i.exec(fragment);
    if (pm) {
      const repl = pm[2] ? `${topic}'s` : topic;
      return finish(fragment.slice(0, pm.index) + repl + fragment.slice(pm.index + pm[0].length));
    }
    if (fragmentTerms.length >= 3) return finish(fragment);
    const missing = contentTerms(topic).some((t) => !contentTerms(fragment).includes(t));
    return finish(missing ? `${fragment} (${topic})` : fragment);
  }

  // A bare phrase with a possessive ("its staff"): about the previous topic.
  const poss = /\b(its|their)\b/i.exec(fragment);
  if (poss) {
    const topic = topicPhrase(prev).replace(/^(?:an?|the)\s+/i, "");
    return finish(`What about ${fragment.slice(0, poss.index)}${topic}'s${fragment.slice(poss.index + poss[0].length)}`);
  }

  // A bare phrase ("a master's", "Germany", "the Global Convention", "修士"): replace the matching slot.
  const replaced = replaceSlot(prev, fragment);
  if (replaced) return finish(replaced);
  return finish(`${prev} (${fragment})`);
}
