/**
 * ES256 signing keys and VC-JWT signing (jose over WebCrypto: Node and Workers).
 *
 * A VC-JWT here is a compact JWS whose payload is the credential itself plus the JWT claims that
 * mirror it (iss, sub, jti, nbf, exp), with the protected header {alg: "ES256", kid, typ: "vc+jwt",
 * cty: "vc"} (Open Badges 3.0 VC-JWT, VC-JOSE-COSE).
 */
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { jwtClaimsFor, type JsonObject } from "./credential.js";

export const BADGE_ALG = "ES256";

export type KeyStatus = "active" | "published" | "retired";

export interface PublicJwk extends JWK {
  kid: string;
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  alg: typeof BADGE_ALG;
  use: "sig";
}

export interface SigningKey {
  kid: string;
  publicJwk: PublicJwk;
  /** The private JWK (with `d`). */
  privateJwk: JWK;
}

export interface KeyInfo {
  kid: string;
  status: KeyStatus;
  createdAt: Date;
  rotatedAt?: Date;
  retiredAt?: Date;
}

/**
 * Where keys live (the database in production, memory in tests). `active` creates a key when there
 * is none; `rotate` makes a new key active and keeps the old one published; `retire` unpublishes.
 */
export interface KeyStore {
  active(now: Date): Promise<SigningKey>;
  rotate(now: Date): Promise<SigningKey>;
  retire(kid: string, now: Date): Promise<KeyInfo>;
  /** Keys in the JWKS: the active one and the rotated-out ones not yet retired. */
  published(): Promise<PublicJwk[]>;
  list(): Promise<KeyInfo[]>;
}

/** Generates an ES256 key pair; `kid` is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(BADGE_ALG, { extractable: true });
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y });
  const publicJwk: PublicJwk = { kty: "EC", crv: "P-256", x: pub.x as string, y: pub.y as string, kid, alg: BADGE_ALG, use: "sig" };
  return { kid, publicJwk, privateJwk: { ...priv, kid, alg: BADGE_ALG } };
}

/** Only the public members of a JWK (never publish `d`). */
export function publicPart(jwk: JWK & { kid: string }): PublicJwk {
  return { kty: "EC", crv: "P-256", x: String(jwk.x), y: String(jwk.y), kid: jwk.kid, alg: BADGE_ALG, use: "sig" };
}

/** Signs a JSON payload as a compact JWS with the given header fields. */
export async function signPayload(payload: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): Promise<string> {
  const cryptoKey = await importJWK(key.privateJwk, BADGE_ALG);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ ...header, alg: BADGE_ALG, kid: key.kid })
    .sign(cryptoKey);
}

/** Signs a credential as a VC-JWT: the payload is the credential plus the claims mirroring it. */
export async function signCredentialJwt(credential: JsonObject, key: SigningKey, extraClaims: Record<string, unknown> = {}): Promise<string> {
  return signPayload({ ...credential, ...jwtClaimsFor(credential), ...extraClaims }, key, { typ: "vc+jwt", cty: "vc" });
}

/** A key store in memory (tests, the case generator). */
export class MemoryKeyStore implements KeyStore {
  private keys: Array<SigningKey & KeyInfo> = [];

  async active(now: Date): Promise<SigningKey> {
    const found = this.keys.find((k) => k.status === "active");
    if (found) return found;
    const key = { ...(await generateSigningKey()), status: "active" as KeyStatus, createdAt: now };
    this.keys.push(key);
    return key;
  }

  async rotate(now: Date): Promise<SigningKey> {
    for (const k of this.keys) if (k.status === "active") Object.assign(k, { status: "published", rotatedAt: now });
    return this.active(now);
  }

  async retire(kid: string, now: Date): Promise<KeyInfo> {
    const k = this.keys.find((x) => x.kid === kid);
    if (!k) throw new KeyStoreError("not_found", `No key "${kid}"`);
    if (k.status === "active") throw new KeyStoreError("active", `Key "${kid}" is the active key: rotate first, then retire it`);
    Object.assign(k, { status: "retired", retiredAt: k.retiredAt ?? now });
    return info(k);
  }

  async published(): Promise<PublicJwk[]> {
    return this.keys.filter((k) => k.status !== "retired").map((k) => k.publicJwk);
  }

  async list(): Promise<KeyInfo[]> {
    return this.keys.map(info);
  }
}

function info(k: KeyInfo): KeyInfo {
  return { kid: k.kid, status: k.status, createdAt: k.createdAt, ...(k.rotatedAt ? { rotatedAt: k.rotatedAt } : {}), ...(k.retiredAt ? { retiredAt: k.retiredAt } : {}) };
}

export class KeyStoreError extends Error {
  constructor(
    readonly code: "not_found" | "active",
    message: string,
  ) {
    super(message);
  }
}
