import { desc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../app.js";
import { answerFeedback, answers } from "../db/schema/index.js";
import { askQuestion, MAX_QUESTION_CHARS, recordFeedback, sourceUrl } from "../services/ask.js";
import { requireAdmin } from "./admin-auth.js";
import { currentSession } from "./session.js";
import { parseOr400, readJson } from "./http-error.js";

const askBody = z.object({
  question: z
    .string({ error: "is required (a string)" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_QUESTION_CHARS, `must be at most ${MAX_QUESTION_CHARS} characters`),
  conversationId: z.string().min(1).max(100).optional(),
});

const feedbackBody = z.object({
  helpful: z.boolean({ error: "is required (true or false)" }),
  comment: z.string().max(2000, "must be at most 2000 characters").optional(),
});

/** The start of a related passage (the link opens it whole), cut at a word boundary. */
function snippet(text: string, max = 280): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const at = cut.lastIndexOf(" ");
  return `${(at > max * 0.6 ? cut.slice(0, at) : cut).trimEnd()} …`;
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  // Quote every cell; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function askRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.post("/api/ask", async (c) => {
    const body = parseOr400(askBody, await readJson(c.req), "body");
    const session = await currentSession(deps, c);
    const out = await askQuestion(deps, { question: body.question, conversationId: body.conversationId, channel: "web", learnerId: session?.learner.id });
    const { result } = out;
    return c.json({
      answerId: out.answerId,
      answer: result.answer,
      abstained: result.abstained,
      citations: result.citations.map((ci) => ({
        n: ci.n,
        chunkId: ci.chunkId,
        documentId: ci.documentId,
        title: ci.title,
        date: ci.date ?? null,
        quote: ci.quote,
        url: ci.url ?? sourceUrl(ci.chunkId, ci.documentId),
      })),
      related: result.related.map((p) => ({
        chunkId: p.chunk.id,
        documentId: p.chunk.documentId,
        title: p.document.title,
        date: p.document.date ?? null,
        text: snippet(p.chunk.text),
        url: sourceUrl(p.chunk.id, p.chunk.documentId),
      })),
      conversationId: out.conversationId,
      mode: result.mode,
    });
  });

  app.post("/api/answers/:id/feedback", async (c) => {
    const body = parseOr400(feedbackBody, await readJson(c.req), "body");
    const id = await recordFeedback(deps, c.req.param("id"), body.helpful, body.comment);
    return c.json({ id, stored: true }, 201);
  });

  app.get("/api/admin/report", async (c) => {
    await requireAdmin(deps, c);
    const limit = 50;
    const mostAsked = await deps.db
      .select({ question: sql<string>`lower(trim(${answers.question}))`, count: sql<number>`count(*)`, lastAsked: sql<number>`max(${answers.createdAt})` })
      .from(answers)
      .groupBy(sql`lower(trim(${answers.question}))`)
      .orderBy(desc(sql`count(*)`), desc(sql`max(${answers.createdAt})`))
      .limit(limit);
    const abstained = await deps.db
      .select({ answerId: answers.id, question: answers.question, askedAt: answers.createdAt })
      .from(answers)
      .where(eq(answers.abstained, true))
      .orderBy(desc(answers.createdAt))
      .limit(limit);
    const unhelpful = await deps.db
      .select({ answerId: answers.id, question: answers.question, answer: answers.answer, comment: answerFeedback.comment, at: answerFeedback.createdAt })
      .from(answerFeedback)
      .innerJoin(answers, eq(answers.id, answerFeedback.answerId))
      .where(eq(answerFeedback.helpful, false))
      .orderBy(desc(answerFeedback.createdAt))
      .limit(limit);
    const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === "number" ? new Date(v).toISOString() : v);
    const report = {
      mostAsked: mostAsked.map((r) => ({ question: r.question, count: Number(r.count), lastAsked: iso(r.lastAsked) })),
      abstained: abstained.map((r) => ({ ...r, askedAt: iso(r.askedAt) })),
      unhelpful: unhelpful.map((r) => ({ ...r, at: iso(r.at) })),
    };
    if (c.req.query("format") === "csv") {
      const lines = [["section", "question", "count", "answer_id", "comment", "at"].map(csvCell).join(",")];
      for (const r of report.mostAsked) lines.push(["most_asked", r.question, r.count, "", "", r.lastAsked].map(csvCell).join(","));
      for (const r of report.abstained) lines.push(["abstained", r.question, "", r.answerId, "", r.askedAt].map(csvCell).join(","));
      for (const r of report.unhelpful) lines.push(["unhelpful", r.question, "", r.answerId, r.comment, r.at].map(csvCell).join(","));
      return c.body(lines.join("\r\n") + "\r\n", 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="fce-coach-report.csv"' });
    }
    return c.json(report);
  });

  return app;
}
