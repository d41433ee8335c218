/** The drizzle schema shared by both runtimes. One file per feature; migrations in /drizzle. */
export * from "./corpus.js";
export * from "./identity.js";
