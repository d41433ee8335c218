/**
 * Checks the practice scenario bank: `npm run scenarios:check` (= `tsx src/cli/scenarios-check.ts`).
 *
 *   --scenarios DIR   scenario folder (default `scenarios`); training paths in DIR/paths/
 *   --corpus DIR      corpus folder with Markdown documents (default `corpus`), searched recursively
 *   --write-schema    also write DIR/scenario.schema.json and DIR/paths/path.schema.json
 *
 * Prints one line per problem (`path: field: message`) and a summary; exits 1 on any problem.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { corpusDocsFromFiles, formatProblem, loadScenarioBank, pathJsonSchema, scenarioJsonSchema } from "../core/practice/index.js";

function walk(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    if (name.startsWith(".") || name === "node_modules") continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full, accept));
    else if (accept(name)) out.push(full);
  }
  return out;
}

export function parseArgs(argv: readonly string[]): { scenarios: string; corpus: string; writeSchema: boolean } {
  const opts = { scenarios: "scenarios", corpus: "corpus", writeSchema: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--scenarios" && argv[i + 1]) opts.scenarios = argv[++i] as string;
    else if (a === "--corpus" && argv[i + 1]) opts.corpus = argv[++i] as string;
    else if (a === "--write-schema") opts.writeSchema = true;
    else if (a === "--help" || a === "-h") {
      console.log("usage: scenarios-check [--scenarios DIR] [--corpus DIR] [--write-schema]");
      process.exit(0);
    } else {
      console.error(`unknown option ${a}`);
      process.exit(2);
    }
  }
  return opts;
}

function main(): number {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.writeSchema) {
    mkdirSync(join(opts.scenarios, "paths"), { recursive: true });
    writeFileSync(join(opts.scenarios, "scenario.schema.json"), JSON.stringify(scenarioJsonSchema(), null, 2) + "\n");
    writeFileSync(join(opts.scenarios, "paths", "path.schema.json"), JSON.stringify(pathJsonSchema(), null, 2) + "\n");
    console.log(`wrote ${join(opts.scenarios, "scenario.schema.json")} and ${join(opts.scenarios, "paths", "path.schema.json")}`);
  }
  const corpusFiles = walk(opts.corpus, (n) => n.endsWith(".md")).map((p) => ({ path: relative(opts.corpus, p), text: readFileSync(p, "utf8") }));
  const docs = corpusDocsFromFiles(corpusFiles);
  const files = walk(opts.scenarios, (n) => /\.ya?ml$/i.test(n)).map((p) => ({ path: relative(opts.scenarios, p), text: readFileSync(p, "utf8") }));
  const bank = loadScenarioBank(files, docs);
  const shown = bank.problems.map((p) => ({ ...p, path: join(opts.scenarios, p.path) }));
  for (const p of shown) console.log(formatProblem(p));
  const summary = `${bank.scenarios.length} scenario${bank.scenarios.length === 1 ? "" : "s"}, ${bank.paths.length} path${bank.paths.length === 1 ? "" : "s"}`;
  if (!docs.length) console.log(`warning: no corpus documents found in ${opts.corpus}`);
  if (shown.length) {
    console.log(`${summary}: ${shown.length} problem${shown.length === 1 ? "" : "s"}`);
    return 1;
  }
  console.log(`${summary}: OK`);
  return 0;
}

process.exitCode = main();
