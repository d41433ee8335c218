/**
 * Loads the scenario bank from already-read files (no file system access here, so the server on
 * Node or Workers and the check CLI share it). A broken file is reported and skipped; the others
 * still load.
 */
import { parse, parseDocument } from "yaml";
import type { Problem } from "../../ports.js";
import { scoreAnswer } from "./grade.js";
import { issuesToFieldErrors, scenarioSchema, trainingPathSchema, type Scenario, type TrainingPath } from "./schema.js";
import { SourceResolver, type ChunkRef, type CorpusDoc, type ResolvedSource } from "./sources.js";
import { splitFrontMatter } from "./text.js";

export interface BankFile {
  /** Path relative to the scenarios folder, e.g. `mill-unity-crest.yaml` or `paths/fce-foundations.yaml`. */
  path: string;
  text: string;
}

export interface ScenarioBank {
  scenarios: Scenario[];
  paths: TrainingPath[];
  /** Resolved sources of each loaded scenario, by scenario id (same order as `scenario.sources`). */
  sources: Record<string, ResolvedSource[]>;
  problems: Problem[];
}

export interface LoadBankOptions {
  chunks?: readonly ChunkRef[];
}

/** A file under a `paths/` folder is a training path; any other YAML file is a scenario. */
export function isPathFile(path: string): boolean {
  return /(^|[\\/])paths[\\/]/.test(path);
}

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

function stem(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.ya?ml$/i, "");
}

/** Parses YAML; syntax errors become problems with their line. */
export function parseYaml(file: BankFile): { data?: unknown; problems: Problem[] } {
  const doc = parseDocument(file.text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line;
        return { path: file.path, field: line ? `line ${line}` : "yaml", message: `YAML error: ${(e.message.split("\n")[0] ?? "").replace(/ at line \d+, column (\d+):?$/, " (column $1)")}` };
      }),
    };
  }
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) return { problems: [{ path: file.path, message: "file is empty" }] };
  return { data, problems: [] };
}

/** Validates one scenario file's shape (no corpus needed). */
export function parseScenario(file: BankFile): { scenario?: Scenario; problems: Problem[] } {
  const y = parseYaml(file);
  if (!y.problems.length && y.data !== undefined) {
    const r = scenarioSchema.safeParse(y.data);
    if (!r.success) {
      return { problems: issuesToFieldErrors(r.error.issues).map((e) => ({ path: file.path, ...(e.field ? { field: e.field } : {}), message: e.message })) };
    }
    return { scenario: r.data, problems: [] };
  }
  return { problems: y.problems };
}

/** Checks that need the corpus or the grader: id = file name, sources resolve, the key scores full marks. */
export function checkScenario(scenario: Scenario, path: string, resolver: SourceResolver): { resolved: ResolvedSource[]; problems: Problem[] } {
  const problems: Problem[] = [];
  if (stem(path) !== scenario.id) problems.push({ path, field: "id", message: `id "${scenario.id}" does not match the file name "${stem(path)}"` });
  const { resolved, problems: sp } = resolver.resolve(scenario.sources, path);
  problems.push(...sp);
  const result = scoreAnswer(scenario, scenario.answer);
  if (result.score !== result.maxScore) {
    const lost = result.items.filter((i) => i.earned < i.max).map((i) => `${i.item} ${i.earned}/${i.max}`);
    problems.push({ path, field: "answer", message: `the answer key scores ${result.score} of ${result.maxScore} (${lost.join(", ")})` });
  }
  return { resolved, problems };
}

/**
 * Loads scenarios (`<id>.yaml`) and training paths (`paths/*.yaml`): validates each file, resolves
 * sources against the corpus, checks the answer keys, duplicate ids and path case references.
 * Files with problems are skipped (a path keeps its other cases when one case is missing).
 */
export function loadScenarioBank(files: readonly BankFile[], corpusDocs: readonly CorpusDoc[], options: LoadBankOptions = {}): ScenarioBank {
  const resolver = new SourceResolver(corpusDocs, options.chunks);
  const problems: Problem[] = [];
  const scenarios: Scenario[] = [];
  const sources: Record<string, ResolvedSource[]> = {};
  const seen = new Map<string, string>();
  const yamlFiles = files.filter((f) => isYamlFile(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  for (const file of yamlFiles.filter((f) => !isPathFile(f.path))) {
    const parsed = parseScenario(file);
    if (!parsed.scenario) {
      problems.push(...parsed.problems);
      continue;
    }
    const s = parsed.scenario;
    const checked = checkScenario(s, file.path, resolver);
    const prior = seen.get(s.id);
    if (prior !== undefined) checked.problems.push({ path: file.path, field: "id", message: `duplicate id "${s.id}" (also in ${prior})` });
    if (checked.problems.length) {
      problems.push(...checked.problems);
      continue;
    }
    seen.set(s.id, file.path);
    scenarios.push(s);
    sources[s.id] = checked.resolved;
  }

  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const paths: TrainingPath[] = [];
  const pathIds = new Map<string, string>();
  for (const file of yamlFiles.filter((f) => isPathFile(f.path))) {
    const y = parseYaml(file);
    if (y.problems.length || y.data === undefined) {
      problems.push(...y.problems);
      continue;
    }
    const r = trainingPathSchema.safeParse(y.data);
    if (!r.success) {
      problems.push(...issuesToFieldErrors(r.error.issues).map((e) => ({ path: file.path, ...(e.field ? { field: e.field } : {}), message: e.message })));
      continue;
    }
    const path = r.data;
    const prior = pathIds.get(path.id);
    if (prior !== undefined) {
      problems.push({ path: file.path, field: "id", message: `duplicate path id "${path.id}" (also in ${prior})` });
      continue;
    }
    pathIds.set(path.id, file.path);
    const modules = path.modules.map((m, i) => {
      const reading = resolver.resolve(m.reading, file.path, `modules[${i}].reading`);
      problems.push(...reading.problems);
      const cases = m.cases.filter((c, j) => {
        const s = byId.get(c);
        if (!s) {
          problems.push({ path: file.path, field: `modules[${i}].cases[${j}]`, message: `unknown or broken case "${c}"` });
          return false;
        }
        if (!m.skills.includes(s.skill)) {
          problems.push({ path: file.path, field: `modules[${i}].cases[${j}]`, message: `case "${c}" trains skill "${s.skill}", not listed in the module's skills` });
        }
        return true;
      });
      return { ...m, cases };
    });
    paths.push({ ...path, modules: modules.filter((m) => m.cases.length > 0) });
  }
  return { scenarios, paths, sources, problems };
}

/** Corpus documents from Markdown files: id = file stem, body = text after the front matter. */
export function corpusDocsFromFiles(files: ReadonlyArray<{ path: string; text: string }>): CorpusDoc[] {
  return files
    .filter((f) => /\.md$/i.test(f.path))
    .map((f) => {
      const { frontMatter, body } = splitFrontMatter(f.text);
      return { id: frontMatterId(frontMatter) ?? (f.path.split(/[\\/]/).pop() ?? f.path).replace(/\.md$/i, ""), body };
    });
}

/** The `id` of a document's front matter, if it has one. */
function frontMatterId(frontMatter: string | undefined): string | undefined {
  if (!frontMatter) return undefined;
  try {
    const data = parse(frontMatter) as unknown;
    const id = data && typeof data === "object" ? (data as Record<string, unknown>).id : undefined;
    return typeof id === "string" && id.trim() ? id.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Formats a problem as the check CLI prints it: `path: field: message`. */
export function formatProblem(p: Problem): string {
  return p.field ? `${p.path}: ${p.field}: ${p.message}` : `${p.path}: ${p.message}`;
}
