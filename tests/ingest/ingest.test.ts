import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentGeneration, ingestCorpus, loadCorpusIndex } from "../../src/adapters/node/corpus-index.js";
import { openDatabase, type NodeDatabase } from "../../src/adapters/node/database.js";
import { minimalPdf } from "../helpers/minimal-pdf.js";
import { tempDir } from "../helpers/temp.js";

const topics = [
  ["diploma-mills", "Diploma mills", "A diploma mill is a fraudulent entity that sells degrees without academic work. Warning signs include degrees for life experience and accreditation from unrecognised bodies."],
  ["credits", "Credits", "In Japan one credit stands for 45 hours of study. A bachelor's degree requires 124 credits over four years of study."],
  ["ects", "ECTS", "One semester corresponds to 30 ECTS credits. A German bachelor requires between 180 and 240 ECTS credits."],
  ["jeqf", "JEQF", "The Japanese Educational Qualifications Framework has eight levels. A master's degree (修士, shushi) is at level 7."],
  ["nic", "NIC-Japan", "NIC-Japan provides information on foreign credential evaluation. It is not a competent recognition authority."],
  ["abitur", "Abitur", "The Abitur after 12 to 13 years of schooling gives access to all higher education studies in Germany."],
];

function writeCorpus(dir: string, overrides: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  for (const [id, title, text] of topics) {
    const body = overrides[id!] ?? `${text}\n\n## Details\n\n${text} More about ${title}: officers should read the sources.`;
    writeFileSync(join(dir, `${id}.md`), `---\nid: ${id}\ntitle: ${title}\ndate: "2025-01-01"\nkind: card\n---\n\n# ${title}\n\n${body}\n`);
  }
}

describe("ingest", () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: NodeDatabase;
  let corpus: string;
  let data: string;

  beforeEach(() => {
    tmp = tempDir();
    corpus = join(tmp.path, "corpus");
    data = join(tmp.path, "data");
    writeCorpus(corpus);
    db = openDatabase(join(data, "fce.db"));
  });
  afterEach(() => {
    db.$client.close();
    tmp.cleanup();
  });

  it("indexes every document and gives chunks exact offsets into the body", async () => {
    const summary = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    expect(summary.documents).toBe(topics.length);
    expect(summary.problems).toEqual([]);
    const index = await loadCorpusIndex({ db, dataDir: data });
    for (const doc of index.reader.listDocuments()) {
      const { body, chunks } = index.reader.getDocument(doc.id)!;
      expect(chunks.length).toBeGreaterThan(0);
      for (const c of chunks) expect(body.slice(c.start, c.end)).toBe(c.text);
    }
  });

  it("keeps chunk ids stable across a re-ingest of an unchanged corpus", async () => {
    await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    const first = (await loadCorpusIndex({ db, dataDir: data })).reader;
    const ids1 = first.listDocuments().flatMap((d) => first.getDocument(d.id)!.chunks.map((c) => c.id));
    const summary = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    const second = (await loadCorpusIndex({ db, dataDir: data })).reader;
    const ids2 = second.listDocuments().flatMap((d) => second.getDocument(d.id)!.chunks.map((c) => c.id));
    expect(ids2).toEqual(ids1);
    expect(summary.embedded).toBe(0);
    expect(summary.unchangedDocuments).toBe(topics.length);
  });

  it("re-embeds only the changed document on an incremental ingest", async () => {
    const before = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    const index = await loadCorpusIndex({ db, dataDir: data });
    const creditChunks = index.reader.getDocument("credits")!.chunks.length;
    writeCorpus(corpus, { credits: "In Japan one credit stands for 45 hours of study. A bachelor's degree requires at least 124 credits." });
    const after = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    expect(after.refitted).toBe(false);
    expect(after.unchangedDocuments).toBe(topics.length - 1);
    expect(after.embedded).toBeGreaterThan(0);
    expect(after.embedded).toBeLessThanOrEqual(creditChunks);
    expect(after.reused).toBe(after.chunks - after.embedded);
    expect(after.generation).not.toBe(before.generation);
    const reloaded = await loadCorpusIndex({ db, dataDir: data });
    const hits = await reloaded.retriever.search("how many credits does a bachelor's degree require", { k: 1 });
    expect(hits[0]!.chunk.text).toContain("at least 124 credits");
  });

  it("leaves the previous index fully usable when an ingest dies before the switch", async () => {
    const first = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    writeCorpus(corpus, { nic: "NIC-Japan was renamed in this test corpus. Nothing else changed here at all." });
    await expect(
      ingestCorpus({
        corpusDir: corpus,
        dataDir: data,
        db,
        beforeCommit: () => {
          throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(currentGeneration(db)).toBe(first.generation);
    const index = await loadCorpusIndex({ db, dataDir: data });
    expect(index.generation).toBe(first.generation);
    const hits = await index.retriever.search("Is NIC-Japan a competent recognition authority?", { k: 3 });
    expect(hits.map((h) => h.chunk.text).join(" ")).toContain("not a competent recognition authority");
    // The half-built generation is on disk but not live; the next ingest removes it.
    expect(readdirSync(join(data, "index")).length).toBe(2);
    const next = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    expect(readdirSync(join(data, "index"))).toEqual([`gen-${next.generation}`]);
  });

  it("reports a broken file by path and reason, skips it and indexes the rest", async () => {
    writeFileSync(join(corpus, "broken-front-matter.md"), "---\nid: [unclosed\ntitle: x\n---\nBody text here.\n");
    writeFileSync(join(corpus, "bad-date.md"), "---\nid: bad-date\ntitle: Bad date\ndate: yesterday\n---\nSome body text.\n");
    writeFileSync(join(corpus, "scan.pdf"), new Uint8Array([1, 2, 3, 4, 5]));
    writeFileSync(join(corpus, "real.pdf"), minimalPdf(["Kodo-senmonshi holders may enter master's programmes.", "This line comes from a PDF."]));
    writeFileSync(join(corpus, "page.html"), "<html><head><title>Web page</title></head><body><h2>Section</h2><p>Accreditation mills sell accreditation &amp; more.</p><script>x()</script></body></html>");
    const summary = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    const byPath = Object.fromEntries(summary.problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(["bad-date.md", "broken-front-matter.md", "scan.pdf"]);
    expect(byPath["broken-front-matter.md"]!.message).toMatch(/YAML/);
    expect(byPath["bad-date.md"]!.field).toBe("date");
    expect(byPath["scan.pdf"]!.message).toMatch(/PDF/);
    expect(summary.documents).toBe(topics.length + 2);
    const index = await loadCorpusIndex({ db, dataDir: data });
    expect(index.reader.getDocument("real")!.body).toContain("This line comes from a PDF.");
    expect(index.reader.getDocument("page")!.body).toContain("Accreditation mills sell accreditation & more.");
    expect(index.reader.getDocument("page")!.body).not.toContain("x()");
  });

  it("refuses to replace the index with an empty corpus", async () => {
    const first = await ingestCorpus({ corpusDir: corpus, dataDir: data, db });
    const empty = join(tmp.path, "empty");
    mkdirSync(empty);
    await expect(ingestCorpus({ corpusDir: empty, dataDir: data, db })).rejects.toThrow(/No readable documents/);
    expect(currentGeneration(db)).toBe(first.generation);
  });
});
