/**
 * Questions in Slack: an @mention in a channel or a DM gets a threaded, cited answer; a reply in
 * that thread is a follow-up in the same conversation (channelKey `${team}:${channel}:${thread_ts}`);
 * `/fce ask` answers ephemerally with a "Post to channel" button; the feedback buttons store votes
 * like the web page.
 */
import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import { and, eq } from "drizzle-orm";
import type { Citation } from "../../core/answer/index.js";
import { answers, conversations } from "../../db/schema/index.js";
import { HttpError } from "../../routes/http-error.js";
import { askQuestion, MAX_QUESTION_CHARS, recordFeedback } from "../../services/ask.js";
import { ACTIONS, answerBlocks, answerFallback, esc, clip } from "./blocks.js";
import { cleanSlackText, safely, slackErrorCode, teamOf, type SlackContext, type WebClient } from "./context.js";

/** The fields of `message` / `app_mention` events used here. */
interface MessageLike {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/** Thread replies that are not questions (no answer is given to them). */
const NOT_A_QUESTION = /^(?:thanks?(?: you)?|thx|ty|ok(?:ay)?|great|cool|got it|perfect|👍|🙏|ありがとう(?:ございます)?|了解(?:です)?|承知(?:しました)?)[\s.!。！]*$/i;

export const HELP_ASK =
  "Ask me a question about foreign credential evaluation, e.g. _@FCE Coach Is NIC-Japan a competent recognition authority?_ I answer from the indexed sources and cite them.";

export function threadKey(team: string, channel: string, threadTs: string): string {
  return `${team}:${channel}:${threadTs}`;
}

async function conversationOfThread(ctx: SlackContext, key: string): Promise<{ id: string; learnerId: string | null } | undefined> {
  const rows = await ctx.deps.db
    .select({ id: conversations.id, learnerId: conversations.learnerId })
    .from(conversations)
    .where(and(eq(conversations.channel, "slack"), eq(conversations.channelKey, key)))
    .limit(1);
  return rows[0];
}

/** Answers a message in its thread (the question is the message text without mentions). */
async function answerInThread(ctx: SlackContext, client: WebClient, team: string, m: MessageLike): Promise<void> {
  const threadTs = m.thread_ts ?? m.ts;
  // The same message can arrive as `app_mention` and as `message`, and Slack retries: answer it once.
  if (!ctx.seen.claim(`msg:${team}:${m.channel}:${m.ts}`)) return;
  const reply = (text: string, blocks?: ReturnType<typeof answerBlocks>) => client.chat.postMessage({ channel: m.channel, thread_ts: threadTs, text, ...(blocks ? { blocks } : {}) });
  await safely(
    ctx,
    `answering ${m.ts} in ${m.channel}`,
    async () => {
      const question = cleanSlackText(m.text ?? "");
      if (!question) {
        await reply(HELP_ASK);
        return;
      }
      if (question.length > MAX_QUESTION_CHARS) {
        await reply(`That question is too long for me (${question.length} characters; at most ${MAX_QUESTION_CHARS}). Could you shorten it?`);
        return;
      }
      const learner = await ctx.learner(client, team, m.user!);
      const out = await askQuestion(ctx.deps, { question, channel: "slack", channelKey: threadKey(team, m.channel, threadTs), learnerId: learner.id });
      await reply(answerFallback(out.result.answer), answerBlocks({ answerId: out.answerId, result: out.result, publicUrl: ctx.publicUrl }));
    },
    (apology) => reply(apology),
  );
}

export function registerAsk(app: App, ctx: SlackContext): void {
  app.event("app_mention", async ({ event, body, client }) => {
    const m = event as unknown as MessageLike;
    if (!m.user || m.bot_id) return;
    await answerInThread(ctx, client, body.team_id, m);
  });

  app.event("message", async ({ event, body, client, context }) => {
    const m = event as unknown as MessageLike;
    if (m.subtype || m.bot_id || !m.user || m.user === context.botUserId) return;
    const team = body.team_id;
    if (m.channel_type === "im") {
      await answerInThread(ctx, client, team, m);
      return;
    }
    // In channels: only replies in a thread the bot answered. @mentions come as `app_mention`.
    if (!m.thread_ts || m.thread_ts === m.ts) return;
    if (context.botUserId && (m.text ?? "").includes(`<@${context.botUserId}>`)) return;
    const text = cleanSlackText(m.text ?? "");
    if (!text || NOT_A_QUESTION.test(text)) return;
    const conv = await conversationOfThread(ctx, threadKey(team, m.channel, m.thread_ts));
    if (!conv) return;
    // Replies without a mention are follow-ups only from the person who asked; others @mention the bot.
    const learner = await ctx.learner(client, team, m.user);
    if (conv.learnerId && conv.learnerId !== learner.id) return;
    await answerInThread(ctx, client, team, m);
  });

  const feedback = (helpful: boolean) =>
    async ({ ack, action, body, client, respond }: { ack: () => Promise<void>; action: ButtonAction; body: BlockAction; client: WebClient; respond: RespondFn }) => {
      await ack();
      const answerId = action.value ?? "";
      const tell = async (text: string) => {
        const channel = body.channel?.id;
        const message = body.message as { ts?: string; thread_ts?: string } | undefined;
        if (channel && message?.ts && !body.container?.is_ephemeral) {
          await client.chat.postEphemeral({ channel, user: body.user.id, text, thread_ts: message.thread_ts ?? message.ts });
        } else {
          await respond({ response_type: "ephemeral", replace_original: false, text });
        }
      };
      await safely(
        ctx,
        `storing feedback on ${answerId}`,
        async () => {
          try {
            await recordFeedback(ctx.deps, answerId, helpful);
          } catch (e) {
            if (e instanceof HttpError && e.status === 404) {
              await tell("That answer is no longer stored, so I could not record your vote.");
              return;
            }
            throw e;
          }
          await tell(helpful ? "Thanks: noted as helpful." : "Thanks: noted as not helpful. The team reviews these answers to improve the sources.");
        },
        tell,
      );
    };
  app.action<BlockAction<ButtonAction>>(ACTIONS.helpful, feedback(true));
  app.action<BlockAction<ButtonAction>>(ACTIONS.notHelpful, feedback(false));

  app.action<BlockAction<ButtonAction>>(ACTIONS.postToChannel, async ({ ack, action, body, client, respond }) => {
    await ack();
    const answerId = action.value ?? "";
    const say = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
    await safely(
      ctx,
      `posting answer ${answerId} to a channel`,
      async () => {
        const rows = await ctx.deps.db.select().from(answers).where(eq(answers.id, answerId)).limit(1);
        const row = rows[0];
        const channel = body.channel?.id;
        if (!row || !channel) {
          await say("That answer is no longer available; ask again with `/fce ask`.");
          return;
        }
        const citations = JSON.parse(row.citations) as Citation[];
        const blocks = answerBlocks({
          answerId: row.id,
          result: { answer: row.answer, abstained: row.abstained, citations },
          publicUrl: ctx.publicUrl,
          preface: `<@${body.user.id}> asked: _${esc(clip(row.question, 300))}_`,
        });
        let posted;
        try {
          posted = await client.chat.postMessage({ channel, text: answerFallback(row.answer), blocks });
        } catch (e) {
          const code = slackErrorCode(e);
          if (code === "not_in_channel" || code === "channel_not_found" || code === "is_archived") {
            await say("I can't post in this channel: invite me first (`/invite @FCE Coach`), then press the button again.");
            return;
          }
          throw e;
        }
        // Replies in the posted message's thread continue this conversation.
        if (posted.ts) {
          await ctx.deps.db
            .update(conversations)
            .set({ channelKey: threadKey(teamOf(body), channel, posted.ts), updatedAt: ctx.deps.clock.now() })
            .where(eq(conversations.id, row.conversationId));
        }
        await respond({ delete_original: true });
      },
      say,
    );
  });
}

/** `/fce ask <question>`: an ephemeral cited answer with a "Post to channel" button. */
export async function commandAsk(ctx: SlackContext, client: WebClient, respond: RespondFn, team: string, user: string, userName: string | undefined, question: string): Promise<void> {
  const say = (text: string) => respond({ response_type: "ephemeral", text });
  await safely(
    ctx,
    `/fce ask from ${user}`,
    async () => {
      const q = cleanSlackText(question);
      if (!q) {
        await say("Usage: `/fce ask <your question>`, e.g. `/fce ask What JEQF level is a bachelor's degree?`");
        return;
      }
      if (q.length > MAX_QUESTION_CHARS) {
        await say(`That question is too long for me (${q.length} characters; at most ${MAX_QUESTION_CHARS}).`);
        return;
      }
      const learner = await ctx.learner(client, team, user, userName);
      const out = await askQuestion(ctx.deps, { question: q, channel: "slack", learnerId: learner.id });
      await respond({
        response_type: "ephemeral",
        text: answerFallback(out.result.answer),
        blocks: answerBlocks({ answerId: out.answerId, result: out.result, publicUrl: ctx.publicUrl, postable: true, preface: `You asked: _${esc(clip(q, 300))}_` }),
      });
    },
    say,
  );
}
