/**
 * Asking a question: resolve follow-ups against the conversation, retrieve passages, compose a cited
 * answer (extractive, or checked LLM output when a chat model is configured), store it, return it.
 * Shared by the web API, Slack and the LTI pages; runtime-agnostic (awaits every query).
 */
import { and, asc, desc, eq } from "drizzle-orm";
import type { AppDeps } from "../app.js";
import { answerWithLlm, resolveFollowUp, type AnswerResult } from "../core/answer/index.js";
import { hasJapanese } from "../core/retrieval/tokenize.js";
import type { Passage } from "../core/types.js";
import type { Retriever } from "../ports.js";
import { sourceUrl } from "../web/urls.js";

/** Links to the source viewer (one builder for the web, Slack and LTI). */
export { sourceUrl };
import { newId } from "../db/learners.js";
import { answerFeedback, answers, conversations } from "../db/schema/index.js";
import { HttpError } from "../routes/http-error.js";

export const MAX_QUESTION_CHARS = 2000;
/** Passages read per question. */
const RETRIEVE_K = 8;
/** Earlier turns of a conversation used to resolve a follow-up. */
const HISTORY_TURNS = 4;

export interface AskInput {
  question: string;
  conversationId?: string;
  learnerId?: string;
  channel: "web" | "slack" | "lti";
  /** Finds or starts the conversation of a channel thread (Slack) when no conversationId is given. */
  channelKey?: string;
}

export interface AskOutput {
  answerId: string;
  conversationId: string;
  question: string;
  resolvedQuery: string;
  result: AnswerResult;
}

/**
 * Extractive answers are deterministic for a given index and query, so a repeated question (a
 * workshop room asking the same thing) is answered from memory. Keyed by the retriever object, which
 * changes when a new index generation is loaded, so a re-ingest never serves a stale answer.
 */
const answerCache = new WeakMap<object, Map<string, { passages: Passage[]; result: AnswerResult }>>();
const ANSWER_CACHE_SIZE = 2000;

function cacheFor(retriever: object): Map<string, { passages: Passage[]; result: AnswerResult }> {
  let cache = answerCache.get(retriever);
  if (!cache) answerCache.set(retriever, (cache = new Map()));
  return cache;
}

/**
 * Drops the placeholders the masker leaves ("[name]", "[passport]") together with their cue words
 * ("Applicant", "passport", "born"), and the punctuation left around them.
 */
export function withoutPersonalData(masked: string): string {
  const cue = String.raw`(?:applicant|candidate|student|mr|mrs|ms|miss|mx|dr|prof|named?|surname|passport(?:\s*(?:no\.?|number))?|born(?:\s+on)?|date\s+of\s+birth|d\.?o\.?b\.?|birth\s*date|e-?mail|phone|tel\.?|telephone|mobile|id(?:\s*card)?(?:\s*(?:no\.?|number))?|residence\s+card|student\s+(?:id|number)|出願者|志願者|申請者|氏名|名前|旅券(?:番号)?|パスポート(?:番号)?|生年月日|電話(?:番号)?)`;
  return masked
    .replace(new RegExp(String.raw`${cue}?\.?\s*[:：#]?\s*\[(?:email|phone|passport|id|birth date|name)\](?:\s*(?:さん|様|氏))?`, "giu"), " ")
    .replace(/\(\s*(?:[,;、]\s*)*\)/g, " ")
    .replace(/\s+([,.;:?、。])/g, "$1")
    .replace(/^[\s,;、]+/, "")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/**
 * The question as the answerer reads it. In a Japanese question, the terms the glossary knows are
 * read by their English names (学士は何レベル -> "bachelor's degree は何 level"), so English passages can
 * be quoted for it; terms it does not know (a university's name, "tuition") stay and still count as
 * unanswered when no passage has them. Other questions are read as asked.
 */
export function questionForAnswer(retriever: Retriever, query: string): string {
  if (!hasJapanese(query) || !retriever.gloss) return query;
  return retriever.gloss(query);
}


async function findConversation(deps: AppDeps, input: AskInput): Promise<string | undefined> {
  if (input.conversationId) {
    const rows = await deps.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, input.conversationId)).limit(1);
    if (!rows[0]) throw new HttpError(404, `Unknown conversation "${input.conversationId}"`);
    return rows[0].id;
  }
  if (input.channelKey) {
    const rows = await deps.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.channel, input.channel), eq(conversations.channelKey, input.channelKey)))
      .limit(1);
    return rows[0]?.id;
  }
  return undefined;
}

export async function askQuestion(deps: AppDeps, input: AskInput): Promise<AskOutput> {
  const question = input.question.trim();
  if (!question) throw new HttpError(400, "Invalid body: question: must not be empty");
  if (question.length > MAX_QUESTION_CHARS) throw new HttpError(400, `Invalid body: question: must be at most ${MAX_QUESTION_CHARS} characters`);
  const now = deps.clock.now();
  let conversationId = await findConversation(deps, input);

  const history = conversationId
    ? (
        await deps.db
          .select({ question: answers.question, answer: answers.answer, resolvedQuery: answers.resolvedQuery })
          .from(answers)
          .where(eq(answers.conversationId, conversationId))
          .orderBy(desc(answers.createdAt))
          .limit(HISTORY_TURNS)
      ).reverse()
    : [];
  // Follow-ups are resolved against the earlier questions as they were understood (their resolved queries).
  // An applicant's name, passport number or birth date has no bearing on what the sources say: the
  // answer is computed on the question without them (so they neither skew retrieval nor count as
  // unanswered terms), and nothing unmasked is ever written.
  const subject = deps.maskPersonalData ? withoutPersonalData(deps.maskPersonalData(question)) : question;
  const resolvedQuery = history.length ? resolveFollowUp(subject, history.map((h) => ({ question: h.resolvedQuery, answer: h.answer }))) : subject;

  const { retriever } = deps.corpus();
  const cacheKey = resolvedQuery.toLowerCase().replace(/\s+/g, " ").trim();
  const cache = deps.chatModel ? undefined : cacheFor(retriever);
  let cached = cache?.get(cacheKey);
  if (!cached) {
    const passages: Passage[] = await retriever.search(resolvedQuery, { k: RETRIEVE_K });
    const result = await answerWithLlm(questionForAnswer(retriever, resolvedQuery), passages, deps.chatModel, {
      urlFor: (chunkId, start, end) => {
        const hit = passages.find((p) => p.chunk.id === chunkId);
        return sourceUrl(chunkId, hit?.chunk.documentId ?? chunkId.split("#")[0]!, { quote: { start, end } });
      },
      timeoutMs: deps.llmTimeoutMs,
    });
    cached = { passages, result };
    if (cache) {
      if (cache.size >= ANSWER_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, cached);
    }
  }
  const { result } = cached;

  if (!conversationId) {
    conversationId = newId("conv");
    await deps.db.insert(conversations).values({
      id: conversationId,
      learnerId: input.learnerId ?? null,
      channel: input.channel,
      channelKey: input.channelKey ?? null,
      createdAt: now,
      updatedAt: now,
    });
  } else {
    await deps.db.update(conversations).set({ updatedAt: now }).where(eq(conversations.id, conversationId));
  }
  const answerId = newId("ans");
  const stored = deps.maskPersonalData ? deps.maskPersonalData(question) : question;
  await deps.db.insert(answers).values({
    id: answerId,
    conversationId,
    question: stored,
    resolvedQuery: deps.maskPersonalData ? deps.maskPersonalData(resolvedQuery) : resolvedQuery,
    answer: result.answer,
    abstained: result.abstained,
    mode: result.mode,
    support: result.support,
    citations: JSON.stringify(result.citations),
    createdAt: now,
  });
  return { answerId, conversationId, question, resolvedQuery, result };
}

export async function recordFeedback(deps: AppDeps, answerId: string, helpful: boolean, comment?: string): Promise<string> {
  const rows = await deps.db.select({ id: answers.id }).from(answers).where(eq(answers.id, answerId)).limit(1);
  if (!rows[0]) throw new HttpError(404, `Unknown answer "${answerId}"`);
  const id = newId("fb");
  const text = comment?.trim() ? (deps.maskPersonalData ? deps.maskPersonalData(comment.trim()) : comment.trim()) : null;
  await deps.db.insert(answerFeedback).values({ id, answerId, helpful, comment: text, createdAt: deps.clock.now() });
  return id;
}

/** The turns of a conversation, oldest first (for pages that show the thread). */
export async function conversationTurns(deps: AppDeps, conversationId: string) {
  return deps.db.select().from(answers).where(eq(answers.conversationId, conversationId)).orderBy(asc(answers.createdAt));
}
