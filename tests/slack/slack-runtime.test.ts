import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeSlack, type FakeSlack } from "./fake-slack.js";
import { eventBody, postEvent, postRaw, slackRuntime, type SlackRuntime } from "./helpers.js";

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

describe("Slack in the server process", () => {
  let rt: SlackRuntime;
  beforeAll(async () => {
    // auth.test fails at first: the bot token cannot be checked yet.
    fake.on("auth.test", () => ({ ok: false, error: "invalid_auth" }));
    rt = await slackRuntime(fake);
  });
  afterAll(() => rt?.cleanup());

  it("mounts POST /slack/events in HTTP mode", () => {
    expect(rt.slack?.mode).toBe("http");
  });

  it("logs a failed token check and keeps the web app running; Slack requests get 503 until the token checks out", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await rt.slack!.start()).toBe(false);
      const logged = errors.mock.calls.flat().map(String).join("\n");
      expect(logged).toMatch(/auth\.test/);
      expect((await rt.app.request("/healthz")).status).toBe(200);
      const event = { type: "app_mention", user: "U1", text: "<@UBOT> What is a diploma mill?", ts: "1720000000.000100", channel: "C1" };
      const res = await postEvent(rt, event, { eventId: "EvAuth1" });
      expect(res.status).toBe(503);
      expect(fake.of("chat.postMessage")).toHaveLength(0);

      // The token works again: Slack's retry of the same event is answered.
      fake.on("auth.test", undefined);
      const retry = await postEvent(rt, event, { eventId: "EvAuth1", retryNum: 1 });
      expect(retry.status).toBe(200);
      expect(fake.of("chat.postMessage")).toHaveLength(1);
      expect(await rt.slack!.start()).toBe(true);
    } finally {
      errors.mockRestore();
    }
  });

  it("acks at once and does the work after the HTTP response (Slack's 3-second limit)", async () => {
    const corpus = rt.deps.corpus;
    const real = corpus();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    rt.deps.corpus = () => ({
      reader: real.reader,
      retriever: { search: async (q, o) => (await gate, real.retriever.search(q, o)) },
    });
    try {
      const started = Date.now();
      const res = await postRaw(rt, eventBody({ type: "app_mention", user: "U1", text: "<@UBOT> What is a diploma mill?", ts: "1720000001.000100", channel: "C1" }), "application/json");
      expect(res.status).toBe(200);
      // Answered while the work is still blocked, and well before the receiver's 2.5 s fallback.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(fake.of("chat.postMessage")).toHaveLength(0);
      release();
      await rt.slack!.drain();
      expect(fake.of("chat.postMessage")).toHaveLength(1);
      expect(fake.of("chat.postMessage")[0]!.args.thread_ts).toBe("1720000001.000100");
    } finally {
      rt.deps.corpus = corpus;
      release();
    }
  });
});

describe("Socket Mode", () => {
  it("is chosen when SLACK_APP_TOKEN is set; the HTTP endpoint is then not mounted", async () => {
    const rt = await slackRuntime(fake, { SLACK_APP_TOKEN: "xapp-1-test" });
    try {
      expect(rt.slack?.mode).toBe("socket");
      expect(rt.deps.slack).toBeUndefined();
      const res = await rt.app.request("/slack/events", { method: "POST", body: "{}" });
      expect(res.status).toBe(404);
    } finally {
      rt.cleanup();
    }
  });
});
