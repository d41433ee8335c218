/**
 * Fixed vocabularies of the practice answers: diploma-mill warning signs (flags), verification
 * steps and document inconsistencies, recognition elements. Each id has an English and a
 * Japanese label for the pages. Ids are stable: scenarios and stored answers refer to them.
 */

export interface VocabularyEntry {
  readonly id: string;
  readonly en: string;
  readonly ja: string;
}

function ids<const T extends readonly VocabularyEntry[]>(entries: T): { [K in keyof T]: T[K]["id"] } {
  return entries.map((e) => e.id) as { [K in keyof T]: T[K]["id"] };
}

/** Warning signs of diploma mills and accreditation mills. */
export const MILL_FLAGS = [
  { id: "unrecognised_accreditor", en: "Accreditor not recognised by any government or recognised body", ja: "政府等に認められていない認定機関" },
  { id: "accreditor_name_imitates", en: "Accreditor's name imitates a real accreditor", ja: "実在の認定機関に似せた名称" },
  { id: "unesco_accreditation_claim", en: "Claims accreditation or approval by UNESCO or another body that does not accredit", ja: "ユネスコ等による認定を主張" },
  { id: "vague_approval_words", en: "\"Licensed\", \"notarised\" or \"internationally approved\" offered as proof of quality", ja: "「認可済み」「公証済み」「国際的に承認」等の曖昧な表現" },
  { id: "life_experience_degree", en: "Degree for life or work experience or a CV alone", ja: "人生経験・職歴のみで学位を授与" },
  { id: "no_coursework", en: "Little or no coursework, attendance or assessment", ja: "授業・出席・評価がほとんどない" },
  { id: "no_admission_requirements", en: "No admission requirements", ja: "入学要件がない" },
  { id: "weeks_to_complete", en: "Degree completed in weeks or a few months", ja: "数週間〜数か月で学位取得" },
  { id: "backdating_offered", en: "Any award date can be chosen (back-dating)", ja: "授与日を自由に選べる（遡及）" },
  { id: "price_per_degree", en: "Price per degree, or fees far from the norm", ja: "学位ごとの価格設定・相場から外れた学費" },
  { id: "multi_degree_discount", en: "Discounts for buying several degrees", ja: "複数学位の割引" },
  { id: "po_box_only", en: "Only a PO box or suite number as address", ja: "私書箱・スイート番号のみの住所" },
  { id: "frequent_address_changes", en: "Frequent changes of address or country", ja: "所在地の頻繁な変更" },
  { id: "email_only_contact", en: "Contact only by e-mail or web form", ja: "連絡手段がメール・フォームのみ" },
  { id: "no_faculty_list", en: "No list of faculty, or faculty with degrees from similar bodies", ja: "教員一覧がない・教員の学位も疑わしい" },
  { id: "name_mimics_known_university", en: "Name close to a well-known university", ja: "著名大学に似た名称" },
  { id: "domain_country_mismatch", en: "Web domain does not fit the claimed country", ja: "ドメインと所在国が一致しない" },
  { id: "claims_not_a_mill", en: "Site insists it is \"not a diploma mill\"", ja: "「ディプロマミルではない」と強調" },
  { id: "sample_diplomas", en: "Sample diplomas or transcripts offered", ja: "学位記の見本を提示" },
  { id: "in_house_verification", en: "Verification handled by a service run by the same people", ja: "同一運営者による「認証」サービス" },
  { id: "accreditation_for_sale", en: "Accreditation can be bought or is granted very quickly", ja: "認定が購入可能・即時に付与" },
  { id: "no_site_visit", en: "Accreditation without a site visit or review", ja: "実地調査なしの認定" },
  { id: "permanent_accreditation", en: "\"Permanent\" accreditation", ja: "「永久」認定" },
  { id: "few_published_standards", en: "Few or no published standards", ja: "公開された基準がほとんどない" },
  { id: "lists_without_consent", en: "Lists institutions without their knowledge", ja: "無断で機関を認定リストに掲載" },
  { id: "shares_address_with_schools", en: "Accreditor shares an address with the schools it accredits", ja: "認定機関と被認定校の所在地が同じ" },
  { id: "claims_chea_or_usde_recognition", en: "Claims CHEA or US Department of Education recognition it does not have", ja: "CHEAや米国教育省による承認を偽って主張" },
] as const satisfies readonly VocabularyEntry[];

export type MillFlag = (typeof MILL_FLAGS)[number]["id"];
export const MILL_FLAG_IDS = ids(MILL_FLAGS);

/** Verification steps an officer can take for a document or an institution. */
export const AUTH_STEPS = [
  { id: "contact_issuer", en: "Contact the issuing institution directly (contact details found independently)", ja: "発行機関に直接照会（連絡先は独自に確認）" },
  { id: "official_register", en: "Check an official register of graduates or qualifications", ja: "公的な卒業生・学位登録簿を確認" },
  { id: "check_institution_status", en: "Check the institution's status with the competent authority or an official list", ja: "所管当局・公式リストで機関の地位を確認" },
  { id: "sealed_envelope", en: "Ask for documents sent by the institution in a sealed envelope", ja: "発行機関から厳封で直送を依頼" },
  { id: "verified_email", en: "Ask for documents from a verified institutional e-mail address", ja: "確認済みの機関メールアドレスから送付を依頼" },
  { id: "digital_wallet", en: "Verify a digital credential (wallet, signature, data exchange)", ja: "デジタル証明書（ウォレット・署名・データ交換）を検証" },
  { id: "nic_enic_enquiry", en: "Ask the country's NIC/ENIC or NIC-Japan", ja: "NIC/ENIC・NIC-Japanに照会" },
  { id: "check_seal_signature", en: "Examine the original: seal, signature, paper, print", ja: "原本の印章・署名・用紙・印刷を確認" },
  { id: "compare_passport", en: "Compare names and dates with the passport and other documents", ja: "旅券・他書類と氏名・日付を照合" },
  { id: "embassy_attestation", en: "Ask for attestation or supporting documents from the embassy or authorities", ja: "大使館・当局の証明書類を求める" },
  { id: "apostille_legalisation", en: "Check an apostille or legalisation", ja: "アポスティーユ・領事認証を確認" },
  { id: "certified_translation", en: "Ask for a certified translation", ja: "認証翻訳を求める" },
  { id: "check_website", en: "Check the institution's existence and website", ja: "機関の実在とウェブサイトを確認" },
  { id: "request_original", en: "Ask to see the original document", ja: "原本の提示を求める" },
  { id: "sworn_declaration", en: "Take a sworn or written declaration from the applicant", ja: "申請者の宣誓・申述書を取る" },
  { id: "structured_interview", en: "Assess through a structured interview or test", ja: "構造化面接・試験で評価" },
  { id: "background_paper", en: "Prepare a background paper / qualifications passport for missing documents", ja: "書類欠如時の背景資料（資格パスポート等）を作成" },
  { id: "reject_outright", en: "Reject the application outright", ja: "直ちに不受理とする" },
  { id: "accept_as_is", en: "Accept the document as it is without further checks", ja: "追加確認なしで受理" },
] as const satisfies readonly VocabularyEntry[];

export type AuthStep = (typeof AUTH_STEPS)[number]["id"];
export const AUTH_STEP_IDS = ids(AUTH_STEPS);

/** Inconsistencies an officer may find in a set of documents. */
export const INCONSISTENCIES = [
  { id: "name_mismatch", en: "Name differs between documents (beyond transliteration)", ja: "書類間で氏名が一致しない（翻字の差を超える）" },
  { id: "birthdate_mismatch", en: "Date of birth differs from the passport", ja: "生年月日が旅券と一致しない" },
  { id: "impossible_dates", en: "Dates impossible or implausible (award before enrolment, too short a study period)", ja: "日付の矛盾（入学前の授与、短すぎる在学期間等）" },
  { id: "date_after_closure", en: "Issued after the institution closed or before it existed", ja: "機関の閉鎖後・設立前の発行" },
  { id: "wrong_institution_name", en: "Institution name or title not used at the date of issue", ja: "発行日当時に使われていない機関名・名称" },
  { id: "signatory_not_in_office", en: "Signed by someone not in office at that date", ja: "当時在職していない署名者" },
  { id: "seal_or_signature_irregular", en: "Seal or signature missing, printed or irregular", ja: "印章・署名の欠如や不自然さ" },
  { id: "typography_alterations", en: "Fonts, alignment or erasures suggest alteration", ja: "字体・配置・修正跡に改ざんの疑い" },
  { id: "grades_inconsistent", en: "Grades or grading scale inconsistent with the system or the transcript", ja: "成績・評価尺度が制度や成績証明書と矛盾" },
  { id: "credit_total_mismatch", en: "Credit or hour totals do not add up", ja: "単位・時間数の合計が合わない" },
  { id: "programme_not_offered", en: "Programme or degree not offered by that institution", ja: "その機関が提供していない課程・学位" },
  { id: "contact_details_mismatch", en: "Contact details or e-mail domain differ from the institution's official ones", ja: "連絡先・メールドメインが公式と異なる" },
  { id: "verification_failed", en: "Verification code or digital signature fails", ja: "照合コード・電子署名の検証に失敗" },
  { id: "translation_mismatch", en: "Translation differs from the original", ja: "翻訳が原文と一致しない" },
] as const satisfies readonly VocabularyEntry[];

export type Inconsistency = (typeof INCONSISTENCIES)[number]["id"];
export const INCONSISTENCY_IDS = ids(INCONSISTENCIES);

/** The five elements of a substantial-difference comparison. */
export const RECOGNITION_ELEMENTS = [
  { id: "level", en: "Level", ja: "水準（レベル）" },
  { id: "workload", en: "Workload", ja: "学修量" },
  { id: "quality", en: "Quality", ja: "質" },
  { id: "profile", en: "Profile", ja: "プロファイル（性格）" },
  { id: "learning_outcomes", en: "Learning outcomes", ja: "学修成果" },
] as const satisfies readonly VocabularyEntry[];

export type RecognitionElement = (typeof RECOGNITION_ELEMENTS)[number]["id"];
export const RECOGNITION_ELEMENT_IDS = ids(RECOGNITION_ELEMENTS);

export const MILL_VERDICTS = ["legitimate", "diploma_mill", "accreditation_mill", "verify_further"] as const;
export type MillVerdict = (typeof MILL_VERDICTS)[number];

export const ADMISSION_ENTRIES = ["none", "bachelor", "master", "doctoral"] as const;
export type AdmissionEntry = (typeof ADMISSION_ENTRIES)[number];

export const RECOGNITION_DECISIONS = ["recognise", "recognise_partially", "substantial_difference", "verify_further"] as const;
export type RecognitionDecision = (typeof RECOGNITION_DECISIONS)[number];

export const CREDIT_UNITS = ["ects", "jp_credits", "hours"] as const;
export type CreditUnit = (typeof CREDIT_UNITS)[number];

/** Labels of every vocabulary, for pages: `labelOf("flag", "po_box_only", "ja")`. */
export function labelOf(kind: "flag" | "step" | "inconsistency" | "element", id: string, lang: "en" | "ja" = "en"): string | undefined {
  const list: readonly VocabularyEntry[] =
    kind === "flag" ? MILL_FLAGS : kind === "step" ? AUTH_STEPS : kind === "inconsistency" ? INCONSISTENCIES : RECOGNITION_ELEMENTS;
  return list.find((e) => e.id === id)?.[lang];
}
