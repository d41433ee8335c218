/**
 * Parses a corpus file's text into a SourceDocument: YAML front matter (validated) plus the body.
 * Pure: the caller reads the file (and extracts PDF text) and passes the text in.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { SourceDocument } from "../types.js";
import { hash64 } from "../util/hash.js";

export const KINDS = ["presentation", "agreement", "project description", "market report", "event page", "card", "document"] as const;

const dateLike = z.union([z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "must be YYYY, YYYY-MM or YYYY-MM-DD"), z.date()]);

export const frontMatterSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be letters, digits, '_', '.' or '-'"),
    title: z.string().min(1),
    publisher: z.string().optional(),
    date: dateLike.optional(),
    language: z.string().min(2).default("en"),
    url: z.string().url().optional(),
    kind: z.enum(KINDS).default("document"),
    sources: z
      .array(z.union([z.string(), z.object({ id: z.string().optional(), title: z.string().optional(), url: z.string().optional() })]))
      .optional(),
  })
  .passthrough();

export class DocumentError extends Error {
  constructor(
    readonly path: string,
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(`${path}${field ? `: ${field}` : ""}: ${reason}`);
  }
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits `---\nyaml\n---\nbody`; returns null front matter when the file has none. */
export function splitFrontMatter(text: string): { yaml: string | null; body: string } {
  const m = FRONT_MATTER.exec(text);
  if (!m) return { yaml: null, body: text.replace(/^\uFEFF/, "") };
  return { yaml: m[1]!, body: text.slice(m[0].length) };
}

function fileStem(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.[^.]+$/, "");
}

function titleFromBody(body: string, path: string): string {
  const heading = /^#{1,6}\s+(.+)$/m.exec(body)?.[1]?.trim();
  if (heading) return heading;
  const firstLine = body.split("\n").find((l) => l.trim().length > 0)?.trim();
  return firstLine && firstLine.length <= 160 ? firstLine : fileStem(path);
}

/**
 * Parses one corpus file. A file without front matter gets defaults (id from the file name, title from
 * its first heading or line); a file whose front matter is present but broken is an error naming the field.
 */
export function parseDocument(path: string, text: string, defaults: { kind?: string; language?: string } = {}): SourceDocument {
  const { yaml, body } = splitFrontMatter(text);
  let raw: unknown = {};
  if (yaml !== null) {
    try {
      raw = parseYaml(yaml) ?? {};
    } catch (e) {
      throw new DocumentError(path, "front matter", `is not valid YAML (${(e as Error).message.split("\n")[0]})`);
    }
    if (typeof raw !== "object" || Array.isArray(raw)) throw new DocumentError(path, "front matter", "must be a YAML mapping");
  }
  const withDefaults = {
    id: fileStem(path),
    title: titleFromBody(body, path),
    kind: defaults.kind ?? "document",
    language: defaults.language ?? "en",
    ...(raw as Record<string, unknown>),
  };
  const parsed = frontMatterSchema.safeParse(withDefaults);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DocumentError(path, issue.path.join(".") || "front matter", issue.message);
  }
  if (body.trim().length === 0) throw new DocumentError(path, "body", "is empty: nothing to index");
  const fm = parsed.data;
  const date = fm.date instanceof Date ? fm.date.toISOString().slice(0, 10) : fm.date;
  return {
    id: fm.id,
    title: fm.title,
    publisher: fm.publisher,
    date,
    language: fm.language,
    url: fm.url,
    kind: fm.kind,
    path,
    sources: fm.sources?.map((s) => (typeof s === "string" ? { id: s } : s)),
    body,
    contentHash: hash64(text),
  };
}

/** Turns simple HTML into Markdown-like text: headings become `#` lines, block tags become line breaks. */
export function htmlToText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
  let s = html
    .replace(/<(script|style|noscript|template)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<head[^>]*>[\s\S]*?<\/head>/i, "");
  s = s.replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_, n: string, inner: string) => `\n\n${"#".repeat(Number(n))} ${inner.replace(/<[^>]+>/g, "").trim()}\n\n`);
  s = s
    .replace(/<li[^>]*>/gi, "\n- ")
    .replace(/<\/(td|th)>/gi, "\t")
    .replace(/<(br|\/p|\/div|\/tr|\/li|\/ul|\/ol|\/table|\/section|\/article|\/blockquote)[^>]*>/gi, "\n")
    .replace(/<p[^>]*>/gi, "\n\n")
    .replace(/<[^>]+>/g, "");
  s = decodeEntities(s)
    .replace(/[ \t]*\n[ \t]*/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return title && !s.startsWith("# ") ? `# ${decodeEntities(title)}\n\n${s}\n` : `${s}\n`;
}

function decodeEntities(s: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return named[e.toLowerCase()] ?? m;
  });
}
