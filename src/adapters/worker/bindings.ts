/**
 * The few Workers runtime types this adapter needs, declared locally (structural subsets of
 * @cloudflare/workers-types), so the project needs no extra types package.
 */

/** A D1 database binding (passed to drizzle's D1 driver as is). */
export interface D1DatabaseBinding {
  prepare(query: string): unknown;
  batch(statements: unknown[]): Promise<unknown[]>;
  exec(query: string): Promise<unknown>;
}

/** The static-assets binding (`[assets] binding = "ASSETS"`): fetches a file of the uploaded folder. */
export interface AssetsBinding {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

/** A Vectorize index binding (only `query` is used; see vectorize-index.ts). */
export interface VectorizeBinding {
  query(
    vector: number[] | Float32Array,
    options?: { topK?: number; returnValues?: boolean; returnMetadata?: boolean | "none" | "indexed" | "all" },
  ): Promise<{ matches: Array<{ id: string; score: number }>; count?: number }>;
}

export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

export interface ScheduledControllerLike {
  readonly scheduledTime: number;
  readonly cron: string;
}

/** The Worker's `env`: bindings from wrangler.toml, plus vars and secrets (the same names as on Node). */
export interface WorkerEnv {
  DB: D1DatabaseBinding;
  ASSETS: AssetsBinding;
  /** Optional: a Vectorize index holding the chunk vectors (FCE_VECTOR_SEARCH=vectorize). */
  VECTORIZE?: VectorizeBinding;
  /** "hnsw" (default: the Node server's graph, same ranking), "flat" (exact), or "vectorize". */
  FCE_VECTOR_SEARCH?: string;
  [name: string]: unknown;
}
