import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { COMMAND } from "../../src/channels/slack/commands.js";
import { GENERATED_TYPES, SCENARIO_TYPES } from "../../src/core/practice/index.js";
import { answerBlocks } from "../../src/channels/slack/blocks.js";
import { cleanSlackText } from "../../src/channels/slack/context.js";
import { SeenEvents } from "../../src/channels/slack/dedupe.js";
import { homeView, progressBlocks } from "../../src/channels/slack/home-blocks.js";
import { parsePracticeType } from "../../src/channels/slack/practice.js";
import { answerModal, caseBlocks, modalErrors, readAnswer, parseCaseBlockId, caseBlockId } from "../../src/channels/slack/practice-blocks.js";
import { parseSlackBody, verifySlackSignature } from "../../src/channels/slack/receiver.js";
import { askQuestion } from "../../src/services/ask.js";
import { answerForm, findScenario, generatedScenario, listScenarios, progressFor, publicScenario } from "../../src/services/practice.js";
import { testRuntime } from "../helpers/runtime.js";
import { blockKitProblems, viewProblems } from "./block-kit-limits.js";

const SECRET = "s3cret";
const sig = (body: string, ts: number) => `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;

describe("request signature", () => {
  const now = 1_700_000_000_000;
  const ts = now / 1000;
  it("accepts Slack's HMAC-SHA256 of v0:timestamp:body", async () => {
    expect(await verifySlackSignature(SECRET, { signature: sig("a=1", ts), timestamp: String(ts) }, "a=1", now)).toEqual({ ok: true });
  });
  it("rejects a changed body, another secret, a malformed or far-off timestamp, missing headers", async () => {
    expect((await verifySlackSignature(SECRET, { signature: sig("a=1", ts), timestamp: String(ts) }, "a=2", now)).ok).toBe(false);
    expect((await verifySlackSignature("other", { signature: sig("a=1", ts), timestamp: String(ts) }, "a=1", now)).ok).toBe(false);
    expect((await verifySlackSignature(SECRET, { signature: sig("a=1", ts), timestamp: `${ts}.5` }, "a=1", now)).ok).toBe(false);
    expect((await verifySlackSignature(SECRET, { signature: sig("a=1", ts - 301), timestamp: String(ts - 301) }, "a=1", now)).ok).toBe(false);
    expect((await verifySlackSignature(SECRET, { signature: sig("a=1", ts + 301), timestamp: String(ts + 301) }, "a=1", now)).ok).toBe(false);
    expect((await verifySlackSignature(SECRET, { signature: sig("a=1", ts - 299), timestamp: String(ts - 299) }, "a=1", now)).ok).toBe(true);
    expect((await verifySlackSignature(SECRET, { signature: null, timestamp: String(ts) }, "a=1", now)).ok).toBe(false);
    expect((await verifySlackSignature(SECRET, { signature: sig("a=1", ts).toUpperCase(), timestamp: String(ts) }, "a=1", now)).ok).toBe(false);
  });
});

describe("body parsing", () => {
  it("reads JSON events, interactivity payload= and slash-command fields", () => {
    expect(parseSlackBody('{"type":"event_callback"}', "application/json")).toEqual({ type: "event_callback" });
    const payload = new URLSearchParams({ payload: JSON.stringify({ type: "block_actions", actions: [] }) }).toString();
    expect(parseSlackBody(payload, "application/x-www-form-urlencoded; charset=utf-8")).toEqual({ type: "block_actions", actions: [] });
    const cmd = new URLSearchParams({ command: "/fce", text: "ask what & why?" }).toString();
    expect(parseSlackBody(cmd, "application/x-www-form-urlencoded")).toEqual({ command: "/fce", text: "ask what & why?" });
    expect(() => parseSlackBody("[1]", "application/json")).toThrow();
    expect(() => parseSlackBody("nope", "application/json")).toThrow();
  });
});

describe("event dedupe", () => {
  it("claims a key once within the expiry, again after it, and bounds its size", () => {
    let t = 0;
    const seen = new SeenEvents(1000, 3, () => t);
    expect(seen.claim("a")).toBe(true);
    expect(seen.claim("a")).toBe(false);
    t = 1001;
    expect(seen.claim("a")).toBe(true);
    seen.release("a");
    expect(seen.claim("a")).toBe(true);
    for (const k of ["b", "c", "d", "e"]) seen.claim(k);
    expect(seen.size).toBeLessThanOrEqual(3);
    expect(seen.has("e")).toBe(true);
  });
});

describe("text and arguments", () => {
  it("cleans Slack markup from a question", () => {
    expect(cleanSlackText("<@UBOT>  Is <https://www.nic-japan.jp|NIC-Japan> a &lt;competent&gt; authority? &amp; <!here>")).toBe("Is NIC-Japan a <competent> authority? &");
    expect(cleanSlackText("<@UBOT|fce> see <#C123|admissions>")).toBe("see #admissions");
  });
  it("maps practice type words", () => {
    expect(parsePracticeType(undefined)).toBe("");
    expect(parsePracticeType("Mills")).toBe("mill");
    expect(parsePracticeType("auth")).toBe("authenticity");
    expect(parsePracticeType("astrology")).toBeUndefined();
  });
  it("round-trips the case reference in a block id", () => {
    const ref = { s: "gen-mill-4294967295", t: 1_700_000_000_123, f: "mill" };
    expect(parseCaseBlockId(caseBlockId(ref))).toEqual(ref);
    expect(parseCaseBlockId("fce_case|Bad Id|1|")).toBeUndefined();
  });
});

describe("slack/manifest.yaml", () => {
  it("declares the command, events, scopes and URLs the app uses", () => {
    const m = parseYaml(readFileSync("slack/manifest.yaml", "utf8"));
    expect(m.features.slash_commands.map((c: any) => c.command)).toEqual([COMMAND]);
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    for (const url of [m.features.slash_commands[0].url, m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url]) expect(url).toMatch(/^https:\/\/.+\/slack\/events$/);
    expect(m.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(["app_mention", "app_home_opened", "message.im", "message.channels"]));
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["app_mentions:read", "chat:write", "commands", "im:history", "im:write", "channels:history", "users:read"]));
  });
});

describe("Block Kit within Slack's limits", () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  beforeAll(async () => {
    rt = await testRuntime();
  });
  afterAll(() => rt?.cleanup());

  it("the limit checker itself catches violations", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ text: { type: "plain_text", text: `o${i}` }, value: `v${i}` }));
    expect(blockKitProblems([{ type: "section" }], "message")).not.toEqual([]);
    expect(blockKitProblems([{ type: "input", block_id: "x", label: { type: "plain_text", text: "l" }, element: { type: "checkboxes", action_id: "a", options: eleven } }], "modal").join()).toMatch(/max 10/);
    expect(blockKitProblems([{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }], "message").join()).toMatch(/150/);
  });

  it("renders every authored and some generated cases, and their answer modals, within the limits", () => {
    const cases = listScenarios(rt.deps).map((s) => publicScenario(findScenario(rt.deps, s.id)));
    expect(cases.length).toBeGreaterThan(20);
    for (const type of GENERATED_TYPES) for (const seed of [1, 2, 3, 42, 4294967295]) cases.push(generatedScenario(type, seed));
    for (const c of cases) {
      const ref = { s: c.id, t: 1_700_000_000_000, f: c.type };
      const message = caseBlocks(c, ref);
      expect(blockKitProblems(message, "message"), c.id).toEqual([]);
      expect(message.at(-1)!.type === "actions" || message.at(-1)!.type === "section" || message.at(-1)!.type === "context", c.id).toBe(true);
      expect(blockKitProblems(caseBlocks(c, ref, { answered: "Answered: x" }), "message"), c.id).toEqual([]);
      const first = c.form[0]!;
      const prefill = first.options?.[0] ? { field: first.field, value: first.options[0].id } : undefined;
      const modal = answerModal(c, { ...ref, c: "D12345678", m: "1700000000.000100" }, prefill);
      expect(viewProblems(modal), c.id).toEqual([]);
    }
  });

  it("reads every case type's modal back into an answer the service accepts", () => {
    for (const type of SCENARIO_TYPES) {
      const form = answerForm(type);
      const values: Record<string, Record<string, any>> = {};
      for (const f of form) {
        if (f.kind === "choice") values[`${f.field}#0`] = { [f.field]: { selected_option: { value: String(f.options![f.options!.length - 1]!.id) } } };
        if (f.kind === "multi") {
          values[`${f.field}#0`] = { [f.field]: { selected_options: [{ value: String(f.options![0]!.id) }] } };
          if (f.options!.length > 10) values[`${f.field}#1`] = { [f.field]: { selected_options: [{ value: String(f.options![10]!.id) }] } };
        }
        if (f.kind === "number") values[`${f.field}#0`] = { [f.field]: { value: "12.5" } };
        if (f.kind === "text") values[`${f.field}#0`] = { [f.field]: { value: "  because  " } };
      }
      const answer = readAnswer(form, values);
      expect(answer.justification).toBe("because");
      if (type === "level") expect(answer.level).toBe(8);
      if (type === "credits") expect(answer.value).toBe(12.5);
      if (type === "mill") expect((answer.flags as string[]).length).toBe(2);
    }
    expect(modalErrors(answerForm("mill"), [{ field: "flags[3]", message: 'unknown flag id "x"' }, { field: "", message: "bad" }])).toEqual({ "flags#0": 'unknown flag id "x"', "verdict#0": "bad" });
  });

  it("keeps answers, progress and the App Home within the limits", async () => {
    for (const question of ["Is NIC-Japan a competent recognition authority?", "Who won the 2022 FIFA World Cup?"]) {
      const out = await askQuestion(rt.deps, { question, channel: "slack" });
      expect(blockKitProblems(answerBlocks({ answerId: out.answerId, result: out.result, publicUrl: "https://x.test", postable: true }), "message")).toEqual([]);
    }
    const long = { answer: "A sentence that goes on [1]. ".repeat(400), abstained: false, citations: Array.from({ length: 14 }, (_, i) => ({ n: i + 1, chunkId: `d#${i}`, documentId: "d", title: "T".repeat(300), date: "2024", quote: "q".repeat(5000), start: 0, end: 1, url: "/sources/d?chunk=x" })) };
    expect(blockKitProblems(answerBlocks({ answerId: "ans_1", result: long, publicUrl: "https://x.test" }), "message")).toEqual([]);
    const progress = await progressFor(rt.deps, "lrn_nobody");
    expect(blockKitProblems(progressBlocks(progress), "message")).toEqual([]);
    expect(viewProblems(homeView(progress))).toEqual([]);
    const badges = Array.from({ length: 30 }, (_, i) => ({ name: `Module ${i}`, json: `https://x.test/badges/${i}.json`, jwt: `https://x.test/badges/${i}.jwt`, verify: `https://x.test/badges/verify?id=${i}` }));
    const home = homeView(progress, badges);
    expect(viewProblems(home)).toEqual([]);
    const text = JSON.stringify(home.blocks);
    expect(text).toContain("Your credentials");
    expect(text).toContain("<https://x.test/badges/0.json|JSON>");
  });

  it("leaves /slack/events unmounted when Slack is not configured", async () => {
    expect(rt.slack).toBeUndefined();
    const res = await rt.app.request("/slack/events", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});
