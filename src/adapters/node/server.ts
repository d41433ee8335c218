/** `npm start`: builds the index on first start if none exists, then serves the app on PORT. */
import { serve } from "@hono/node-server";
import { progressBar } from "../../cli/progress.js";
import { loadEnv } from "../../env.js";
import { createNodeRuntime } from "./runtime.js";

async function main(): Promise<void> {
  const env = loadEnv();
  const bars = new Map<string, ReturnType<typeof progressBar>>();
  const runtime = await createNodeRuntime(env, {
    onIngestProgress: (p) => {
      if (p.stage === "done") return;
      let bar = bars.get(p.stage);
      if (!bar) bars.set(p.stage, (bar = progressBar(p.stage)));
      bar.update(p.done, p.total);
    },
  });
  const server = serve({ fetch: runtime.app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    const { documents, chunks } = runtime.index().reader.stats();
    console.log(`FCE Coach on http://localhost:${info.port} (${documents} documents, ${chunks} passages)`);
  });
  const stop = () => {
    server.close();
    runtime.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(`FCE Coach failed to start: ${(e as Error).message}`);
  process.exit(1);
});
