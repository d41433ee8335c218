import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { answerFeedback, answers, conversations } from "../../src/db/schema/index.js";
import { startFakeSlack, type FakeSlack } from "./fake-slack.js";
import { PUBLIC_URL, TEAM, blockAction, elementsOf, eventBody, postCommand, postEvent, postInteraction, postRaw, sign, slackRuntime, textOf, type SlackRuntime } from "./helpers.js";

let fake: FakeSlack;
let rt: SlackRuntime;
let seq = 0;
/** A fresh Slack message ts. */
const ts = () => `1710000${String(++seq).padStart(3, "0")}.000200`;

beforeAll(async () => {
  fake = await startFakeSlack();
  rt = await slackRuntime(fake);
});
afterAll(async () => {
  rt?.cleanup();
  await fake?.close();
});
beforeEach(() => fake.reset());

async function answersIn(key: string) {
  const conv = await rt.deps.db.select().from(conversations).where(eq(conversations.channelKey, key));
  if (!conv[0]) return [];
  return rt.deps.db.select().from(answers).where(eq(answers.conversationId, conv[0].id));
}

describe("Slack questions", () => {
  it("answers an @mention in a thread with the [n] markers, numbered sources linking to the web viewer, and feedback buttons", async () => {
    const mentionTs = ts();
    const res = await postEvent(rt, { type: "app_mention", user: "U1", text: "<@UBOT> Is NIC-Japan a competent recognition authority?", ts: mentionTs, channel: "C1", event_ts: mentionTs });
    expect(res.status).toBe(200);
    const posts = fake.of("chat.postMessage");
    expect(posts).toHaveLength(1);
    const { args } = posts[0]!;
    expect(args.channel).toBe("C1");
    expect(args.thread_ts).toBe(mentionTs);
    expect(args.text).toMatch(/not a competent recognition authority/i);
    const text = textOf(args.blocks);
    expect(text).toMatch(/\[1\]/);
    expect(text).toContain("*Sources*");
    // Each source: number, title linking to the absolute viewer URL, the date, and the quoted line.
    const sources = args.blocks.filter((b: any) => b.type === "section" && /^\*\[\d+\]\*/.test(b.text?.text ?? ""));
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(s.text.text).toMatch(new RegExp(`^\\*\\[\\d+\\]\\* <${PUBLIC_URL.replace(/[.]/g, "\\.")}/sources/[^|>]+\\?chunk=[^|>]+\\|[^>]+>`));
      expect(s.text.text).toMatch(/\n>.+/);
    }
    const stored = await answersIn(`${TEAM}:C1:${mentionTs}`);
    expect(stored).toHaveLength(1);
    const buttons = elementsOf(args.blocks);
    expect(buttons.map((b) => b.action_id)).toEqual(["fce_feedback_helpful", "fce_feedback_not_helpful"]);
    expect(buttons.every((b) => b.value === stored[0]!.id)).toBe(true);
    // The markers in the answer point at listed sources.
    const citations = JSON.parse(stored[0]!.citations) as Array<{ n: number }>;
    for (const m of stored[0]!.answer.matchAll(/\[(\d+)\]/g)) expect(citations.some((c) => c.n === Number(m[1]))).toBe(true);
    // The asker is a learner, keyed by team and user.
    const learnerRows = await rt.db.$client.prepare("select subject from learner_identities where provider = 'slack'").all();
    expect(learnerRows).toContainEqual({ subject: `${TEAM}:U1` });
  });

  it("treats a reply in the thread as a follow-up in the same conversation", async () => {
    const rootTs = ts();
    await postEvent(rt, { type: "app_mention", user: "U1", text: "<@UBOT> What JEQF level is a bachelor's degree?", ts: rootTs, channel: "C1" });
    expect(fake.of("chat.postMessage")[0]!.args.text).toMatch(/level 6/);
    // The asker replies in the thread without a mention: a message.channels event.
    const replyTs = ts();
    await postEvent(rt, { type: "message", channel_type: "channel", user: "U1", text: "and for a master's?", ts: replyTs, thread_ts: rootTs, channel: "C1" });
    const posts = fake.of("chat.postMessage");
    expect(posts).toHaveLength(2);
    expect(posts[1]!.args.thread_ts).toBe(rootTs);
    expect(posts[1]!.args.text).toMatch(/master/i);
    expect(posts[1]!.args.text).toMatch(/level 7/);
    const stored = await answersIn(`${TEAM}:C1:${rootTs}`);
    expect(stored).toHaveLength(2);
    expect(new Set(stored.map((a) => a.conversationId)).size).toBe(1);

    // Someone else chatting in the thread without a mention, and a "thanks", get no answer.
    await postEvent(rt, { type: "message", channel_type: "channel", user: "U2", text: "What about a doctorate?", ts: ts(), thread_ts: rootTs, channel: "C1" });
    await postEvent(rt, { type: "message", channel_type: "channel", user: "U1", text: "thanks!", ts: ts(), thread_ts: rootTs, channel: "C1" });
    // Nor do channel messages outside a bot thread, or the bot's own messages.
    await postEvent(rt, { type: "message", channel_type: "channel", user: "U1", text: "What is a diploma mill?", ts: ts(), channel: "C1" });
    await postEvent(rt, { type: "message", channel_type: "channel", user: "UBOT", text: "an answer", ts: ts(), thread_ts: rootTs, channel: "C1" });
    expect(fake.of("chat.postMessage")).toHaveLength(2);

    // A mention in the thread by someone else continues the same conversation too.
    const otherTs = ts();
    await postEvent(rt, { type: "app_mention", user: "U2", text: "<@UBOT> and for a master's?", ts: otherTs, thread_ts: rootTs, channel: "C1" });
    expect(fake.of("chat.postMessage")).toHaveLength(3);
    expect(fake.of("chat.postMessage")[2]!.args.thread_ts).toBe(rootTs);
    expect(await answersIn(`${TEAM}:C1:${rootTs}`)).toHaveLength(3);
  });

  it("answers a direct message in a thread of the DM", async () => {
    const dmTs = ts();
    await postEvent(rt, { type: "message", channel_type: "im", user: "U3", text: "How many credits does a Japanese bachelor's degree require?", ts: dmTs, channel: "D3" });
    const posts = fake.of("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe("D3");
    expect(posts[0]!.args.thread_ts).toBe(dmTs);
    expect(posts[0]!.args.text).toMatch(/124/);
    expect(await answersIn(`${TEAM}:D3:${dmTs}`)).toHaveLength(1);
  });

  it("says so when the sources do not answer, and points to who can", async () => {
    await postEvent(rt, { type: "app_mention", user: "U1", text: "<@UBOT> Who won the 2022 FIFA World Cup?", ts: ts(), channel: "C1" });
    const { args } = fake.of("chat.postMessage")[0]!;
    const text = textOf(args.blocks);
    expect(text).toMatch(/No cited answer/);
    expect(text).toMatch(/NIC-Japan|ENIC-NARIC/);
    expect(text).not.toContain("*Sources*");
  });

  it("acknowledges a Slack retry of a handled event without answering twice, and answers a message once when it comes as mention and message", async () => {
    const t = ts();
    const event = { type: "app_mention", user: "U1", text: "<@UBOT> What is an accreditation mill?", ts: t, channel: "C1" };
    const first = await postEvent(rt, event, { eventId: "EvRetry1" });
    expect(first.status).toBe(200);
    const retry = await postEvent(rt, event, { eventId: "EvRetry1", retryNum: 1 });
    expect(retry.status).toBe(200);
    const retry2 = await postEvent(rt, event, { eventId: "EvRetry1", retryNum: 2 });
    expect(retry2.status).toBe(200);
    // The same message as a `message.channels` event (another event id) in a thread the bot is in.
    await postEvent(rt, { type: "message", channel_type: "channel", user: "U1", text: "<@UBOT> What is an accreditation mill?", ts: t, thread_ts: t, channel: "C1" });
    expect(fake.of("chat.postMessage")).toHaveLength(1);
    expect(await answersIn(`${TEAM}:C1:${t}`)).toHaveLength(1);
  });

  it("stores the Helpful / Not helpful buttons' votes and thanks the voter in the thread", async () => {
    const t = ts();
    await postEvent(rt, { type: "app_mention", user: "U1", text: "<@UBOT> What is a diploma mill?", ts: t, channel: "C1" });
    const post = fake.of("chat.postMessage")[0]!;
    const answerId = elementsOf(post.args.blocks)[0].value as string;
    const reply = { channel: "C1", messageTs: "1700000999.000100", threadTs: t, responseUrl: fake.responseUrl("fb") };
    const r1 = await postInteraction(rt, blockAction({ ...reply, action: { type: "button", action_id: "fce_feedback_helpful", block_id: `fce_answer|${answerId}`, value: answerId } }));
    expect(r1.status).toBe(200);
    await postInteraction(rt, blockAction({ ...reply, user: "U2", action: { type: "button", action_id: "fce_feedback_not_helpful", block_id: `fce_answer|${answerId}`, value: answerId } }));
    const votes = await rt.deps.db.select().from(answerFeedback).where(eq(answerFeedback.answerId, answerId));
    expect(votes.map((v) => v.helpful).sort()).toEqual([false, true]);
    const thanks = fake.of("chat.postEphemeral");
    expect(thanks).toHaveLength(2);
    expect(thanks[0]!.args).toMatchObject({ channel: "C1", user: "U1", thread_ts: t });
    expect(thanks[0]!.args.text).toMatch(/helpful/);
    // An unknown answer id is not stored and says so.
    await postInteraction(rt, blockAction({ ...reply, action: { type: "button", action_id: "fce_feedback_helpful", block_id: "fce_answer|ans_nope", value: "ans_nope" } }));
    expect(fake.of("chat.postEphemeral")[2]!.args.text).toMatch(/no longer stored/);
  });

  it("answers /fce ask ephemerally through response_url, with a button that posts the answer to the channel", async () => {
    const res = await postCommand(rt, { text: "ask What JEQF level is a bachelor's degree?", responseUrl: fake.responseUrl("ask1") });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    expect(fake.of("chat.postMessage")).toHaveLength(0);
    const reply = fake.responses.find((r) => r.id === "ask1")!;
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.body.text).toMatch(/level 6/);
    const buttons = elementsOf(reply.body.blocks);
    expect(buttons.map((b) => b.action_id)).toEqual(["fce_feedback_helpful", "fce_feedback_not_helpful", "fce_post_answer"]);
    const answerId = buttons[2].value;

    await postInteraction(rt, blockAction({ channel: "C1", messageTs: "1700000555.000100", ephemeral: true, responseUrl: fake.responseUrl("ask1-click"), action: { type: "button", action_id: "fce_post_answer", block_id: `fce_answer|${answerId}`, value: answerId } }));
    const posted = fake.of("chat.postMessage");
    expect(posted).toHaveLength(1);
    expect(posted[0]!.args.channel).toBe("C1");
    expect(posted[0]!.args.thread_ts).toBeUndefined();
    expect(textOf(posted[0]!.args.blocks)).toMatch(/<@U1> asked/);
    expect(textOf(posted[0]!.args.blocks)).toContain("*Sources*");
    expect(fake.responses.find((r) => r.id === "ask1-click")!.body).toMatchObject({ delete_original: true });

    // Replies in the posted answer's thread continue that conversation.
    const conv = await rt.deps.db.select().from(answers).where(eq(answers.id, answerId));
    const convRow = await rt.deps.db.select().from(conversations).where(eq(conversations.id, conv[0]!.conversationId));
    expect(convRow[0]!.channelKey).toMatch(new RegExp(`^${TEAM}:C1:\\d+\\.\\d+$`));

    // A channel the bot is not in: the user is told how to fix it.
    fake.on("chat.postMessage", () => ({ ok: false, error: "not_in_channel" }));
    try {
      await postInteraction(rt, blockAction({ channel: "C9", messageTs: "1700000556.000100", ephemeral: true, responseUrl: fake.responseUrl("ask2-click"), action: { type: "button", action_id: "fce_post_answer", block_id: `fce_answer|${answerId}`, value: answerId } }));
    } finally {
      fake.on("chat.postMessage", undefined);
    }
    expect(fake.responses.find((r) => r.id === "ask2-click")!.body.text).toMatch(/invite me/i);
  });

  it("shows usage for an empty /fce ask and help for /fce", async () => {
    await postCommand(rt, { text: "ask", responseUrl: fake.responseUrl("empty") });
    expect(fake.responses.find((r) => r.id === "empty")!.body.text).toMatch(/Usage/);
    await postCommand(rt, { text: "", responseUrl: fake.responseUrl("help") });
    expect(fake.responses.find((r) => r.id === "help")!.body.text).toMatch(/\/fce practice/);
  });
});

describe("Slack request checks", () => {
  it("answers url_verification with the challenge", async () => {
    const body = JSON.stringify({ token: "legacy", challenge: "challenge-abc", type: "url_verification" });
    const res = await postRaw(rt, body, "application/json");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: "challenge-abc" });
  });

  it("rejects a bad signature, a stale or future timestamp, and missing headers with 401, doing no work", async () => {
    const event = { type: "app_mention", user: "U1", text: "<@UBOT> What is a diploma mill?", ts: ts(), channel: "C1" };
    const body = eventBody(event);
    const now = Math.floor(Date.now() / 1000);
    const before = (await rt.deps.db.select().from(answers)).length;

    expect((await postRaw(rt, body, "application/json", { signature: sign(body, now, "wrong-secret") })).status).toBe(401);
    expect((await postRaw(rt, body, "application/json", { signature: sign(`${body} `, now) })).status).toBe(401);
    const stale = now - 6 * 60;
    expect((await postRaw(rt, body, "application/json", { timestamp: stale, signature: sign(body, stale) })).status).toBe(401);
    const future = now + 6 * 60;
    expect((await postRaw(rt, body, "application/json", { timestamp: future, signature: sign(body, future) })).status).toBe(401);
    const unsigned = await rt.app.request("/slack/events", { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(unsigned.status).toBe(401);
    // A slash command and an interaction with a bad signature too.
    const form = new URLSearchParams({ command: "/fce", text: "ask What is a diploma mill?", team_id: TEAM, user_id: "U1", channel_id: "C1", response_url: fake.responseUrl("x") }).toString();
    expect((await postRaw(rt, form, "application/x-www-form-urlencoded", { signature: "v0=deadbeef" })).status).toBe(401);

    await rt.slack!.drain();
    expect(fake.calls).toHaveLength(0);
    expect(fake.responses).toHaveLength(0);
    expect((await rt.deps.db.select().from(answers)).length).toBe(before);
    // Within 5 minutes is fine.
    const recent = now - 4 * 60;
    expect((await postRaw(rt, body, "application/json", { timestamp: recent, signature: sign(body, recent) })).status).toBe(200);
    await rt.slack!.drain();
    expect(fake.of("chat.postMessage")).toHaveLength(1);
  });

  it("rejects a malformed body with 400", async () => {
    expect((await postRaw(rt, "{not json", "application/json")).status).toBe(400);
  });

  it("apologises to the user and logs the cause when a handler fails (index missing), and keeps serving", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const corpus = rt.deps.corpus;
    rt.deps.corpus = () => {
      throw new Error("corpus index missing: run npm run ingest");
    };
    const t = ts();
    try {
      const res = await postEvent(rt, { type: "app_mention", user: "U1", text: "<@UBOT> What is a diploma mill?", ts: t, channel: "C1" });
      expect(res.status).toBe(200);
      await postCommand(rt, { text: "ask What is a diploma mill?", responseUrl: fake.responseUrl("broken") });
    } finally {
      rt.deps.corpus = corpus;
    }
    const logged = errors.mock.calls.map((c) => c.map((x) => (x instanceof Error ? x.message : String(x))).join(" ")).join("\n");
    errors.mockRestore();
    expect(logged).toMatch(/failed/);
    expect(logged).toMatch(/corpus index missing/);
    const apology = fake.of("chat.postMessage")[0]!;
    expect(apology.args).toMatchObject({ channel: "C1", thread_ts: t });
    expect(apology.args.text).toMatch(/Sorry/);
    expect(fake.responses.find((r) => r.id === "broken")!.body.text).toMatch(/Sorry/);

    // The process keeps serving Slack and the web app.
    await postEvent(rt, { type: "app_mention", user: "U1", text: "<@UBOT> What is a diploma mill?", ts: ts(), channel: "C1" });
    expect(fake.of("chat.postMessage")).toHaveLength(2);
    expect(fake.of("chat.postMessage")[1]!.args.text).not.toMatch(/Sorry/);
    expect((await rt.app.request("/healthz")).status).toBe(200);
  });
});
