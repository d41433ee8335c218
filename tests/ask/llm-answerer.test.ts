import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRuntime } from "../helpers/runtime.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

/** A fake OpenAI-compatible server: its behaviour is switched per test. */
let behaviour: "cite" | "uncited" | "slow" | "error" = "cite";
let lastPrompt = "";
function fakeLlm(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { messages: Array<{ role: string; content: string }> };
      lastPrompt = parsed.messages.map((m) => m.content).join("\n");
      const reply = (content: string) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content } }] }));
      };
      if (behaviour === "error") {
        res.writeHead(503);
        res.end("down");
      } else if (behaviour === "slow") setTimeout(() => reply("Too late [1]."), 3000);
      else if (behaviour === "uncited") reply("NIC-Japan is a helpful office. It answers questions.");
      else reply("NIC-Japan is not a competent recognition authority [1]. It provides information to the universities that decide [1][9].");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` })));
}

describe("POST /api/ask with an LLM configured", () => {
  let rt: Runtime;
  let llm: { server: Server; url: string };
  beforeAll(async () => {
    llm = await fakeLlm();
    rt = await testRuntime({ env: { FCE_LLM_BASE_URL: llm.url, FCE_LLM_MODEL: "fake-model", FCE_LLM_TIMEOUT_MS: "800" } });
  });
  afterAll(() => {
    rt.cleanup();
    llm.server.close();
  });

  const ask = async (question: string) => {
    const res = await rt.app.request("/api/ask", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
    return (await res.json()) as any;
  };

  it("answers in llm mode with the passages numbered as data, keeping only cited sentences", async () => {
    behaviour = "cite";
    const body = await ask("Is NIC-Japan a competent recognition authority?");
    expect(body.mode).toBe("llm");
    expect(lastPrompt).toMatch(/\[1\]/);
    expect(body.answer).toMatch(/not a competent recognition authority \[1\]/);
    // [9] was never given: the model cannot cite it.
    expect(body.citations.every((c: any) => c.n >= 1 && c.n <= body.citations.length)).toBe(true);
    expect(body.answer).not.toMatch(/\[9\]/);
  });

  it("falls back to the extractive answer when the model cites nothing", async () => {
    behaviour = "uncited";
    const body = await ask("Is NIC-Japan a competent recognition authority?");
    expect(body.mode).toBe("extractive");
    expect(body.answer).not.toMatch(/helpful office/);
    expect(body.citations.length).toBeGreaterThan(0);
  });

  it("falls back to extractive on a time-out or an error", async () => {
    behaviour = "slow";
    const slow = await ask("Is NIC-Japan a competent recognition authority?");
    expect(slow.mode).toBe("extractive");
    behaviour = "error";
    const failed = await ask("Is NIC-Japan a competent recognition authority?");
    expect(failed.mode).toBe("extractive");
    expect(failed.abstained).toBe(false);
  });
});
