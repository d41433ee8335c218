/**
 * Practice in Slack: `/fce practice [type]` posts the recommended case in the learner's DM; the first
 * answer control (verdict/decision buttons, level select, or an "answer" button) opens a modal with
 * the whole answer form (red flags and other lists as checkboxes); the submission is graded and
 * stored by the practice service, and the cited feedback comes back with "Next case". `/fce progress`
 * and the App Home tab show mastery, the next case and the training path.
 */
import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction } from "@slack/bolt";
import { SCENARIO_TYPES, SKILLS, parseAnswer, recommendNext, type ScenarioType, type Skill } from "../../core/practice/index.js";
import { HttpError } from "../../routes/http-error.js";
import { findScenario, generatedScenario, listScenarios, progressFor, publicScenario, submitAttempt } from "../../services/practice.js";
import { ACTIONS, VIEWS, section } from "./blocks.js";
import { APOLOGY, safely, teamOf, type SlackContext, type WebClient } from "./context.js";
import { BadgeRepository } from "../../core/badges/index.js";
import { homeView, progressBlocks, progressFallback } from "./home-blocks.js";
import {
  answerModal,
  answerSummary,
  caseBlocks,
  caseFallback,
  feedbackBlocks,
  feedbackFallback,
  modalErrors,
  parseCaseBlockId,
  readAnswer,
  type CaseRef,
  type ModalMeta,
  type PublicCase,
} from "./practice-blocks.js";

/** Words accepted after `/fce practice`, by case type. */
const TYPE_ALIASES: Record<string, ScenarioType> = {
  mill: "mill",
  mills: "mill",
  diploma: "mill",
  accreditation: "mill",
  level: "level",
  levels: "level",
  recognition: "recognition",
  rec: "recognition",
  credits: "credits",
  credit: "credits",
  grades: "credits",
  authenticity: "authenticity",
  auth: "authenticity",
  documents: "authenticity",
};

export function parsePracticeType(word: string | undefined): ScenarioType | "" | undefined {
  if (!word) return "";
  return TYPE_ALIASES[word.toLowerCase()];
}

function isScenarioType(s: string): s is ScenarioType {
  return (SCENARIO_TYPES as readonly string[]).includes(s);
}

/** The case to practise next: the recommendation (within a type when given), else a generated case. */
export async function pickCase(ctx: SlackContext, learnerId: string, type: ScenarioType | ""): Promise<PublicCase | undefined> {
  const deps = ctx.deps;
  const progress = await progressFor(deps, learnerId);
  let id: string | undefined;
  if (!type) {
    id = progress.next?.scenarioId;
  } else {
    const history = progress.history
      .filter((h) => (SKILLS as readonly string[]).includes(h.skill))
      .map((h) => ({ scenarioId: h.scenarioId, skill: h.skill as Skill, score: h.score, maxScore: h.maxScore, at: h.at }));
    id = recommendNext(history, listScenarios(deps, { type }), deps.clock.now())?.scenarioId;
  }
  if (id) return publicScenario(findScenario(deps, id));
  // No authored case left (or no bank loaded): a generated case where the type has a generator.
  if (!type || type === "mill" || type === "level") return generatedScenario(type || "mill");
  return undefined;
}

/** Opens (or finds) the DM with a user and posts the case there. */
async function postCase(client: WebClient, user: string, c: PublicCase, ref: CaseRef): Promise<{ channel: string; ts?: string }> {
  const dm = await client.conversations.open({ users: user });
  const channel = dm.channel?.id;
  if (!channel) throw new Error(`conversations.open returned no channel for ${user}`);
  const posted = await client.chat.postMessage({ channel, text: caseFallback(c), blocks: caseBlocks(c, ref) });
  return { channel, ts: posted.ts };
}

/** Starts a case for a user in their DM; returns what to tell them (or undefined when posted). */
async function startCase(ctx: SlackContext, client: WebClient, team: string, user: string, opts: { type: ScenarioType | ""; scenarioId?: string; userName?: string }): Promise<{ channel: string; ts?: string } | { problem: string }> {
  const learner = await ctx.learner(client, team, user, opts.userName);
  let c: PublicCase | undefined;
  if (opts.scenarioId) {
    try {
      c = publicScenario(findScenario(ctx.deps, opts.scenarioId));
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
    }
  }
  c ??= await pickCase(ctx, learner.id, opts.type);
  if (!c) return { problem: `There is no ${opts.type} case to practise right now. Try \`/fce practice\` for the recommended case.` };
  return postCase(client, user, c, { s: c.id, t: ctx.deps.clock.now().getTime(), f: opts.type });
}

export async function publishHome(ctx: SlackContext, client: WebClient, team: string, user: string): Promise<void> {
  const learner = await ctx.learner(client, team, user);
  const progress = await progressFor(ctx.deps, learner.id);
  const base = ctx.publicUrl.replace(/\/+$/, "");
  const badges = (await new BadgeRepository(ctx.deps.db).listForLearner(learner.id))
    .filter((b) => !b.revokedAt)
    .map((b) => ({ name: b.name, json: `${base}/badges/${b.id}.json`, jwt: `${base}/badges/${b.id}.jwt`, verify: `${base}/badges/verify?id=${b.id}` }));
  await client.views.publish({ user_id: user, view: homeView(progress, badges) });
}

/** `/fce practice [type]`. */
export async function commandPractice(ctx: SlackContext, client: WebClient, respond: RespondFn, cmd: { team: string; user: string; userName?: string; channel: string; arg?: string }): Promise<void> {
  const say = (text: string) => respond({ response_type: "ephemeral", text });
  const type = parsePracticeType(cmd.arg);
  if (type === undefined) {
    await say(`I don't know the case type "${cmd.arg}". Use one of: ${SCENARIO_TYPES.join(", ")}, or nothing for the recommended case.`);
    return;
  }
  await safely(
    ctx,
    `/fce practice from ${cmd.user}`,
    async () => {
      const r = await startCase(ctx, client, cmd.team, cmd.user, { type, userName: cmd.userName });
      if ("problem" in r) await say(r.problem);
      else if (r.channel !== cmd.channel) await say(`Your practice case is waiting in our direct message: <https://slack.com/app_redirect?channel=${r.channel}|open it>.`);
    },
    say,
  );
}

/** `/fce progress`. */
export async function commandProgress(ctx: SlackContext, client: WebClient, respond: RespondFn, cmd: { team: string; user: string; userName?: string }): Promise<void> {
  const say = (text: string) => respond({ response_type: "ephemeral", text });
  await safely(
    ctx,
    `/fce progress from ${cmd.user}`,
    async () => {
      const learner = await ctx.learner(client, cmd.team, cmd.user, cmd.userName);
      const progress = await progressFor(ctx.deps, learner.id);
      await respond({ response_type: "ephemeral", text: progressFallback(progress), blocks: progressBlocks(progress) });
    },
    say,
  );
}

interface ActionBody {
  user: { id: string; name?: string; team_id?: string };
  team?: { id?: string } | null;
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string; type?: string };
  message?: { ts?: string };
  trigger_id?: string;
}

function caseMessageOf(body: ActionBody): { channel?: string; ts?: string } {
  return { channel: body.channel?.id ?? body.container?.channel_id, ts: body.message?.ts ?? body.container?.message_ts };
}

export function registerPractice(app: App, ctx: SlackContext): void {
  const deps = ctx.deps;

  /** Opens the answer modal for the case of the message the learner interacted with. */
  const openModal = async (client: WebClient, body: ActionBody & { actions: Array<{ block_id?: string }> }, prefill?: string) => {
    const { channel, ts } = caseMessageOf(body);
    const apologize = (text: string) => (channel ? client.chat.postMessage({ channel, text }) : Promise.resolve());
    await safely(
      ctx,
      `opening the answer form for ${body.user.id}`,
      async () => {
        const ref = parseCaseBlockId(body.actions[0]?.block_id);
        if (!ref || !channel || !ts || !body.trigger_id) throw new Error(`practice action without its case (block_id ${body.actions[0]?.block_id ?? "none"})`);
        const c = publicScenario(findScenario(deps, ref.s));
        const first = c.form[0];
        await client.views.open({
          trigger_id: body.trigger_id,
          view: answerModal(c, { ...ref, c: channel, m: ts }, first && prefill !== undefined ? { field: first.field, value: prefill } : undefined),
        });
      },
      apologize,
    );
  };

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.practiceChoice}:`), async ({ ack, action, body, client }) => {
    await ack();
    await openModal(client, body, action.value);
  });
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.practiceSelect, async ({ ack, action, body, client }) => {
    await ack();
    await openModal(client, body, action.selected_option?.value);
  });
  app.action<BlockAction<ButtonAction>>(ACTIONS.practiceOpen, async ({ ack, body, client }) => {
    await ack();
    await openModal(client, body);
  });

  app.view(VIEWS.practiceSubmit, async ({ ack, view, body, client }) => {
    let meta: ModalMeta;
    try {
      meta = JSON.parse(view.private_metadata) as ModalMeta;
    } catch {
      await ack({ response_action: "errors", errors: {} });
      ctx.log("error", "practice modal without readable private_metadata");
      return;
    }
    let c: PublicCase;
    try {
      c = publicScenario(findScenario(deps, meta.s));
    } catch {
      await ack({ response_action: "errors", errors: { [`${view.blocks.find((b) => b.type === "input")?.block_id ?? "justification#0"}`]: "This case is no longer available." } });
      return;
    }
    const answer = readAnswer(c.form, view.state.values);
    const parsed = parseAnswer(c.type, answer);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: modalErrors(c.form, parsed.errors) });
      return;
    }
    const team = teamOf(body);
    const user = body.user.id;
    const once = `case:${team}:${user}:${meta.c}:${meta.m}`;
    if (!ctx.seen.claim(once)) {
      await ack({ response_action: "errors", errors: modalErrors(c.form, [{ field: "", message: "You already answered this case. Press “Next case” for another one." }]) });
      return;
    }
    await ack();
    await safely(
      ctx,
      `grading ${meta.s} for ${user}`,
      async () => {
        const learner = await ctx.learner(client, team, user);
        let result;
        try {
          result = await submitAttempt(deps, { learnerId: learner.id, scenarioId: meta.s, answer, startedAt: new Date(meta.t) });
        } catch (e) {
          ctx.seen.release(once);
          throw e;
        }
        await client.chat.postMessage({ channel: meta.c, text: feedbackFallback(result), blocks: feedbackBlocks(result, c, ctx.publicUrl, meta.f) });
        try {
          await client.chat.update({ channel: meta.c, ts: meta.m, text: caseFallback(c), blocks: caseBlocks(c, meta, { answered: `${answerSummary(c.form, answer)} · score ${result.score}/${result.maxScore}` }) });
        } catch (e) {
          ctx.log("warn", `could not mark case message ${meta.m} as answered`, e);
        }
        try {
          await publishHome(ctx, client, team, user);
        } catch (e) {
          ctx.log("warn", `could not refresh the App Home of ${user}`, e);
        }
      },
      (text) => client.chat.postMessage({ channel: meta.c, text }),
    );
  });

  const startFromAction = async (client: WebClient, body: ActionBody, opts: { type: ScenarioType | ""; scenarioId?: string }) => {
    const team = teamOf(body);
    const user = body.user.id;
    const dmOrNothing = async (text: string) => {
      const dm = await client.conversations.open({ users: user });
      if (dm.channel?.id) await client.chat.postMessage({ channel: dm.channel.id, text });
    };
    await safely(
      ctx,
      `starting a case for ${user}`,
      async () => {
        const r = await startCase(ctx, client, team, user, opts);
        if ("problem" in r) await dmOrNothing(r.problem);
      },
      dmOrNothing,
    );
  };

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.practiceNext}(?::|$)`), async ({ ack, action, body, client }) => {
    await ack();
    const v = action.value ?? "";
    await startFromAction(client, body, { type: isScenarioType(v) ? v : "" });
  });
  app.action<BlockAction<ButtonAction>>(ACTIONS.practiceStart, async ({ ack, action, body, client }) => {
    await ack();
    await startFromAction(client, body, { type: "", scenarioId: action.value });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.progress, async ({ ack, body, client, respond }) => {
    await ack();
    await commandProgress(ctx, client, respond, { team: teamOf(body), user: body.user.id });
  });

  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    try {
      await publishHome(ctx, client, body.team_id, event.user);
    } catch (e) {
      ctx.log("error", `publishing the App Home of ${event.user} failed`, e);
      try {
        await client.views.publish({ user_id: event.user, view: { type: "home", blocks: [section(APOLOGY)] } });
      } catch (e2) {
        ctx.log("error", `could not publish the apology on the App Home of ${event.user}`, e2);
      }
    }
  });
}
