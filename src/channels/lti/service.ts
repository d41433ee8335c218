/**
 * The LTI channel's state for one app (one AppDeps): storage, the tool's signing key (generated on
 * first use and kept in app_settings), the platform key cache, the service-token cache and the
 * @lti-tool/core LTITool instances (one per base URL).
 */
import type { LTITool } from "@lti-tool/core";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { eq } from "drizzle-orm";
import type { AppDeps } from "../../app.js";
import { getOrCreateSetting } from "../../db/learners.js";
import { appSettings } from "../../db/schema/index.js";
import { PlatformKeyCache } from "./platform-keys.js";
import { ServiceTokenCache } from "./service-token.js";
import { ltiCore } from "./lib.js";
import { DrizzleLtiStorage } from "./storage.js";

/** The parts of AppDeps the LTI channel reads. */
export type LtiDeps = Pick<AppDeps, "db" | "clock" | "publicUrl" | "sessionSecret" | "lti" | "listModules" | "progressFor">;

export interface ToolKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const TOOL_KEY_SETTING = "lti_tool_private_jwk";

export const TOOL_NAME = "FCE Coach";
export const TOOL_DESCRIPTION = "Training in foreign credential evaluation for Japanese university admissions: cited answers and graded practice cases.";

export class LtiService {
  readonly storage: DrizzleLtiStorage;
  readonly platformKeys: PlatformKeyCache;
  readonly tokens: ServiceTokenCache;
  readonly fetch: typeof fetch;
  readonly options: Required<Omit<NonNullable<AppDeps["lti"]>, "fetch">>;
  private keysPromise?: Promise<ToolKeys>;
  private readonly tools = new Map<string, LTITool>();

  constructor(readonly deps: LtiDeps) {
    const o = deps.lti ?? {};
    this.options = {
      sessionTtlSeconds: o.sessionTtlSeconds ?? 2 * 60 * 60,
      loginTtlSeconds: o.loginTtlSeconds ?? 10 * 60,
      retryBaseMs: o.retryBaseMs ?? 30_000,
      retryMaxMs: o.retryMaxMs ?? 60 * 60 * 1000,
      claimLeaseMs: o.claimLeaseMs ?? 2 * 60 * 1000,
      dynamicRegistration: o.dynamicRegistration ?? true,
      requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
    };
    this.fetch = o.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.storage = new DrizzleLtiStorage(deps.db, deps.clock, this.options.sessionTtlSeconds);
    this.platformKeys = new PlatformKeyCache(this.fetch, this.options.requestTimeoutMs);
    this.tokens = new ServiceTokenCache(this.fetch, this.options.requestTimeoutMs, () => this.keys(), () => deps.clock.now());
  }

  /** The tool's RS256 key pair, created and stored on first use (the first writer wins across processes). */
  keys(): Promise<ToolKeys> {
    this.keysPromise ??= loadToolKeys(this.deps.db).catch((e: unknown) => {
      this.keysPromise = undefined;
      throw e;
    });
    return this.keysPromise;
  }

  /** The library's LTITool for this base URL, wired to our storage and key. */
  async tool(baseUrl: string): Promise<LTITool> {
    const existing = this.tools.get(baseUrl);
    if (existing) return existing;
    const keys = await this.keys();
    const { LTITool } = await ltiCore();
    const tool = new LTITool({
      // The library signs its own login state with this; we run the login ourselves (see README), so it only needs to be secret.
      stateSecret: new TextEncoder().encode(this.deps.sessionSecret ?? `${keys.kid}-unused-state-secret`),
      keyPair: { privateKey: keys.privateKey, publicKey: keys.publicKey },
      storage: this.storage,
      security: { keyId: keys.kid, nonceExpirationSeconds: this.options.loginTtlSeconds, stateExpirationSeconds: this.options.loginTtlSeconds },
      dynamicRegistration: {
        url: baseUrl,
        name: TOOL_NAME,
        description: TOOL_DESCRIPTION,
        loginUri: `${baseUrl}/lti/login`,
        launchUri: `${baseUrl}/lti/launch`,
        jwksUri: `${baseUrl}/lti/jwks`,
        deepLinkingUri: `${baseUrl}/lti/launch`,
      },
    });
    this.tools.set(baseUrl, tool);
    return tool;
  }
}

const services = new WeakMap<object, LtiService>();

/** The LTI service of an app (one per deps object, so caches are shared by routes, reportScore and the worker). */
export function ltiService(deps: LtiDeps): LtiService {
  let s = services.get(deps);
  if (!s) {
    s = new LtiService(deps);
    services.set(deps, s);
  }
  return s;
}

async function loadToolKeys(db: AppDeps["db"]): Promise<ToolKeys> {
  const found = await db.select().from(appSettings).where(eq(appSettings.key, TOOL_KEY_SETTING)).limit(1);
  let stored = found[0]?.value;
  if (!stored) {
    const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(privateKey);
    jwk.kid = await calculateJwkThumbprint(jwk);
    const generated = JSON.stringify(jwk);
    stored = await getOrCreateSetting(db, TOOL_KEY_SETTING, () => generated);
  }
  const privateJwk = JSON.parse(stored) as JWK;
  const publicJwk: JWK = { kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e };
  const privateKey = (await importJWK(privateJwk, "RS256")) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, "RS256", { extractable: true })) as CryptoKey;
  return { kid: privateJwk.kid ?? (await calculateJwkThumbprint(publicJwk)), privateKey, publicKey };
}
