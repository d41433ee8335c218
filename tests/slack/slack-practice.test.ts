import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { attempts } from "../../src/db/schema/index.js";
import { findScenario } from "../../src/services/practice.js";
import { startFakeSlack, type FakeSlack } from "./fake-slack.js";
import { TEAM, blockAction, elementsOf, postCommand, postEvent, postInteraction, slackRuntime, textOf, type SlackRuntime } from "./helpers.js";

const ADMIN_TOKEN_FOR_WORKSHOP = "workshop-admin-token";
let fake: FakeSlack;
let rt: SlackRuntime;

beforeAll(async () => {
  fake = await startFakeSlack();
  rt = await slackRuntime(fake, { FCE_ADMIN_TOKEN: ADMIN_TOKEN_FOR_WORKSHOP });
});
afterAll(async () => {
  rt?.cleanup();
  await fake?.close();
});
beforeEach(() => fake.reset());

/** The case message posted last, with its case reference. */
function lastCase() {
  const post = fake.of("chat.postMessage").filter((p) => elementsOf(p.args.blocks ?? []).some((e) => String(e.block_id ?? "").startsWith("fce_case|"))).at(-1)!;
  const controls = elementsOf(post.args.blocks).filter((e) => String(e.block_id).startsWith("fce_case|"));
  const [, scenarioId] = String(controls[0].block_id).split("|");
  return { post, controls, scenarioId: scenarioId!, channel: post.args.channel as string, ts: post.result!.ts as string };
}

/** Submits the modal Slack would show, filled in from `values` (field -> value or list of values). */
function submission(view: any, user: string, values: Record<string, unknown>) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const b of view.blocks.filter((x: any) => x.type === "input")) {
    const [field] = String(b.block_id).split("#");
    const el = b.element;
    const v = values[field!];
    if (el.type === "checkboxes") {
      const wanted = new Set((v as string[] | undefined) ?? []);
      state[b.block_id] = { [el.action_id]: { type: "checkboxes", selected_options: el.options.filter((o: any) => wanted.has(o.value)) } };
    } else if (el.type === "radio_buttons" || el.type === "static_select") {
      const opt = el.options.find((o: any) => o.value === String(v));
      state[b.block_id] = { [el.action_id]: { type: el.type, selected_option: opt ?? null } };
    } else {
      state[b.block_id] = { [el.action_id]: { type: el.type, value: v === undefined ? null : String(v) } };
    }
  }
  return {
    type: "view_submission",
    team: { id: TEAM, domain: "fake-uni" },
    user: { id: user, username: "bob", name: "bob", team_id: TEAM },
    api_app_id: "A1",
    token: "legacy",
    trigger_id: "trigger-submit",
    view: { ...view, id: "V1", team_id: TEAM, app_id: "A1", bot_id: "BBOT", hash: "h1", root_view_id: "V1", previous_view_id: null, clear_on_close: false, notify_on_close: false, state: { values: state } },
  };
}

describe("Slack practice", () => {
  it("runs a whole mill case: DM with the dossier, verdict buttons, the red-flags modal, graded cited feedback, next case", async () => {
    const user = "U5";
    const cmd = await postCommand(rt, { text: "practice mill", user, channel: "C1", responseUrl: fake.responseUrl("prac") });
    expect(cmd.status).toBe(200);
    expect(fake.of("conversations.open")[0]!.args.users).toBe(user);
    expect(fake.responses.find((r) => r.id === "prac")!.body.text).toMatch(/direct message/);

    const { post, controls, scenarioId, channel } = lastCase();
    expect(channel).toBe("D5");
    const found = findScenario(rt.deps, scenarioId);
    const s = found.scenario;
    expect(s.type).toBe("mill");
    const text = textOf(post.args.blocks);
    expect(post.args.blocks[0]).toMatchObject({ type: "header", text: { text: s.title.slice(0, 150) } });
    expect(text).toContain("*Institution*");
    expect(text).toContain("*Question*");
    expect(controls.map((c) => c.action_id)).toEqual(["fce_prac_choice:legitimate", "fce_prac_choice:diploma_mill", "fce_prac_choice:accreditation_mill", "fce_prac_choice:verify_further"]);

    // The verdict button opens the modal with the verdict chosen and the red flags as checkboxes.
    const key = s.answer as { verdict: string; flags: string[]; justification?: string };
    const verdictButton = controls.find((c) => c.value === key.verdict)!;
    const messageTs = lastCase().ts;
    await postInteraction(rt, blockAction({ user, channel, messageTs, action: { type: "button", action_id: verdictButton.action_id, block_id: verdictButton.block_id, value: verdictButton.value } }));
    const opened = fake.of("views.open");
    expect(opened).toHaveLength(1);
    const view = opened[0]!.args.view;
    expect(opened[0]!.args.trigger_id).toMatch(/^trigger-/);
    expect(view.callback_id).toBe("fce_prac_submit");
    expect(JSON.parse(view.private_metadata)).toMatchObject({ s: scenarioId, c: channel, m: messageTs, f: "mill" });
    const inputs = view.blocks.filter((b: any) => b.type === "input");
    const verdictInput = inputs.find((b: any) => b.block_id === "verdict#0");
    expect(verdictInput.element.type).toBe("radio_buttons");
    expect(verdictInput.element.initial_option.value).toBe(key.verdict);
    const flagBlocks = inputs.filter((b: any) => b.block_id.startsWith("flags#"));
    expect(flagBlocks.length).toBeGreaterThan(1);
    for (const b of flagBlocks) {
      expect(b.element.type).toBe("checkboxes");
      expect(b.element.options.length).toBeLessThanOrEqual(10);
    }
    expect(inputs.find((b: any) => b.block_id === "justification#0").element.multiline).toBe(true);

    // A tampered submission without a verdict is sent back with the field's error.
    const bad = await postInteraction(rt, submission(view, user, { flags: key.flags }));
    expect(bad.json).toMatchObject({ response_action: "errors", errors: { "verdict#0": expect.any(String) } });
    expect(fake.of("chat.postMessage").length).toBe(1);

    // The answer key, submitted through the modal: the modal closes (empty 200) and the feedback comes.
    const justification = key.justification ?? "The accreditor is not recognised; the degree is sold for life experience.";
    const done = await postInteraction(rt, submission(view, user, { verdict: key.verdict, flags: key.flags, justification }));
    expect(done.status).toBe(200);
    expect(done.text).toBe("");
    const feedback = fake.of("chat.postMessage").at(-1)!;
    expect(feedback.args.channel).toBe(channel);
    const fbText = textOf(feedback.args.blocks);
    expect(feedback.args.blocks[0].text.text).toMatch(/^Passed: [\d.]+ \/ [\d.]+$/);
    expect(fbText).toContain("*Sources*");
    expect(fbText).toMatch(/\*\[1\]\* <https:\/\/fce\.example\.ac\.jp\/sources\//);
    expect(fbText).toMatch(/:white_check_mark:/);
    const nextButton = elementsOf(feedback.args.blocks).find((e) => e.action_id === "fce_prac_next");
    expect(nextButton.value).toBe("mill");
    // The case message now says it was answered, and the App Home is refreshed.
    const update = fake.of("chat.update")[0]!;
    expect(update.args).toMatchObject({ channel, ts: messageTs });
    expect(textOf(update.args.blocks)).toMatch(/Answered: verdict/i);
    expect(elementsOf(update.args.blocks).filter((e) => String(e.block_id).startsWith("fce_case|"))).toHaveLength(0);
    expect(fake.of("views.publish")[0]!.args.user_id).toBe(user);

    // Stored for the learner of this Slack user.
    const learner = await rt.db.$client.prepare("select learner_id from learner_identities where provider = 'slack' and subject = ?").get(`${TEAM}:${user}`) as { learner_id: string };
    const stored = await rt.deps.db.select().from(attempts).where(eq(attempts.learnerId, learner.learner_id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.scenarioId).toBe(scenarioId);
    expect(stored[0]!.score).toBe(stored[0]!.maxScore);

    // The same modal submitted twice is refused.
    const again = await postInteraction(rt, submission(view, user, { verdict: key.verdict, flags: key.flags }));
    expect(again.json?.response_action).toBe("errors");
    expect(JSON.stringify(again.json)).toMatch(/already answered/);

    // Next case: another mill case in the DM.
    fake.reset();
    await postInteraction(rt, blockAction({ user, channel, messageTs: "1700000003.000100", action: { type: "button", action_id: "fce_prac_next", block_id: "fce_feedback|x", value: "mill" } }));
    const next = lastCase();
    expect(next.channel).toBe(channel);
    expect(next.scenarioId).not.toBe(scenarioId);
    expect(findScenario(rt.deps, next.scenarioId).scenario.type).toBe("mill");
  });

  it("takes the level from a select menu, then the rest in the modal", async () => {
    const user = "U6";
    await postCommand(rt, { text: "practice level", user, channel: "D6", responseUrl: fake.responseUrl("lvl") });
    // Asked in the DM itself: no "look in your DM" note.
    expect(fake.responses.find((r) => r.id === "lvl")).toBeUndefined();
    const { controls, scenarioId, channel, ts } = lastCase();
    const s = findScenario(rt.deps, scenarioId).scenario;
    expect(s.type).toBe("level");
    expect(controls).toHaveLength(1);
    expect(controls[0]).toMatchObject({ type: "static_select", action_id: "fce_prac_select" });
    expect(controls[0].options.map((o: any) => o.value)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    const key = s.answer as { level: number; admission: string };

    await postInteraction(rt, blockAction({ user, channel, messageTs: ts, action: { type: "static_select", action_id: "fce_prac_select", block_id: controls[0].block_id, selected_option: { text: { type: "plain_text", text: `JEQF level ${key.level}` }, value: String(key.level) } } }));
    const view = fake.of("views.open")[0]!.args.view;
    const levelInput = view.blocks.find((b: any) => b.block_id === "level#0");
    expect(levelInput.element.type).toBe("static_select");
    expect(levelInput.element.initial_option.value).toBe(String(key.level));
    expect(view.blocks.find((b: any) => b.block_id === "admission#0").element.type).toBe("radio_buttons");

    await postInteraction(rt, submission(view, user, { level: key.level, admission: key.admission }));
    const feedback = fake.of("chat.postMessage").at(-1)!;
    expect(feedback.args.blocks[0].type).toBe("header");
    expect(feedback.args.blocks[0].text.text).toMatch(/^(Passed|Not yet): /);
    const learner = await rt.db.$client.prepare("select learner_id from learner_identities where provider = 'slack' and subject = ?").get(`${TEAM}:${user}`) as { learner_id: string };
    const stored = await rt.deps.db.select().from(attempts).where(eq(attempts.learnerId, learner.learner_id));
    expect(stored.map((a) => a.scenarioId)).toEqual([scenarioId]);
  });

  it("opens the whole form from a button for credits and authenticity cases", async () => {
    for (const [type, user] of [["credits", "U7"], ["authenticity", "U8"]] as const) {
      fake.reset();
      await postCommand(rt, { text: `practice ${type}`, user, channel: "C1", responseUrl: fake.responseUrl(type) });
      const { controls, scenarioId, channel, ts } = lastCase();
      expect(findScenario(rt.deps, scenarioId).scenario.type).toBe(type);
      expect(controls).toHaveLength(1);
      expect(controls[0].action_id).toBe("fce_prac_open");
      await postInteraction(rt, blockAction({ user, channel, messageTs: ts, action: { type: "button", action_id: "fce_prac_open", block_id: controls[0].block_id, value: scenarioId } }));
      const view = fake.of("views.open")[0]!.args.view;
      const types = view.blocks.filter((b: any) => b.type === "input").map((b: any) => b.element.type);
      if (type === "credits") expect(types).toContain("number_input");
      else expect(types.filter((t: string) => t === "checkboxes").length).toBeGreaterThanOrEqual(2);
      const key = findScenario(rt.deps, scenarioId).scenario.answer as Record<string, unknown>;
      await postInteraction(rt, submission(view, user, key));
      const feedback = fake.of("chat.postMessage").at(-1)!;
      expect(feedback.args.blocks[0].text.text).toMatch(/^Passed: /);
    }
  });

  it("rejects an unknown practice type with the list of types", async () => {
    await postCommand(rt, { text: "practice astrology", responseUrl: fake.responseUrl("unknown") });
    expect(fake.responses.find((r) => r.id === "unknown")!.body.text).toMatch(/mill, level, recognition, credits, authenticity/);
    expect(fake.of("chat.postMessage")).toHaveLength(0);
  });

  it("joins a live workshop with /fce join CODE and gets a personal link to the room", async () => {
    const created = await rt.app.request("/api/workshops", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN_FOR_WORKSHOP}` },
      body: JSON.stringify({ title: "Slack room", cases: [rt.deps.practice!().scenarios[0]!.id] }),
    });
    expect(created.status).toBe(201);
    const { code } = (await created.json()) as { code: string };
    await postCommand(rt, { text: `join ${code.toLowerCase()}`, user: "U88", responseUrl: fake.responseUrl("join-ws") });
    const body = fake.responses.find((r) => r.id === "join-ws")!.body;
    expect(body.text).toMatch(/Slack room/);
    const url = JSON.stringify(body.blocks).match(/"url":"([^"]+)"/)![1]!;
    expect(url).toContain(`/w/${code}?session=`);
    await postCommand(rt, { text: "join NOPE99", user: "U88", responseUrl: fake.responseUrl("join-bad") });
    expect(fake.responses.find((r) => r.id === "join-bad")!.body.text).toMatch(/Could not join|not a workshop code/);
  });

  it("links the Slack user to a web learner with /fce link CODE", async () => {
    const session = await rt.app.request("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ displayName: "Web Aiko" }) });
    const { token, learner } = (await session.json()) as { token: string; learner: { id: string } };
    const code = await rt.app.request("/api/me/link-code", { method: "POST", headers: { authorization: `Bearer ${token}` } });
    const { code: linkCode } = (await code.json()) as { code: string };
    await postCommand(rt, { text: `link ${linkCode}`, user: "U77", responseUrl: fake.responseUrl("link") });
    expect(fake.responses.find((r) => r.id === "link")!.body.text).toMatch(/Linked/);
    const { findOrCreateLearner } = await import("../../src/db/learners.js");
    const team = "T1";
    const linked = await findOrCreateLearner(rt.deps.db, "slack", `${team}:U77`, "x", new Date());
    expect(linked.id).toBe(learner.id);
    await postCommand(rt, { text: `link ${linkCode}`, user: "U78", responseUrl: fake.responseUrl("link-again") });
    expect(fake.responses.find((r) => r.id === "link-again")!.body.text).toMatch(/did not work/);
  });

  it("shows mastery per skill with /fce progress", async () => {
    await postCommand(rt, { text: "progress", user: "U5", responseUrl: fake.responseUrl("progress") });
    const body = fake.responses.find((r) => r.id === "progress")!.body;
    expect(body.response_type).toBe("ephemeral");
    const text = textOf(body.blocks);
    expect(text).toContain("*Mastery by skill*");
    expect(text).toMatch(/Diploma and accreditation mills {2}_\(1 attempt, 1 passed\)_/);
    expect(text).toMatch(/Document authenticity {2}_\(0 attempts, 0 passed\)_/);
  });

  it("publishes the App Home with progress, the next recommended case and the training path; Start posts that case", async () => {
    await postEvent(rt, { type: "app_home_opened", user: "U5", channel: "D5", tab: "home", event_ts: "1700000000.1" });
    const published = fake.of("views.publish");
    expect(published).toHaveLength(1);
    expect(published[0]!.args.user_id).toBe("U5");
    const view = published[0]!.args.view;
    expect(view.type).toBe("home");
    const text = textOf(view.blocks);
    expect(text).toContain("*Next case*");
    expect(text).toContain("*Mastery by skill*");
    expect(text).toContain("*Training path*");
    const start = elementsOf(view.blocks).find((e) => e.action_id === "fce_prac_start");
    expect(start).toBeDefined();
    // The messages tab does not publish.
    await postEvent(rt, { type: "app_home_opened", user: "U5", channel: "D5", tab: "messages", event_ts: "1700000000.2" });
    expect(fake.of("views.publish")).toHaveLength(1);

    const home = { ...blockAction({ user: "U5", channel: "", messageTs: "", action: { type: "button", action_id: "fce_prac_start", block_id: "b", value: start.value } }), container: { type: "view", view_id: "VHOME" }, channel: undefined, message: undefined, view: { id: "VHOME", type: "home" } };
    await postInteraction(rt, home);
    expect(lastCase().scenarioId).toBe(start.value);
    expect(lastCase().channel).toBe("D5");
  });

  it("/fce join sets up the learner and shows the training path", async () => {
    await postCommand(rt, { text: "join", user: "U9", responseUrl: fake.responseUrl("join") });
    const body = fake.responses.find((r) => r.id === "join")!.body;
    expect(body.text).toMatch(/set up as a learner/);
    expect(textOf(body.blocks)).toMatch(/\d\. .+\(\d+ cases?\)/);
    const row = rt.db.$client.prepare("select learner_id from learner_identities where provider = 'slack' and subject = ?").get(`${TEAM}:U9`);
    expect(row).toBeDefined();
  });

  it("apologises in the DM when grading fails, and the case can be submitted again", async () => {
    const user = "U10";
    await postCommand(rt, { text: "practice mill", user, channel: "D10", responseUrl: fake.responseUrl("p10") });
    const { controls, channel, ts } = lastCase();
    await postInteraction(rt, blockAction({ user, channel, messageTs: ts, action: { type: "button", action_id: controls[1].action_id, block_id: controls[1].block_id, value: controls[1].value } }));
    const view = fake.of("views.open").at(-1)!.args.view;
    const db = rt.deps.db;
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    (rt.deps as { db: unknown }).db = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === "insert") return () => { throw new Error("database is locked"); };
        return Reflect.get(target, prop, receiver);
      },
    });
    try {
      await postInteraction(rt, submission(view, user, { verdict: "diploma_mill", flags: [] }));
    } finally {
      (rt.deps as { db: unknown }).db = db;
      console.error = original;
    }
    expect(fake.of("chat.postMessage").at(-1)!.args).toMatchObject({ channel, text: expect.stringMatching(/Sorry/) });
    expect(JSON.stringify(errors)).toMatch(/grading/);
    // Not marked as answered: the learner can submit again.
    const retry = await postInteraction(rt, submission(view, user, { verdict: "diploma_mill", flags: [] }));
    expect(retry.text).toBe("");
    expect(fake.of("chat.postMessage").at(-1)!.args.blocks[0].type).toBe("header");
  });
});
