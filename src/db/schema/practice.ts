import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { learners } from "./identity.js";

/**
 * One graded practice attempt. Mastery, spaced review and path progress are derived from these
 * rows (see src/core/practice/mastery.ts); no mastery state is stored beside them.
 */
export const attempts = sqliteTable(
  "attempts",
  {
    id: text("id").primaryKey(),
    learnerId: text("learner_id")
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    /** Authored scenario id, or `gen-<type>-<seed>` for a generated case. */
    scenarioId: text("scenario_id").notNull(),
    skill: text("skill").notNull(),
    type: text("type").notNull(),
    difficulty: integer("difficulty").notNull(),
    /** Seed of a generated case (null for authored cases). */
    seed: integer("seed"),
    /** JSON: the validated answer (free-text justification masked before storage). */
    answer: text("answer").notNull(),
    score: real("score").notNull(),
    maxScore: real("max_score").notNull(),
    /** JSON: the graded items as returned to the learner (with feedback and citations). */
    items: text("items").notNull(),
    /** When the learner opened the case, if the page sent it. */
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** A workshop answer: its score and feedback (which give the key away) stay hidden until the reveal. */
    withheld: integer("withheld", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("attempts_learner").on(t.learnerId, t.createdAt), index("attempts_scenario").on(t.scenarioId)],
);

/**
 * The first time a learner completed a training-path module. The unique index makes the
 * completion hooks (LTI grade passback, badges) fire exactly once per learner and module.
 */
export const moduleCompletions = sqliteTable(
  "module_completions",
  {
    id: text("id").primaryKey(),
    learnerId: text("learner_id")
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    pathId: text("path_id").notNull(),
    moduleId: text("module_id").notNull(),
    /** Sum of the learner's best score on each case of the module at completion. */
    score: real("score").notNull(),
    maxScore: real("max_score").notNull(),
    /** The attempt that completed the module. */
    attemptId: text("attempt_id"),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("module_completions_learner_module").on(t.learnerId, t.pathId, t.moduleId)],
);
