/**
 * The index artifact in Node (no wrangler): export from a Node runtime, load with the Worker's loader
 * from files, and compare with the Node runtime's own index; the Worker entry's refusals.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIndexArtifact, type ArtifactManifest, type ArtifactSource } from "../../src/adapters/worker/artifact.js";
import type { VectorizeBinding } from "../../src/adapters/worker/bindings.js";
import { VectorizeVectorSearch } from "../../src/adapters/worker/vectorize-index.js";
import worker from "../../src/adapters/worker/worker.js";
import { exportIndexArtifact, withExportDefault } from "../../src/cli/export-index.js";
import { parityQueries } from "../contract/parity.js";
import { testRuntime } from "../helpers/runtime.js";
import { tempDir } from "../helpers/temp.js";

let rt: Awaited<ReturnType<typeof testRuntime>>;
const tmp = tempDir("fce-artifact-");
const out = join(tmp.path, "artifact");

const fileSource =
  (dir: string): ArtifactSource =>
  async (name) =>
    existsSync(join(dir, name)) ? new Response(readFileSync(join(dir, name))) : new Response("not found", { status: 404 });

beforeAll(async () => {
  rt = await testRuntime();
  await exportIndexArtifact({ db: rt.db, dataDir: rt.dataDir, outDir: out, scenariosDir: "scenarios" });
});
afterAll(() => {
  rt?.cleanup();
  tmp.cleanup();
});

describe("npm run ingest -- --export", () => {
  it("writes the manifest last, with the generation, counts and the size of every file", () => {
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as ArtifactManifest;
    expect(manifest.generation).toBe(rt.index().generation);
    expect(manifest.counts).toMatchObject({ documents: rt.index().reader.stats().documents, chunks: rt.index().reader.stats().chunks });
    expect(manifest.counts.scenarioFiles).toBeGreaterThan(0);
    for (const [name, size] of Object.entries(manifest.sizes)) expect(statSync(join(out, name)).size, name).toBe(size);
    expect(manifest.hnsw).toMatchObject({ file: "hnsw.index", ids: "vector-ids.json", space: "cosine" });
    // The LSA projection as float32: a quarter of its JSON size or less.
    const gen = join(rt.dataDir, "index", `gen-${manifest.generation}`, "embedder.json");
    expect(manifest.sizes["embedder.json"]! + manifest.sizes["embedder-0.f32"]!).toBeLessThan(statSync(gen).size / 2);
  });

  it("takes --export with or without a folder", () => {
    expect(withExportDefault(["--export"])).toEqual(["--export", "dist/index-artifact"]);
    expect(withExportDefault(["--export", "--refit"])).toEqual(["--export", "dist/index-artifact", "--refit"]);
    expect(withExportDefault(["--export", "out/x", "--refit"])).toEqual(["--export", "out/x", "--refit"]);
  });
});

describe("loadIndexArtifact", () => {
  it("gives the Node runtime's corpus and, with the HNSW graph, its exact ranking (ids and scores)", async () => {
    const loaded = await loadIndexArtifact(fileSource(out));
    expect(loaded.vectorSearch).toMatch(/^hnsw/);
    const node = rt.index();
    expect(loaded.reader.stats()).toEqual(node.reader.stats());
    expect(loaded.reader.listDocuments()).toEqual(node.reader.listDocuments());
    const doc = node.reader.listDocuments()[0]!.id;
    expect(loaded.reader.getDocument(doc)).toEqual(node.reader.getDocument(doc));
    const { dev, extra } = parityQueries();
    for (const query of [...dev, ...extra]) {
      for (const mode of ["hybrid", "bm25", "vector"] as const) {
        const a = await node.retriever.search(query, { k: 10, mode });
        const b = await loaded.retriever.search(query, { k: 10, mode });
        expect(b.map((p) => [p.chunk.id, p.score]), `${mode}: ${query}`).toEqual(a.map((p) => [p.chunk.id, p.score]));
      }
    }
  });

  it("offers an exact flat search and any other VectorSearch (e.g. Vectorize) instead of the graph", async () => {
    const flat = await loadIndexArtifact(fileSource(out), { vectorSearch: "flat" });
    expect(flat.vectorSearch).toBe("flat (exact)");
    const top = await flat.retriever.search("What is an accreditation mill?", { k: 3 });
    expect(top.map((p) => p.chunk.text).join("\n")).toMatch(/accreditation mill/i);

    let queried = 0;
    const viaVectorize = await loadIndexArtifact(fileSource(out), {
      vectorSearch: ({ ids, vectors, dimensions }) => {
        // A fake Vectorize index answering from the same vectors, exactly.
        const binding: VectorizeBinding = {
          async query(vector, options) {
            queried++;
            const { FlatVectorIndex } = await import("../../src/adapters/worker/flat-vector-index.js");
            const hits = await new FlatVectorIndex(ids.map((_, i) => String(i)), vectors, dimensions).search(Array.from(vector), options?.topK ?? 5);
            return { matches: hits };
          },
        };
        return new VectorizeVectorSearch(binding, ids, dimensions);
      },
    });
    const same = await viaVectorize.retriever.search("What is an accreditation mill?", { k: 3 });
    expect(queried).toBe(1);
    expect(same.map((p) => p.chunk.id)).toEqual(top.map((p) => p.chunk.id));
  });

  it("names the missing file, and refuses an artifact of another format", async () => {
    const broken: ArtifactSource = async (name) => (name === "bm25.json" ? new Response("gone", { status: 404 }) : fileSource(out)(name));
    await expect(loadIndexArtifact(broken)).rejects.toThrow(/bm25\.json: HTTP 404/);
    const other = join(tmp.path, "other");
    const { cpSync } = await import("node:fs");
    cpSync(out, other, { recursive: true });
    writeFileSync(join(other, "manifest.json"), JSON.stringify({ format: "something-else", version: 9 }));
    await expect(loadIndexArtifact(fileSource(other))).rejects.toThrow(/not an index artifact/);
  });
});

describe("the Worker entry", () => {
  const env = (extra: Record<string, unknown> = {}) => ({ DB: { prepare() {}, batch: async () => [], exec: async () => ({}) }, ASSETS: { fetch: async () => new Response("nope", { status: 404 }) }, ...extra });
  const ctx = { waitUntil() {} };

  it("answers 503 with the reason when it cannot start, and tries again on the next request", async () => {
    const res = await worker.fetch(new Request("http://w.test/healthz"), env(), ctx);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error).toMatch(/manifest\.json: HTTP 404/);
    const bad = await worker.fetch(new Request("http://w.test/healthz"), env({ FCE_VECTOR_SEARCH: "annoy" }), ctx);
    expect(((await bad.json()) as any).error).toMatch(/FCE_VECTOR_SEARCH/);
    const badEnv = await worker.fetch(new Request("http://w.test/healthz"), env({ FCE_LLM_TIMEOUT_MS: "-5" }), ctx);
    expect(((await badEnv.json()) as any).error).toMatch(/FCE_LLM_TIMEOUT_MS/);
    const noDb = await worker.fetch(new Request("http://w.test/healthz"), env({ DB: undefined }), ctx);
    expect(((await noDb.json()) as any).error).toMatch(/DB binding/);
  });
});
