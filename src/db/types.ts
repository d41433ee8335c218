import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema/index.js";

/**
 * A drizzle database over the shared schema, sync (better-sqlite3 on Node) or async (D1 on Workers).
 * Repositories `await` every query and use no interactive transactions, so they run on both.
 */
export type AppDatabase = BaseSQLiteDatabase<"sync" | "async", unknown, typeof schema>;
