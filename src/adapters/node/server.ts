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
  const slack = runtime.slack;
  if (slack) {
    // A failed token check or connection is logged; the web app keeps serving either way.
    void slack.start().then((ok) => {
      if (ok) console.log(slack.mode === "socket" ? "Slack: connected in Socket Mode" : "Slack: listening on POST /slack/events");
    });
  }
  const stop = async () => {
    server.close();
    // Let Slack work already acknowledged finish (at most 5 s).
    await Promise.race([slack?.stop().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
    runtime.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((e: unknown) => {
  console.error(`FCE Coach failed to start: ${(e as Error).message}`);
  process.exit(1);
});
