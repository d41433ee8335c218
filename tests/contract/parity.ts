/**
 * Same query, same ranked passages: two runtimes over the same index generation must return the same
 * top-5 passages (ids, in order) for every development question, and the same answers.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseQaLines } from "../../src/core/retrieval/metrics.js";
import { call, type FetchLike } from "./http-contract.js";

export const DEV_QA_FILE = resolve(__dirname, "../../../shared/eval/qa-dev.jsonl");

/** Queries that exercise the tokeniser and the glossary beyond the dev set (Japanese, romanised, short). */
const EXTRA_QUERIES = ["gakushi", "専門士の学位はどのレベル", "学士 bachelor JEQF", "Diplom FH", "mill", "ECTS 単位 credits conversion", "NIC-Japan"];

export function parityQueries(): { dev: string[]; extra: string[] } {
  const dev = existsSync(DEV_QA_FILE) ? parseQaLines(readFileSync(DEV_QA_FILE, "utf8"), DEV_QA_FILE).map((q) => q.question) : [];
  return { dev, extra: EXTRA_QUERIES };
}

export function defineParityTests(names: [string, string], runtimes: () => { a: FetchLike; b: FetchLike }): void {
  const [nameA, nameB] = names;
  const { dev, extra } = parityQueries();

  describe(`${nameA} and ${nameB} rank the same passages`, () => {
    it(`top-5 ids are identical for every dev question (${dev.length}) and the extra queries`, async () => {
      // The dev set lives in ../shared/eval; without it this check would prove nothing.
      expect(dev.length, `${DEV_QA_FILE} is missing`).toBeGreaterThan(0);
      const { a, b } = runtimes();
      const mismatches: string[] = [];
      let maxScoreDiff = 0;
      for (const query of [...dev, ...extra]) {
        const path = `/api/search?q=${encodeURIComponent(query)}&k=5`;
        const [ra, rb] = await Promise.all([call(a, "GET", path), call(b, "GET", path)]);
        expect(ra.status, query).toBe(200);
        expect(rb.status, query).toBe(200);
        const idsA = ra.body.results.map((r: any) => r.id);
        const idsB = rb.body.results.map((r: any) => r.id);
        if (JSON.stringify(idsA) !== JSON.stringify(idsB)) mismatches.push(`${query}\n  ${nameA}: ${idsA.join(", ")}\n  ${nameB}: ${idsB.join(", ")}`);
        ra.body.results.forEach((r: any, i: number) => (maxScoreDiff = Math.max(maxScoreDiff, Math.abs(r.score - (rb.body.results[i]?.score ?? 0)))));
      }
      expect(mismatches, mismatches.join("\n")).toEqual([]);
      expect(maxScoreDiff).toBe(0);
    });

    it("the extractive answers and their citations are identical for every dev question", async () => {
      const { a, b } = runtimes();
      for (const question of dev) {
        const [ra, rb] = await Promise.all([call(a, "POST", "/api/ask", { question }), call(b, "POST", "/api/ask", { question })]);
        expect(rb.status, question).toBe(ra.status);
        const pick = (r: any) => ({ answer: r.answer, abstained: r.abstained, mode: r.mode, citations: r.citations.map((c: any) => [c.n, c.chunkId, c.quote]) });
        expect(pick(rb.body), question).toEqual(pick(ra.body));
      }
    });
  });
}
