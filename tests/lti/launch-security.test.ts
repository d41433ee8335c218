import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { verifySessionToken } from "../../src/channels/lti/index.js";
import { ltiService } from "../../src/channels/lti/service.js";
import { fixtureFolders, connect, launch, ltiRuntime, postLaunch, readLaunch, registerEmulator, startLogin, type LtiTestRuntime } from "./helpers.js";
import { C, PlatformEmulator, ROLE, newRsaKey, type EmuUser, type LaunchSpec } from "./platform-emulator.js";

describe("LTI 1.3 launch: accepted and refused id_tokens", () => {
  const emu = new PlatformEmulator();
  let folders: ReturnType<typeof fixtureFolders>;
  let rt: LtiTestRuntime;
  const learner: EmuUser = { id: "user-aiko", name: "Aiko Tanaka", given_name: "Aiko", family_name: "Tanaka", email: "aiko@example.ac.jp", roles: [ROLE.learner] };

  beforeAll(async () => {
    await emu.start();
    folders = fixtureFolders();
    rt = await ltiRuntime(folders, join(folders.root, "data"));
    await registerEmulator(rt, emu);
    connect(emu, () => rt);
  });
  afterAll(async () => {
    rt.close();
    folders.cleanup();
    await emu.close();
  });

  const tables = ["lti_sessions", "learners", "learner_identities", "lti_grade_links"];
  const snapshot = () => Object.fromEntries(tables.map((t) => [t, rt.count(t)]));

  it("a learner launch opens a session and lands on the linked module's practice page", async () => {
    const link = emu.addLink("fce-basics");
    const before = snapshot();
    const r = await launch(rt, emu, { user: learner, link }, true);
    expect(r.status).toBe(303);
    const location = new URL(r.location!, "http://localhost");
    expect(location.pathname).toBe("/practice");
    expect(location.searchParams.get("module")).toBe("fce-basics");
    const claims = await verifySessionToken(rt.deps, r.session!);
    expect(claims.role).toBe("learner");
    expect(claims.context).toMatchObject({
      issuer: emu.issuer,
      deploymentId: emu.deploymentId,
      contextId: emu.contextId,
      resourceLinkId: link.id,
      moduleId: "fce-basics",
      lineItemUrl: emu.lineItemUrl(link.lineItemId!),
      nrpsUrl: emu.membershipsUrl,
    });
    expect(claims.context.agsScope).toContain("https://purl.imsglobal.org/spec/lti-ags/scope/score");
    expect(rt.count("lti_sessions")).toBe(before.lti_sessions! + 1);
    // The same token as a partitioned cookie, for browsers that keep one in the LMS iframe.
    expect(r.cookie).toContain(`fce_session=${r.session}`);
    expect(r.cookie).toMatch(/Partitioned/);
    expect(r.cookie).toMatch(/SameSite=None/);
    // The token is an ordinary app session token too (practice and ask routes accept it).
    const me = await rt.app.request("http://localhost/api/session", { headers: { authorization: `Bearer ${r.session}` } });
    if (me.status === 200) expect(((await me.json()) as { learner: { displayName: string } }).learner.displayName).toBe("Aiko Tanaka");
  });

  it("accepts a launch without name, email or picture claims", async () => {
    const anonymous: EmuUser = { id: "user-private", roles: [ROLE.learner] };
    const r = await launch(rt, emu, { user: anonymous, link: emu.addLink("fce-basics") });
    expect(r.status).toBe(303);
    const claims = await verifySessionToken(rt.deps, r.session!);
    const row = rt.db.$client.prepare("SELECT display_name AS name FROM learners WHERE id = ?").get(claims.learnerId) as { name: string };
    expect(row.name).toBe("Learner");
    expect(r.auth.claims).not.toHaveProperty("name");
    expect(r.auth.claims).not.toHaveProperty("email");
  });

  it("accepts an aud array that contains our client id when azp is our client id", async () => {
    const r = await launch(rt, emu, {
      user: learner,
      link: emu.addLink("mill-detection"),
      tweak: (c) => ({ ...c, aud: ["https://another-audience.example", emu.clientId], azp: emu.clientId }),
    });
    expect(r.status).toBe(303);
    expect(new URL(r.location!, "http://localhost").searchParams.get("module")).toBe("mill-detection");
  });

  it("an instructor (or teaching assistant) launch goes to the instructor view", async () => {
    for (const role of [ROLE.instructor, ROLE.ta]) {
      const r = await launch(rt, emu, { user: { id: `staff-${role.length}`, name: "Staff", roles: [role] }, link: emu.addLink("fce-basics") });
      expect(r.status).toBe(303);
      expect(new URL(r.location!).pathname).toBe("/lti/instructor");
      expect((await verifySessionToken(rt.deps, r.session!)).role).toBe("instructor");
    }
  });

  const rogue = newRsaKey("unused");
  const now = () => Math.floor(Date.now() / 1000);
  const refused: Array<[string, (link: LaunchSpec["link"]) => Promise<Partial<LaunchSpec>>, number, RegExp]> = [
    ["a bad signature", async () => ({ signWith: { kid: emu.currentKey.kid, privateKey: (await rogue).privateKey } }), 401, /signature does not verify/],
    ["a wrong iss", async () => ({ tweak: (c) => ({ ...c, iss: "https://evil.example.edu" }) }), 401, /Unknown issuer "https:\/\/evil\.example\.edu"/],
    ["an aud without our client id", async () => ({ tweak: (c) => ({ ...c, aud: ["someone-else"] }) }), 401, /aud \(someone-else\) does not contain our client_id/],
    ["an aud array of several audiences without azp", async () => ({ tweak: (c) => ({ ...c, aud: [emu.clientId, "other"] }) }), 401, /several audiences but no azp/],
    ["an azp that is not our client id", async () => ({ tweak: (c) => ({ ...c, aud: [emu.clientId, "other"], azp: "other" }) }), 401, /azp "other" is not our client_id/],
    ["an expired token", async () => ({ tweak: (c) => ({ ...c, iat: now() - 900, exp: now() - 600 }) }), 401, /expired/],
    ["a nonce we never issued", async () => ({ tweak: (c) => ({ ...c, nonce: "nonce-from-somewhere-else" }) }), 401, /nonce was not issued by this tool/],
    ["an unknown deployment", async () => ({ tweak: (c) => ({ ...c, [C.deploymentId]: "deployment-unknown" }) }), 403, /Unknown deployment "deployment-unknown"/],
    ["a wrong message_type", async () => ({ tweak: (c) => ({ ...c, [C.messageType]: "LtiSubmissionReviewRequest" }) }), 400, /Unsupported message_type "LtiSubmissionReviewRequest"/],
    ["a wrong version", async () => ({ tweak: (c) => ({ ...c, [C.version]: "1.1.0" }) }), 400, /Unsupported LTI version "1\.1\.0"/],
    ["an HS256 token", async () => ({}), 401, /RS256/],
  ];

  it.each(refused)("refuses %s with a clear error and opens no session", async (name, make, status, message) => {
    const link = emu.addLink("fce-basics");
    const spec: LaunchSpec = { user: { id: `victim-${name.length}`, name: "Victim", roles: [ROLE.learner] }, link, ...(await make(link)) };
    const before = snapshot();
    let r;
    if (name === "an HS256 token") {
      const authUrl = await startLogin(rt, emu, spec);
      const { SignJWT } = await import("jose");
      const auth = await emu.authorize(authUrl);
      const forged = await new SignJWT(auth.claims).setProtectedHeader({ alg: "HS256", kid: emu.currentKey.kid }).sign(new TextEncoder().encode("a-guessable-secret-32-bytes-long!!"));
      r = await readLaunch(await postLaunch(rt, forged, auth.state), auth);
    } else {
      r = await launch(rt, emu, spec);
    }
    expect(r.status).toBe(status);
    expect(r.json?.error).toMatch(message);
    expect(r.location).toBeNull();
    expect(r.session).toBeNull();
    expect(r.cookie).toBeNull();
    expect(snapshot()).toEqual(before);
  });

  it("refuses a replayed launch (the same id_token and state again)", async () => {
    const first = await launch(rt, emu, { user: learner, link: emu.addLink("fce-basics") });
    expect(first.status).toBe(303);
    const before = snapshot();
    const replay = await readLaunch(await postLaunch(rt, first.auth.idToken, first.auth.state), first.auth);
    expect(replay.status).toBe(401);
    expect(replay.json?.error).toMatch(/nonce has already been used/);
    expect(replay.session).toBeNull();
    expect(snapshot()).toEqual(before);
  });

  it("refuses concurrent replays: only one of two identical posts opens a session", async () => {
    const authUrl = await startLogin(rt, emu, { user: learner, link: emu.addLink("fce-basics") });
    const auth = await emu.authorize(authUrl);
    const before = rt.count("lti_sessions");
    const [a, b] = await Promise.all([postLaunch(rt, auth.idToken, auth.state), postLaunch(rt, auth.idToken, auth.state)]);
    expect([a.status, b.status].sort()).toEqual([303, 401]);
    expect(rt.count("lti_sessions")).toBe(before + 1);
  });

  it("refuses a state that does not match the login the id_token answers", async () => {
    const link = emu.addLink("fce-basics");
    const auth1 = await emu.authorize(await startLogin(rt, emu, { user: learner, link }));
    const auth2 = await emu.authorize(await startLogin(rt, emu, { user: learner, link }));
    const before = snapshot();
    for (const state of [auth2.state, "a-state-we-never-issued"]) {
      const r = await readLaunch(await postLaunch(rt, auth1.idToken, state), auth1);
      expect(r.status).toBe(401);
      expect(r.json?.error).toMatch(/state does not match/);
    }
    expect(snapshot()).toEqual(before);
    // The untouched login still works once, with its own state.
    expect((await postLaunch(rt, auth1.idToken, auth1.state)).status).toBe(303);
  });

  it("refuses a launch without id_token or state", async () => {
    const noToken = await rt.app.request("http://localhost/lti/launch", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "state=x" });
    expect(noToken.status).toBe(400);
    expect(((await noToken.json()) as { error: string }).error).toMatch(/missing id_token/);
    const noState = await rt.app.request("http://localhost/lti/launch", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "id_token=a.b.c" });
    expect(noState.status).toBe(400);
    const get = await rt.app.request("http://localhost/lti/launch");
    expect(get.status).toBe(405);
  });

  it("shows browsers an HTML error page", async () => {
    const auth = await emu.authorize(await startLogin(rt, emu, { user: learner, link: emu.addLink("fce-basics"), tweak: (c) => ({ ...c, [C.version]: "1.0" }) }));
    const res = await postLaunch(rt, auth.idToken, auth.state, { accept: "text/html,application/xhtml+xml" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/Unsupported LTI version &quot;1\.0&quot;|Unsupported LTI version "1\.0"/);
  });

  it("picks up a platform key rotation (new kid) by fetching the JWKS again", async () => {
    const svc = ltiService(rt.deps);
    const fetchesBefore = svc.platformKeys.fetches.get(emu.jwksUrl) ?? 0;
    const ok = await launch(rt, emu, { user: learner, link: emu.addLink("fce-basics") });
    expect(ok.status).toBe(303);
    expect(svc.platformKeys.fetches.get(emu.jwksUrl)).toBe(fetchesBefore); // cached
    const oldKey = emu.currentKey;
    const newKid = await emu.rotateKeys();
    expect(newKid).not.toBe(oldKey.kid);
    const rotated = await launch(rt, emu, { user: learner, link: emu.addLink("fce-basics") });
    expect(rotated.status).toBe(303);
    expect(svc.platformKeys.fetches.get(emu.jwksUrl)).toBe(fetchesBefore + 1);
    // A token still signed with the retired key is refused: its kid is gone from the JWKS.
    const stale = await launch(rt, emu, { user: learner, link: emu.addLink("fce-basics"), signWith: oldKey });
    expect(stale.status).toBe(401);
    expect(stale.json?.error).toMatch(/has no key with kid "platform-key-1"/);
  });

  describe("login initiation", () => {
    const login = async (params: Record<string, string>, method: "GET" | "POST" = "GET") =>
      method === "GET"
        ? rt.app.request(`http://localhost/lti/login?${new URLSearchParams(params).toString()}`)
        : rt.app.request("http://localhost/lti/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(params).toString() });

    it("redirects to the platform's auth endpoint with a fresh state and nonce (GET and POST)", async () => {
      for (const method of ["GET", "POST"] as const) {
        const params = emu.prepareLaunch({ user: learner });
        const res = await login(params, method);
        expect(res.status).toBe(302);
        const to = new URL(res.headers.get("location")!);
        expect(`${to.origin}${to.pathname}`).toBe(emu.authUrl);
        expect(Object.fromEntries(to.searchParams)).toMatchObject({
          scope: "openid",
          response_type: "id_token",
          response_mode: "form_post",
          prompt: "none",
          client_id: emu.clientId,
          redirect_uri: "http://localhost/lti/launch",
          login_hint: learner.id,
          lti_message_hint: params.lti_message_hint,
        });
        expect(to.searchParams.get("state")!.length).toBeGreaterThanOrEqual(40);
        expect(to.searchParams.get("nonce")!.length).toBeGreaterThanOrEqual(40);
        const row = rt.db.$client.prepare("SELECT state, used_at FROM lti_login_requests WHERE nonce = ?").get(to.searchParams.get("nonce")) as { state: string; used_at: number | null };
        expect(row).toEqual({ state: to.searchParams.get("state"), used_at: null });
      }
    });

    it("works without client_id and lti_deployment_id (optional in the spec)", async () => {
      const { client_id: _c, lti_deployment_id: _d, ...rest } = emu.prepareLaunch({ user: learner });
      const res = await login(rest);
      expect(res.status).toBe(302);
    });

    it.each([
      ["an unknown issuer", { iss: "https://unknown.example" }, 400, /Unknown platform: issuer https:\/\/unknown\.example/],
      ["an unknown client_id", { client_id: "nope" }, 400, /client_id "nope" is not registered/],
      ["a missing login_hint", { login_hint: "" }, 400, /missing "login_hint"/],
      ["a missing target_link_uri", { target_link_uri: "" }, 400, /missing "target_link_uri"/],
      ["a target_link_uri on another site", { target_link_uri: "https://phish.example/lti/launch" }, 400, /is not on this tool/],
      ["an unknown deployment", { lti_deployment_id: "nope" }, 403, /Unknown deployment "nope"/],
    ])("refuses %s", async (_name, change, status, message) => {
      const before = rt.count("lti_login_requests");
      const res = await login({ ...emu.prepareLaunch({ user: learner }), ...change });
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
      expect(rt.count("lti_login_requests")).toBe(before);
    });
  });

  it("publishes the tool's public key and no private parts", async () => {
    const res = await rt.app.request("http://localhost/lti/jwks");
    const jwks = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks.keys[0]!.kid).toBeTruthy();
    for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) expect(jwks.keys[0]).not.toHaveProperty(secret);
  });

  it("the instructor view refuses forged, learner and non-LTI sessions", async () => {
    const none = await rt.app.request("http://localhost/lti/instructor");
    expect(none.status).toBe(401);
    const forged = await rt.app.request("http://localhost/lti/instructor?session=eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
    expect(forged.status).toBe(401);
    const asLearner = await launch(rt, emu, { user: learner, link: emu.addLink("fce-basics") });
    const res = await rt.app.request(`http://localhost/lti/instructor?session=${asLearner.session}`);
    expect(res.status).toBe(403);
  });
});
