/**
 * A ChatModel on plain `fetch` for any OpenAI-compatible `/v1/chat/completions` endpoint (OpenAI, vLLM,
 * llama.cpp server, Ollama, LM Studio, ...). Runs on Node 20 and Cloudflare Workers alike.
 *
 * Why not @langchain/openai's ChatOpenAI: the installed @langchain/openai 1.6 and its `openai` 7 SDK declare
 * `engines: node >= 22` (a smoke test on Node 20 did run, but it is outside their supported range), the SDK
 * retries failed calls by default (which stretches a time-out budget), and it is a large dependency for a
 * Worker bundle. One POST with an AbortController is all this port needs.
 */
import type { ChatModel } from "../../ports.js";

export type ChatModelErrorKind = "timeout" | "http" | "network" | "bad-response";

/** Error raised by the adapter; `kind` tells a time-out from other failures. */
export class ChatModelError extends Error {
  readonly kind: ChatModelErrorKind;
  readonly status?: number;
  constructor(kind: ChatModelErrorKind, message: string, status?: number) {
    super(message);
    this.name = "ChatModelError";
    this.kind = kind;
    if (status !== undefined) this.status = status;
  }
}

export interface OpenAiChatOptions {
  /** e.g. `https://api.openai.com/v1`, `http://127.0.0.1:8000` or a full `.../chat/completions` URL. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Default time-out per call in milliseconds (default 20000); `complete(..., { timeoutMs })` overrides it. */
  timeoutMs?: number;
  temperature?: number;
  maxTokens?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The chat-completions URL for a base URL with or without `/v1` (or already complete). */
export function chatCompletionsUrl(baseUrl: string): string {
  const base = baseUrl.trim().replace(/\/+$/, "");
  if (/\/chat\/completions$/.test(base)) return base;
  if (/\/v\d+(beta\d*)?$/.test(base)) return `${base}/chat/completions`;
  return `${base}/v1/chat/completions`;
}

function contentOf(json: unknown): string | undefined {
  const choice = (json as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const parts = content.map((p) => (typeof p === "string" ? p : typeof p?.text === "string" ? p.text : "")).join("");
    return parts || undefined;
  }
  return undefined;
}

/** Creates a ChatModel that POSTs to an OpenAI-compatible chat-completions endpoint. */
export function createOpenAiChatModel(options: OpenAiChatOptions): ChatModel {
  const url = chatCompletionsUrl(options.baseUrl);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return {
    name: `openai-compatible:${options.model}`,
    async complete(messages, callOptions) {
      const timeoutMs = callOptions?.timeoutMs ?? options.timeoutMs ?? 20_000;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", ...options.headers };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      const body: Record<string, unknown> = { model: options.model, messages, temperature: options.temperature ?? 0 };
      if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
      try {
        let res: Response;
        try {
          res = await doFetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal });
        } catch (e) {
          if (timedOut) throw new ChatModelError("timeout", `chat model timed out after ${timeoutMs} ms`);
          throw new ChatModelError("network", `chat model request failed: ${(e as Error).message}`);
        }
        let text: string;
        try {
          text = await res.text();
        } catch (e) {
          if (timedOut) throw new ChatModelError("timeout", `chat model timed out after ${timeoutMs} ms`);
          throw new ChatModelError("network", `chat model response failed: ${(e as Error).message}`);
        }
        if (!res.ok) throw new ChatModelError("http", `chat model returned HTTP ${res.status}: ${text.slice(0, 300)}`, res.status);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new ChatModelError("bad-response", `chat model returned invalid JSON: ${text.slice(0, 200)}`);
        }
        const content = contentOf(json);
        if (content === undefined) throw new ChatModelError("bad-response", "chat model response has no choices[0].message.content");
        return content;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
