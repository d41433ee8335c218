/** The `/fce` slash command: ask | practice [type] | progress | join | link | help. */
import type { App, RespondFn } from "@slack/bolt";
import { SCENARIO_TYPES } from "../../core/practice/index.js";
import { listPaths, progressFor } from "../../services/practice.js";
import { redeemLinkCode } from "../../services/privacy.js";
import { signSession } from "../../routes/session.js";
import { joinWorkshop, normaliseCode, roomPath } from "../../workshop/service.js";
import { commandAsk } from "./ask.js";
import { ACTIONS, actions, button, esc, section } from "./blocks.js";
import { safely, type SlackContext, type WebClient } from "./context.js";
import { commandPractice, commandProgress } from "./practice.js";

export const COMMAND = "/fce";

export const HELP_TEXT = [
  "*FCE Coach*: cited answers and graded practice for foreign credential evaluation.",
  "• `/fce ask <question>`: a cited answer only you see, with a button to post it to the channel",
  `• \`/fce practice [${SCENARIO_TYPES.join("|")}]\`: the recommended practice case, in our DM`,
  "• `/fce progress`: your mastery per skill and the training path",
  "• `/fce join`: set up your learner record and see the training path; `/fce join CODE`: join a live workshop",
  "• `/fce link <code>`: join this Slack account to your web or LMS learner record (get the code on the Progress page)",
  "• Mention me (`@FCE Coach`) in a channel or DM me: I answer in a thread; reply there to follow up.",
].join("\n");

/** `/fce join`: the learner record (one per Slack user) and the training path to follow. */
async function commandJoin(ctx: SlackContext, client: WebClient, respond: RespondFn, cmd: { team: string; user: string; userName?: string }): Promise<void> {
  await safely(
    ctx,
    `/fce join from ${cmd.user}`,
    async () => {
      const learner = await ctx.learner(client, cmd.team, cmd.user, cmd.userName);
      const progress = await progressFor(ctx.deps, learner.id);
      const paths = listPaths(ctx.deps);
      const pathText = paths.length
        ? paths.map((p) => `*${esc(p.title)}*\n${p.modules.map((m, i) => `${i + 1}. ${esc(m.title)} (${m.cases} case${m.cases === 1 ? "" : "s"})`).join("\n")}`).join("\n\n")
        : "No training path is loaded; `/fce practice` still gives you cases.";
      const attempts = progress.history.length;
      await respond({
        response_type: "ephemeral",
        text: `You're set up as a learner, ${learner.displayName}.`,
        blocks: [
          section(
            `:wave: You're set up as a learner, *${esc(learner.displayName)}*. Your attempts and progress are kept under your Slack account${attempts ? ` (${attempts} attempt${attempts === 1 ? "" : "s"} so far)` : ""}.`,
          ),
          section(pathText),
          actions([button("Start the recommended case", ACTIONS.practiceNext, "", "primary")]),
        ],
      });
    },
    (text) => respond({ response_type: "ephemeral", text }),
  );
}

/**
 * `/fce join CODE`: join a live workshop. Answers are given on the workshop's web page (the room),
 * opened with a personal link that carries this learner's session, so the Slack record is the one used.
 */
async function commandJoinWorkshop(ctx: SlackContext, client: WebClient, respond: RespondFn, cmd: { team: string; user: string; userName?: string }, rawCode: string): Promise<void> {
  const code = normaliseCode(rawCode);
  if (!code) {
    await respond({ response_type: "ephemeral", text: `\`${esc(rawCode)}\` is not a workshop code (6 letters and digits, as shown on the facilitator's screen).` });
    return;
  }
  await safely(
    ctx,
    `/fce join ${code} from ${cmd.user}`,
    async () => {
      const learner = await ctx.learner(client, cmd.team, cmd.user, cmd.userName);
      let joined;
      try {
        joined = await joinWorkshop(ctx.deps, { code, learnerId: learner.id, displayName: learner.displayName, channel: "slack" });
      } catch (e) {
        await respond({ response_type: "ephemeral", text: `Could not join ${code}: ${esc((e as Error).message)}` });
        return;
      }
      const token = await signSession(ctx.deps, { learnerId: learner.id, role: learner.role }, 12 * 3600);
      const base = (ctx.deps.publicUrl ?? "").replace(/\/+$/, "");
      const link = `${base}${roomPath(code)}?session=${encodeURIComponent(token)}`;
      await respond({
        response_type: "ephemeral",
        text: `You joined the workshop "${joined.workshop.title}".`,
        blocks: [section(`:raising_hand: You joined *${esc(joined.workshop.title)}* (${code}). Open the room to answer the cases as the facilitator opens them:`), actions([{ type: "button", text: { type: "plain_text", text: "Open the workshop room" }, url: link, action_id: "fce_workshop_open" }])],
      });
    },
    (text) => respond({ response_type: "ephemeral", text }),
  );
}

/** `/fce link CODE`: one learner record across the web, the LMS and Slack. */
async function commandLink(ctx: SlackContext, respond: RespondFn, cmd: { team: string; user: string }, code: string): Promise<void> {
  if (!code) {
    await respond({ response_type: "ephemeral", text: "Usage: `/fce link <code>` with the code from the Progress page of FCE Coach." });
    return;
  }
  await safely(
    ctx,
    `/fce link from ${cmd.user}`,
    async () => {
      try {
        await redeemLinkCode(ctx.deps, code, "slack", `${cmd.team}:${cmd.user}`);
      } catch (e) {
        await respond({ response_type: "ephemeral", text: `That code did not work: ${esc((e as Error).message)}. Codes last 10 minutes; get a new one on the Progress page.` });
        return;
      }
      await respond({ response_type: "ephemeral", text: ":link: Linked: your Slack account now shares one learner record with your web or LMS sign-in." });
    },
    (text) => respond({ response_type: "ephemeral", text }),
  );
}

export function registerCommands(app: App, ctx: SlackContext): void {
  // The workshop room button is a link; Slack still reports the click, which only needs an ack.
  app.action("fce_workshop_open", async ({ ack }) => {
    await ack();
  });
  app.command(COMMAND, async ({ ack, command, respond, client }) => {
    await ack();
    const text = command.text.trim();
    const [word = "", ...restWords] = text.split(/\s+/);
    const sub = word.toLowerCase();
    const rest = text.slice(word.length).trim();
    const base = { team: command.team_id, user: command.user_id, userName: command.user_name };
    switch (sub) {
      case "ask":
        return commandAsk(ctx, client, respond, base.team, base.user, base.userName, rest);
      case "practice":
      case "practise":
        return commandPractice(ctx, client, respond, { ...base, channel: command.channel_id, arg: restWords[0] });
      case "progress":
        return commandProgress(ctx, client, respond, base);
      case "join":
        return restWords[0] ? commandJoinWorkshop(ctx, client, respond, base, restWords[0]) : commandJoin(ctx, client, respond, base);
      case "link":
        return commandLink(ctx, respond, base, restWords[0] ?? "");
      case "":
      case "help":
        await respond({ response_type: "ephemeral", text: HELP_TEXT });
        return;
      default:
        // `/fce What is a diploma mill?` reads as a question.
        if (restWords.length >= 2 || text.endsWith("?")) return commandAsk(ctx, client, respond, base.team, base.user, base.userName, text);
        await respond({ response_type: "ephemeral", text: `I don't know \`/fce ${esc(word)}\`.\n${HELP_TEXT}` });
    }
  });
}
