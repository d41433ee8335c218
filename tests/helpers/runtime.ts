import { join } from "node:path";
import { createNodeRuntime, type NodeRuntime } from "../../src/adapters/node/runtime.js";
import { loadEnv } from "../../src/env.js";
import type { Clock } from "../../src/ports.js";
import { tempDir } from "./temp.js";

/** A Node runtime over the given corpus (the bundled one by default) with a private data folder. */
export async function testRuntime(
  options: { corpusDir?: string; env?: Record<string, string>; clock?: Clock; log?: (line: string) => void } = {},
): Promise<NodeRuntime & { cleanup: () => void; dataDir: string }> {
  const tmp = tempDir("fce-rt-");
  const env = loadEnv({
    FCE_CORPUS_DIR: options.corpusDir ?? "corpus",
    FCE_DATA_DIR: join(tmp.path, "data"),
    ...options.env,
  });
  const runtime = await createNodeRuntime(env, { log: options.log ?? (() => {}), refreshIntervalMs: 0, clock: options.clock });
  return {
    ...runtime,
    dataDir: env.FCE_DATA_DIR,
    cleanup: () => {
      runtime.close();
      tmp.cleanup();
    },
  };
}
