import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRuntime, type NodeRuntime } from "../../src/adapters/node/runtime.js";
import { loadEnv } from "../../src/env.js";
import { tempDir } from "../helpers/temp.js";
import { ROOT, call } from "./helpers.js";

describe("loading the scenario bank at startup", () => {
  const tmp = tempDir("fce-practice-start-");
  const scenarios = join(tmp.path, "scenarios");
  const logs: string[] = [];
  let rt: NodeRuntime;

  beforeAll(async () => {
    cpSync(join(ROOT, "scenarios"), scenarios, { recursive: true });
    // A case whose difficulty is out of range, and a file that is not valid YAML.
    const good = readFileSync(join(scenarios, "mill-unu-graduate.yaml"), "utf8");
    writeFileSync(join(scenarios, "broken-difficulty.yaml"), good.replace("id: mill-unu-graduate", "id: broken-difficulty").replace(/^difficulty: \d/m, "difficulty: 4"));
    writeFileSync(join(scenarios, "broken-syntax.yaml"), "id: broken-syntax\ntype: mill\ntitle: [unclosed\n");
    const env = loadEnv({ FCE_CORPUS_DIR: join(ROOT, "corpus"), FCE_DATA_DIR: join(tmp.path, "data"), FCE_SCENARIOS_DIR: scenarios });
    rt = await createNodeRuntime(env, { log: (l) => logs.push(l), refreshIntervalMs: 0 });
  });
  afterAll(() => {
    rt?.close();
    tmp.cleanup();
  });

  it("the server starts without the broken cases; /healthz lists them under problems with file and field", async () => {
    const health = await call(rt.app, "GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    const problems = health.body.problems as Array<{ path: string; field?: string; message: string }>;
    expect(problems).toContainEqual({ path: join(scenarios, "broken-difficulty.yaml"), field: "difficulty", message: "must be 1, 2 or 3" });
    const syntax = problems.find((p) => p.path === join(scenarios, "broken-syntax.yaml"));
    expect(syntax?.field).toMatch(/^line \d+$/);
    expect(syntax?.message).toMatch(/YAML error/);

    const list = await call(rt.app, "GET", "/api/scenarios");
    const ids = list.body.map((s: any) => s.id);
    expect(ids).toContain("mill-unu-graduate");
    expect(ids).not.toContain("broken-difficulty");
    expect((await call(rt.app, "GET", "/api/scenarios/broken-difficulty")).status).toBe(404);
  });

  it("logs the same message as npm run scenarios:check", () => {
    expect(logs).toContain(`${join(scenarios, "broken-difficulty.yaml")}: difficulty: must be 1, 2 or 3`);
    expect(logs.some((l) => /^Loaded \d+ practice scenarios and 1 training paths \(\d+ problems\)\.$/.test(l))).toBe(true);
  });

  it("a missing scenarios folder is a problem, not a crash", async () => {
    const env = loadEnv({ FCE_CORPUS_DIR: join(ROOT, "corpus"), FCE_DATA_DIR: join(tmp.path, "data"), FCE_SCENARIOS_DIR: join(tmp.path, "nothing-here") });
    const other = await createNodeRuntime(env, { log: () => {}, refreshIntervalMs: 0 });
    try {
      const health = await call(other.app, "GET", "/healthz");
      expect(health.body.problems).toContainEqual({ path: join(tmp.path, "nothing-here"), message: expect.stringContaining("not found") });
      expect((await call(other.app, "GET", "/api/scenarios")).body).toEqual([]);
    } finally {
      other.close();
    }
  });
});
