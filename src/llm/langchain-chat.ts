/**
 * The optional LLM behind a LangChain chat model. `OpenAICompatibleChatModel` is a LangChain
 * `SimpleChatModel` over any OpenAI-compatible `/chat/completions` endpoint (Ollama, vLLM, llama.cpp,
 * OpenAI) using plain `fetch` (the `openai` SDK that @langchain/openai wraps declares Node >= 22 and
 * retries by default, which would stretch our time-outs). Any other LangChain chat model can be
 * plugged in with `chatModelFromLangChain`. Runtime-agnostic: runs on Node and Workers.
 */
import { SimpleChatModel, type BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { createOpenAiChatModel, type OpenAiChatOptions } from "../core/answer/index.js";
import type { ChatModel } from "../ports.js";

function roleOf(m: BaseMessage): "system" | "user" | "assistant" {
  const type = m.getType();
  return type === "system" ? "system" : type === "ai" ? "assistant" : "user";
}

function textOf(m: BaseMessage): string {
  return typeof m.content === "string" ? m.content : m.content.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join("");
}

export class OpenAICompatibleChatModel extends SimpleChatModel {
  private readonly client: ChatModel;

  constructor(private readonly options: OpenAiChatOptions) {
    super({});
    this.client = createOpenAiChatModel(options);
  }

  _llmType(): string {
    return "openai-compatible";
  }

  async _call(messages: BaseMessage[], callOptions: this["ParsedCallOptions"]): Promise<string> {
    const timeoutMs = typeof callOptions.timeout === "number" ? callOptions.timeout : this.options.timeoutMs;
    return this.client.complete(
      messages.map((m) => ({ role: roleOf(m), content: textOf(m) })),
      { timeoutMs },
    );
  }
}

/** Adapts any LangChain chat model to the app's ChatModel port (with a time-out per call). */
export function chatModelFromLangChain(model: BaseChatModel, name = model._llmType()): ChatModel {
  return {
    name,
    async complete(messages, options) {
      const lc = messages.map((m) => (m.role === "system" ? new SystemMessage(m.content) : m.role === "assistant" ? new AIMessage(m.content) : new HumanMessage(m.content)));
      const reply = await model.invoke(lc, { timeout: options?.timeoutMs, signal: options?.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined });
      return textOf(reply);
    },
  };
}

/** The configured chat model, or undefined (extractive answers) when FCE_LLM_BASE_URL / FCE_LLM_MODEL are unset. */
export function chatModelFromConfig(config: { baseUrl?: string; model?: string; apiKey?: string; timeoutMs?: number }): ChatModel | undefined {
  if (!config.baseUrl || !config.model) return undefined;
  const model = new OpenAICompatibleChatModel({ baseUrl: config.baseUrl, model: config.model, apiKey: config.apiKey, timeoutMs: config.timeoutMs });
  return chatModelFromLangChain(model, `openai-compatible:${config.model}`);
}
