/** Test helpers: read the real corpus and scenario bank from disk (tests may use Node APIs). */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { corpusDocsFromFiles, loadScenarioBank, type BankFile, type CorpusDoc, type ScenarioBank, type ScenarioOf, type ScenarioType } from "../../src/core/practice/index.js";

export const ROOT = resolve(__dirname, "../..");
export const SCENARIOS_DIR = join(ROOT, "scenarios");
export const CORPUS_DIR = join(ROOT, "corpus");

function walk(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full, accept));
    else if (accept(name)) out.push(full);
  }
  return out;
}

let corpus: CorpusDoc[] | undefined;
export function corpusDocs(): CorpusDoc[] {
  corpus ??= corpusDocsFromFiles(walk(CORPUS_DIR, (n) => n.endsWith(".md")).map((p) => ({ path: relative(CORPUS_DIR, p), text: readFileSync(p, "utf8") })));
  return corpus;
}

export function scenarioFiles(): BankFile[] {
  return walk(SCENARIOS_DIR, (n) => /\.ya?ml$/.test(n)).map((p) => ({ path: relative(SCENARIOS_DIR, p), text: readFileSync(p, "utf8") }));
}

let bank: ScenarioBank | undefined;
export function realBank(): ScenarioBank {
  bank ??= loadScenarioBank(scenarioFiles(), corpusDocs());
  return bank;
}

export function scenarioById<T extends ScenarioType = ScenarioType>(id: string, type?: T): ScenarioOf<T> {
  const s = realBank().scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id} in the bank`);
  if (type && s.type !== type) throw new Error(`scenario ${id} is a ${s.type} case, not ${type}`);
  return s as ScenarioOf<T>;
}
