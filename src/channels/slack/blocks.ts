/**
 * Block Kit building blocks shared by the Slack features, and the cited-answer message.
 * Limits honoured here: section text 3000 chars, fields 10 per section (2000 chars each), header
 * 150, button text 75, option text 75, context elements 10, 50 blocks per message.
 */
import type { types } from "@slack/bolt";
import type { AnswerResult } from "../../core/answer/index.js";
import { sourceUrl } from "../../services/ask.js";

export type Block = types.KnownBlock;
export type TextObject = types.PlainTextElement | types.MrkdwnElement;

export const ACTIONS = {
  helpful: "fce_feedback_helpful",
  notHelpful: "fce_feedback_not_helpful",
  postToChannel: "fce_post_answer",
  practiceChoice: "fce_prac_choice",
  practiceSelect: "fce_prac_select",
  practiceOpen: "fce_prac_open",
  practiceNext: "fce_prac_next",
  practiceStart: "fce_prac_start",
  progress: "fce_progress",
} as const;

export const VIEWS = { practiceSubmit: "fce_prac_submit" } as const;

export const MAX_MESSAGE_BLOCKS = 50;
const SECTION_TEXT = 3000;

/** Escapes text for mrkdwn: Slack reads `&`, `<` and `>` as control characters. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Text shortened to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** A link in mrkdwn; `|` and `>` in the label would end it early. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[<>|\s]/g, encodeURIComponent)}|${esc(label).replace(/\|/g, "¦")}>`;
}

export const plain = (t: string, max = 75): types.PlainTextElement => ({ type: "plain_text", text: clip(t, max), emoji: true });
export const mrkdwn = (t: string): types.MrkdwnElement => ({ type: "mrkdwn", text: t });

export function section(textMd: string, blockId?: string): types.SectionBlock {
  return { type: "section", text: mrkdwn(clip(textMd, SECTION_TEXT)), ...(blockId ? { block_id: blockId } : {}) };
}

/** Long mrkdwn text as several sections, split at line or sentence ends. */
export function sections(textMd: string): types.SectionBlock[] {
  const out: types.SectionBlock[] = [];
  let rest = textMd;
  while (rest.length > SECTION_TEXT) {
    const window = rest.slice(0, SECTION_TEXT);
    let cut = Math.max(window.lastIndexOf("\n"), window.lastIndexOf(". "));
    if (cut < SECTION_TEXT / 2) cut = window.lastIndexOf(" ");
    if (cut < SECTION_TEXT / 2) cut = SECTION_TEXT - 1;
    out.push(section(rest.slice(0, cut + 1)));
    rest = rest.slice(cut + 1).trimStart();
  }
  if (rest.trim()) out.push(section(rest));
  return out;
}

/** Label/value pairs as section fields (10 per section, 2000 chars each). */
export function fieldSections(pairs: ReadonlyArray<[string, string]>): types.SectionBlock[] {
  const out: types.SectionBlock[] = [];
  for (let i = 0; i < pairs.length; i += 10) {
    out.push({ type: "section", fields: pairs.slice(i, i + 10).map(([k, v]) => mrkdwn(clip(`*${esc(k)}*\n${v}`, 2000))) });
  }
  return out;
}

export function context(...parts: string[]): types.ContextBlock {
  return { type: "context", elements: parts.slice(0, 10).map((p) => mrkdwn(clip(p, 3000))) };
}

export function header(t: string): types.HeaderBlock {
  return { type: "header", text: plain(t, 150) };
}

export const divider = (): types.DividerBlock => ({ type: "divider" });

export function button(textPlain: string, actionId: string, value: string, style?: "primary" | "danger"): types.Button {
  return { type: "button", text: plain(textPlain, 75), action_id: actionId, value: value.slice(0, 2000), ...(style ? { style } : {}) };
}

export function actions(elements: types.ActionsBlockElement[], blockId?: string): types.ActionsBlock {
  return { type: "actions", elements: elements.slice(0, 25), ...(blockId ? { block_id: blockId } : {}) };
}

/** Keeps a message within Slack's 50 blocks, saying so when something was cut. */
export function capBlocks(blocks: Block[], max = MAX_MESSAGE_BLOCKS): Block[] {
  if (blocks.length <= max) return blocks;
  // Keep the trailing actions block (buttons) if there is one.
  const last = blocks[blocks.length - 1]!;
  const tail = last.type === "actions" ? [last] : [];
  return [...blocks.slice(0, max - 1 - tail.length), context("_(shortened to fit in one Slack message)_"), ...tail];
}

/** Absolute link to a source passage in the web source viewer. */
export function absoluteUrl(publicUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `${publicUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

export interface CitationView {
  n: number;
  title: string;
  date?: string | null;
  quote: string;
  url?: string;
  chunkId?: string;
  documentId?: string;
}

/** One numbered source: `[n] title (date)` linking to the passage, then the quoted line. */
export function citationBlock(c: CitationView, publicUrl: string): types.SectionBlock {
  const title = c.url ? link(absoluteUrl(publicUrl, c.url), c.title) : `*${esc(c.title)}*`;
  const date = c.date ? ` · ${esc(c.date)}` : "";
  const quote = clip(c.quote.replace(/\s+/g, " ").trim(), 500);
  return section(`*[${c.n}]* ${title}${date}\n>${esc(quote)}`);
}

export function sourcesBlocks(citations: readonly CitationView[], publicUrl: string, max = 10): Block[] {
  if (!citations.length) return [];
  const shown = citations.slice(0, max);
  const blocks: Block[] = [section("*Sources*"), ...shown.map((c) => citationBlock(c, publicUrl))];
  if (citations.length > shown.length) blocks.push(context(`${citations.length - shown.length} more source(s) on the web page.`));
  return blocks;
}

/** Mrkdwn of an answer: escaped, with `**bold**` as Slack's `*bold*`; the `[n]` markers are kept. */
export function answerMrkdwn(answer: string): string {
  return esc(answer).replace(/\*\*(.+?)\*\*/g, "*$1*");
}

export interface AnswerMessageInput {
  answerId: string;
  question?: string;
  result: Pick<AnswerResult, "answer" | "abstained" | "citations"> & { related?: AnswerResult["related"] };
  publicUrl: string;
  /** Adds a "Post to channel" button (ephemeral `/fce ask` answers). */
  postable?: boolean;
  /** Shown above the answer, e.g. who asked (answers posted to a channel). */
  preface?: string;
}

/** The cited answer: text with `[n]` markers, numbered sources, and the feedback buttons. */
export function answerBlocks(input: AnswerMessageInput): Block[] {
  const { result, publicUrl } = input;
  const blocks: Block[] = [];
  if (input.preface) blocks.push(context(input.preface));
  if (result.abstained) {
    blocks.push(context(":grey_question: *No cited answer:* the indexed sources do not answer this question."));
    blocks.push(...sections(answerMrkdwn(result.answer)));
    const related = (result.related ?? []).slice(0, 3);
    if (related.length) {
      blocks.push(section("*Closest passages (not an answer)*"));
      for (const p of related) {
        const url = absoluteUrl(publicUrl, sourceUrl(p.chunk.id, p.chunk.documentId));
        blocks.push(context(`${link(url, p.document.title)}${p.document.date ? ` · ${esc(p.document.date)}` : ""}`));
      }
    }
  } else {
    blocks.push(...sections(answerMrkdwn(result.answer)));
    blocks.push(...sourcesBlocks(result.citations.map((c) => ({ ...c, date: c.date ?? null })), publicUrl));
  }
  const buttons: types.ActionsBlockElement[] = [
    button("Helpful", ACTIONS.helpful, input.answerId),
    button("Not helpful", ACTIONS.notHelpful, input.answerId),
  ];
  if (input.postable) buttons.push(button("Post to channel", ACTIONS.postToChannel, input.answerId, "primary"));
  blocks.push(actions(buttons, `fce_answer|${input.answerId}`));
  return capBlocks(blocks);
}

/** Plain-text fallback of an answer (notifications, screen readers). */
export function answerFallback(answer: string): string {
  return esc(clip(answer.replace(/\s+/g, " ").trim(), 2900));
}
