/** The drizzle schema shared by both runtimes. One file per feature; migrations in /drizzle. */
export * from "./ask.js";
export * from "./badges.js";
export * from "./corpus.js";
export * from "./identity.js";
export * from "./lti.js";
export * from "./practice.js";
export * from "./workshop.js";
