/**
 * Question analysis: content terms, named entities and numbers, and the kind of answer expected
 * (a quantity, a date, a definition, a level, yes/no).
 */
import { contentTerms, isCjkTerm, isStopTerm, uniqueTerms } from "./text.js";

export interface QuestionEntity {
  /** As written in the question. */
  raw: string;
  /** Its content terms (all must occur in one passage for the entity to count as found). */
  terms: string[];
  kind: "acronym" | "name" | "number";
}

export interface QuestionExpects {
  quantity: boolean;
  /** A length of time ("how long", "how many years"): a number with a time unit. */
  duration: boolean;
  date: boolean;
  definition: boolean;
  level: boolean;
  yesNo: boolean;
}

export interface QuestionInfo {
  text: string;
  /** Unique content terms (normalised and stemmed). */
  terms: string[];
  /** Pairs of content terms written next to each other in the question ("tuition fee", "capital of Australia"). */
  pairs: Array<[string, string]>;
  entities: QuestionEntity[];
  expects: QuestionExpects;
  /** For definition questions ("What is X?"), the terms of X. */
  subjectTerms: string[];
  /** Numbers written in the question (an answer must state another number to count as a quantity). */
  numbers: string[];
  japanese: boolean;
}

const QUESTION_WORDS = new Set(
  "what which who whom whose when where why how is are was were do does did can could should will would has have had may must shall in on at for of the a an and or tell please give list name explain describe define".split(
    " ",
  ),
);

function entitiesOf(q: string): QuestionEntity[] {
  const out: QuestionEntity[] = [];
  const seen = new Set<string>();
  const add = (raw: string, kind: QuestionEntity["kind"]) => {
    const terms = uniqueTerms(raw).filter((t) => !isStopTerm(t));
    const key = terms.join(" ");
    if (!terms.length || seen.has(key)) return;
    seen.add(key);
    out.push({ raw, terms, kind });
  };
  const text = q.normalize("NFKC");
  // Acronyms and codes: JLPT, EQF, N2, ECTS, GPA (also inside Japanese text).
  for (const m of text.matchAll(/(?<![A-Za-z0-9])(?:[A-Z]{2,}[A-Za-z]*|[A-Z]\d{1,3}|[A-Z]+-[A-Z]+)(?![A-Za-z0-9])/g)) {
    add(m[0], "acronym");
  }
  // Capitalised names: runs of capitalised words, except the first word when it is a question word.
  const words = [...text.matchAll(/[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9'’.-]*/g)];
  let run: string[] = [];
  const flush = () => {
    if (run.length) add(run.join(" "), "name");
    run = [];
  };
  words.forEach((m, i) => {
    const w = m[0].replace(/['’]s$/, "");
    const capital = /^\p{Lu}/u.test(w) && !/^[A-Z]{2,}[A-Za-z]*$/.test(w);
    const first = i === 0 || /[.?!:]\s*$/.test(text.slice(0, m.index));
    if (capital && !(first && QUESTION_WORDS.has(w.toLowerCase())) && !(first && isStopTerm(w.toLowerCase()))) {
      run.push(w);
    } else if (run.length && /^(of|for|and|the|de|du)$/i.test(w) && words[i + 1] && /^\p{Lu}/u.test(words[i + 1]![0])) {
      run.push(w);
    } else flush();
  });
  flush();
  // Numbers (years, counts, levels).
  for (const m of text.matchAll(/(?<![A-Za-z\u00C0-\u024F\d.])\d+(?:[.,]\d+)*(?![A-Za-z\u00C0-\u024F\d])/g)) add(m[0], "number");
  return out;
}

/** Analyses a question (English or Japanese). */
export function analyzeQuestion(question: string): QuestionInfo {
  const text = question.normalize("NFKC").trim();
  const lower = text.toLowerCase();
  // "how long/large/often ..." ask for a kind of answer; the adjective is not a topic term.
  // Likewise "what year/share/number ..." and "level": these words name the kind of answer, which the
  // answer-type bonuses look for; as topic terms they would favour units that merely repeat them.
  const topicText = text
    .replace(/\bhow (long|large|big|old|often|far|high|low|frequently|soon|early|late)\b/gi, "how")
    .replace(/\b(what|which) (year|date|month|share|percentage|proportion|number|amount|fraction|level)s?\b/gi, "$1")
    .replace(/\b(at|on|in) (which|what) levels?\b/gi, "")
    .replace(/\blevels?\b/gi, "")
    .replace(/どの(レベル|段階|水準)|(レベル|段階|水準)は/g, "");
  const terms = uniqueTerms(topicText, { question: true });
  const pairs: Array<[string, string]> = [];
  for (const clause of topicText.split(/[,;:?!()]|\b(?:and|or|but|than|between)\b/i)) {
    const seq = contentTerms(clause, { question: true }).filter((t) => !isCjkTerm(t));
    for (let i = 0; i + 1 < seq.length; i++) if (seq[i] !== seq[i + 1]) pairs.push([seq[i]!, seq[i + 1]!]);
  }
  const japanese = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);

  const quantity =
    /\bhow (many|much|long|large|big|old|often|far|high|low|few|frequently)\b/.test(lower) ||
    /\bwhat (share|percentage|proportion|percent|number|amount|fraction|size|rate|ratio|age|portion)\b/.test(lower) ||
    /\b(the )?(number|share|percentage|proportion|amount) of\b/.test(lower) ||
    /\b(what|how much|which)\b.*\b(fee|fees|cost|costs|price|prices|salary|salaries|wage|wages|tuition|charge|charges)\b/.test(lower) ||
    /何(年|人|件|回|校|単位|時間|%|割|パーセント|カ月|ヶ月|か月|日|名|機関)|いくつ|どのくらい|どれくらい|どれだけ|割合|いくら|何年間|費用|学費/.test(text);
  const duration =
    /\bhow long\b/.test(lower) ||
    /\bhow many (years|months|weeks|days|hours|semesters|terms)\b/.test(lower) ||
    /\b(duration|period|length) of\b/.test(lower) ||
    /何年間|何ヶ月|何カ月|何か月|何日|何時間|期間|どのくらいの期間/.test(text);
  const date =
    /^\s*(?:and |but |so )?when\b/.test(lower) ||
    /\b(since|until|by|from) when\b/.test(lower) ||
    /\bwhen (was|were|did|do|does|is|are|will|has|have|had|can|could|should|must)\b/.test(lower) ||
    /\b(what|which) (year|date|month|day)\b/.test(lower) ||
    /\bin which year\b/.test(lower) ||
    /いつ|何年に|何月|何日/.test(text);
  let subjectTerms: string[] = [];
  const def =
    /^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(.+?)\s*\??\s*$/i.exec(text) ??
    /^\s*what\s+does\s+(.+?)\s+(?:mean|stand for)\s*\??\s*$/i.exec(text) ??
    /^\s*(?:define|definition of|explain)\s+(.+?)\s*\??\s*$/i.exec(text) ??
    /^(.+?)(?:とは|って)(?:何|なに|なん)?.*$/.exec(text) ??
    /^(.+?)は(?:何|なに|なん)(?:ですか|か)?[?？]?$/.exec(text);
  if (def) {
    const st = uniqueTerms(def[1]!, { question: true });
    if (st.length > 0 && st.length <= 5) subjectTerms = st;
  }
  const level = /\blevels?\b/.test(lower) || /レベル|段階|水準/.test(text);
  const yesNo = /^\s*(is|are|was|were|does|do|did|can|could|should|will|would|has|have|had|may|must|shall)\b/i.test(text);
  const entities = entitiesOf(text);
  const numbers = entities.filter((e) => e.kind === "number").flatMap((e) => e.terms);
  return {
    text,
    terms,
    pairs,
    entities,
    expects: { quantity: quantity || duration, duration, date, definition: subjectTerms.length > 0, level, yesNo },
    subjectTerms,
    numbers,
    japanese,
  };
}
