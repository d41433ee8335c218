/**
 * Writes the `credential` practice cases to scenarios/credential-*.yaml (fresh keys each run):
 *   npx tsx tests/badges/generate-credential-cases.ts [--out DIR]
 * tests/badges/cases.test.ts re-verifies the written files.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { credentialCaseYaml, generateCredentialCase, type CredentialCaseKind } from "../../src/core/badges/cases.js";

const PLAN: Array<[CredentialCaseKind, number]> = [
  ["genuine_jp", 1],
  ["genuine_jp", 2],
  ["genuine_ects", 1],
  ["altered", 1],
  ["expired", 1],
  ["issuer_mismatch", 1],
  ["revoked", 1],
  ["unsigned", 1],
  ["no_workload_criteria", 1],
];

const outIndex = process.argv.indexOf("--out");
const out = outIndex > 0 ? (process.argv[outIndex + 1] ?? "scenarios") : "scenarios";
const now = new Date();
const ids = new Set<string>();
for (const [kind, seed] of PLAN) {
  const c = await generateCredentialCase(kind, seed, now);
  if (ids.has(c.id)) throw new Error(`duplicate id ${c.id}`);
  ids.add(c.id);
  writeFileSync(join(out, `${c.id}.yaml`), credentialCaseYaml(c));
  console.log(`wrote ${join(out, `${c.id}.yaml`)}`);
}
