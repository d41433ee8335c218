/**
 * `npm run lti:add-platform -- --issuer URL --client-id ID --auth-url URL --token-url URL
 * --jwks-url URL --deployment-id ID [--deployment-id ID2] [--name NAME]`: registers an LMS by hand
 * in the database the server uses (FCE_DB_PATH, else FCE_DATA_DIR/fce.db). Re-running with the same
 * issuer and client id updates the endpoints and adds deployments.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../../../adapters/node/database.js";
import type { AppDatabase } from "../../../db/types.js";
import { dbPath, loadEnv } from "../../../env.js";
import { systemClock } from "../../../ports.js";
import { DrizzleLtiStorage } from "../storage.js";

export const USAGE = `Usage: npm run lti:add-platform -- --issuer URL --client-id ID --auth-url URL --token-url URL --jwks-url URL --deployment-id ID [--deployment-id ID ...] [--name NAME]

  --issuer         the platform's issuer (iss), e.g. https://moodle.example.ac.jp or https://canvas.instructure.com
  --client-id      the client id the platform gave FCE Coach
  --auth-url       the platform's OIDC authentication request URL
  --token-url      the platform's OAuth 2 access token URL
  --jwks-url       the platform's public keyset URL
  --deployment-id  the deployment id (repeat for several)
  --name           a label for the platform (defaults to the issuer's host)`;

export interface CliResult {
  code: number;
  out: string[];
  err: string[];
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function checkUrl(flag: string, value: string | undefined, errors: string[]): string | undefined {
  if (value === undefined || value.trim() === "") {
    errors.push(`--${flag} is required`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    errors.push(`--${flag} must be an absolute URL (got "${value}")`);
    return undefined;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
    errors.push(`--${flag} must use https (http is only allowed for localhost), got "${value}"`);
    return undefined;
  }
  if (url.hash) {
    errors.push(`--${flag} must not have a #fragment (got "${value}")`);
    return undefined;
  }
  return value.trim();
}

function checkId(flag: string, value: string | undefined, errors: string[]): string | undefined {
  if (value === undefined || value.trim() === "") {
    errors.push(`--${flag} is required`);
    return undefined;
  }
  if (value.trim().length > 255) {
    errors.push(`--${flag} is too long (at most 255 characters)`);
    return undefined;
  }
  return value.trim();
}

export async function addPlatformCommand(argv: string[], envSource: Record<string, string | undefined> = process.env): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        issuer: { type: "string" },
        "client-id": { type: "string" },
        "auth-url": { type: "string" },
        "token-url": { type: "string" },
        "jwks-url": { type: "string" },
        "deployment-id": { type: "string", multiple: true },
        name: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    err.push(`Error: ${(e as Error).message}`, "", USAGE);
    return { code: 2, out, err };
  }
  if (values.help) return { code: 0, out: [USAGE], err };

  const errors: string[] = [];
  const issuer = checkUrl("issuer", values.issuer as string | undefined, errors);
  const clientId = checkId("client-id", values["client-id"] as string | undefined, errors);
  const authUrl = checkUrl("auth-url", values["auth-url"] as string | undefined, errors);
  const tokenUrl = checkUrl("token-url", values["token-url"] as string | undefined, errors);
  const jwksUrl = checkUrl("jwks-url", values["jwks-url"] as string | undefined, errors);
  const rawDeployments = (values["deployment-id"] as string[] | undefined) ?? [];
  const deployments: string[] = [];
  if (rawDeployments.length === 0) errors.push("--deployment-id is required");
  for (const d of rawDeployments) {
    const id = checkId("deployment-id", d, errors);
    if (id) deployments.push(id);
  }
  if (issuer && (issuer.includes("?") || issuer.includes("#"))) errors.push(`--issuer must not have a query or fragment (got "${issuer}")`);
  if (errors.length || !issuer || !clientId || !authUrl || !tokenUrl || !jwksUrl) {
    for (const e of errors) err.push(`Error: ${e}`);
    err.push("", USAGE);
    return { code: 2, out, err };
  }

  let env;
  try {
    env = loadEnv(envSource);
  } catch (e) {
    err.push((e as Error).message);
    return { code: 1, out, err };
  }
  const file = dbPath(env);
  const db = openDatabase(file);
  try {
    const storage = new DrizzleLtiStorage(db as unknown as AppDatabase, systemClock);
    const name = (values.name as string | undefined)?.trim() || new URL(issuer).host;
    const platformId = await storage.upsertPlatform({ name, issuer, clientId, authUrl, tokenUrl, jwksUrl });
    for (const d of deployments) await storage.addDeployment(platformId, { deploymentId: d, name: `Added with lti:add-platform` });
    const base = (env.FCE_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
    out.push(
      `Registered ${name}: issuer ${issuer}, client_id ${clientId}, deployment${deployments.length > 1 ? "s" : ""} ${deployments.join(", ")}`,
      `Database: ${file}`,
      "",
      "On the platform, configure FCE Coach with:",
      `  Login initiation URL:   ${base}/lti/login`,
      `  Redirect / launch URL:  ${base}/lti/launch`,
      `  Public keyset (JWKS):   ${base}/lti/jwks`,
      `  Deep linking URL:       ${base}/lti/launch`,
    );
    return { code: 0, out, err };
  } finally {
    db.$client.close();
  }
}
