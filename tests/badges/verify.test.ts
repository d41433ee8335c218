import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildModuleCredential, issuerConfig, OB_V3_CONTEXT, VC_V2_CONTEXT, type JsonObject } from "../../src/core/badges/credential.js";
import { issueModuleBadge, revokeBadge, verifyBadge, BadgeInputError } from "../../src/core/badges/issue.js";
import { generateSigningKey, signCredentialJwt } from "../../src/core/badges/keys.js";
import { decodeStatusList, encodeStatusList, getBit, STATUS_LIST_BITS } from "../../src/core/badges/status-list.js";
import { BadgeRepository } from "../../src/core/badges/store.js";
import { CHECK_IDS, CredentialInputError, parsePresented } from "../../src/core/badges/verify.js";
import { badgeDeps, checkOf, DAY, EVIDENCE, failed, MODULE, PUBLIC_URL, splitJwt, START, withPayload } from "./helpers.js";

type App = ReturnType<typeof badgeDeps>;

describe("issuing an Open Badges 3.0 credential", () => {
  let t: App;
  beforeEach(() => {
    t = badgeDeps();
  });
  afterEach(() => t.close());

  it("builds an OpenBadgeCredential signed as an ES256 VC-JWT whose claims mirror the credential", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_abc", learnerName: "Aiko Tanaka", module: MODULE, evidence: EVIDENCE });
    const { header, payload } = splitJwt(issued.jwt);
    expect(header).toMatchObject({ alg: "ES256", typ: "vc+jwt", cty: "vc" });
    expect(typeof header.kid).toBe("string");

    const json = issued.json as Record<string, any>;
    expect(json["@context"]).toEqual([VC_V2_CONTEXT, OB_V3_CONTEXT]);
    expect(json.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(json.id).toBe(`urn:uuid:${issued.id}`);
    expect(json.issuer).toEqual({ id: `${PUBLIC_URL}/badges/issuer`, type: ["Profile"], name: "FCE Coach Test Issuer", url: "https://university.example" });
    expect(json.validFrom).toBe("2026-11-22T09:00:00Z");
    expect(json.validUntil).toBeUndefined();
    const subject = json.credentialSubject;
    expect(subject.id).toBe("urn:fce-coach:learner:lrn_abc");
    expect(subject.type).toEqual(["AchievementSubject"]);
    expect(subject.identifier[0]).toMatchObject({ identityType: "name", identityHash: "Aiko Tanaka", hashed: false });
    const a = subject.achievement;
    expect(a).toMatchObject({ type: ["Achievement"], name: MODULE.title, workloadHours: 12, tag: ["credits"] });
    expect(a.criteria.narrative).toContain("Passed six graded practice cases");
    expect(a.criteria.narrative).toContain("12 hours");
    expect(a.alignment[0]).toMatchObject({ type: ["Alignment"], targetName: "credits" });
    expect(json.evidence).toHaveLength(3);
    expect(json.evidence[2].narrative).toBe("Estimated mastery: credits 82%.");
    expect(json.credentialStatus).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListCredential: `${PUBLIC_URL}/badges/status/1` });

    expect(payload).toMatchObject({ iss: json.issuer.id, sub: subject.id, jti: json.id, nbf: Date.parse(json.validFrom) / 1000 });
    expect(payload.exp).toBeUndefined();
    const { iss: _i, sub: _s, jti: _j, nbf: _n, ...rest } = payload;
    expect(rest).toEqual(json);
  });

  it("round trip: an issued credential verifies with every check passing", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE, validUntil: new Date(START.getTime() + 365 * DAY) });
    t.advance(DAY);
    const result = await verifyBadge(t.deps, issued.jwt);
    expect(result.checks.map((c) => c.check)).toEqual([...CHECK_IDS]);
    expect(failed(result)).toEqual([]);
    expect(result.valid).toBe(true);
    for (const c of result.checks) {
      expect(c.reason.length).toBeGreaterThan(10);
      expect(c.reason_ja.length).toBeGreaterThan(5);
    }
    expect(checkOf(result, "achievement").reason).toMatch(/12 hours/);
    expect(splitJwt(issued.jwt).payload.exp).toBe(Math.floor((START.getTime() + 365 * DAY) / 1000));
  });

  it("refuses incomplete module input", async () => {
    await expect(issueModuleBadge(t.deps, { learnerId: "x", module: { ...MODULE, workloadHours: 0 }, evidence: EVIDENCE })).rejects.toThrow(BadgeInputError);
    await expect(issueModuleBadge(t.deps, { learnerId: "x", module: { ...MODULE, criteria: " " }, evidence: EVIDENCE })).rejects.toThrow(/criteria/);
  });

  it("gives each badge its own random status-list index and stores it for the learner", async () => {
    const a = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    const b = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: { ...MODULE, id: "levels" }, evidence: EVIDENCE });
    const repo = new BadgeRepository(t.deps.db);
    const list = await repo.listForLearner("lrn_1");
    expect(list.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(list[0]!.statusIndex).not.toBe(list[1]!.statusIndex);
    expect(a.id).not.toBe(b.id);
  });
});

describe("faulty credentials are detected with their reason", () => {
  let t: App;
  let repo: BadgeRepository;
  const issuer = () => issuerConfig(t.deps);
  beforeEach(() => {
    t = badgeDeps();
    repo = new BadgeRepository(t.deps.db);
  });
  afterEach(() => t.close());

  /** A credential signed with our active key, with a chosen change before signing. */
  async function signed(change: (c: Record<string, any>) => void = () => {}, dates: { from?: Date; until?: Date } = {}): Promise<string> {
    const uuid = crypto.randomUUID();
    const status = await repo.reserveStatusEntry(uuid, START);
    const cred = buildModuleCredential({ issuer: issuer(), uuid, learnerId: "lrn_f", module: MODULE, evidence: EVIDENCE, validFrom: dates.from ?? START, validUntil: dates.until, status }) as Record<string, any>;
    change(cred);
    return signCredentialJwt(cred as JsonObject, await repo.keys.active(START));
  }

  it("payload altered after signing: signature fails", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    const { payload } = splitJwt(issued.jwt);
    (payload.credentialSubject as any).achievement.workloadHours = 120;
    const result = await verifyBadge(t.deps, withPayload(issued.jwt, payload));
    expect(result.valid).toBe(false);
    expect(failed(result)).toEqual(["signature"]);
    expect(checkOf(result, "signature").reason).toMatch(/altered after signing/);
  });

  it("expired: validity fails", async () => {
    const jwt = await signed(undefined, { from: new Date(START.getTime() - 400 * DAY), until: new Date(START.getTime() - 35 * DAY) });
    const result = await verifyBadge(t.deps, jwt);
    expect(failed(result)).toEqual(["validity"]);
    expect(checkOf(result, "validity").reason).toMatch(/^Expired: valid until 2026-10-18/);
  });

  it("not yet valid: validity fails", async () => {
    const jwt = await signed(undefined, { from: new Date(START.getTime() + 10 * DAY) });
    const result = await verifyBadge(t.deps, jwt);
    expect(failed(result)).toEqual(["validity"]);
    expect(checkOf(result, "validity").reason).toMatch(/^Not yet valid: valid from 2026-12-02/);
  });

  it("issuer mismatch: the credential names another issuer than the JWT iss", async () => {
    const jwt = await signed((c) => {
      c.issuer = { id: "https://badges.kalmvik.example/issuer", type: ["Profile"], name: "University of Kalmvik" };
    });
    // Sign with our iss: jwtClaimsFor takes iss from the credential, so put ours back in the payload.
    const { payload } = splitJwt(jwt);
    expect(payload.iss).toBe("https://badges.kalmvik.example/issuer");
    const ours = await signCredentialJwt(
      (({ iss: _i, ...rest }) => rest)(payload) as JsonObject,
      await repo.keys.active(START),
      { iss: issuer().id },
    );
    const result = await verifyBadge(t.deps, ours);
    // The status list belongs to the JWT's issuer, not the named one: that check fails too.
    expect(failed(result)).toEqual(["issuer", "status"]);
    expect(checkOf(result, "status").reason).toMatch(/not by the credential's issuer/);
    expect(checkOf(result, "issuer").reason).toMatch(/Issuer mismatch: the credential names issuer "https:\/\/badges.kalmvik.example\/issuer" but the JWT was issued by "https:\/\/fce.example\/badges\/issuer"/);
  });

  it("unknown issuer: the signature cannot be checked", async () => {
    const jwt = await signed((c) => {
      c.issuer = { id: "https://badges.kalmvik.example/issuer", type: ["Profile"], name: "University of Kalmvik" };
    });
    const result = await verifyBadge(t.deps, jwt);
    expect(failed(result)).toContain("signature");
    expect(checkOf(result, "signature").reason).toMatch(/^Unknown issuer "https:\/\/badges.kalmvik.example\/issuer"/);
  });

  it("revoked: the status check fails after the admin revokes", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    expect((await verifyBadge(t.deps, issued.jwt)).valid).toBe(true);
    await revokeBadge(t.deps, issued.id, "issued in error");
    const result = await verifyBadge(t.deps, issued.jwt);
    expect(failed(result)).toEqual(["status"]);
    expect(checkOf(result, "status").reason).toMatch(/^Revoked: the issuer has set entry \d+ of its status list https:\/\/fce.example\/badges\/status\/1/);
  });

  it("unsigned JSON: format is recognised, the signature fails", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    const result = await verifyBadge(t.deps, issued.json);
    expect(checkOf(result, "format")).toMatchObject({ ok: true });
    expect(checkOf(result, "format").reason).toMatch(/without an embedded proof \(unsigned\)/);
    expect(checkOf(result, "signature").ok).toBe(false);
    expect(checkOf(result, "signature").reason).toMatch(/^Unsigned/);
    expect(result.valid).toBe(false);
    // Pasted as JSON text too.
    const asText = await verifyBadge(t.deps, JSON.stringify(issued.json));
    expect(checkOf(asText, "signature").reason).toMatch(/^Unsigned/);
  });

  it('alg "none": unsigned', async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    const { payload } = splitJwt(issued.jwt);
    const none = [Buffer.from(JSON.stringify({ alg: "none", typ: "vc+jwt" })).toString("base64url"), Buffer.from(JSON.stringify(payload)).toString("base64url"), ""].join(".");
    const result = await verifyBadge(t.deps, none);
    expect(checkOf(result, "signature").reason).toMatch(/^Unsigned: the JWT has no signature/);
  });

  it("missing workload, missing criteria, or both: the achievement check fails", async () => {
    const noWorkload = await verifyBadge(t.deps, await signed((c) => delete c.credentialSubject.achievement.workloadHours));
    expect(failed(noWorkload)).toEqual(["achievement"]);
    expect(checkOf(noWorkload, "achievement").reason).toMatch(/states no workload/);
    const noCriteria = await verifyBadge(t.deps, await signed((c) => delete c.credentialSubject.achievement.criteria));
    expect(failed(noCriteria)).toEqual(["achievement"]);
    expect(checkOf(noCriteria, "achievement").reason).toMatch(/states no criteria/);
    const neither = await verifyBadge(
      t.deps,
      await signed((c) => {
        delete c.credentialSubject.achievement.criteria;
        delete c.credentialSubject.achievement.workloadHours;
      }),
    );
    expect(checkOf(neither, "achievement").reason).toMatch(/states neither its criteria nor its workload/);
  });

  it("unknown kid: a key the issuer never published", async () => {
    const uuid = crypto.randomUUID();
    const cred = buildModuleCredential({ issuer: issuer(), uuid, learnerId: "lrn_f", module: MODULE, evidence: EVIDENCE, validFrom: START, status: await repo.reserveStatusEntry(uuid, START) });
    await repo.keys.active(START);
    const jwt = await signCredentialJwt(cred, await generateSigningKey());
    const result = await verifyBadge(t.deps, jwt);
    expect(failed(result)).toEqual(["signature"]);
    expect(checkOf(result, "signature").reason).toMatch(/is not among the keys the issuer publishes/);
  });

  it("subject and ids must agree with sub and jti", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    const { payload } = splitJwt(issued.jwt);
    const resigned = await signCredentialJwt(payload as JsonObject, await repo.keys.active(START), { sub: "urn:fce-coach:learner:someone-else", jti: "urn:uuid:00000000-0000-4000-8000-000000000000" });
    const result = await verifyBadge(t.deps, resigned);
    expect(failed(result)).toEqual(["subject"]);
    expect(checkOf(result, "subject").reason).toMatch(/sub "urn:fce-coach:learner:someone-else" differs from credentialSubject.id/);
    expect(checkOf(result, "subject").reason).toMatch(/jti .* differs from the credential id/);
  });

  it("nbf and exp must mirror validFrom and validUntil", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    const { payload } = splitJwt(issued.jwt);
    const resigned = await signCredentialJwt(payload as JsonObject, await repo.keys.active(START), { exp: Math.floor(START.getTime() / 1000) + 3600 });
    const result = await verifyBadge(t.deps, resigned);
    expect(checkOf(result, "validity").reason).toMatch(/exp claim but the credential has no validUntil/);
  });

  it("any single change to the payload makes verification fail (every field, property-style)", async () => {
    const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", learnerName: "Aiko Tanaka", module: MODULE, evidence: EVIDENCE, validUntil: new Date(START.getTime() + 30 * DAY) });
    const { payload } = splitJwt(issued.jwt);
    const paths: Array<Array<string | number>> = [];
    const walk = (v: unknown, path: Array<string | number>) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else paths.push(path);
    };
    walk(payload, []);
    expect(paths.length).toBeGreaterThan(40);
    const mutate = (v: unknown): unknown => (typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : typeof v === "string" ? (v.length ? v.slice(0, -1) + (v.endsWith("x") ? "y" : "x") : "x") : "x");
    for (const path of paths) {
      const copy = structuredClone(payload) as any;
      let node = copy;
      for (const k of path.slice(0, -1)) node = node[k];
      const last = path[path.length - 1]!;
      node[last] = mutate(node[last]);
      const result = await verifyBadge(t.deps, withPayload(issued.jwt, copy));
      expect(result.valid, `changing ${path.join(".")} must fail`).toBe(false);
      expect(checkOf(result, "signature").ok, path.join(".")).toBe(false);
    }
    // Removing any top-level member, or adding one, fails as well.
    for (const key of Object.keys(payload)) {
      const { [key]: _gone, ...rest } = payload;
      expect((await verifyBadge(t.deps, withPayload(issued.jwt, rest))).valid, `removing ${key}`).toBe(false);
    }
    expect((await verifyBadge(t.deps, withPayload(issued.jwt, { ...payload, extra: 1 }))).valid).toBe(false);
    // The untouched JWT still verifies.
    expect((await verifyBadge(t.deps, issued.jwt)).valid).toBe(true);
  });
});

describe("key rotation", () => {
  let t: App;
  beforeEach(() => {
    t = badgeDeps();
  });
  afterEach(() => t.close());

  it("keeps old credentials verifiable while the old key is published, and fails clearly once it is retired", async () => {
    const repo = new BadgeRepository(t.deps.db);
    const old = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
    const oldKid = splitJwt(old.jwt).header.kid as string;
    const rotated = await repo.keys.rotate(START);
    expect(rotated.kid).not.toBe(oldKid);
    expect((await repo.keys.published()).map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());

    const fresh = await issueModuleBadge(t.deps, { learnerId: "lrn_2", module: MODULE, evidence: EVIDENCE });
    expect(splitJwt(fresh.jwt).header.kid).toBe(rotated.kid);
    expect((await verifyBadge(t.deps, old.jwt)).valid).toBe(true);
    expect((await verifyBadge(t.deps, fresh.jwt)).valid).toBe(true);

    await expect(repo.keys.retire(rotated.kid, START)).rejects.toThrow(/active key/);
    await repo.keys.retire(oldKid, START);
    expect((await repo.keys.published()).map((k) => k.kid)).toEqual([rotated.kid]);
    const after = await verifyBadge(t.deps, old.jwt);
    expect(after.valid).toBe(false);
    expect(failed(after)).toEqual(["signature"]);
    expect(checkOf(after, "signature").reason).toBe(`Key "${oldKid}" is not among the keys the issuer publishes (retired or never issued by it).`);
    expect((await verifyBadge(t.deps, fresh.jwt)).valid).toBe(true);
  });

  it("never publishes a private key member", async () => {
    const repo = new BadgeRepository(t.deps.db);
    await repo.keys.active(START);
    await repo.keys.rotate(START);
    for (const k of await repo.keys.published()) {
      expect(Object.keys(k).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    }
  });
});

describe("status lists and input parsing", () => {
  it("encodes and decodes a bitstring status list (gzip, multibase base64url)", async () => {
    const encoded = await encodeStatusList([0, 7, 8, 131_071]);
    expect(encoded.startsWith("u")).toBe(true);
    expect(encoded.length).toBeLessThan(200);
    const bits = await decodeStatusList(encoded);
    expect(bits.length * 8).toBe(STATUS_LIST_BITS);
    expect(bits[0]).toBe(0b1000_0001);
    expect(bits[1]).toBe(0b1000_0000);
    for (const i of [0, 7, 8, 131_071]) expect(getBit(bits, i)).toBe(true);
    for (const i of [1, 6, 9, 131_070]) expect(getBit(bits, i)).toBe(false);
    await expect(decodeStatusList("zabc")).rejects.toThrow(/multibase/);
    await expect(decodeStatusList("u" + Buffer.from("not gzip").toString("base64url"))).rejects.toThrow(/decompress/);
  });

  it("parsePresented refuses what is not a credential with a clear message", () => {
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /Missing credential/],
      ["", /Missing credential/],
      ["hello world", /Not a JWT/],
      ["a.b", /Not a JWT/],
      ["{not json", /Not JSON/],
      ["eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln", /payload is not base64url-encoded JSON/],
      [42, /JWT string or a JSON object/],
      [["a"], /JWT string or a JSON object/],
      ["a".repeat(70_000), /too large/],
      [{ big: "x".repeat(70_000) }, /too large/],
      [{ type: "EnvelopedVerifiableCredential", id: "https://x" }, /data URL/],
    ];
    for (const [input, message] of bad) expect(() => parsePresented(input), String(input).slice(0, 30)).toThrow(message);
    expect(() => parsePresented("hello")).toThrow(CredentialInputError);
  });

  it("accepts a VC 2.0 EnvelopedVerifiableCredential wrapping the JWT", async () => {
    const t = badgeDeps();
    try {
      const issued = await issueModuleBadge(t.deps, { learnerId: "lrn_1", module: MODULE, evidence: EVIDENCE });
      const envelope = { "@context": [VC_V2_CONTEXT], id: `data:application/vc+jwt,${issued.jwt}`, type: "EnvelopedVerifiableCredential" };
      expect((await verifyBadge(t.deps, envelope)).valid).toBe(true);
    } finally {
      t.close();
    }
  });
});
