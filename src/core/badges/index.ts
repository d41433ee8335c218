/**
 * Micro-credentials: Open Badges 3.0 credentials for completed training, signed as VC-JWTs (ES256,
 * jose over WebCrypto), with published and rotating keys, a revocation status list, a verifier with
 * per-check results, and the `credential` practice case type. Runs on Node and Workers.
 */
export * from "./credential.js";
export * from "./keys.js";
export * from "./status-list.js";
export * from "./verify.js";
export * from "./store.js";
export * from "./issue.js";
export * from "./cases.js";
