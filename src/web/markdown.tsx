/**
 * A light Markdown-ish renderer for the source viewer: headings, paragraphs (line breaks kept), bullet
 * and numbered lists, block quotes, fenced code, `**bold**`, rules, and tables (tab-separated rows or
 * `| a | b |` rows). Every piece of text is inserted as escaped text (never raw HTML from the document),
 * and every displayed character keeps its offset in the body, so a passage `[start, end)` of the body
 * can be highlighted exactly: the text of the passage is wrapped in `<mark>` elements (split where the
 * passage crosses block boundaries; the first one carries the passage's id as its `id`).
 */
import type { Child } from "hono/jsx";

/** A run of displayed text: `body.slice(s, e)`. */
export interface Span {
  s: number;
  e: number;
  strong?: boolean;
  /** Starts a new visual line (a continuation line of a list item). */
  break?: boolean;
}

export type Block =
  | { kind: "heading"; level: number; start: number; end: number; spans: Span[] }
  | { kind: "para"; start: number; end: number; lines: Span[][] }
  | { kind: "quote"; start: number; end: number; lines: Span[][] }
  | { kind: "list"; ordered: boolean; start: number; end: number; items: Array<{ depth: number; value?: number; start: number; end: number; spans: Span[] }> }
  | { kind: "table"; start: number; end: number; rows: Array<{ header: boolean; start: number; end: number; cells: Span[][] }> }
  | { kind: "pre"; start: number; end: number }
  | { kind: "rule"; start: number; end: number };

interface Line {
  text: string;
  start: number;
  end: number;
}

const HEADING = /^(#{1,6})[ \t]+/;
const BULLET = /^([ \t]*)([-*+•・])[ \t]+/;
const ORDERED = /^([ \t]*)(\d{1,3})[.)][ \t]+/;
const FENCE = /^[ \t]*(```|~~~)/;
const RULE = /^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^[ \t]*>[ \t]?/;
const PIPE_ROW = /^[ \t]*\|.*\|[ \t]*$/;
const PIPE_SEPARATOR = /^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$/;

function splitLines(body: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  for (const raw of body.split("\n")) {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    lines.push({ text, start: pos, end: pos + text.length });
    pos += raw.length + 1;
  }
  return lines;
}

/** Trims white space off `[s, e)` of the body. */
function trimmed(body: string, s: number, e: number): [number, number] {
  while (s < e && /\s/.test(body[s]!)) s++;
  while (e > s && /\s/.test(body[e - 1]!)) e--;
  return [s, e];
}

/**
 * Inline text of `body[s, e)`: `**bold**` toggles strong (the asterisks are not shown) and a backslash
 * before punctuation is dropped (`\#` shows `#`). Everything else is shown as it is.
 */
export function inlineSpans(body: string, s: number, e: number): Span[] {
  [s, e] = trimmed(body, s, e);
  const spans: Span[] = [];
  let strong = false;
  let runStart = s;
  const flush = (to: number) => {
    if (to > runStart) spans.push(strong ? { s: runStart, e: to, strong: true } : { s: runStart, e: to });
  };
  // Bold only when the line has a closing pair, so a lone "**" stays visible.
  const pairs = (body.slice(s, e).match(/\*\*/g) ?? []).length;
  let boldMarkersLeft = pairs - (pairs % 2);
  for (let i = s; i < e; i++) {
    const ch = body[i]!;
    if (ch === "\\" && i + 1 < e && /[\\`*_{}[\]()#+\-.!|<>~]/.test(body[i + 1]!)) {
      flush(i);
      runStart = i + 1;
      i++;
      continue;
    }
    if (ch === "*" && body[i + 1] === "*" && i + 1 < e && boldMarkersLeft > 0) {
      flush(i);
      strong = !strong;
      boldMarkersLeft--;
      runStart = i + 2;
      i++;
    }
  }
  flush(e);
  return spans;
}

function cells(body: string, line: Line, separator: "\t" | "|"): Span[][] {
  const out: Span[][] = [];
  let from = line.start;
  let to = line.end;
  if (separator === "|") {
    [from, to] = trimmed(body, from, to);
    if (body[from] === "|") from++;
    if (to > from && body[to - 1] === "|" && body[to - 2] !== "\\") to--;
  }
  let cellStart = from;
  for (let i = from; i <= to; i++) {
    const atEnd = i === to;
    if (atEnd || (body[i] === separator && !(separator === "|" && body[i - 1] === "\\"))) {
      out.push(inlineSpans(body, cellStart, i));
      cellStart = i + 1;
    }
  }
  return out;
}

/** Parses the body into blocks with offsets. */
export function parseBlocks(body: string): Block[] {
  const lines = splitLines(body);
  const blocks: Block[] = [];
  let i = 0;
  const blank = (l: Line) => l.text.trim() === "";
  const isTabRow = (l: Line) => l.text.includes("\t") && l.text.trim() !== "";
  const startsBlock = (l: Line) =>
    HEADING.test(l.text) || FENCE.test(l.text) || QUOTE.test(l.text) || PIPE_ROW.test(l.text) || isTabRow(l) || BULLET.test(l.text) || ORDERED.test(l.text) || RULE.test(l.text);

  while (i < lines.length) {
    const line = lines[i]!;
    if (blank(line)) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line.text);
    if (heading) {
      const textStart = line.start + heading[0].length;
      // Drop a closing run of #s ("## Title ##").
      const closing = /[ \t]+#+[ \t]*$/.exec(line.text);
      const textEnd = closing && closing.index >= heading[0].length ? line.start + closing.index : line.end;
      blocks.push({ kind: "heading", level: heading[1]!.length, start: line.start, end: line.end, spans: inlineSpans(body, textStart, textEnd) });
      i++;
      continue;
    }
    if (FENCE.test(line.text)) {
      const fence = FENCE.exec(line.text)![1]!;
      let j = i + 1;
      while (j < lines.length && !lines[j]!.text.trimStart().startsWith(fence)) j++;
      const inner = lines.slice(i + 1, j);
      if (inner.length) blocks.push({ kind: "pre", start: inner[0]!.start, end: inner[inner.length - 1]!.end });
      i = Math.min(j + 1, lines.length);
      continue;
    }
    if (RULE.test(line.text)) {
      blocks.push({ kind: "rule", start: line.start, end: line.end });
      i++;
      continue;
    }
    if (PIPE_ROW.test(line.text) || isTabRow(line)) {
      const pipe = PIPE_ROW.test(line.text);
      const rows: Array<{ header: boolean; start: number; end: number; cells: Span[][] }> = [];
      let j = i;
      while (j < lines.length && (pipe ? PIPE_ROW.test(lines[j]!.text) || PIPE_SEPARATOR.test(lines[j]!.text) : isTabRow(lines[j]!))) {
        const l = lines[j]!;
        if (pipe && PIPE_SEPARATOR.test(l.text) && !/[^\s|:-]/.test(l.text)) {
          if (rows.length) rows[rows.length - 1]!.header = true;
        } else {
          rows.push({ header: false, start: l.start, end: l.end, cells: cells(body, l, pipe ? "|" : "\t") });
        }
        j++;
      }
      if (rows.length) blocks.push({ kind: "table", start: lines[i]!.start, end: lines[j - 1]!.end, rows });
      i = j;
      continue;
    }
    if (QUOTE.test(line.text)) {
      const quoteLines: Span[][] = [];
      let j = i;
      while (j < lines.length && QUOTE.test(lines[j]!.text)) {
        const l = lines[j]!;
        quoteLines.push(inlineSpans(body, l.start + QUOTE.exec(l.text)![0].length, l.end));
        j++;
      }
      blocks.push({ kind: "quote", start: line.start, end: lines[j - 1]!.end, lines: quoteLines.filter((s) => s.length) });
      i = j;
      continue;
    }
    const bullet = BULLET.exec(line.text);
    const ordered = ORDERED.exec(line.text);
    if (bullet || ordered) {
      const isOrdered = !bullet;
      const items: Array<{ depth: number; value?: number; start: number; end: number; spans: Span[] }> = [];
      let j = i;
      while (j < lines.length) {
        const l = lines[j]!;
        const b = BULLET.exec(l.text);
        const o = ORDERED.exec(l.text);
        const m = isOrdered ? o : b;
        if (m) {
          const depth = Math.floor(m[1]!.replace(/\t/g, "  ").length / 2);
          items.push({ depth, ...(isOrdered ? { value: Number(m[2]) } : {}), start: l.start, end: l.end, spans: inlineSpans(body, l.start + m[0].length, l.end) });
          j++;
          continue;
        }
        // An indented, non-blank line without a marker continues the previous item.
        if (!blank(l) && /^[ \t]+\S/.test(l.text) && !startsBlock(l) && items.length) {
          const last = items[items.length - 1]!;
          last.spans.push(...inlineSpans(body, l.start, l.end).map((s, k) => (k === 0 ? { ...s, break: true } : s)));
          last.end = l.end;
          j++;
          continue;
        }
        break;
      }
      blocks.push({ kind: "list", ordered: isOrdered, start: line.start, end: lines[j - 1]!.end, items });
      i = j;
      continue;
    }
    // A paragraph: consecutive lines until a blank line or the start of another block.
    const paraLines: Span[][] = [];
    let j = i;
    while (j < lines.length && !blank(lines[j]!) && (j === i || !startsBlock(lines[j]!))) {
      const l = lines[j]!;
      paraLines.push(inlineSpans(body, l.start, l.end));
      j++;
    }
    blocks.push({ kind: "para", start: line.start, end: lines[j - 1]!.end, lines: paraLines.filter((s) => s.length) });
    i = j;
  }
  return blocks;
}

/** What to highlight: the cited passage `[start, end)` of the body, and optionally the quoted part inside it. */
export interface Highlight {
  id: string;
  start: number;
  end: number;
  quote?: { start: number; end: number };
}

interface RenderState {
  body: string;
  highlight?: Highlight;
  idUsed: boolean;
}

function overlaps(h: Highlight | undefined, start: number, end: number): boolean {
  return !!h && h.start < end && h.end > start;
}

/** Renders one span, cut where the highlight and the quote begin and end. */
function renderSpan(span: Span, st: RenderState): Child[] {
  const h = st.highlight;
  const cuts = new Set([span.s, span.e]);
  if (h) for (const p of [h.start, h.end, h.quote?.start, h.quote?.end]) if (p !== undefined && p > span.s && p < span.e) cuts.add(p);
  const points = [...cuts].sort((a, b) => a - b);
  const out: Child[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const text = st.body.slice(a, b);
    let node: Child = text;
    if (h && a >= h.start && b <= h.end) {
      const inQuote = !!h.quote && a >= h.quote.start && b <= h.quote.end;
      const id = st.idUsed ? undefined : h.id;
      st.idUsed = true;
      node = (
        <mark class="passage" id={id} data-chunk={h.id}>
          {inQuote ? <strong class="quote">{text}</strong> : text}
        </mark>
      );
    }
    out.push(span.strong ? <b>{node}</b> : node);
  }
  return out;
}

function renderSpans(spans: Span[], st: RenderState): Child[] {
  const out: Child[] = [];
  spans.forEach((s, k) => {
    if (s.break && k > 0) out.push(<br />);
    out.push(...renderSpan(s, st));
  });
  return out;
}

function renderLines(lines: Span[][], st: RenderState): Child[] {
  const out: Child[] = [];
  lines.forEach((spans, k) => {
    if (k > 0) out.push(<br />);
    out.push(...renderSpans(spans, st));
  });
  return out;
}

function cls(st: RenderState, start: number, end: number, base?: string): string | undefined {
  const names = [base, overlaps(st.highlight, start, end) ? "in-passage" : undefined].filter(Boolean);
  return names.length ? names.join(" ") : undefined;
}

function renderBlock(block: Block, st: RenderState): Child {
  switch (block.kind) {
    case "heading": {
      // The page's own <h1> is the document title, so document headings start at <h2>.
      const level = Math.min(block.level + 1, 6);
      const content = renderSpans(block.spans, st);
      const c = cls(st, block.start, block.end);
      if (level === 2) return <h2 class={c}>{content}</h2>;
      if (level === 3) return <h3 class={c}>{content}</h3>;
      if (level === 4) return <h4 class={c}>{content}</h4>;
      if (level === 5) return <h5 class={c}>{content}</h5>;
      return <h6 class={c}>{content}</h6>;
    }
    case "para":
      return <p class={cls(st, block.start, block.end)}>{renderLines(block.lines, st)}</p>;
    case "quote":
      return <blockquote class={cls(st, block.start, block.end)}>{renderLines(block.lines, st)}</blockquote>;
    case "rule":
      return <hr />;
    case "pre":
      return <pre class={cls(st, block.start, block.end)}>{renderSpan({ s: block.start, e: block.end }, st)}</pre>;
    case "list": {
      const items = block.items.map((item) => (
        <li class={cls(st, item.start, item.end, item.depth > 0 ? `depth-${Math.min(item.depth, 4)}` : undefined)} value={item.value}>
          {renderSpans(item.spans, st)}
        </li>
      ));
      return block.ordered ? <ol class={cls(st, block.start, block.end)}>{items}</ol> : <ul class={cls(st, block.start, block.end)}>{items}</ul>;
    }
    case "table": {
      const width = Math.max(...block.rows.map((r) => r.cells.length));
      return (
        <div class="table-wrap" role="region" tabindex={0}>
          <table>
            <tbody>
              {block.rows.map((row) => (
                <tr class={cls(st, row.start, row.end)}>
                  {Array.from({ length: width }, (_, k) => {
                    const content = renderSpans(row.cells[k] ?? [], st);
                    return row.header ? <th scope="col">{content}</th> : <td>{content}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
  }
}

/** The document body as escaped HTML blocks, with the passage (if any) highlighted. */
export function DocumentBody(props: { body: string; highlight?: Highlight }) {
  const st: RenderState = { body: props.body, highlight: props.highlight, idUsed: false };
  return <>{parseBlocks(props.body).map((b) => renderBlock(b, st))}</>;
}
