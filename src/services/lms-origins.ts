/**
 * The origins of the registered LMS platforms: the only sites allowed to frame FCE Coach pages
 * (Content-Security-Policy frame-ancestors). Cached briefly; a new registration shows within a minute.
 */
import { ltiPlatforms } from "../db/schema/index.js";
import type { AppDatabase } from "../db/types.js";

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function lmsOrigins(db: AppDatabase, now: () => number, ttlMs = 60_000): () => Promise<string[]> {
  let cached: { at: number; origins: string[] } | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.origins;
    const rows = await db.select({ issuer: ltiPlatforms.issuer, authUrl: ltiPlatforms.authUrl }).from(ltiPlatforms);
    const origins = [...new Set(rows.flatMap((r) => [originOf(r.issuer), originOf(r.authUrl)]).filter((o): o is string => !!o))].sort();
    cached = { at: now(), origins };
    return origins;
  };
}
