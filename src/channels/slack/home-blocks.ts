/** Block Kit views of a learner's progress: `/fce progress` and the App Home tab. */
import type { types } from "@slack/bolt";
import type { LearnerProgress } from "../../services/practice.js";
import { ACTIONS, actions, button, context, divider, esc, header, section, type Block } from "./blocks.js";
import { TYPE_NAMES } from "./practice-blocks.js";

const SKILL_NAMES: Record<string, string> = {
  mills: "Diploma and accreditation mills",
  levels: "Levels and access",
  recognition: "Recognition decisions",
  credits: "Credits and grades",
  authenticity: "Document authenticity",
};

function bar(p: number, width = 10): string {
  const full = Math.max(0, Math.min(width, Math.round(p * width)));
  return "█".repeat(full) + "░".repeat(width - full);
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** Mastery per skill: estimated probability that the skill is mastered, attempts and passes. */
export function masteryBlocks(progress: LearnerProgress): Block[] {
  const lines = progress.mastery.map(
    (m) => `\`${bar(m.pL)}\` *${pct(m.pL)}*  ${esc(SKILL_NAMES[m.skill] ?? m.skill)}  _(${m.attempts} attempt${m.attempts === 1 ? "" : "s"}, ${m.passed} passed)_`,
  );
  return [section(`*Mastery by skill*\n${lines.join("\n")}`), context("Mastery is the estimated probability that you have mastered the skill (Bayesian knowledge tracing over your attempts).")];
}

export function nextCaseBlocks(progress: LearnerProgress): Block[] {
  const n = progress.next;
  if (!n) {
    return [section("*Next case*\nNo authored case to recommend right now: start a generated case below.")];
  }
  const why = n.reason === "review" ? "a case you missed, due for review" : `your weakest skill (${pct(n.mastery)})`;
  return [
    {
      type: "section",
      text: { type: "mrkdwn", text: `*Next case*\n*${esc(n.title)}*\n${esc(TYPE_NAMES[n.type] ?? n.type)} · difficulty ${n.difficulty} · recommended because it is ${why}` },
      accessory: { type: "button", text: { type: "plain_text", text: "Start" }, action_id: ACTIONS.practiceStart, value: n.scenarioId, style: "primary" },
    } satisfies types.SectionBlock,
  ];
}

export function pathBlocks(progress: LearnerProgress): Block[] {
  const blocks: Block[] = [];
  for (const p of progress.paths) {
    const lines = p.modules.map((m) => {
      const icon = m.complete ? ":white_check_mark:" : m.status === "current" ? ":arrow_forward:" : ":white_circle:";
      return `${icon} *${esc(m.title)}*  ${m.casesPassed}/${m.casesTotal} cases passed · mastery ${pct(m.mastery)} (needs ${pct(m.threshold)})`;
    });
    blocks.push(section(`*${esc(p.title)}*  ${p.completedModules}/${p.modules.length} modules${p.complete ? " · complete :tada:" : ""}\n${lines.join("\n")}`));
  }
  return blocks;
}

function recentBlocks(progress: LearnerProgress, max = 5): Block[] {
  if (!progress.history.length) return [];
  const lines = progress.history.slice(0, max).map((h) => `${h.passed ? ":white_check_mark:" : ":x:"} ${esc(h.title)}  ${Math.round((h.score / (h.maxScore || 1)) * 100)}% · ${h.at.slice(0, 10)}`);
  return [section(`*Recent attempts*\n${lines.join("\n")}`)];
}

function typeButtons(): types.ActionsBlock {
  return actions(Object.entries(TYPE_NAMES).map(([type, name]) => button(name, `${ACTIONS.practiceNext}:${type}`, type)));
}

/** `/fce progress`: mastery per skill, reviews due, training path, and a button to go on. */
export function progressBlocks(progress: LearnerProgress): Block[] {
  const due = progress.reviews.filter((r) => r.due).length;
  return [
    header("Your FCE practice progress"),
    ...masteryBlocks(progress),
    ...(due ? [context(`:repeat: ${due} missed case${due === 1 ? " is" : "s are"} due for review.`)] : []),
    ...pathBlocks(progress),
    actions([button("Next recommended case", ACTIONS.practiceNext, "", "primary")]),
  ];
}

export function progressFallback(progress: LearnerProgress): string {
  return `Mastery: ${progress.mastery.map((m) => `${m.skill} ${pct(m.pL)}`).join(", ")}`;
}

/** A learner's credential: its name and absolute download and verify links. */
export interface HomeBadge {
  name: string;
  json: string;
  jwt: string;
  verify: string;
}

function badgeBlocks(badges: HomeBadge[]): Block[] {
  if (!badges.length) return [];
  const lines = badges.slice(0, 20).map((b) => `• *${esc(b.name)}*: <${b.json}|JSON> · <${b.jwt}|JWT> · <${b.verify}|verify>`);
  return [divider(), section(`*Your credentials* (Open Badges 3.0)\n${lines.join("\n")}`)];
}

/** The App Home tab: how to use the app, progress, the next case, the training path and credentials. */
export function homeView(progress: LearnerProgress, badges: HomeBadge[] = []): types.HomeView {
  const blocks: Block[] = [
    header("FCE Coach"),
    section(
      "Cited answers and graded practice for foreign credential evaluation.\n" +
        "• *Ask*: mention me in a channel (`@FCE Coach ...`) or send me a direct message; I answer in a thread and cite the sources. Reply in the thread to follow up.\n" +
        "• *Practise*: `/fce practice [mill|level|recognition|credits|authenticity]` sends you a case here in our DM.\n" +
        "• `/fce progress` shows your mastery; `/fce ask <question>` answers privately.",
    ),
    divider(),
    ...nextCaseBlocks(progress),
    context("Or practise a type of case:"),
    typeButtons(),
    divider(),
    ...masteryBlocks(progress),
    divider(),
    ...(progress.paths.length ? [section("*Training path*"), ...pathBlocks(progress)] : []),
    ...recentBlocks(progress),
    ...badgeBlocks(badges),
  ];
  return { type: "home", blocks: blocks.slice(0, 100) };
}
