/**
 * The origins allowed to frame FCE Coach pages (Content-Security-Policy frame-ancestors): the
 * registered LMS platforms (issuer and login URL), the origins of LMS pages seen posting a valid LTI
 * launch (a hosted Canvas frames from the school's own domain), and any configured extra origins.
 * Cached briefly; a new registration or launch origin shows within a minute.
 */
import { lmsFrameOrigins, ltiPlatforms } from "../db/schema/index.js";
import type { AppDatabase } from "../db/types.js";

export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export function lmsOrigins(db: AppDatabase, now: () => number, options: { extra?: string[]; ttlMs?: number } = {}): () => Promise<string[]> {
  const ttlMs = options.ttlMs ?? 60_000;
  let cached: { at: number; origins: string[] } | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.origins;
    const platforms = await db.select({ issuer: ltiPlatforms.issuer, authUrl: ltiPlatforms.authUrl }).from(ltiPlatforms);
    const seen = await db.select({ origin: lmsFrameOrigins.origin }).from(lmsFrameOrigins);
    const all = [...platforms.flatMap((r) => [originOf(r.issuer), originOf(r.authUrl)]), ...seen.map((r) => r.origin), ...(options.extra ?? []).map(originOf)];
    const origins = [...new Set(all.filter((o): o is string => !!o))].sort();
    cached = { at: now(), origins };
    return origins;
  };
}

/** Remembers the origin of the LMS page that posted a valid launch (HTTPS only, or localhost). */
export async function rememberLaunchOrigin(db: AppDatabase, origin: string | undefined, at: Date): Promise<void> {
  const o = origin ? originOf(origin) : undefined;
  if (!o || (!o.startsWith("https://") && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(o))) return;
  await db.insert(lmsFrameOrigins).values({ origin: o, firstSeenAt: at }).onConflictDoNothing();
}
