/**
 * OAuth 2 client-credentials access tokens for LTI Advantage services (AGS, NRPS), obtained with a
 * JWT client assertion signed with the tool's key (1EdTech Security Framework §4.1) and cached
 * until shortly before they expire.
 */
import { SignJWT } from "jose";
import type { PlatformRow } from "./storage.js";
import { bodySnippet, errorMessage, fetchWithTimeout, randomToken } from "./util.js";

/** A failed call to a platform service. `transient`: worth retrying later (network, 5xx, 408, 429). */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Retry-After in ms (seconds or an HTTP date), if the response gives one. */
export function retryAfterMs(res: Response, now: number): number | undefined {
  const v = res.headers.get("retry-after");
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export class ServiceTokenCache {
  private readonly cache = new Map<string, CachedToken>();

  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
    private readonly signingKey: () => Promise<SigningKey>,
    /** Wall-clock time for the assertion's iat/exp. */
    private readonly wallClock: () => Date,
  ) {}

  /** An access token for `scopes` on `platform`, from the cache while valid at `now`. */
  async token(platform: PlatformRow, scopes: string[], now: Date): Promise<string> {
    const key = this.cacheKey(platform, scopes);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - 30_000 > now.getTime()) return cached.token;
    const fresh = await this.request(platform, scopes);
    this.cache.set(key, { token: fresh.token, expiresAt: now.getTime() + fresh.expiresInSeconds * 1000 });
    return fresh.token;
  }

  /** Drops a cached token (the service answered 401 with it). */
  invalidate(platform: PlatformRow, scopes: string[]): void {
    this.cache.delete(this.cacheKey(platform, scopes));
  }

  private cacheKey(platform: PlatformRow, scopes: string[]): string {
    return `${platform.tokenUrl}|${platform.clientId}|${[...scopes].sort().join(" ")}`;
  }

  private async request(platform: PlatformRow, scopes: string[]): Promise<{ token: string; expiresInSeconds: number }> {
    const { kid, privateKey } = await this.signingKey();
    const iat = Math.floor(this.wallClock().getTime() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(randomToken(16))
      .sign(privateKey);
    let res: Response;
    try {
      res = await fetchWithTimeout(
        this.fetchFn,
        platform.tokenUrl,
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            client_assertion: assertion,
            scope: scopes.join(" "),
          }).toString(),
        },
        this.timeoutMs,
      );
    } catch (e) {
      throw new ServiceError(`token endpoint ${platform.tokenUrl} unreachable: ${errorMessage(e)}`, undefined, true);
    }
    if (!res.ok) {
      const detail = await bodySnippet(res);
      throw new ServiceError(
        `token endpoint answered ${res.status}${detail ? `: ${detail}` : ""}`,
        res.status,
        isTransientStatus(res.status),
        retryAfterMs(res, Date.now()),
      );
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new ServiceError("token endpoint answered with a body that is not JSON", res.status, true);
    }
    if (typeof body.access_token !== "string" || !body.access_token) throw new ServiceError("token endpoint answered without an access_token", res.status, false);
    const expiresIn = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600;
    return { token: body.access_token, expiresInSeconds: expiresIn };
  }
}
