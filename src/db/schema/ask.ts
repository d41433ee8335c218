import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A conversation: questions asked in sequence (follow-ups are resolved with its earlier turns). */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    learnerId: text("learner_id"),
    /** "web" | "slack" | "lti" */
    channel: text("channel").notNull(),
    /** Channel key, e.g. a Slack thread (`${team}:${channel}:${thread_ts}`), to find the conversation again. */
    channelKey: text("channel_key"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("conversations_channel_key").on(t.channelKey), index("conversations_learner").on(t.learnerId)],
);

/** One question and the answer given to it, with its citations. */
export const answers = sqliteTable(
  "answers",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    /** The question as asked (personal data masked before storage). */
    question: text("question").notNull(),
    /** The standalone query the question was resolved to (follow-ups). */
    resolvedQuery: text("resolved_query").notNull(),
    answer: text("answer").notNull(),
    abstained: integer("abstained", { mode: "boolean" }).notNull(),
    mode: text("mode").notNull(),
    support: real("support").notNull(),
    /** JSON array of citations. */
    citations: text("citations").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("answers_conversation").on(t.conversationId, t.createdAt), index("answers_created").on(t.createdAt)],
);

/** Helpful / not helpful votes on answers, from the web page or Slack buttons. */
export const answerFeedback = sqliteTable(
  "answer_feedback",
  {
    id: text("id").primaryKey(),
    answerId: text("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    helpful: integer("helpful", { mode: "boolean" }).notNull(),
    comment: text("comment"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("answer_feedback_answer").on(t.answerId)],
);
