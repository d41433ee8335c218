/** Shared setup of the LTI tests: a small runtime, the emulator registered, and a launch driver. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createNodeRuntime, type NodeRuntime } from "../../src/adapters/node/runtime.js";
import { ltiService } from "../../src/channels/lti/index.js";
import { loadEnv } from "../../src/env.js";
import { tempDir } from "../helpers/temp.js";
import type { LaunchSpec, PlatformEmulator } from "./platform-emulator.js";

export const MODULES = [
  { id: "fce-basics", title: "FCE basics: recognise unless a substantial difference" },
  { id: "mill-detection", title: "Spotting diploma mills", description: "Accreditation mills and look-alike names" },
];

export interface LtiTestRuntime extends NodeRuntime {
  dataDir: string;
  count: (table: string) => number;
}

/** A folder with a one-card corpus and an empty scenario folder (fast to index). */
export function fixtureFolders(): { root: string; corpus: string; scenarios: string; cleanup: () => void } {
  const tmp = tempDir("fce-lti-");
  const corpus = join(tmp.path, "corpus");
  const scenarios = join(tmp.path, "scenarios");
  mkdirSync(corpus, { recursive: true });
  mkdirSync(join(scenarios, "paths"), { recursive: true });
  writeFileSync(
    join(corpus, "card.md"),
    "---\nid: lti-card\ntitle: Recognition\nlanguage: en\nkind: card\n---\n\n# Recognition\n\nA foreign qualification is recognised unless a substantial difference can be shown.\n",
  );
  return { root: tmp.path, corpus, scenarios, cleanup: tmp.cleanup };
}

/** A Node runtime over the fixture folders; `dataDir` may be reused to simulate a restart. */
export async function ltiRuntime(folders: { corpus: string; scenarios: string }, dataDir: string, env: Record<string, string> = {}): Promise<LtiTestRuntime> {
  const rt = await createNodeRuntime(
    loadEnv({ FCE_CORPUS_DIR: folders.corpus, FCE_SCENARIOS_DIR: folders.scenarios, FCE_DATA_DIR: dataDir, FCE_EMBEDDINGS: "hashed", FCE_LTI_OUTBOX_INTERVAL_MS: "0", ...env }),
    { log: () => {}, refreshIntervalMs: 0 },
  );
  // The practice feature fills these ports in production; the tests use fixtures.
  rt.deps.listModules = () => MODULES;
  rt.deps.progressFor = (learnerId: string) => ({ summary: `progress of ${learnerId}: 3 of 6 cases`, fraction: 0.5 });
  return {
    ...rt,
    dataDir,
    count: (table: string) => (rt.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
  };
}

/** Registers the emulator's platform and deployment (what lti:add-platform does). */
export async function registerEmulator(rt: NodeRuntime, emu: PlatformEmulator): Promise<void> {
  const storage = ltiService(rt.deps).storage;
  const id = await storage.upsertPlatform({ name: "Emulated LMS", issuer: emu.issuer, clientId: emu.clientId, authUrl: emu.authUrl, tokenUrl: emu.tokenUrl, jwksUrl: emu.jwksUrl });
  await storage.addDeployment(id, { deploymentId: emu.deploymentId });
}

export function connect(emu: PlatformEmulator, rt: () => NodeRuntime): void {
  emu.toolJwks = async () => (await (await rt().app.request("http://localhost/lti/jwks")).json()) as never;
}

export interface LaunchResult {
  status: number;
  location: string | null;
  body: string;
  json: { error?: string } | undefined;
  session: string | null;
  cookie: string | null;
  auth: { idToken: string; state: string; nonce: string; claims: Record<string, unknown> };
}

/** Starts the login at the tool, lets the platform authenticate, and posts the id_token to the tool. */
export async function startLogin(rt: NodeRuntime, emu: PlatformEmulator, spec: LaunchSpec): Promise<string> {
  const params = emu.prepareLaunch(spec);
  const res = await rt.app.request(`http://localhost/lti/login?${new URLSearchParams(params).toString()}`);
  if (res.status !== 302) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return res.headers.get("location")!;
}

export async function postLaunch(rt: NodeRuntime, idToken: string, state: string, headers: Record<string, string> = {}): Promise<Response> {
  return rt.app.request("http://localhost/lti/launch", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ id_token: idToken, state }).toString(),
  });
}

export async function readLaunch(res: Response, auth: LaunchResult["auth"]): Promise<LaunchResult> {
  const body = await res.text();
  let json: { error?: string } | undefined;
  try {
    json = JSON.parse(body) as { error?: string };
  } catch {
    json = undefined;
  }
  const location = res.headers.get("location");
  const session = location ? new URL(location, "http://localhost").searchParams.get("session") : (/name="session" value="([^"]+)"/.exec(body)?.[1] ?? null);
  return { status: res.status, location, body, json, session, cookie: res.headers.get("set-cookie"), auth };
}

/** The whole launch: login -> platform auth (over HTTP when `viaHttp`) -> launch. */
export async function launch(rt: NodeRuntime, emu: PlatformEmulator, spec: LaunchSpec, viaHttp = false): Promise<LaunchResult> {
  const authUrl = await startLogin(rt, emu, spec);
  let auth: LaunchResult["auth"];
  if (viaHttp) {
    const page = await (await fetch(authUrl)).text();
    const action = /action="([^"]+)"/.exec(page)![1]!;
    const idToken = /name="id_token" value="([^"]+)"/.exec(page)![1]!;
    const state = /name="state" value="([^"]+)"/.exec(page)![1]!;
    if (action !== "http://localhost/lti/launch") throw new Error(`platform posts to ${action}`);
    auth = { idToken, state, nonce: new URL(authUrl).searchParams.get("nonce")!, claims: {} };
  } else {
    auth = await emu.authorize(authUrl);
  }
  return readLaunch(await postLaunch(rt, auth.idToken, auth.state), auth);
}
