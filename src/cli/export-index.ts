/**
 * Exports the live index generation as the artifact a Cloudflare Worker loads (format and files:
 * src/adapters/worker/artifact.ts). Used by `npm run ingest -- --export [DIR]` after an ingest, and on
 * its own: `npm run export:index -- [--data DIR] [--scenarios DIR] [--out DIR]` (default out:
 * dist/index-artifact). The folder is built aside and swapped in whole.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { currentGeneration } from "../adapters/node/corpus-index.js";
import { openDatabase, type NodeDatabase } from "../adapters/node/database.js";
import { DEFAULT_EF_SEARCH } from "../adapters/node/hnsw-vector-index.js";
import { ARTIFACT_FORMAT, ARTIFACT_MANIFEST, ARTIFACT_VERSION, type ArtifactCorpus, type ArtifactManifest, type ScenarioFile } from "../adapters/worker/artifact.js";
import type { Chunk, DocumentMeta } from "../core/types.js";
import { chunks as chunksTable, documents as documentsTable } from "../db/schema/index.js";
import { dbPath, loadEnv } from "../env.js";

export const DEFAULT_ARTIFACT_DIR = "dist/index-artifact";

export interface ExportOptions {
  db: NodeDatabase;
  dataDir: string;
  outDir?: string;
  /** Practice scenarios folder (YAML); missing = no scenarios in the artifact. */
  scenariosDir?: string;
}

export interface ExportSummary {
  outDir: string;
  generation: string;
  files: Record<string, number>;
  totalBytes: number;
}

/** Scenario and path files as the Node runtime reads them: YAML files, sorted, paths relative with `/`. */
export async function readScenarioFiles(dir: string | undefined): Promise<ScenarioFile[]> {
  if (!dir || !existsSync(dir) || !(await stat(dir)).isDirectory()) return [];
  const out: ScenarioFile[] = [];
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const full = join(d, name);
      if ((await stat(full)).isDirectory()) await walk(full);
      else if (/\.ya?ml$/i.test(name)) out.push({ path: relative(dir, full).split(sep).join("/"), text: await readFile(full, "utf8") });
    }
  };
  await walk(dir);
  return out;
}

/** Moves every LSA projection matrix of an embedder JSON into a float32 blob (4 bytes a value instead of ~11). */
function cutEmbedderBlobs(model: unknown, blobs: Array<[string, Float32Array]>): unknown {
  if (Array.isArray(model)) return model.map((m) => cutEmbedderBlobs(m, blobs));
  if (!model || typeof model !== "object") return model;
  const obj = model as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (obj.kind === "lsa" && k === "projection" && Array.isArray(v)) {
      const name = `embedder-${blobs.length}.f32`;
      blobs.push([name, Float32Array.from(v as number[])]);
      out[k] = { $f32: name };
    } else out[k] = cutEmbedderBlobs(v, blobs);
  }
  return out;
}

function rowToMeta(row: typeof documentsTable.$inferSelect): DocumentMeta & { body: string } {
  const meta: DocumentMeta & { body: string } = { id: row.id, title: row.title, language: row.language, kind: row.kind, path: row.path, body: row.body };
  if (row.publisher !== null) meta.publisher = row.publisher;
  if (row.date !== null) meta.date = row.date;
  if (row.url !== null) meta.url = row.url;
  if (row.sources) meta.sources = JSON.parse(row.sources);
  return meta;
}

const f32bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export async function exportIndexArtifact(options: ExportOptions): Promise<ExportSummary> {
  const { db, dataDir } = options;
  const outDir = resolve(options.outDir ?? DEFAULT_ARTIFACT_DIR);
  const generation = currentGeneration(db);
  if (!generation) throw new Error("No index yet: run `npm run ingest` first.");
  const genDir = join(dataDir, "index", `gen-${generation}`);
  if (!existsSync(join(genDir, "manifest.json"))) throw new Error(`The live index folder ${genDir} is missing or incomplete: run \`npm run ingest\`.`);
  const indexManifest = JSON.parse(await readFile(join(genDir, "manifest.json"), "utf8")) as {
    createdAt: string;
    embedder: { kind: string; id: string; dimensions: number };
  };

  // Documents and chunks: the rows the Node server serves, in the order it lists them.
  const documents = db.select().from(documentsTable).all().map(rowToMeta);
  const known = new Set(documents.map((d) => d.id));
  const chunks: Chunk[] = db
    .select()
    .from(chunksTable)
    .orderBy(chunksTable.documentId, chunksTable.position)
    .all()
    .filter((r) => known.has(r.documentId))
    .map((r) => ({ ...r, headingPath: JSON.parse(r.headingPath) as string[] }));
  const corpus: ArtifactCorpus = { documents, chunks };

  const vectorIds = JSON.parse(await readFile(join(genDir, "vector-ids.json"), "utf8")) as string[];
  const vectors = await readFile(join(genDir, "vectors.f32"));
  const files: Array<[string, string | Uint8Array]> = [
    ["corpus.json", JSON.stringify(corpus)],
    ["bm25.json", await readFile(join(genDir, "bm25.json"), "utf8")],
    ["glossary.json", await readFile(join(genDir, "glossary.json"), "utf8")],
    ["vectors.f32", vectors],
    ["vector-ids.json", JSON.stringify(vectorIds)],
  ];
  const scenarioFiles = await readScenarioFiles(options.scenariosDir);
  files.push(["scenarios.json", JSON.stringify(scenarioFiles)]);

  const blobs: Array<[string, Float32Array]> = [];
  let embedderFile: string | undefined;
  if (existsSync(join(genDir, "embedder.json"))) {
    const model = cutEmbedderBlobs(JSON.parse(await readFile(join(genDir, "embedder.json"), "utf8")), blobs);
    embedderFile = "embedder.json";
    files.push([embedderFile, JSON.stringify(model)]);
    for (const [name, blob] of blobs) files.push([name, f32bytes(blob)]);
  }

  // The HNSW graph, with the chunk id of each hnswlib label (the docstore keys).
  let hnsw: ArtifactManifest["hnsw"];
  const hnswDir = join(genDir, "hnsw");
  if (existsSync(join(hnswDir, "hnswlib.index"))) {
    const args = JSON.parse(await readFile(join(hnswDir, "args.json"), "utf8")) as { space?: string };
    const docstore = JSON.parse(await readFile(join(hnswDir, "docstore.json"), "utf8")) as Array<[string, { metadata: { id: string } }]>;
    const labels: string[] = [];
    for (const [label, doc] of docstore) labels[Number(label)] = doc.metadata.id;
    if (args.space === "cosine") {
      const sameIds = labels.length === vectorIds.length && labels.every((id, i) => id === vectorIds[i]);
      if (!sameIds) files.push(["hnsw-ids.json", JSON.stringify(labels)]);
      files.push(["hnsw.index", await readFile(join(hnswDir, "hnswlib.index"))]);
      hnsw = { file: "hnsw.index", ids: sameIds ? "vector-ids.json" : "hnsw-ids.json", ef: DEFAULT_EF_SEARCH, space: "cosine" };
    }
  }

  const sizes: Record<string, number> = {};
  for (const [name, data] of files) sizes[name] = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
  const manifest: ArtifactManifest = {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    generation,
    createdAt: indexManifest.createdAt,
    exportedAt: new Date().toISOString(),
    embedder: indexManifest.embedder,
    counts: { documents: documents.length, chunks: chunks.length, vectors: vectorIds.length, scenarioFiles: scenarioFiles.length },
    files: {
      corpus: "corpus.json",
      bm25: "bm25.json",
      glossary: "glossary.json",
      ...(embedderFile ? { embedder: embedderFile } : {}),
      embedderBlobs: blobs.map(([name]) => name),
      vectors: "vectors.f32",
      vectorIds: "vector-ids.json",
      scenarios: "scenarios.json",
    },
    ...(hnsw ? { hnsw } : {}),
    sizes,
  };

  // Build aside, then swap the folder in whole (a running `wrangler dev` never sees half an artifact).
  const suffix = createHash("sha256").update(`${generation}${Math.random()}`).digest("hex").slice(0, 8);
  const tmpDir = join(dirname(outDir), `.${basename(outDir)}.tmp-${suffix}`);
  await mkdir(tmpDir, { recursive: true });
  for (const [name, data] of files) await writeFile(join(tmpDir, name), data);
  await writeFile(join(tmpDir, ARTIFACT_MANIFEST), JSON.stringify(manifest, null, 1));
  const oldDir = `${tmpDir}-old`;
  if (existsSync(outDir)) await rename(outDir, oldDir);
  await rename(tmpDir, outDir);
  await rm(oldDir, { recursive: true, force: true });
  return { outDir, generation, files: sizes, totalBytes: Object.values(sizes).reduce((a, b) => a + b, 0) };
}

export function formatExportSummary(s: ExportSummary): string {
  const mib = (n: number) => `${(n / 1048576).toFixed(2)} MiB`;
  const largest = Object.entries(s.files).sort((a, b) => b[1] - a[1])[0];
  return `exported generation ${s.generation} to ${s.outDir}: ${Object.keys(s.files).length + 1} files, ${mib(s.totalBytes)}` + (largest ? ` (largest ${largest[0]}, ${mib(largest[1])})` : "");
}

/**
 * `--export` takes an optional folder: a bare `--export` (last, or followed by another option) gets the
 * default. Returns the arguments with the default filled in, for parseArgs.
 */
export function withExportDefault(args: string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    out.push(a);
    if (a === "--export" && (i === args.length - 1 || args[i + 1]!.startsWith("-"))) out.push(DEFAULT_ARTIFACT_DIR);
  });
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      scenarios: { type: "string" },
      out: { type: "string", default: DEFAULT_ARTIFACT_DIR },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log("usage: npm run export:index -- [--data DIR] [--scenarios DIR] [--out DIR (default dist/index-artifact)]");
    return;
  }
  const env = loadEnv({
    ...process.env,
    ...(values.data ? { FCE_DATA_DIR: values.data, FCE_DB_PATH: process.env.FCE_DB_PATH ?? `${values.data}/fce.db` } : {}),
    ...(values.scenarios ? { FCE_SCENARIOS_DIR: values.scenarios } : {}),
  });
  const db = openDatabase(dbPath(env));
  try {
    const summary = await exportIndexArtifact({ db, dataDir: env.FCE_DATA_DIR, outDir: values.out, scenariosDir: env.FCE_SCENARIOS_DIR });
    console.log(formatExportSummary(summary));
  } finally {
    db.$client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e: unknown) => {
    console.error(`export failed: ${(e as Error).message}`);
    process.exitCode = 1;
  });
}
