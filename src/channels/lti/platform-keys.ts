/**
 * The platforms' public keys (JWKS), fetched and cached per JWKS URL. A token signed with a key id
 * we have not seen makes us fetch the JWKS again (the platform rotated its keys); a key id that is
 * still unknown after that is refused, and is not refetched again for `missCooldownMs`, so forged
 * key ids cannot make us hammer the platform.
 */
import { importJWK, type JWK } from "jose";
import { LtiError, errorMessage, fetchWithTimeout } from "./util.js";

interface CachedSet {
  keys: JWK[];
  fetchedAt: number;
  imported: Map<string, CryptoKey>;
}

export class PlatformKeyCache {
  private readonly sets = new Map<string, CachedSet>();
  private readonly misses = new Map<string, number>();
  /** How many times each JWKS URL was fetched (tests and diagnostics). */
  readonly fetches = new Map<string, number>();

  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
    private readonly maxAgeMs = 10 * 60 * 1000,
    private readonly missCooldownMs = 60 * 1000,
  ) {}

  /** The RS256 verification key for `kid` (or the only key when the token names none). */
  async key(jwksUrl: string, kid: string | undefined, now: number): Promise<CryptoKey> {
    let set = this.sets.get(jwksUrl);
    let fresh = false;
    if (!set || now - set.fetchedAt > this.maxAgeMs) {
      set = await this.load(jwksUrl, now);
      fresh = true;
    }
    let jwk = pick(set.keys, kid);
    if (!jwk && !fresh) {
      const missKey = `${jwksUrl}|${kid ?? ""}`;
      const lastMiss = this.misses.get(missKey);
      if (lastMiss === undefined || now - lastMiss > this.missCooldownMs) {
        this.misses.set(missKey, now);
        set = await this.load(jwksUrl, now);
        jwk = pick(set.keys, kid);
      }
    }
    if (!jwk) {
      throw new LtiError(401, kid ? `The platform's key set (${jwksUrl}) has no key with kid "${kid}"` : "The id_token names no key (kid) and the platform publishes more than one");
    }
    const cacheKey = jwk.kid ?? "";
    const imported = set.imported.get(cacheKey);
    if (imported) return imported;
    try {
      const key = (await importJWK(jwk, "RS256")) as CryptoKey;
      set.imported.set(cacheKey, key);
      return key;
    } catch (e) {
      throw new LtiError(401, `The platform's key "${cacheKey}" cannot be used for RS256: ${errorMessage(e)}`);
    }
  }

  private async load(jwksUrl: string, now: number): Promise<CachedSet> {
    this.fetches.set(jwksUrl, (this.fetches.get(jwksUrl) ?? 0) + 1);
    let body: unknown;
    try {
      const res = await fetchWithTimeout(this.fetchFn, jwksUrl, { headers: { accept: "application/json" } }, this.timeoutMs);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
    } catch (e) {
      throw new LtiError(502, `Could not fetch the platform's public keys from ${jwksUrl}: ${errorMessage(e)}`);
    }
    const keys = (body as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new LtiError(502, `The platform's key set at ${jwksUrl} is not a JWKS (no "keys" array)`);
    const usable = (keys as JWK[]).filter((k) => k && k.kty === "RSA" && (k.use === undefined || k.use === "sig") && (k.alg === undefined || k.alg === "RS256"));
    const set: CachedSet = { keys: usable, fetchedAt: now, imported: new Map() };
    this.sets.set(jwksUrl, set);
    return set;
  }
}

function pick(keys: JWK[], kid: string | undefined): JWK | undefined {
  if (kid !== undefined) return keys.find((k) => k.kid === kid);
  return keys.length === 1 ? keys[0] : undefined;
}
