/**
 * Masks applicants' personal data in free text before it is stored or logged: e-mail addresses, phone
 * numbers, passport and ID-card numbers, dates of birth, and personal names after cues such as
 * "applicant", "Mr/Ms", "student", "名前", or before "さん/様/氏". The question itself is answered on the
 * original text; only the masked text is ever written. Pure: runs on Node and Workers.
 *
 * Dates that are not marked as a birth date are kept (an award or ratification date is the subject
 * matter of FCE), and so are long numbers without an identifying cue (credits, years, survey counts).
 */

export type MaskKind = "email" | "phone" | "passport" | "id" | "birthdate" | "name";

export interface MaskResult {
  text: string;
  found: Record<MaskKind, number>;
}

const TOKENS: Record<MaskKind, string> = {
  email: "[email]",
  phone: "[phone]",
  passport: "[passport]",
  id: "[id]",
  birthdate: "[birth date]",
  name: "[name]",
};

const DATE = String.raw`(?:\d{4}[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,2}日?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})`;

// Name words: capitalised Latin words (Tanaka, O'Neil, Müller-Lüdenscheidt) or a run of kanji/kana.
const LATIN_NAME = String.raw`[A-Z\u00C0-\u00DE][\p{Ll}'\u2019-]+(?:[\s-]+[A-Z\u00C0-\u00DE][\p{Ll}'\u2019-]+){0,3}|[A-Z]{2,}(?:\s+[A-Z]{2,}){0,2}`;
const JA_NAME = String.raw`[\p{Script=Han}\p{Script=Katakana}ー]{1,8}(?:[\s\u3000][\p{Script=Han}\p{Script=Katakana}ー]{1,8})?`;

interface Rule {
  kind: MaskKind;
  pattern: RegExp;
  /** Index of the capture group to replace (0 = whole match). */
  group?: number;
}

const RULES: Rule[] = [
  { kind: "email", pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu },
  // Dates of birth: a cue, then a date.
  {
    kind: "birthdate",
    pattern: new RegExp(String.raw`((?:date\s+of\s+birth|birth\s*date|d\.?o\.?b\.?|born(?:\s+on)?|生年月日|誕生日)\s*[:：]?\s*)(${DATE})`, "giu"),
    group: 2,
  },
  // Passport numbers: after a cue, 1-2 letters then 6-9 digits (or 8-9 alphanumerics).
  {
    kind: "passport",
    pattern: /((?:passport(?:\s*(?:no\.?|number|#))?|旅券(?:番号)?|パスポート(?:番号)?)\s*[:：#]?\s*)([A-Z]{1,2}\d{6,9}|[A-Z0-9]{8,9})\b/giu,
    group: 2,
  },
  // Bare passport-shaped tokens (two letters and seven digits, as Japanese passports are).
  { kind: "passport", pattern: /\b[A-Z]{2}\d{7}\b/g },
  // ID-card, residence-card, My Number, student and national ID numbers after a cue.
  {
    kind: "id",
    pattern: /((?:id(?:\s*card)?(?:\s*(?:no\.?|number|#))?|identity\s+card|national\s+id|residence\s+card|my\s*number|student\s+(?:id|number)|在留カード(?:番号)?|マイナンバー|個人番号|学籍番号)\s*[:：#]?\s*)([A-Z0-9][A-Z0-9-]{5,19})\b/giu,
    group: 2,
  },
  // Phone numbers: international or Japanese formats with separators, or a cue then digits.
  {
    kind: "phone",
    pattern: /((?:phone|tel\.?|telephone|mobile|cell|電話(?:番号)?|携帯)\s*[:：]?\s*)(\+?[\d\s().-]{8,20}\d)/giu,
    group: 2,
  },
  { kind: "phone", pattern: /(?<![\w.])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?![\w])/g },
  { kind: "phone", pattern: /(?<![\w.-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\w-])/g },
  // Names after cues.
  {
    kind: "name",
    pattern: new RegExp(String.raw`(\b(?:applicant|candidate|student|mr|mrs|ms|miss|mx|dr|prof|name(?:d)?|surname|given\s+name|family\s+name)\.?\s*[:：]?\s+)(${LATIN_NAME})`, "gu"),
    group: 2,
  },
  {
    kind: "name",
    pattern: new RegExp(String.raw`((?:Applicant|Candidate|Student|Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Name|Surname)\.?\s*[:：]?\s+)(${LATIN_NAME})`, "gu"),
    group: 2,
  },
  { kind: "name", pattern: new RegExp(String.raw`((?:出願者|志願者|申請者|学生|氏名|名前)\s*[:：は]?\s*)(${JA_NAME})`, "gu"), group: 2 },
  { kind: "name", pattern: new RegExp(String.raw`(${JA_NAME})(?=\s*(?:さん|様|氏|君|くん))`, "gu"), group: 1 },
  { kind: "name", pattern: new RegExp(String.raw`(${LATIN_NAME})(?=[\s-]*(?:san|sama)\b)`, "gu"), group: 1 },
];

/** Masks personal data; returns the masked text and how many of each kind were found. */
export function maskPersonalData(text: string): MaskResult {
  const found: Record<MaskKind, number> = { email: 0, phone: 0, passport: 0, id: 0, birthdate: 0, name: 0 };
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      const match = args[0] as string;
      const groups = args.slice(1, -2) as Array<string | undefined>;
      const g = rule.group ?? 0;
      const target = g === 0 ? match : groups[g - 1];
      if (!target || target.startsWith("[")) return match;
      found[rule.kind]++;
      if (g === 0) return TOKENS[rule.kind];
      // Replace only the captured part; keep the cue ("passport ", "Applicant ").
      const prefix = groups.slice(0, g - 1).join("");
      const at = match.indexOf(target, prefix.length);
      return match.slice(0, at) + TOKENS[rule.kind] + match.slice(at + target.length);
    });
  }
  return { text: out, found };
}

/** The masked text only (the form `deps.maskPersonalData` takes). */
export function maskText(text: string): string {
  return maskPersonalData(text).text;
}
