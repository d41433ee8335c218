/**
 * Practice: graded cases for foreign credential evaluation. Public API for routes and pages.
 * Pure TypeScript: runs on Node and Cloudflare Workers (no file system access here).
 */
export * from "./schema.js";
export * from "./flags.js";
export { CONCEPTS, CONCEPT_IDS, getConcept, findConcepts, normaliseForMatching, type ConceptDef } from "./concepts.js";
export {
  gradeAnswer,
  scoreAnswer,
  answerKey,
  sourceIndexes,
  validateLlmScores,
  gradeWithLlm,
  type GradeOutcome,
  type GradeResult,
  type ItemResult,
  type ItemStatus,
  type LlmRubricGrader,
  type LlmGradeRequest,
  type LlmItemScore,
  type LlmGradeOptions,
  type CitedPassage,
  type ValidatedLlmScore,
} from "./grade.js";
export { resolveSources, SourceResolver, type CorpusDoc, type ChunkRef, type ResolvedSource, type CitedSource, type ResolveOptions } from "./sources.js";
export { loadScenarioBank, corpusDocsFromFiles, formatProblem, parseScenario, checkScenario, isPathFile, type BankFile, type ScenarioBank, type LoadBankOptions } from "./bank.js";
export { generateCase, parseGeneratedId, mulberry32, GENERATED_TYPES, type GeneratedType } from "./generator.js";
export {
  bktUpdate,
  masteryBySkill,
  reviewQueue,
  recommendNext,
  pathProgress,
  targetDifficulty,
  isPass,
  DEFAULT_BKT,
  PASS_RATIO,
  REVIEW_INTERVALS_DAYS,
  type Attempt,
  type BktParams,
  type MasteryOptions,
  type SkillMastery,
  type ReviewItem,
  type BankCase,
  type Recommendation,
  type ModuleProgress,
  type PathProgress,
} from "./mastery.js";
export { findQuote, splitFrontMatter, normaliseText } from "./text.js";
