/**
 * Interface text of the web pages in English and Japanese, and the choice of language:
 * `?lang=en|ja` first, then the browser's `Accept-Language`, then English.
 *
 * Pages call `translator(lang)` and use `t("key", { name: value })`; `{name}` placeholders are filled in.
 * Add a key to `en` and TypeScript asks for it in `ja` too. The practice pages reuse this module.
 * Pure TypeScript (Node and Workers).
 */

export const LANGS = ["en", "ja"] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "en";

const en = {
  "app.name": "FCE Coach",
  "app.tagline": "Foreign credential evaluation, with sources",
  "nav.label": "Main",
  "nav.ask": "Ask",
  "nav.practice": "Practice",
  "nav.progress": "Progress",
  "nav.skip": "Skip to content",
  "lang.label": "Language",
  "lang.en": "English",
  "lang.ja": "日本語",
  "footer.note": "Answers quote the indexed sources. Check the cited passage and its date before you decide.",

  "chat.title": "Ask a question",
  "chat.intro":
    "Ask about diploma mills, qualification levels, recognition or credits. Every sentence of an answer links to the passage it comes from.",
  "chat.question": "Your question",
  "chat.followup": "Follow-up question",
  "chat.placeholder": "e.g. What is an accreditation mill?",
  "chat.ask": "Ask",
  "chat.asking": "Looking in the sources…",
  "chat.newConversation": "New conversation",
  "chat.conversation": "Conversation",
  "chat.you": "You asked",
  "chat.answer": "Answer",
  "chat.sources": "Sources",
  "chat.related": "Related passages",
  "chat.abstained": "The indexed sources do not answer this question.",
  "chat.mode.extractive": "Quoted from the sources",
  "chat.mode.llm": "Written by a language model from the cited passages",
  "chat.citation": "Source {n}: {title}",
  "chat.openSource": "Open the passage in its document",
  "chat.undated": "undated",
  "chat.ageYears": "{n} years old",
  "chat.ageYear": "1 year old",
  "chat.ageMonths": "{n} months old",
  "chat.ageRecent": "less than a month old",
  "chat.feedback": "Was this answer helpful?",
  "chat.helpful": "Helpful",
  "chat.unhelpful": "Not helpful",
  "chat.comment": "What was wrong or missing? (optional)",
  "chat.sendFeedback": "Send feedback",
  "chat.thanks": "Thank you for your feedback.",
  "chat.errorNetwork": "The server could not be reached. Please try again.",
  "chat.errorGeneric": "Something went wrong (status {status}).",
  "chat.emptyQuestion": "Please type a question.",
  "chat.tooLong": "The question is too long (at most {max} characters).",
  "chat.noscript": "This page needs JavaScript to ask questions.",
  "chat.examples": "Examples",
  "chat.example1": "What is an accreditation mill?",
  "chat.example2": "What JEQF level is a master's degree (shushi)?",
  "chat.example3": "How many ECTS credits is one Japanese credit?",

  "source.title": "Source",
  "source.publisher": "Publisher",
  "source.date": "Date",
  "source.kind": "Kind",
  "source.language": "Language",
  "source.url": "Original",
  "source.sources": "Compiled from",
  "source.cited": "The highlighted passage is the one cited.",
  "source.jump": "Go to the highlighted passage",
  "source.back": "Back to the conversation",
  "source.unknownChunk": "The passage “{chunk}” is not part of this document (the index may have changed). The whole document is shown below.",
  "source.notFoundTitle": "Document not found",
  "source.notFound": "There is no document with the id “{id}” in the index. It may have been removed or renamed when the corpus was updated.",
  "source.document": "Document text",
  "source.age": "({age})",

  "kind.presentation": "presentation",
  "kind.agreement": "agreement",
  "kind.project description": "project description",
  "kind.market report": "market report",
  "kind.event page": "event page",
  "kind.card": "summary card (compiled in FCE Coach from the sources listed)",
  "kind.document": "document",

  "practice.title": "Practice",
  "practice.intro": "Decide realistic cases and get graded feedback with the sources behind it. Your mastery of each skill grows as you go.",
  "practice.start": "Start practising",
  "practice.startIntro": "Enter a name to keep your progress. Facilitators see this name; no account is needed.",
  "practice.displayName": "Your name (shown to facilitators)",
  "practice.signedInAs": "Practising as {name}",
  "practice.next": "Recommended next",
  "practice.nextReview": "Due for review",
  "practice.nextWeakest": "Your weakest skill: {skill}",
  "practice.openCase": "Open the case",
  "practice.paths": "Training path",
  "practice.module": "Module {n}",
  "practice.reading": "Reading",
  "practice.cases": "Cases",
  "practice.casesProgress": "{attempted} of {total} cases attempted, {passed} passed",
  "practice.moduleMastery": "Mastery {value} of {threshold} needed",
  "practice.status.complete": "Complete",
  "practice.status.current": "Current",
  "practice.status.upcoming": "Upcoming",
  "practice.allCases": "All cases",
  "practice.generated": "Endless practice",
  "practice.generatedIntro": "Generated cases: new names, countries and warning signs every time.",
  "practice.newMill": "New diploma-mill case",
  "practice.newLevel": "New level case",
  "practice.mastery": "Mastery by skill",
  "practice.masteryOf": "Mastery of {skill}: {value}",
  "practice.noSession": "Start practising (above) to keep your progress.",
  "practice.difficulty": "Difficulty {n} of 3",
  "practice.best": "best {score}",
  "practice.noCases": "No practice cases are loaded.",

  "case.back": "All cases",
  "case.question": "Question",
  "case.dossier": "Case file",
  "case.answer": "Your answer",
  "case.submit": "Submit answer",
  "case.submitAgain": "Submit another answer",
  "case.required": "required",
  "case.optional": "optional",
  "case.missing": "Please answer: {field}.",
  "case.notNumber": "{field} must be a number.",
  "case.nameNeeded": "Please enter your name to start practising.",
  "case.feedback": "Feedback",
  "case.score": "Score: {score} of {max}",
  "case.passed": "Passed",
  "case.notPassed": "Not passed yet",
  "case.item": "Rubric item",
  "case.points": "Points",
  "case.status.correct": "Correct",
  "case.status.partial": "Partly correct",
  "case.status.incorrect": "Incorrect",
  "case.sources": "Sources for this feedback",
  "case.tryAgain": "You can change your answer and submit again.",
  "case.nextCase": "Next case",
  "case.anotherGenerated": "Another case like this",
  "case.attemptNotFound": "That attempt was not found for you.",
  "case.notFoundTitle": "Case not found",
  "case.notFound": "There is no practice case with the id “{id}”.",
  "case.moduleComplete": "Module complete: {module}",
  "case.generatedCase": "Generated case (seed {seed})",
  "case.yourAnswerKept": "Your last answer is filled in below.",
  "case.scoring": "Up to {max} points; {pass} of the points passes the case.",

  "dossier.applicant": "Applicant",
  "dossier.name": "Name",
  "dossier.nationality": "Nationality",
  "dossier.born": "Born",
  "dossier.status": "Status",
  "dossier.applying_for": "Applying for",
  "dossier.institution": "Institution",
  "dossier.institution_local": "Name in the local language",
  "dossier.country": "Country",
  "dossier.city": "City",
  "dossier.institution_type": "Type",
  "dossier.claimed_accreditor": "Claimed accreditor",
  "dossier.claimed_recognition": "Claimed recognition",
  "dossier.address": "Address",
  "dossier.website": "Website",
  "dossier.contact": "Contact",
  "dossier.programmeSection": "Programme",
  "dossier.programme": "Programme",
  "dossier.award": "Award",
  "dossier.programme_length": "Length",
  "dossier.mode_of_study": "Mode of study",
  "dossier.admission_requirements": "Admission requirements",
  "dossier.credits": "Credits",
  "dossier.fees": "Fees",
  "dossier.dates": "Dates",
  "dossier.event": "Event",
  "dossier.date": "Date",
  "dossier.transcript": "Transcript",
  "dossier.course": "Course",
  "dossier.term": "Term",
  "dossier.courseCredits": "Credits",
  "dossier.unit": "Unit",
  "dossier.hours": "Hours",
  "dossier.grade": "Grade",
  "dossier.grading_scale": "Grading scale",
  "dossier.website_notes": "From the website",
  "dossier.document_notes": "Notes on the documents received",
  "dossier.correspondence": "Correspondence",
  "dossier.notes": "Notes",

  "field.verdict": "Verdict",
  "field.flags": "Warning signs present",
  "field.level": "JEQF level",
  "field.admission": "Admission consequence",
  "field.decision": "Decision",
  "field.elements": "Elements that decide",
  "field.value": "Converted value",
  "field.unit": "Unit",
  "field.grade": "Converted grade",
  "field.steps": "Verification steps",
  "field.inconsistencies": "Inconsistencies found",
  "field.justification": "Justification",
  "field.justificationHint": "Name the elements that decide the case (English or Japanese).",

  "skill.mills": "Diploma and accreditation mills",
  "skill.levels": "Levels and access",
  "skill.recognition": "Recognition",
  "skill.credits": "Credits and grades",
  "skill.authenticity": "Authenticity",
  "type.mill": "Mill or not?",
  "type.level": "Level",
  "type.recognition": "Recognition",
  "type.credits": "Credits",
  "type.authenticity": "Authenticity",

  "progress.title": "Progress",
  "progress.intro": "Your attempts and your mastery of each skill.",
  "progress.chartTitle": "Mastery per skill",
  "progress.badgesTitle": "Your credentials",
  "progress.badgesIntro": "An Open Badges 3.0 credential for each completed module and for the whole path. Download it and share it; anyone can check it on the verify page.",
  "progress.badgeRevoked": "revoked",
  "progress.badgeVerify": "verify",
  "progress.chartDesc": "Estimated probability that you have mastered each skill (0 to 100%), from your graded attempts. The dashed line marks {threshold}.",
  "progress.attempts": "{n} attempts, {passed} passed",
  "progress.history": "History",
  "progress.noHistory": "No attempts yet.",
  "progress.when": "When",
  "progress.case": "Case",
  "progress.score": "Score",
  "progress.result": "Result",
  "progress.reviews": "Cases to review",
  "progress.due": "due now",
  "progress.dueAt": "due {date}",
  "progress.skill": "Skill",
  "progress.mastery": "Mastery",
  "progress.needSession": "Start practising to see your progress.",
  "progress.modules": "{done} of {total} modules complete",
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const ja: Messages = {
  "app.name": "FCE Coach",
  "app.tagline": "出典付きの外国学歴評価サポート",
  "nav.label": "メイン",
  "nav.ask": "質問する",
  "nav.practice": "演習",
  "nav.progress": "学習の記録",
  "nav.skip": "本文へ移動",
  "lang.label": "言語",
  "lang.en": "English",
  "lang.ja": "日本語",
  "footer.note": "回答は索引済みの資料を引用しています。判断の前に、引用箇所とその日付を確認してください。",

  "chat.title": "質問する",
  "chat.intro": "ディグリーミル、資格のレベル、承認、単位などについて質問できます。回答の各文は、根拠となる資料の箇所にリンクしています。",
  "chat.question": "質問",
  "chat.followup": "追加の質問",
  "chat.placeholder": "例：アクレディテーション・ミルとは何ですか？",
  "chat.ask": "質問する",
  "chat.asking": "資料を検索しています…",
  "chat.newConversation": "新しい会話",
  "chat.conversation": "会話",
  "chat.you": "質問",
  "chat.answer": "回答",
  "chat.sources": "出典",
  "chat.related": "関連する箇所",
  "chat.abstained": "索引済みの資料では、この質問に答えられません。",
  "chat.mode.extractive": "資料からの引用",
  "chat.mode.llm": "引用箇所をもとに言語モデルが作成",
  "chat.citation": "出典 {n}：{title}",
  "chat.openSource": "資料の該当箇所を開く",
  "chat.undated": "日付なし",
  "chat.ageYears": "{n}年前",
  "chat.ageYear": "1年前",
  "chat.ageMonths": "{n}か月前",
  "chat.ageRecent": "1か月以内",
  "chat.feedback": "この回答は役に立ちましたか？",
  "chat.helpful": "役に立った",
  "chat.unhelpful": "役に立たなかった",
  "chat.comment": "不足や誤りがあれば教えてください（任意）",
  "chat.sendFeedback": "送信",
  "chat.thanks": "フィードバックをありがとうございました。",
  "chat.errorNetwork": "サーバーに接続できませんでした。もう一度お試しください。",
  "chat.errorGeneric": "エラーが発生しました（ステータス {status}）。",
  "chat.emptyQuestion": "質問を入力してください。",
  "chat.tooLong": "質問が長すぎます（{max}文字まで）。",
  "chat.noscript": "質問するにはJavaScriptを有効にしてください。",
  "chat.examples": "質問の例",
  "chat.example1": "アクレディテーション・ミルとは何ですか？",
  "chat.example2": "修士はJEQFのどのレベルですか？",
  "chat.example3": "日本の1単位は何ECTSに相当しますか？",

  "source.title": "資料",
  "source.publisher": "発行者",
  "source.date": "日付",
  "source.kind": "種類",
  "source.language": "言語",
  "source.url": "原典",
  "source.sources": "元になった資料",
  "source.cited": "強調表示された箇所が引用された部分です。",
  "source.jump": "強調表示された箇所へ移動",
  "source.back": "会話に戻る",
  "source.unknownChunk": "箇所「{chunk}」はこの資料にありません（索引が更新された可能性があります）。資料全体を表示します。",
  "source.notFoundTitle": "資料が見つかりません",
  "source.notFound": "ID「{id}」の資料は索引にありません。資料の更新で削除または名前が変更された可能性があります。",
  "source.document": "資料本文",
  "source.age": "（{age}）",

  "kind.presentation": "発表資料",
  "kind.agreement": "協定",
  "kind.project description": "プロジェクト概要",
  "kind.market report": "市場レポート",
  "kind.event page": "イベントページ",
  "kind.card": "要約カード（記載の資料をもとにFCE Coachで作成）",
  "kind.document": "資料",

  "practice.title": "演習",
  "practice.intro": "実際に近い事例を判断し、根拠となる資料付きの採点とフィードバックを受けられます。演習を重ねるとスキルごとの習熟度が上がります。",
  "practice.start": "演習を始める",
  "practice.startIntro": "進捗を記録するために名前を入力してください。名前はファシリテーターに表示されます。アカウントは不要です。",
  "practice.displayName": "名前（ファシリテーターに表示）",
  "practice.signedInAs": "{name} さんとして演習中",
  "practice.next": "次のおすすめ",
  "practice.nextReview": "復習の時期です",
  "practice.nextWeakest": "いちばん弱いスキル：{skill}",
  "practice.openCase": "事例を開く",
  "practice.paths": "トレーニングパス",
  "practice.module": "モジュール {n}",
  "practice.reading": "読む資料",
  "practice.cases": "事例",
  "practice.casesProgress": "{total}件中{attempted}件に解答、{passed}件合格",
  "practice.moduleMastery": "習熟度 {value}（必要：{threshold}）",
  "practice.status.complete": "完了",
  "practice.status.current": "学習中",
  "practice.status.upcoming": "未着手",
  "practice.allCases": "すべての事例",
  "practice.generated": "自動生成の演習",
  "practice.generatedIntro": "名前・国・警告サインが毎回変わる自動生成の事例です。",
  "practice.newMill": "ディプロマミルの新しい事例",
  "practice.newLevel": "レベル判定の新しい事例",
  "practice.mastery": "スキル別の習熟度",
  "practice.masteryOf": "{skill}の習熟度：{value}",
  "practice.noSession": "進捗を記録するには、上で演習を始めてください。",
  "practice.difficulty": "難易度 {n}／3",
  "practice.best": "最高 {score}",
  "practice.noCases": "演習の事例が読み込まれていません。",

  "case.back": "すべての事例",
  "case.question": "設問",
  "case.dossier": "申請書類",
  "case.answer": "解答",
  "case.submit": "解答を送信",
  "case.submitAgain": "もう一度解答する",
  "case.required": "必須",
  "case.optional": "任意",
  "case.missing": "「{field}」に解答してください。",
  "case.notNumber": "「{field}」には数値を入力してください。",
  "case.nameNeeded": "演習を始めるには名前を入力してください。",
  "case.feedback": "フィードバック",
  "case.score": "得点：{max}点中{score}点",
  "case.passed": "合格",
  "case.notPassed": "未合格",
  "case.item": "評価項目",
  "case.points": "得点",
  "case.status.correct": "正解",
  "case.status.partial": "部分的に正解",
  "case.status.incorrect": "不正解",
  "case.sources": "このフィードバックの根拠",
  "case.tryAgain": "解答を変えて、もう一度送信できます。",
  "case.nextCase": "次の事例",
  "case.anotherGenerated": "同じ種類の別の事例",
  "case.attemptNotFound": "その解答記録は見つかりませんでした。",
  "case.notFoundTitle": "事例が見つかりません",
  "case.notFound": "ID「{id}」の演習事例はありません。",
  "case.moduleComplete": "モジュール完了：{module}",
  "case.generatedCase": "自動生成の事例（シード {seed}）",
  "case.yourAnswerKept": "前回の解答を下に入力してあります。",
  "case.scoring": "満点は{max}点で、{pass}以上の得点で合格です。",

  "dossier.applicant": "申請者",
  "dossier.name": "氏名",
  "dossier.nationality": "国籍",
  "dossier.born": "生年月日",
  "dossier.status": "在留資格・身分",
  "dossier.applying_for": "志望課程",
  "dossier.institution": "教育機関",
  "dossier.institution_local": "現地語の名称",
  "dossier.country": "国",
  "dossier.city": "都市",
  "dossier.institution_type": "種類",
  "dossier.claimed_accreditor": "主張されている認定機関",
  "dossier.claimed_recognition": "主張されている承認",
  "dossier.address": "所在地",
  "dossier.website": "ウェブサイト",
  "dossier.contact": "連絡先",
  "dossier.programmeSection": "課程",
  "dossier.programme": "課程",
  "dossier.award": "学位・資格",
  "dossier.programme_length": "修業年限",
  "dossier.mode_of_study": "履修形態",
  "dossier.admission_requirements": "入学要件",
  "dossier.credits": "単位",
  "dossier.fees": "費用",
  "dossier.dates": "日付",
  "dossier.event": "事項",
  "dossier.date": "日付",
  "dossier.transcript": "成績証明書",
  "dossier.course": "科目",
  "dossier.term": "学期",
  "dossier.courseCredits": "単位数",
  "dossier.unit": "単位の種類",
  "dossier.hours": "時間",
  "dossier.grade": "成績",
  "dossier.grading_scale": "成績評価の尺度",
  "dossier.website_notes": "ウェブサイトの記載",
  "dossier.document_notes": "受け取った書類についてのメモ",
  "dossier.correspondence": "やり取り",
  "dossier.notes": "メモ",

  "field.verdict": "判定",
  "field.flags": "該当する警告サイン",
  "field.level": "JEQFレベル",
  "field.admission": "入学資格への影響",
  "field.decision": "判断",
  "field.elements": "判断の決め手となる要素",
  "field.value": "換算値",
  "field.unit": "単位",
  "field.grade": "換算後の成績",
  "field.steps": "確認の手順",
  "field.inconsistencies": "見つかった矛盾",
  "field.justification": "理由",
  "field.justificationHint": "判断の決め手となる要素を挙げてください（日本語または英語）。",

  "skill.mills": "ディプロマミル・アクレディテーションミル",
  "skill.levels": "レベルと入学資格",
  "skill.recognition": "承認",
  "skill.credits": "単位と成績",
  "skill.authenticity": "真正性の確認",
  "type.mill": "ミルかどうか",
  "type.level": "レベル",
  "type.recognition": "承認",
  "type.credits": "単位",
  "type.authenticity": "真正性",

  "progress.title": "学習の記録",
  "progress.intro": "これまでの解答と、スキルごとの習熟度です。",
  "progress.chartTitle": "スキル別の習熟度",
  "progress.badgesTitle": "取得したクレデンシャル",
  "progress.badgesIntro": "修了したモジュールごと、およびパス全体について Open Badges 3.0 のクレデンシャルが発行されます。ダウンロードして共有でき、誰でも検証ページで確認できます。",
  "progress.badgeRevoked": "失効",
  "progress.badgeVerify": "検証",
  "progress.chartDesc": "採点結果から推定した、各スキルを習得している確率（0〜100%）。点線は{threshold}の位置です。",
  "progress.attempts": "解答{n}回、合格{passed}回",
  "progress.history": "履歴",
  "progress.noHistory": "まだ解答がありません。",
  "progress.when": "日時",
  "progress.case": "事例",
  "progress.score": "得点",
  "progress.result": "結果",
  "progress.reviews": "復習する事例",
  "progress.due": "今が復習時期",
  "progress.dueAt": "{date}に復習",
  "progress.skill": "スキル",
  "progress.mastery": "習熟度",
  "progress.needSession": "学習の記録を見るには、演習を始めてください。",
  "progress.modules": "{total}モジュール中{done}モジュール完了",
};

export const messages: Record<Lang, Messages> = { en, ja };

export type Vars = Record<string, string | number>;

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The text of `key` in `lang` (English when a language lacks it). */
export function t(lang: Lang, key: MessageKey, vars?: Vars): string {
  return format(messages[lang][key] ?? messages.en[key], vars);
}

export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translator(lang: Lang): Translate {
  return (key, vars) => t(lang, key, vars);
}

/** The subset of keys whose text the browser script needs (passed to it as JSON in a data attribute). */
export function pick(lang: Lang, keys: readonly MessageKey[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, t(lang, k)]));
}

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/**
 * The interface language: an explicit `?lang=` wins; otherwise the first supported language of
 * `Accept-Language` by quality (`ja-JP,ja;q=0.9,en;q=0.8` gives `ja`); otherwise English.
 */
export function pickLang(queryLang: string | undefined | null, acceptLanguage: string | undefined | null): Lang {
  const q = queryLang?.trim().toLowerCase();
  if (isLang(q)) return q;
  if (!acceptLanguage) return DEFAULT_LANG;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = qParam ? Number(qParam.slice(2)) : 1;
      return { base: tag.trim().toLowerCase().split("-")[0] ?? "", quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const r of ranked) if (isLang(r.base)) return r.base;
  return DEFAULT_LANG;
}

/** The language of a Hono request (`c.req`). */
export function requestLang(req: { query(name: string): string | undefined; header(name: string): string | undefined }): Lang {
  return pickLang(req.query("lang"), req.header("accept-language"));
}

/** How old a dated source is, in words ("3 years old"); undefined for an undated or future source. */
export function sourceAge(lang: Lang, date: string | undefined | null, now: Date): string | undefined {
  if (!date) return undefined;
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(date);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  let months = (now.getUTCFullYear() - year) * 12 + (now.getUTCMonth() + 1 - month);
  if (now.getUTCDate() < day) months -= 1;
  if (months < 0) return undefined;
  if (months < 1) return t(lang, "chat.ageRecent");
  if (months < 12) return t(lang, "chat.ageMonths", { n: months });
  const years = Math.floor(months / 12);
  return years === 1 ? t(lang, "chat.ageYear") : t(lang, "chat.ageYears", { n: years });
}
