import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Source documents of the current index generation (front matter + body that citations quote). */
export const documents = sqliteTable("documents", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  publisher: text("publisher"),
  date: text("date"),
  language: text("language").notNull(),
  url: text("url"),
  kind: text("kind").notNull(),
  path: text("path").notNull(),
  /** JSON array of {id?, title?, url?}. */
  sources: text("sources"),
  body: text("body").notNull(),
  contentHash: text("content_hash").notNull(),
});

/** Passages of the current index generation. */
export const chunks = sqliteTable(
  "chunks",
  {
    id: text("id").primaryKey(),
    documentId: text("document_id").notNull(),
    position: integer("position").notNull(),
    /** JSON array of headings, outermost first. */
    headingPath: text("heading_path").notNull(),
    text: text("text").notNull(),
    start: integer("start").notNull(),
    end: integer("end").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("chunks_document_idx").on(t.documentId, t.position)],
);

/** Key/value facts about the index: `generation` names the folder of the live on-disk index. */
export const indexMeta = sqliteTable("index_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
