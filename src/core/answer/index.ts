/**
 * The answer core: segmentation, the extractive and LLM answerers, abstention and its calibration,
 * follow-up resolution, and an OpenAI-compatible ChatModel on fetch. Pure TypeScript (Node and Workers).
 */
export { segmentPassage, splitSentences, type Range, type Unit, type UnitKind } from "./segment.js";
export { answerExtractive, displayText, selectUnits } from "./extractive.js";
export {
  abstentionMessage,
  calibrateThreshold,
  DEFAULT_SUPPORT_THRESHOLD,
  type CalibrationExample,
  type CalibrationOptions,
  type CalibrationPoint,
  type CalibrationResult,
} from "./abstain.js";
export { answerWithLlm, buildLlmMessages, checkLlmAnswer, NO_ANSWER, type ChatMessage, type LlmAnswerOptions, type LlmCheck } from "./llm.js";
export { ChatModelError, chatCompletionsUrl, createOpenAiChatModel, type ChatModelErrorKind, type OpenAiChatOptions } from "./openai-chat.js";
export { isElliptical, resolveFollowUp, topicPhrase, type Turn } from "./followup.js";
export { analyzeQuestion, type QuestionInfo } from "./question.js";
export { analyzePassages, supportOf, type Analysis, type ScoredUnit, type SupportBreakdown } from "./score.js";
export { answerSentences, markersOf, renumberMarkers, stripMarkers, uncitedSentences } from "./citations.js";
export { normalize, contentTerms, stem } from "./text.js";
export type { AnswerMode, AnswerOptions, AnswerResult, Citation } from "./types.js";
