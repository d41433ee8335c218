import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { addPlatformCommand } from "../../src/channels/lti/node/add-platform.js";
import { connect, fixtureFolders, launch, ltiRuntime, postLaunch, type LtiTestRuntime } from "./helpers.js";
import { PlatformEmulator, ROLE, SCORE_SCOPE, NRPS_SCOPE } from "./platform-emulator.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("LTI Dynamic Registration", () => {
  const emu = new PlatformEmulator();
  let folders: ReturnType<typeof fixtureFolders>;
  let rt: LtiTestRuntime;

  beforeAll(async () => {
    await emu.start();
    folders = fixtureFolders();
    rt = await ltiRuntime(folders, join(folders.root, "data"));
    connect(emu, () => rt);
  });
  afterAll(async () => {
    rt.close();
    folders.cleanup();
    await emu.close();
  });

  const registerUrl = () =>
    `http://localhost/lti/register?${new URLSearchParams({ openid_configuration: `${emu.issuer}/.well-known/openid-configuration`, registration_token: emu.registrationToken }).toString()}`;

  it("registers with the platform from one URL and stores the client and deployment; launches then work", async () => {
    const start = await rt.app.request(registerUrl());
    expect(start.status).toBe(200);
    const form = await start.text();
    const sessionToken = /name="sessionToken" value="([^"]+)"/.exec(form)![1]!;
    expect(form).toContain('action="/lti/register/complete"');
    for (const service of ["ags", "nrps", "deep_linking"]) expect(form).toContain(`value="${service}"`);

    const body = new URLSearchParams({ sessionToken });
    for (const service of ["ags", "nrps", "deep_linking"]) body.append("services", service);
    const done = await rt.app.request("http://localhost/lti/register/complete", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(page).toContain(emu.registeredClientId);
    expect(page).toContain(emu.registeredDeploymentId);
    // The close message for the LMS dialog comes from a script file (the app's CSP allows no inline script).
    expect(page).toContain('src="../registration-done.js"');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)|onclick=/);
    const script = await (await rt.app.request("http://localhost/lti/registration-done.js")).text();
    expect(script).toContain('postMessage({ subject: "org.imsglobal.lti.close" }');

    // What the platform received.
    expect(emu.registrations).toHaveLength(1);
    const { auth: regAuth, body: reg } = emu.registrations[0]!;
    expect(regAuth).toBe(`Bearer ${emu.registrationToken}`);
    expect(reg).toMatchObject({
      application_type: "web",
      response_types: ["id_token"],
      initiate_login_uri: "http://localhost/lti/login",
      jwks_uri: "http://localhost/lti/jwks",
      token_endpoint_auth_method: "private_key_jwt",
      client_name: "FCE Coach",
    });
    expect(reg.redirect_uris).toContain("http://localhost/lti/launch");
    expect(String(reg.scope).split(" ")).toEqual(expect.arrayContaining([SCORE_SCOPE, NRPS_SCOPE]));
    const toolConfig = reg["https://purl.imsglobal.org/spec/lti-tool-configuration"] as { messages: Array<{ type: string; target_link_uri?: string }>; domain: string };
    expect(toolConfig.domain).toBe("localhost");
    expect(toolConfig.messages).toEqual(expect.arrayContaining([expect.objectContaining({ type: "LtiDeepLinkingRequest", target_link_uri: "http://localhost/lti/launch" })]));

    // What we stored.
    const platform = rt.db.$client.prepare("SELECT id, issuer, client_id, auth_url, token_url, jwks_url FROM lti_platforms WHERE client_id = ?").get(emu.registeredClientId) as Record<string, string>;
    expect(platform).toMatchObject({ issuer: emu.issuer, auth_url: emu.authUrl, token_url: emu.tokenUrl, jwks_url: emu.jwksUrl });
    const deployment = rt.db.$client.prepare("SELECT deployment_id FROM lti_deployments WHERE platform_id = ?").get(platform.id) as { deployment_id: string };
    expect(deployment.deployment_id).toBe(emu.registeredDeploymentId);

    // A launch through the new registration (its client id and deployment) is accepted.
    const params = { ...emu.prepareLaunch({ user: { id: "dr-student", roles: [ROLE.learner] }, link: emu.addLink("fce-basics") }), client_id: emu.registeredClientId, lti_deployment_id: emu.registeredDeploymentId };
    const login = await rt.app.request(`http://localhost/lti/login?${new URLSearchParams(params).toString()}`);
    expect(login.status).toBe(302);
    const authUrl = login.headers.get("location")!;
    expect(new URL(authUrl).searchParams.get("client_id")).toBe(emu.registeredClientId);
    const auth = await emu.authorize(authUrl);
    const r = await postLaunch(rt, auth.idToken, auth.state);
    expect(r.status).toBe(303);
    expect(new URL(r.headers.get("location")!).searchParams.get("module")).toBe("fce-basics");
  });

  it("refuses a reused or expired registration form, a missing openid_configuration and a configuration the platform refuses", async () => {
    const start = await rt.app.request(registerUrl());
    const sessionToken = /name="sessionToken" value="([^"]+)"/.exec(await start.text())![1]!;
    const submit = () =>
      rt.app.request("http://localhost/lti/register/complete", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ sessionToken, services: "ags" }).toString() });
    expect((await submit()).status).toBe(200);
    const again = await submit();
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toMatch(/expired or was already submitted/);

    const missing = await rt.app.request("http://localhost/lti/register");
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toMatch(/openid_configuration/);

    const badToken = await rt.app.request(`http://localhost/lti/register?${new URLSearchParams({ openid_configuration: `${emu.issuer}/.well-known/openid-configuration`, registration_token: "wrong" })}`);
    expect(badToken.status).toBe(400);
    expect(((await badToken.json()) as { error: string }).error).toMatch(/Could not use the platform's configuration/);
  });

  it("can be turned off", async () => {
    const off = await ltiRuntime(folders, join(folders.root, "data-off"), { FCE_LTI_DYNAMIC_REGISTRATION: "off" });
    try {
      const res = await off.app.request(registerUrl());
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/turned off/);
    } finally {
      off.close();
    }
  });
});

describe("npm run lti:add-platform", () => {
  const emu = new PlatformEmulator();
  let folders: ReturnType<typeof fixtureFolders>;

  beforeAll(async () => {
    await emu.start();
    folders = fixtureFolders();
  });
  afterAll(async () => {
    folders.cleanup();
    await emu.close();
  });

  const flags = () => [
    "--issuer", emu.issuer,
    "--client-id", emu.clientId,
    "--auth-url", emu.authUrl,
    "--token-url", emu.tokenUrl,
    "--jwks-url", emu.jwksUrl,
    "--deployment-id", emu.deploymentId,
  ];

  it("writes the platform to the server's database, after which launches are accepted", async () => {
    const dataDir = join(folders.root, "cli-data");
    const result = await addPlatformCommand(flags(), { FCE_DATA_DIR: dataDir });
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out.join("\n")).toContain(`client_id ${emu.clientId}, deployment ${emu.deploymentId}`);
    expect(result.out.join("\n")).toContain(join(dataDir, "fce.db"));
    expect(result.out.join("\n")).toMatch(/Login initiation URL: +http:\/\/localhost:8787\/lti\/login/);
    // Idempotent: running it again (with another deployment) updates and adds.
    expect((await addPlatformCommand([...flags(), "--deployment-id", "deployment-2"], { FCE_DATA_DIR: dataDir })).code).toBe(0);

    const rt = await ltiRuntime(folders, dataDir);
    connect(emu, () => rt);
    try {
      expect(rt.count("lti_platforms")).toBe(1);
      expect(rt.count("lti_deployments")).toBe(2);
      const r = await launch(rt, emu, { user: { id: "cli-student", roles: [ROLE.learner] }, link: emu.addLink("fce-basics") });
      expect(r.status).toBe(303);
    } finally {
      rt.close();
    }
  });

  it("explains each bad or missing flag", async () => {
    const r = await addPlatformCommand(["--issuer", "http://lms.example.edu", "--client-id", "", "--auth-url", "not a url", "--token-url", emu.tokenUrl], { FCE_DATA_DIR: join(folders.root, "unused") });
    expect(r.code).toBe(2);
    const err = r.err.join("\n");
    expect(err).toContain('--issuer must use https (http is only allowed for localhost), got "http://lms.example.edu"');
    expect(err).toContain("--client-id is required");
    expect(err).toContain('--auth-url must be an absolute URL (got "not a url")');
    expect(err).toContain("--jwks-url is required");
    expect(err).toContain("--deployment-id is required");
    expect(err).not.toContain("Error: --token-url");
    const unknown = await addPlatformCommand([...flags(), "--colour", "red"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err.join("\n")).toMatch(/Unknown option '--colour'/);
  });

  it("runs as an npm script", () => {
    const r = spawnSync("npm", ["run", "-s", "lti:add-platform", "--", "--issuer", "ftp://x"], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, FCE_DATA_DIR: join(folders.root, "npm-data") } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--issuer must use https");
    expect(r.stderr).toContain("Usage: npm run lti:add-platform");
  });
});
