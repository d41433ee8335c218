import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRuntime } from "../helpers/runtime.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

describe("a learner who completes a module holds a credential that verifies", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await testRuntime({ env: { FCE_ISSUER_NAME: "Example University FCE Training" } });
  });
  afterAll(() => rt.cleanup());

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await rt.app.request(path, { method, headers: { "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  it("issues a badge on the first completion of a module, and the badge verifies", async () => {
    const session = await call("POST", "/api/session", { displayName: "Hana Sato" });
    const auth = { authorization: `Bearer ${session.body.token}` };
    const learnerId = session.body.learner.id as string;
    const bank = rt.deps.practice!();
    const path = bank.paths[0]!;
    const module = path.modules[0]!;
    for (const id of module.cases) {
      const scenario = bank.scenarios.find((s) => s.id === id)!;
      const r = await call("POST", `/api/scenarios/${id}/attempts`, { answer: scenario.answer }, auth);
      expect(r.status).toBe(200);
      expect(r.body.score).toBe(r.body.maxScore);
    }
    const badges = await call("GET", `/api/learners/${learnerId}/badges`, undefined, auth);
    expect(badges.status).toBe(200);
    const list = (badges.body.badges ?? badges.body) as any[];
    expect(list).toHaveLength(1);
    const jwt = await (await rt.app.request(`/badges/${list[0].id}.jwt`)).text();
    const verified = await call("POST", "/api/badges/verify", { credential: jwt.trim() });
    expect(verified.body.valid).toBe(true);
    const json = await (await rt.app.request(`/badges/${list[0].id}.json`)).json();
    expect(JSON.stringify(json)).toContain("Example University FCE Training");
    expect(JSON.stringify(json)).toContain(module.title);
    // The progress page offers the credential for download and verification.
    const page = await (await rt.app.request(`/progress?session=${encodeURIComponent(session.body.token)}`)).text();
    expect(page).toContain(`badges/${list[0].id}.json`);
    expect(page).toContain(`badges/${list[0].id}.jwt`);
    expect(page).toMatch(new RegExp(`badges/verify\\?id=${list[0].id}`));
    // Completing again does not issue a second badge.
    const again = bank.scenarios.find((s) => s.id === module.cases[0])!;
    await call("POST", `/api/scenarios/${again.id}/attempts`, { answer: again.answer }, auth);
    const after = await call("GET", `/api/learners/${learnerId}/badges`, undefined, auth);
    expect(((after.body.badges ?? after.body) as any[]).length).toBe(1);
  });
});
