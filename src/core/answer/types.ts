/**
 * Result shapes of the answerers. Pure types.
 */
import type { Passage } from "../types.js";

export interface Citation {
  /** The number used in the answer's `[n]` markers (1-based, in order of first use). */
  n: number;
  chunkId: string;
  documentId: string;
  title: string;
  /** Date of the document (from its front matter), shown beside the citation. */
  date?: string;
  /** Exact text of the cited unit: `chunk.text.slice(start, end)`. */
  quote: string;
  /** Offsets of the quote in the chunk text. */
  start: number;
  end: number;
  /** Link to the quoted place, from `options.urlFor` (or the document URL when no builder is given). */
  url?: string;
}

export type AnswerMode = "extractive" | "llm";

export interface AnswerResult {
  /** Answer text; every sentence carries at least one `[n]` marker (unless abstained). */
  answer: string;
  abstained: boolean;
  citations: Citation[];
  /** Nearby passages worth reading: on abstention the nearest passages; otherwise retrieved passages not cited. */
  related: Passage[];
  /** Support score in [0, 1]: how well the passages cover the question. */
  support: number;
  mode: AnswerMode;
  /** When the LLM answerer fell back to the extractive one, or abstained: why. */
  fallbackReason?: "no-model" | "low-support" | "model-error" | "timeout" | "invalid-output" | "model-declined";
  /** Scoring details for debugging and calibration. */
  diagnostics?: {
    bestCoverage: number;
    unionCoverage: number;
    missingEntities: string[];
    missingTerms: string[];
    /** Multipliers applied to the coverage score (see `supportOf`). */
    factors?: Record<string, number>;
    threshold: number;
    droppedSentences?: string[];
  };
}

export interface AnswerOptions {
  /** Abstain when support is below this (default `DEFAULT_SUPPORT_THRESHOLD`). */
  threshold?: number;
  /** Most units quoted in an answer (default 3; up to `maxUnitsExtended` when they cover new question terms). */
  maxUnits?: number;
  /** Absolute cap on quoted units (default 4). */
  maxUnitsExtended?: number;
  /** How many of the given passages to read (default 8). */
  maxPassages?: number;
  /** How many related passages to return (default 3). */
  relatedCount?: number;
  /** Builds a link to the quoted place in a passage; offsets are relative to the chunk text. */
  urlFor?: (chunkId: string, start: number, end: number) => string;
  /** Weight (0-1) of the top passage's vector similarity in the support score (default 0). */
  vectorWeight?: number;
  /** Score multiplier for units of compiled cards (document kind "card"), so published sources are quoted first (default `DEFAULT_CARD_FACTOR`, 0.7). */
  cardFactor?: number;
  /** Language of the abstention message; by default the question's language. */
  language?: "en" | "ja";
}
