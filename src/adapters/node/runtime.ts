/** Wiring of the Node runtime from the validated environment. */
import type { Env } from "../../env.js";
import type { EmbeddingConfig } from "./corpus-index.js";

export function embeddingConfig(env: Env): EmbeddingConfig {
  if (env.FCE_EMBEDDINGS === "openai") {
    return { kind: "openai", baseUrl: env.FCE_EMBEDDINGS_BASE_URL!, model: env.FCE_EMBEDDINGS_MODEL!, apiKey: env.FCE_EMBEDDINGS_API_KEY };
  }
  return { kind: env.FCE_EMBEDDINGS };
}
