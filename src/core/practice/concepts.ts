/**
 * Concepts for scoring free-text justifications. A concept is a list of terms in English and
 * Japanese; a justification "mentions" the concept when one term occurs in it.
 *
 * Matching rules (applied to both sides):
 * - text is NFKC-normalised (full-width → ASCII, half-width kana → full-width), lower-cased,
 *   quotes and dashes unified, white space collapsed, and spaces next to Japanese characters dropped;
 * - a term that begins with a Latin letter or digit must start at a word start (so "nic" does not
 *   match inside "technical"); it may end inside a word, so a stem like "recogni" matches
 *   "recognised" and "recognized";
 * - a term written `re:<pattern>` is a regular expression (Unicode flag) over the normalised text.
 */
import { normaliseText } from "./text.js";

export interface ConceptDef {
  id: string;
  label: string;
  label_ja?: string;
  /** English and Japanese terms (plain text or `re:` regular expressions). */
  terms: readonly string[];
}

const CJK = "\\u3000-\\u303f\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef";
const SPACE_NEAR_CJK = new RegExp(`(?<=[${CJK}]) | (?=[${CJK}])`, "gu");

/** The normalised form used for concept matching. */
export function normaliseForMatching(text: string): string {
  return normaliseText(text).replace(SPACE_NEAR_CJK, "");
}

const compiled = new WeakMap<ConceptDef, Array<(text: string) => boolean>>();

function compileTerm(term: string): (text: string) => boolean {
  if (term.startsWith("re:")) {
    const re = new RegExp(term.slice(3), "u");
    return (text) => re.test(text);
  }
  const needle = normaliseForMatching(term);
  if (!needle) return () => false;
  const latinStart = /^[a-z0-9]/.test(needle);
  return (text) => {
    let at = text.indexOf(needle);
    while (at >= 0) {
      if (!latinStart || at === 0 || !/[a-z0-9]/.test(text[at - 1] as string)) return true;
      at = text.indexOf(needle, at + 1);
    }
    return false;
  };
}

/** Checks that every `re:` term of a concept is a valid regular expression; returns the messages. */
export function conceptTermProblems(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of terms) {
    if (!t.startsWith("re:")) continue;
    try {
      new RegExp(t.slice(3), "u");
    } catch (e) {
      out.push(`invalid regular expression ${JSON.stringify(t)}: ${(e as Error).message}`);
    }
  }
  return out;
}

/** True when the (already normalised, see `normaliseForMatching`) text mentions the concept. */
export function mentions(concept: ConceptDef, normalisedText: string): boolean {
  let fns = compiled.get(concept);
  if (!fns) {
    fns = concept.terms.map(compileTerm);
    compiled.set(concept, fns);
  }
  return fns.some((f) => f(normalisedText));
}

/** Ids of the given concepts that the text mentions. */
export function findConcepts(text: string, concepts: readonly ConceptDef[]): string[] {
  const norm = normaliseForMatching(text);
  return concepts.filter((c) => mentions(c, norm)).map((c) => c.id);
}

const C = (id: string, label: string, label_ja: string, terms: string[]): ConceptDef => ({ id, label, label_ja, terms });

/** The shared concept library; rubric items refer to these ids or define concepts inline. */
export const CONCEPTS: readonly ConceptDef[] = [
  // Recognition principles
  C("substantial_difference", "substantial difference", "実質的な相違", [
    "substantial difference", "substantially different", "substantial differences", "significant difference",
    "実質的な相違", "実質的相違", "実質的な差異", "実質的差異", "本質的な相違", "本質的な差異", "実質的な違い",
  ]),
  C("burden_of_proof", "burden of proof on the recognition authority", "立証責任は承認機関側", [
    "burden of proof", "onus", "must show", "must demonstrate", "has to show", "have to show", "needs to show", "must prove",
    "立証責任", "挙証責任", "証明責任", "示す責任", "示さなければ", "示す必要",
  ]),
  C("purpose_of_recognition", "purpose of recognition", "承認の目的", [
    "purpose", "programme applied", "program applied", "applied for", "for admission to", "intended programme", "intended program",
    "目的", "出願先", "志望する課程", "志望課程", "入学する課程",
  ]),
  C("partial_recognition", "partial recognition or bridging", "部分的承認・補習", [
    "partial recognition", "partially", "recognise part", "recognize part", "bridging", "additional courses", "additional study",
    "conditional", "supplementary", "top-up", "部分的", "一部を承認", "一部承認", "補習", "追加科目", "追加の履修", "条件付き", "ブリッジ",
  ]),
  C("not_every_difference", "not every difference is substantial", "違いがすべて実質的とは限らない", [
    "not every difference", "not all differences", "minor difference", "difference is not substantial", "not substantial",
    "not a substantial", "does not amount", "re:differen\\w* (is|are) (not|small|minor)",
    "実質的ではない", "実質的な相違ではない", "軽微な", "小さな違い", "違いはあるが",
  ]),
  C("level", "level / qualifications framework", "水準・資格枠組み", [
    "level", "qualifications framework", "nqf", "eqf", "jeqf", "dqr", "レベル", "水準", "資格枠組",
  ]),
  C("workload", "workload / credits", "学修量・単位", [
    "workload", "work load", "credit", "ects", "hours of study", "study hours", "student hours", "学修量", "学習量", "単位", "学修時間", "学習時間", "時間数",
  ]),
  C("learning_outcomes", "learning outcomes", "学修成果", [
    "learning outcome", "outcomes", "competenc", "knowledge and skills", "学修成果", "学習成果", "到達目標", "知識と技能", "能力",
  ]),
  C("profile", "profile / orientation", "プロファイル・性格", [
    "profile", "orientation", "research-oriented", "practice-oriented", "applied", "vocational", "academic track",
    "プロファイル", "志向", "実践的", "職業", "研究型", "実務型",
  ]),
  C("quality", "quality / quality assurance", "質・質保証", [
    "quality", "accredit", "quality assurance", "質保証", "教育の質", "質の", "認証評価",
  ]),
  C("programme_length", "programme length / duration", "修業年限・期間", [
    "re:\\b(one|two|three|four|five|six|seven|\\d+(\\.\\d+)?)[- ]?(year|yr|semester|month)", "duration", "length", "semester", "full-time",
    "年間", "年制", "修業年限", "在学期間", "学期", "re:[0-9一二三四五六]+年",
  ]),
  C("entry_requirements", "entry requirements / years of schooling", "入学資格・学校教育年数", [
    "entry requirement", "admission requirement", "entrance requirement", "access requirement", "years of schooling", "years of school",
    "secondary school", "upper secondary", "high school", "school leaving", "12 years", "twelve years", "16 years", "sixteen years",
    "入学資格", "入学要件", "学校教育", "高等学校", "高校", "中等教育", "12年", "16年",
  ]),
  C("progression", "progression / access to further study", "進学・上位課程への接続", [
    "access to", "gives access", "progression", "eligible for", "eligibility", "admission to", "further study", "entry to", "qualifies for",
    "進学", "入学資格", "受験資格", "出願資格", "接続",
  ]),
  C("institution_status", "status of the institution / recognised at home", "機関の地位（本国での認可）", [
    "recogni", "accredit", "state-approved", "state approved", "officially", "competent authority", "ministry", "h+", "status",
    "認可", "認定", "公認", "正規の", "文部科学省", "教育省", "省の", "地位",
  ]),
  C("thesis", "thesis / research component", "論文・研究", [
    "thesis", "dissertation", "research", "論文", "研究",
  ]),
  // Verification and mills
  C("verify_with_authority", "check with the competent authority or NIC/ENIC", "所管当局・NIC等への確認", [
    "competent authority", "ministry", "nic", "enic", "naric", "official list", "official register", "education department",
    "所管", "当局", "文部", "教育省", "省に", "照会", "公式リスト",
  ]),
  C("verify_with_issuer", "verify with the issuing institution", "発行機関への照会", [
    "contact the institution", "contact the issuer", "contact the university", "contact the college", "contact the school",
    "confirm with the", "verify with the", "registrar", "registry", "register of graduates", "graduate register", "official register", "issuing institution",
    "発行機関", "大学に照会", "大学に問い合わせ", "直接照会", "直接問い合わせ", "問い合わせ", "卒業生名簿", "登録簿",
  ]),
  C("unrecognised_accreditor", "accreditor not recognised", "認められていない認定機関", [
    "unrecognised", "unrecognized", "not recognised", "not recognized", "no recognition", "accreditation mill", "fake accredit",
    "bogus accredit", "not a recognised accreditor", "not a recognized accreditor",
    "認められていない", "未承認", "非公認", "承認されていない", "認可されていない", "アクレディテーションミル", "偽の認定", "認定ミル",
  ]),
  C("life_experience", "degree for life experience / CV", "人生経験・職歴による学位", [
    "life experience", "work experience", "cv", "résumé", "resume", "experience alone", "professional experience",
    "人生経験", "職歴", "職務経験", "実務経験", "経歴",
  ]),
  C("no_study", "little or no study or assessment", "学修・評価の欠如", [
    "no coursework", "no course work", "no courses", "no study", "no studies", "no assessment", "no exam", "no examination",
    "without study", "little or no", "no classes", "no attendance", "without any course",
    "授業がない", "授業なし", "学修がない", "学修なし", "試験がない", "試験なし", "評価がない", "課程がない", "出席不要", "履修なし",
  ]),
  C("speed", "completion in weeks", "数週間での修了", [
    "week", "days", "quickly", "within a month", "in a month", "fast", "数週間", "週間", "日で", "短期間", "即日", "すぐに",
  ]),
  C("backdating", "back-dating", "日付の遡及", [
    "backdat", "back-dat", "any date", "choose the date", "date of your choice", "chosen date", "遡", "日付を選", "日付を自由",
  ]),
  C("price", "price per degree / discounts", "学位の価格・割引", [
    "price", "per degree", "fee", "discount", "usd", "cost", "re:\\$\\s?\\d", "価格", "料金", "割引", "費用", "ドル", "円",
  ]),
  C("address", "address: PO box, suite, moving", "住所（私書箱等）", [
    "po box", "p.o. box", "p. o. box", "suite", "mailbox", "mail drop", "virtual office", "address", "私書箱", "住所", "所在地", "バーチャルオフィス",
  ]),
  C("name_mimicry", "name imitating a known body", "著名機関に似せた名称", [
    "similar name", "name similar", "mimic", "imitat", "look-alike", "lookalike", "sounds like", "confus", "copies the name", "resembl",
    "似た名称", "類似", "紛らわしい", "まぎらわしい", "模倣", "似せ",
  ]),
  C("domain_mismatch", "web domain vs. country", "ドメインと国の不一致", [
    "domain", "website", "web site", "url", "ドメイン", "ウェブサイト", "サイト",
  ]),
  C("unesco_claim", "UNESCO does not accredit", "ユネスコは認定を行わない", [
    "unesco", "ユネスコ",
  ]),
  C("no_site_visit", "no site visit / no review", "実地審査なし", [
    "site visit", "on-site", "onsite", "visit", "no review", "without review", "実地", "訪問", "現地調査", "審査なし",
  ]),
  C("accreditation_for_sale", "accreditation bought / instant", "認定の売買・即時付与", [
    "for sale", "buy accreditation", "bought", "pay for accreditation", "paid accreditation", "instant", "permanent", "within days",
    "売買", "購入", "即時", "永久", "お金で",
  ]),
  C("outdated_list", "ministry list out of date or incomplete", "省のリストが古い・不完全", [
    "out of date", "outdated", "not updated", "old list", "partial translation", "partly translated", "only partly", "wrong list",
    "another list", "other list", "incomplete list", "list is incomplete", "not complete", "not exhaustive",
    "古い", "更新されていない", "最新でない", "一部のみ", "別のリスト", "不完全", "網羅",
  ]),
  C("renamed_merged", "renamed or merged institution", "改称・統合された機関", [
    "renamed", "merged", "merger", "former name", "formerly", "new name", "name change", "changed its name",
    "改称", "名称変更", "統合", "合併", "旧名", "旧称",
  ]),
  C("state_approval", "US state approval vs. accreditation", "米国州の認可と認定", [
    "state approv", "state-approv", "state authori", "licensed by the state", "state licen", "regional accredit", "regionally accredit",
    "nationally accredit", "national accredit", "州の認可", "州認可", "州政府", "地域認定", "地域別認定",
  ]),
  C("branch_campus", "branch campus", "分校・海外キャンパス", [
    "branch campus", "branch", "overseas campus", "campus abroad", "offshore campus", "home campus", "parent university",
    "分校", "海外キャンパス", "ブランチキャンパス", "本校",
  ]),
  C("un_university", "United Nations University", "国連大学", [
    "united nations university", "unu", "un university", "国連大学", "国際連合大学",
  ]),
  C("prior_learning", "recognition of prior learning", "既修得学修の認定", [
    "prior learning", "rpl", "apel", "accreditation of prior", "assessed against", "assessment against", "portfolio",
    "既修得", "先行学習", "事前学習", "ポートフォリオ", "学修成果の評価",
  ]),
  // Documents
  C("presumption_genuine", "documents presumed genuine unless evidence otherwise", "反証がない限り真正と推定", [
    "presum", "genuine unless", "good faith", "assume genuine", "assumed genuine", "evidence otherwise", "evidence to the contrary", "no evidence",
    "真正と推定", "推定", "真正なもの", "善意", "証拠がない限り", "反証",
  ]),
  C("secure_delivery", "secure delivery (sealed, verified e-mail, digital)", "安全な送付（厳封・確認済みメール・デジタル）", [
    "sealed", "directly from the institution", "directly by the institution", "sent by the institution", "verified e-mail",
    "verified email", "institutional e-mail", "institutional email", "digital", "wallet", "data exchange", "groningen",
    "厳封", "直送", "機関から直接", "デジタル", "電子", "ウォレット", "データ交換",
  ]),
  C("compare_documents", "compare with passport and other documents", "旅券・他書類との照合", [
    "passport", "compare", "consisten", "match", "旅券", "パスポート", "照合", "一致", "整合",
  ]),
  C("country_era", "country and era of issue", "発行国・発行時期の事情", [
    "era", "at the time", "time of issue", "historical", "former system", "old system", "conflict", "war", "civil war", "period",
    "当時", "時代", "発行時期", "旧制度", "紛争", "戦争", "内戦",
  ]),
  C("refugee_fair", "fair assessment without full documents", "書類が揃わない場合の公正な評価", [
    "refugee", "without full documentation", "without documents", "missing documents", "lack of documents", "no documents",
    "background paper", "qualifications passport", "interview", "fair assessment", "fairly",
    "難民", "書類がない", "書類が不足", "書類なし", "書類の欠如", "面接", "公正な評価", "公正に",
  ]),
  C("digital_signature", "signature, issuer and validity of a digital credential", "電子証明の署名・発行者・有効期限", [
    "signature", "issuer", "valid", "expir", "verifiable credential", "open badge", "openbadge", "署名", "発行者", "有効", "期限",
  ]),
  // Credits and grades
  C("jp_credit_hours", "1 Japanese credit = 45 hours", "日本の1単位=45時間", ["45 hours", "45-hour", "45 hrs", "45h", "45時間"]),
  C("ects_hours", "1 ECTS = 25-30 hours", "1 ECTS=25〜30時間", [
    "25 hours", "30 hours", "25-30", "25 to 30", "25–30", "re:2[5-9]\\s*(~|〜|-)\\s*30", "25時間", "30時間",
  ]),
  C("ects_year", "60 ECTS per year / 30 per semester", "1年60 ECTS・1学期30", [
    "60 ects", "60 credits", "30 per semester", "30 ects", "30 credits per semester", "60 per year", "60ects", "30ects", "60単位", "年60", "学期30",
  ]),
  C("german_grade_scale", "German scale: 1 best, 4 lowest pass", "ドイツの評価：1が最高、4が最低合格", [
    "sehr gut", "ausreichend", "lowest pass", "minimum pass", "minimum passing", "1 is the best", "1 is best", "best grade", "inverted", "reverse",
    "最高評価", "最低合格", "合格最低", "逆", "1が最高", "4が最低",
  ]),
  C("conversion_not_mechanical", "grade conversion is not mechanical; use the scale / distribution", "成績換算は機械的ではない", [
    "distribution", "grading table", "scale", "not mechanical", "not a simple", "relative", "percentile", "分布", "評価尺度", "尺度", "機械的", "相対",
  ]),
];

const byId = new Map(CONCEPTS.map((c) => [c.id, c]));

/** A library concept by id. */
export function getConcept(id: string): ConceptDef | undefined {
  return byId.get(id);
}

export const CONCEPT_IDS: readonly string[] = CONCEPTS.map((c) => c.id);
