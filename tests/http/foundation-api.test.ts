import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRuntime } from "../helpers/runtime.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

describe("HTTP API over the bundled corpus", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await testRuntime();
  });
  afterAll(() => rt.cleanup());

  const get = async (path: string) => {
    const res = await rt.app.request(path);
    return { status: res.status, body: (await res.json()) as any };
  };

  it("GET /healthz reports documents and chunks", async () => {
    const { status, body } = await get("/healthz");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.documents).toBeGreaterThanOrEqual(6);
    expect(body.chunks).toBeGreaterThan(body.documents);
  });

  it("GET /api/search returns ranked passages with metadata", async () => {
    const { status, body } = await get("/api/search?q=" + encodeURIComponent("What is an accreditation mill?") + "&k=3");
    expect(status).toBe(200);
    expect(body.results).toHaveLength(3);
    const [first] = body.results;
    expect(Object.keys(first)).toEqual(expect.arrayContaining(["id", "documentId", "title", "headingPath", "text", "score"]));
    expect(body.results.map((r: any) => r.text).join("\n")).toMatch(/accreditation mill/i);
    expect(body.results[0].score).toBeGreaterThanOrEqual(body.results[2].score);
  });

  it("finds the JEQF level of 修士 for a Japanese question", async () => {
    const { body } = await get("/api/search?q=" + encodeURIComponent("修士はJEQFのどのレベルですか") + "&k=5");
    const texts = body.results.map((r: any) => r.text as string);
    expect(texts.some((t: string) => t.includes("修士") && /7/.test(t))).toBe(true);
  });

  it("finds passages for romanised terms (shushi, senmonshi)", async () => {
    const shushi = await get("/api/search?q=" + encodeURIComponent("what level is shushi") + "&k=3");
    expect(shushi.body.results.some((r: any) => /shushi|修士|master/i.test(r.text) && /level 7|\b7\b/i.test(r.text + r.headingPath.join(" ")))).toBe(true);
    const senmonshi = await get("/api/search?q=senmonshi&k=3");
    expect(senmonshi.body.results.some((r: any) => /senmonshi|専門士/i.test(r.text))).toBe(true);
  });

  it("missing or bad parameters get a 400 naming the problem", async () => {
    const missing = await get("/api/search");
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/q/);
    const empty = await get("/api/search?q=%20%20");
    expect(empty.status).toBe(400);
    const badK = await get("/api/search?q=mill&k=0");
    expect(badK.status).toBe(400);
    expect(badK.body.error).toMatch(/k/);
    const long = await get("/api/search?q=" + "a".repeat(2001));
    expect(long.status).toBe(400);
  });

  it("GET /api/sources/:chunkId returns the passage with its document, and 404 for an unknown id", async () => {
    const { body } = await get("/api/search?q=diploma%20mill&k=1");
    const id = body.results[0].id as string;
    const source = await get(`/api/sources/${encodeURIComponent(id)}`);
    expect(source.status).toBe(200);
    expect(source.body.id).toBe(id);
    expect(source.body.document.title).toBeTruthy();
    expect(source.body.text).toBe(body.results[0].text);
    const unknown = await get("/api/sources/no-such-chunk");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/no-such-chunk/);
  });

  it("an unknown route is a 404 with a message", async () => {
    const res = await get("/api/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/nothing-here/);
  });
});
