/**
 * Block Kit views of practice: the case (dossier, question, the first answer control), the answer
 * modal built from the case type's answer form, reading the submitted modal back into an answer,
 * and the graded feedback with citations.
 */
import type { types } from "@slack/bolt";
import type { Dossier, FieldError } from "../../core/practice/index.js";
import type { AttemptResult, FormField, OptionLabel, publicScenario } from "../../services/practice.js";
import {
  ACTIONS,
  VIEWS,
  actions,
  button,
  capBlocks,
  clip,
  context,
  divider,
  esc,
  fieldSections,
  header,
  plain,
  section,
  sourcesBlocks,
  type Block,
  type CitationView,
} from "./blocks.js";

export type PublicCase = ReturnType<typeof publicScenario>;

export const TYPE_NAMES: Record<string, string> = {
  mill: "Diploma / accreditation mill",
  level: "Level and access",
  recognition: "Recognition decision",
  credits: "Credit and grade conversion",
  authenticity: "Document authenticity",
};

const FIELD_LABELS: Record<string, string> = {
  verdict: "Your verdict",
  flags: "Red flags you see",
  level: "JEQF level",
  admission: "Access to study in Japan",
  decision: "Your decision",
  elements: "Substantial differences (elements)",
  value: "Converted value",
  unit: "Unit",
  grade: "Converted grade",
  steps: "Verification steps you would take",
  inconsistencies: "Inconsistencies you found",
  justification: "Justification (optional)",
};

export const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field;

// ---------------------------------------------------------------------------------------------
// Case context carried by the message's action block id and the modal's private_metadata

export interface CaseRef {
  /** Scenario id (authored, or generated `gen-mill-42`). */
  s: string;
  /** When the case was shown (epoch ms), for time on task. */
  t: number;
  /** The practice type filter the learner chose ("" for the recommendation). */
  f: string;
}

export function caseBlockId(ref: CaseRef): string {
  return `fce_case|${ref.s}|${ref.t}|${ref.f}`;
}

export function parseCaseBlockId(blockId: string | undefined): CaseRef | undefined {
  const m = /^fce_case\|([a-z0-9-]+)\|(\d+)\|([a-z]*)$/.exec(blockId ?? "");
  return m ? { s: m[1]!, t: Number(m[2]), f: m[3]! } : undefined;
}

export interface ModalMeta extends CaseRef {
  /** DM channel and ts of the case message. */
  c: string;
  m: string;
}

// ---------------------------------------------------------------------------------------------
// The case message

function stars(d: number): string {
  return "★".repeat(d) + "☆".repeat(Math.max(0, 3 - d));
}

function val(v: string | undefined): string | undefined {
  return v === undefined ? undefined : esc(v);
}
/** Web addresses of fictional institutions are shown as code, never as links. */
function code(v: string | undefined): string | undefined {
  return v === undefined ? undefined : `\`${esc(v.replace(/`/g, "'"))}\``;
}

function pairs(list: Array<[string, string | undefined]>): Array<[string, string]> {
  return list.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== "");
}

function bullets(title: string, items: readonly string[] | undefined, quote = false): Block[] {
  if (!items?.length) return [];
  const body = items.map((i) => (quote ? `>${esc(i).replace(/\n/g, "\n>")}` : `• ${esc(i)}`)).join("\n");
  return [section(`*${title}*\n${body}`)];
}

export function dossierBlocks(d: Dossier): Block[] {
  const blocks: Block[] = [];
  const a = d.applicant;
  if (a) {
    blocks.push(
      ...fieldSections(
        pairs([
          ["Applicant", val(a.name)],
          ["Nationality", val(a.nationality)],
          ["Born", val(a.born)],
          ["Status", val(a.status)],
          ["Applying for", val(a.applying_for)],
        ]),
      ),
    );
  }
  blocks.push(
    ...fieldSections(
      pairs([
        ["Institution", esc(d.institution) + (d.institution_local ? `\n${esc(d.institution_local)}` : "")],
        ["Country", val([d.country, d.city].filter(Boolean).join(", ") || undefined)],
        ["Type of institution", val(d.institution_type)],
        ["Claimed accreditor", val(d.claimed_accreditor)],
        ["Claimed recognition", val(d.claimed_recognition)],
        ["Address", val(d.address)],
        ["Website", code(d.website)],
        ["Contact", code(d.contact)],
      ]),
    ),
  );
  blocks.push(
    ...fieldSections(
      pairs([
        ["Programme", val(d.programme)],
        ["Award", val(d.award)],
        ["Length", val(d.programme_length)],
        ["Mode of study", val(d.mode_of_study)],
        ["Admission requirements", val(d.admission_requirements)],
        ["Credits", val(d.credits)],
        ["Fees", val(d.fees)],
        ["Grading scale", val(d.grading_scale)],
      ]),
    ),
  );
  if (d.dates?.length) blocks.push(section(`*Dates*\n${d.dates.map((x) => `• ${esc(x.event)}: ${esc(String(x.date))}`).join("\n")}`));
  if (d.transcript?.length) {
    const lines = d.transcript.map((t) =>
      [t.course, t.term, t.credits !== undefined ? `${t.credits}${t.unit ? ` ${t.unit}` : ""}` : undefined, t.hours !== undefined ? `${t.hours} h` : undefined, t.grade !== undefined ? `grade ${t.grade}` : undefined]
        .filter((x) => x !== undefined)
        .join(" · ")
        .replace(/`/g, "'"),
    ).map(esc);
    blocks.push(section(`*Transcript*\n\`\`\`${lines.join("\n")}\`\`\``));
  }
  blocks.push(...bullets("From the website", d.website_notes));
  blocks.push(...bullets("Notes on the documents", d.document_notes));
  blocks.push(...bullets("Correspondence", d.correspondence, true));
  if (d.notes) blocks.push(section(`*Notes*\n${esc(d.notes)}`));
  return blocks;
}

/** The first control of the answer form, shown in the message; the rest is in the modal. */
function firstControl(c: PublicCase, ref: CaseRef): Block[] {
  const first = c.form[0];
  const blockId = caseBlockId(ref);
  if (first?.kind === "choice" && first.options && first.options.length <= 5) {
    return [
      section(`*${fieldLabel(first.field)}*: choosing one opens the rest of the answer form.`),
      actions(
        first.options.map((o) => button(o.en, `${ACTIONS.practiceChoice}:${o.id}`, String(o.id))),
        blockId,
      ),
    ];
  }
  if (first?.kind === "choice" && first.options) {
    return [
      section(`*${fieldLabel(first.field)}*: choosing one opens the rest of the answer form.`),
      actions(
        [
          {
            type: "static_select",
            action_id: ACTIONS.practiceSelect,
            placeholder: plain(`Choose the ${fieldLabel(first.field)}`),
            options: first.options.slice(0, 100).map((o) => ({ text: plain(o.en), value: String(o.id) })),
          },
        ],
        blockId,
      ),
    ];
  }
  return [actions([button(c.type === "credits" ? "Enter your conversion" : c.type === "authenticity" ? "Choose steps and inconsistencies" : "Answer", ACTIONS.practiceOpen, c.id, "primary")], blockId)];
}

export interface CaseMessageOptions {
  /** Replaces the answer controls after the learner answered. */
  answered?: string;
}

export function caseBlocks(c: PublicCase, ref: CaseRef, options: CaseMessageOptions = {}): Block[] {
  const blocks: Block[] = [
    header(c.title),
    context(`${TYPE_NAMES[c.type] ?? c.type} · skill: ${c.skill} · difficulty ${stars(c.difficulty)} · ${c.generated ? "generated case" : `case \`${c.id}\``} · ${c.maxScore} points`),
    ...(c.title_ja ? [context(esc(c.title_ja))] : []),
    divider(),
    ...dossierBlocks(c.dossier),
    divider(),
    section(`*Question*\n${esc(c.question)}`),
    ...(c.question_ja ? [context(esc(c.question_ja))] : []),
  ];
  const controls = options.answered ? [context(`:white_check_mark: ${options.answered}`)] : firstControl(c, ref);
  // The controls must survive the 50-block cap: cap the dossier first.
  return [...capBlocks(blocks, 50 - controls.length), ...controls];
}

export function caseFallback(c: PublicCase): string {
  return `Practice case: ${esc(c.title)}`;
}

// ---------------------------------------------------------------------------------------------
// The answer modal

const MULTI_CHUNK = 10;

function optionOf(o: OptionLabel, withDescription: boolean): types.PlainTextOption {
  return {
    text: plain(o.en, 75),
    value: String(o.id),
    ...(withDescription && o.ja ? { description: plain(o.ja, 75) } : {}),
  };
}

function inputBlocks(f: FormField, prefill: unknown): types.InputBlock[] {
  const label = fieldLabel(f.field);
  const id0 = `${f.field}#0`;
  switch (f.kind) {
    case "choice": {
      const options = f.options ?? [];
      const initial = options.find((o) => prefill !== undefined && String(o.id) === String(prefill));
      const useSelect = options.length > 5;
      const element: types.InputBlockElement = useSelect
        ? {
            type: "static_select",
            action_id: f.field,
            placeholder: plain(`Choose…`),
            options: options.map((o) => optionOf(o, false)),
            ...(initial ? { initial_option: optionOf(initial, false) } : {}),
          }
        : {
            type: "radio_buttons",
            action_id: f.field,
            options: options.map((o) => optionOf(o, true)),
            ...(initial ? { initial_option: optionOf(initial, true) } : {}),
          };
      return [{ type: "input", block_id: id0, label: plain(label, 2000), optional: !f.required, element }];
    }
    case "multi": {
      const options = f.options ?? [];
      const out: types.InputBlock[] = [];
      const parts = Math.ceil(options.length / MULTI_CHUNK);
      for (let i = 0; i < parts; i++) {
        out.push({
          type: "input",
          block_id: `${f.field}#${i}`,
          label: plain(parts > 1 ? `${label} (${i + 1}/${parts})` : label, 2000),
          optional: true,
          element: { type: "checkboxes", action_id: f.field, options: options.slice(i * MULTI_CHUNK, (i + 1) * MULTI_CHUNK).map((o) => optionOf(o, true)) },
        });
      }
      return out;
    }
    case "number":
      return [{ type: "input", block_id: id0, label: plain(label, 2000), optional: !f.required, element: { type: "number_input", action_id: f.field, is_decimal_allowed: true } }];
    case "text":
      return [
        {
          type: "input",
          block_id: id0,
          label: plain(label, 2000),
          optional: !f.required,
          element: {
            type: "plain_text_input",
            action_id: f.field,
            multiline: f.field === "justification",
            max_length: f.field === "justification" ? 3000 : 200,
            ...(f.field === "justification" ? { placeholder: plain("Why? Name the facts and the rules you relied on.", 150) } : {}),
          },
        },
      ];
  }
}

/** The modal with the whole answer form of the case; `prefill` sets the first field. */
export function answerModal(c: PublicCase, meta: ModalMeta, prefill?: { field: string; value: unknown }): types.ModalView {
  const blocks: Block[] = [section(`*${esc(clip(c.title, 200))}*\n${esc(clip(c.question, 2500))}`)];
  for (const f of c.form) blocks.push(...inputBlocks(f, prefill?.field === f.field ? prefill.value : undefined));
  return {
    type: "modal",
    callback_id: VIEWS.practiceSubmit,
    title: plain("Practice case", 24),
    submit: plain("Submit answer", 24),
    close: plain("Cancel", 24),
    private_metadata: JSON.stringify(meta),
    blocks: blocks.slice(0, 100),
  };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_options?: Array<{ value: string }> }>>;

/** Reads the submitted modal back into an answer object for `parseAnswer`. */
export function readAnswer(form: readonly FormField[], values: StateValues): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  for (const f of form) {
    const first = values[`${f.field}#0`]?.[f.field];
    switch (f.kind) {
      case "choice": {
        const v = first?.selected_option?.value;
        const opt = v === undefined ? undefined : f.options?.find((o) => String(o.id) === v);
        if (opt) answer[f.field] = opt.id;
        break;
      }
      case "multi": {
        const chosen: string[] = [];
        for (let i = 0; values[`${f.field}#${i}`]; i++) chosen.push(...(values[`${f.field}#${i}`]?.[f.field]?.selected_options ?? []).map((o) => o.value));
        answer[f.field] = chosen;
        break;
      }
      case "number": {
        const v = first?.value?.trim();
        if (v) answer[f.field] = Number(v);
        break;
      }
      case "text": {
        const v = first?.value?.trim();
        if (v) answer[f.field] = v;
        break;
      }
    }
  }
  return answer;
}

/** `parseAnswer` errors as the modal's `response_action: "errors"` map (block id -> message). */
export function modalErrors(form: readonly FormField[], errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  const firstBlock = form[0] ? `${form[0].field}#0` : "justification#0";
  for (const e of errors) {
    const base = /^[a-z_]+/.exec(e.field)?.[0];
    const block = base && form.some((f) => f.field === base) ? `${base}#0` : firstBlock;
    out[block] ??= clip(e.message, 150);
  }
  return out;
}

/** One line saying what the learner answered to the first question of the form. */
export function answerSummary(form: readonly FormField[], answer: Record<string, unknown>): string {
  const f = form[0];
  if (!f) return "Answered.";
  const v = answer[f.field];
  const shown = f.options?.find((o) => String(o.id) === String(v))?.en ?? (Array.isArray(v) ? `${v.length} chosen` : v === undefined ? "—" : String(v));
  return `Answered: ${fieldLabel(f.field).replace(/^Your /, "")}: ${shown}`;
}

// ---------------------------------------------------------------------------------------------
// Graded feedback

const ICON: Record<string, string> = { correct: ":white_check_mark:", partial: ":large_yellow_circle:", incorrect: ":x:" };

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function feedbackBlocks(result: AttemptResult, c: PublicCase, publicUrl: string, filter: string): Block[] {
  const blocks: Block[] = [
    header(result.passed ? `Passed: ${num(result.score)} / ${num(result.maxScore)}` : `Not yet: ${num(result.score)} / ${num(result.maxScore)}`),
    context(`${esc(c.title)}${result.passed ? "" : " · 80% of the points are needed to pass; missed cases come back for review."}`),
  ];
  const cited = new Map<number, CitationView>();
  for (const item of result.items) {
    const markers = item.citations.map((x) => `[${x.n}]`).join("");
    blocks.push(section(`${ICON[item.status] ?? ""} *${esc(item.label)}*  ${num(item.earned)}/${num(item.max)}\n${esc(item.feedback)}${markers ? ` ${markers}` : ""}`));
    if (item.details?.length) blocks.push(context(esc(item.details.join("; "))));
    for (const x of item.citations) if (!cited.has(x.n)) cited.set(x.n, x);
  }
  const sources = [...cited.values()].sort((a, b) => a.n - b.n);
  if (sources.length) blocks.push(divider(), ...sourcesBlocks(sources, publicUrl));
  for (const m of result.completedModules) blocks.push(context(`:mortar_board: Module completed: *${esc(m.moduleId)}* (${esc(m.pathId)})`));
  const buttons = actions([button("Next case", ACTIONS.practiceNext, filter, "primary"), button("My progress", ACTIONS.progress, "progress")], `fce_feedback|${result.attemptId}`);
  return [...capBlocks(blocks, 49), buttons];
}

export function feedbackFallback(result: AttemptResult): string {
  return `${result.passed ? "Passed" : "Not yet passed"}: ${num(result.score)} / ${num(result.maxScore)}`;
}
