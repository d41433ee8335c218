/**
 * Reads the corpus folder: Markdown, text, HTML and PDF files become SourceDocuments; a file that
 * cannot be read or parsed is reported (path and reason) and skipped, so the rest is still indexed.
 */
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { DocumentError, htmlToText, parseDocument } from "../../core/ingest/parse-document.js";
import { Glossary, glossarySchema } from "../../core/retrieval/glossary.js";
import type { SourceDocument } from "../../core/types.js";
import type { Problem } from "../../ports.js";

export const CORPUS_EXTENSIONS = [".md", ".markdown", ".txt", ".html", ".htm", ".pdf"];
const GLOSSARY_FILE = /^glossary\.(ya?ml|json)$/i;

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Extracts the text of a PDF, page by page (pdf.js, no native code, nothing downloaded). */
export async function pdfToText(data: Uint8Array): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    let text = "";
    for (const item of content.items) {
      if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
    }
    pages.push(text.replace(/[ \t]+\n/g, "\n").trim());
  }
  await doc.destroy();
  return pages.join("\n\n");
}

export interface CorpusLoad {
  documents: SourceDocument[];
  glossary: Glossary;
  glossaryText: string;
  problems: Problem[];
  /** Files found, including broken ones. */
  files: number;
}

export async function readCorpus(corpusDir: string): Promise<CorpusLoad> {
  let paths: string[];
  try {
    paths = await walk(corpusDir);
  } catch (e) {
    throw new Error(`Cannot read the corpus folder ${corpusDir}: ${(e as Error).message}`);
  }
  const documents: SourceDocument[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  let glossary = Glossary.empty();
  let glossaryText = "";
  let files = 0;
  for (const full of paths) {
    const rel = relative(corpusDir, full).split("\\").join("/");
    const name = rel.split("/").pop()!;
    if (GLOSSARY_FILE.test(name)) {
      try {
        glossaryText = await readFile(full, "utf8");
        const data = name.endsWith(".json") ? JSON.parse(glossaryText) : parseYaml(glossaryText);
        const parsed = glossarySchema.safeParse(data);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new Error(`${issue.path.join(".") || "glossary"}: ${issue.message}`);
        }
        glossary = Glossary.fromData(parsed.data);
      } catch (e) {
        problems.push({ path: rel, message: `glossary skipped: ${(e as Error).message}` });
      }
      continue;
    }
    const ext = extname(name).toLowerCase();
    if (!CORPUS_EXTENSIONS.includes(ext)) continue;
    files++;
    try {
      let text: string;
      if (ext === ".pdf") {
        const bytes = new Uint8Array(await readFile(full));
        try {
          text = await pdfToText(bytes);
        } catch (e) {
          throw new DocumentError(rel, undefined, `unreadable PDF (${(e as Error).message})`);
        }
        if (!text.trim()) throw new DocumentError(rel, undefined, "PDF has no extractable text (scanned image?)");
      } else {
        text = await readFile(full, "utf8");
        if (text.includes("\u0000")) throw new DocumentError(rel, undefined, "binary content in a text file");
        if (ext === ".html" || ext === ".htm") text = htmlToText(text);
      }
      const kind = rel.startsWith("cards/") ? "card" : "document";
      const doc = parseDocument(rel, text, { kind });
      const clash = seen.get(doc.id);
      if (clash) throw new DocumentError(rel, "id", `duplicates the id "${doc.id}" of ${clash}`);
      seen.set(doc.id, rel);
      documents.push(doc);
    } catch (e) {
      const err = e as Error;
      problems.push(err instanceof DocumentError ? { path: err.path, field: err.field, message: err.reason } : { path: rel, message: err.message });
    }
  }
  return { documents, glossary, glossaryText, problems, files };
}
