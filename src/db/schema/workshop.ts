import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { learners } from "./identity.js";

/**
 * A live workshop: a facilitator runs cases for a room of participants who join with `code`.
 * `owner` is "admin" (the admin token) or `lti:<issuer>|<context id>` (instructors of one LMS course).
 * `seq` is the last event number (the SSE ids of `workshop_events`), bumped by one UPDATE ... RETURNING.
 */
export const workshops = sqliteTable(
  "workshops",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    title: text("title").notNull(),
    owner: text("owner").notNull(),
    /** The LTI instructor who created it (null for the admin token). */
    createdBy: text("created_by"),
    /** "active" | "ended" */
    status: text("status").notNull(),
    /** Position of the case on screen (null before the first is opened). */
    currentPosition: integer("current_position"),
    seq: integer("seq").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("workshops_code").on(t.code), index("workshops_owner").on(t.owner, t.createdAt)],
);

/** The cases of a workshop in order, each with its state: "pending" | "open" | "closed" | "revealed". */
export const workshopCases = sqliteTable(
  "workshop_cases",
  {
    workshopId: text("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Authored scenario id or a generated one (`gen-mill-42`). */
    scenarioId: text("scenario_id").notNull(),
    state: text("state").notNull(),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    revealedAt: integer("revealed_at", { mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.workshopId, t.position] })],
);

/** Who joined a workshop, and from where ("web" | "lti" | "slack"). One row per learner. */
export const workshopParticipants = sqliteTable(
  "workshop_participants",
  {
    id: text("id").primaryKey(),
    workshopId: text("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    learnerId: text("learner_id")
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    channel: text("channel").notNull(),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("workshop_participants_learner").on(t.workshopId, t.learnerId), index("workshop_participants_joined").on(t.workshopId, t.joinedAt)],
);

/**
 * One answer per participant and case. The row is reserved first (the unique index decides a double
 * submit), then the practice service grades and stores the attempt and the row gets `attempt_id` and
 * the score. A reservation without an attempt (a crash mid-grading) may be taken over after a while.
 */
export const workshopAnswers = sqliteTable(
  "workshop_answers",
  {
    id: text("id").primaryKey(),
    workshopId: text("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    scenarioId: text("scenario_id").notNull(),
    learnerId: text("learner_id")
      .notNull()
      .references(() => learners.id, { onDelete: "cascade" }),
    /** JSON: the validated answer (justification masked), as graded. */
    answer: text("answer").notNull(),
    attemptId: text("attempt_id"),
    score: real("score"),
    maxScore: real("max_score"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    gradedAt: integer("graded_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("workshop_answers_one").on(t.workshopId, t.position, t.learnerId), index("workshop_answers_learner").on(t.workshopId, t.learnerId)],
);

/**
 * The live views' event log (the SSE stream): `seq` is the event id a browser sends back as
 * Last-Event-ID. `audience` "all" (participants too) or "facilitator". `data` is JSON.
 */
export const workshopEvents = sqliteTable(
  "workshop_events",
  {
    workshopId: text("workshop_id")
      .notNull()
      .references(() => workshops.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    audience: text("audience").notNull(),
    position: integer("position"),
    data: text("data").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workshopId, t.seq] })],
);
