import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const CLI = join(ROOT, "src", "cli", "scenarios-check.ts");
const tmp = mkdtempSync(join(tmpdir(), "fce-scenarios-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout };
}

describe("scenarios-check CLI", () => {
  it("passes on the committed bank", () => {
    const { code, out } = run([]);
    expect(out).toMatch(/^\d+ scenarios, 1 path: OK$/m);
    expect(code).toBe(0);
  });

  it("prints one line per problem and exits 1", () => {
    const scen = join(tmp, "scenarios");
    const corpus = join(tmp, "corpus");
    mkdirSync(join(scen, "paths"), { recursive: true });
    mkdirSync(corpus, { recursive: true });
    writeFileSync(join(corpus, "card.md"), "---\nid: card\n---\nThe only sentence.\n");
    writeFileSync(join(scen, "broken.yaml"), "id: broken\ntype: mill\n");
    writeFileSync(join(scen, "paths", "p.yaml"), "id: p\ntitle: P\nmodules: []\n");
    const { code, out } = run(["--scenarios", scen, "--corpus", corpus]);
    expect(code).toBe(1);
    expect(out).toContain(`${join(scen, "broken.yaml")}: title: `);
    expect(out).toContain(`${join(scen, "paths", "p.yaml")}: modules: `);
    expect(out).toMatch(/0 scenarios, 0 paths: \d+ problems/);
  });
});
