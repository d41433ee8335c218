import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerWithLlm, ChatModelError, chatCompletionsUrl, createOpenAiChatModel } from "../../src/core/answer/index.js";
import { CONVENTION_TEXT, CREDITS_TEXT, makePassage, ranked } from "./fixtures.js";

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage["headers"];
  body: { model?: string; messages?: Array<{ role: string; content: string }>; temperature?: number; max_tokens?: number };
}

let server: Server;
let base = "";
let seen: Seen[] = [];
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;

function reply(res: ServerResponse, status: number, json: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(json));
}

function completion(content: string) {
  return { id: "cmpl-1", object: "chat.completion", created: 1, model: "test-model", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }] };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: body ? JSON.parse(body) : {} });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  handler = (_req, res) => reply(res, 200, completion("ok [1]"));
});

describe("chatCompletionsUrl", () => {
  it("accepts base URLs with or without /v1", () => {
    expect(chatCompletionsUrl("http://127.0.0.1:8000")).toBe("http://127.0.0.1:8000/v1/chat/completions");
    expect(chatCompletionsUrl("https://api.example.com/v1/")).toBe("https://api.example.com/v1/chat/completions");
    expect(chatCompletionsUrl("https://api.example.com/v1/chat/completions")).toBe("https://api.example.com/v1/chat/completions");
  });
});

describe("createOpenAiChatModel", () => {
  it("posts the messages to /v1/chat/completions and returns the reply text", async () => {
    handler = (_req, res) => reply(res, 200, completion("Japan ratified it in 2017 [1]."));
    const model = createOpenAiChatModel({ baseUrl: base, model: "test-model", apiKey: "sk-test", maxTokens: 200 });
    const text = await model.complete([
      { role: "system", content: "rules" },
      { role: "user", content: "question" },
    ]);
    expect(text).toBe("Japan ratified it in 2017 [1].");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe("POST");
    expect(seen[0]!.url).toBe("/v1/chat/completions");
    expect(seen[0]!.headers.authorization).toBe("Bearer sk-test");
    expect(seen[0]!.headers["content-type"]).toMatch(/application\/json/);
    expect(seen[0]!.body).toMatchObject({
      model: "test-model",
      temperature: 0,
      max_tokens: 200,
      messages: [
        { role: "system", content: "rules" },
        { role: "user", content: "question" },
      ],
    });
    expect(model.name).toContain("test-model");
  });

  it("sends no authorization header without an API key", async () => {
    const model = createOpenAiChatModel({ baseUrl: `${base}/v1`, model: "m" });
    await model.complete([{ role: "user", content: "hi" }]);
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.url).toBe("/v1/chat/completions");
  });

  it("rejects on an HTTP error with the status", async () => {
    handler = (_req, res) => reply(res, 503, { error: { message: "overloaded" } });
    const model = createOpenAiChatModel({ baseUrl: base, model: "m" });
    const err = await model.complete([{ role: "user", content: "hi" }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatModelError);
    expect((err as ChatModelError).kind).toBe("http");
    expect((err as ChatModelError).status).toBe(503);
    expect((err as Error).message).toContain("overloaded");
  });

  it("rejects on a malformed response", async () => {
    handler = (_req, res) => reply(res, 200, { choices: [] });
    const model = createOpenAiChatModel({ baseUrl: base, model: "m" });
    await expect(model.complete([{ role: "user", content: "hi" }])).rejects.toMatchObject({ kind: "bad-response" });
  });

  it("times out with an AbortController", async () => {
    handler = (_req, res) => {
      const t = setTimeout(() => reply(res, 200, completion("too late")), 3000);
      res.on("close", () => clearTimeout(t));
    };
    const model = createOpenAiChatModel({ baseUrl: base, model: "m", timeoutMs: 5000 });
    const started = Date.now();
    const err = await model.complete([{ role: "user", content: "hi" }], { timeoutMs: 150 }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(ChatModelError);
    expect((err as ChatModelError).kind).toBe("timeout");
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2500);
  });

  it("rejects with a network error when nothing listens", async () => {
    const model = createOpenAiChatModel({ baseUrl: "http://127.0.0.1:9", model: "m", timeoutMs: 2000 });
    await expect(model.complete([{ role: "user", content: "hi" }])).rejects.toMatchObject({ kind: expect.stringMatching(/network|timeout/) });
  });
});

describe("answerWithLlm over the fetch adapter", () => {
  const passages = ranked([
    makePassage(CONVENTION_TEXT, { docId: "conventions", title: "Conventions", date: "2025-10-17" }),
    makePassage(CREDITS_TEXT, { docId: "credits", title: "Credits" }),
  ]);
  const question = "When did Japan ratify the Tokyo Convention?";

  it("answers in llm mode when the server replies with cited sentences", async () => {
    handler = (_req, res) => reply(res, 200, completion("Japan ratified the Tokyo Convention in December 2017 [1]."));
    const r = await answerWithLlm(question, passages, createOpenAiChatModel({ baseUrl: base, model: "m" }));
    expect(r.mode).toBe("llm");
    expect(r.answer).toBe("Japan ratified the Tokyo Convention in December 2017 [1].");
    // The prompt reached the server with the passages in data blocks.
    const user = seen[0]!.body.messages!.find((m) => m.role === "user")!.content;
    expect(user).toContain('<passage n="1" title="Conventions" date="2025-10-17">');
  });

  it("falls back to extractive when the server is too slow", async () => {
    handler = (_req, res) => {
      const t = setTimeout(() => reply(res, 200, completion("late [1].")), 3000);
      res.on("close", () => clearTimeout(t));
    };
    const r = await answerWithLlm(question, passages, createOpenAiChatModel({ baseUrl: base, model: "m" }), { timeoutMs: 150 });
    expect(r.mode).toBe("extractive");
    expect(r.fallbackReason).toBe("timeout");
    expect(r.answer).toContain("December 2017");
  });
});
