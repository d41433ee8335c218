/**
 * Names and Role Provisioning Services: the course roster, read with a client-credentials token.
 * Members' names and emails are optional (privacy settings), so the parse is lenient; pages are
 * followed through `Link: <...>; rel="next"`.
 */
import { z } from "zod";
import { SCOPE } from "./claims.js";
import type { LtiService } from "./service.js";
import { ServiceError } from "./service-token.js";
import type { PlatformRow } from "./storage.js";
import { bodySnippet, errorMessage, fetchWithTimeout } from "./util.js";

const MemberSchema = z
  .object({
    user_id: z.string().min(1),
    status: z.string().optional(),
    name: z.string().optional(),
    given_name: z.string().optional(),
    family_name: z.string().optional(),
    email: z.string().optional(),
    roles: z.array(z.string()).default([]),
  })
  .loose();

const MembershipSchema = z.object({ members: z.array(z.unknown()) }).loose();

export interface RosterMember {
  userId: string;
  name?: string;
  email?: string;
  roles: string[];
  status: string;
}

const MAX_PAGES = 20;

export async function fetchRoster(svc: LtiService, platform: PlatformRow, membershipsUrl: string, now: Date): Promise<RosterMember[]> {
  const members: RosterMember[] = [];
  let url: string | undefined = membershipsUrl;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const token = await svc.tokens.token(platform, [SCOPE.nrps], now);
    let res: Response;
    try {
      res = await fetchWithTimeout(
        svc.fetch,
        url,
        { headers: { authorization: `Bearer ${token}`, accept: "application/vnd.ims.lti-nrps.v2.membershipcontainer+json" } },
        svc.options.requestTimeoutMs,
      );
    } catch (e) {
      throw new ServiceError(`memberships service unreachable: ${errorMessage(e)}`, undefined, true);
    }
    if (!res.ok) {
      if (res.status === 401) svc.tokens.invalidate(platform, [SCOPE.nrps]);
      throw new ServiceError(`memberships service answered ${res.status}: ${await bodySnippet(res)}`, res.status, res.status >= 500);
    }
    const parsed = MembershipSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new ServiceError("memberships service answered without a members list", res.status, false);
    for (const m of parsed.data.members) {
      const member = MemberSchema.safeParse(m);
      if (!member.success) continue;
      const d = member.data;
      const name = d.name || [d.given_name, d.family_name].filter(Boolean).join(" ") || undefined;
      members.push({ userId: d.user_id, ...(name ? { name } : {}), ...(d.email ? { email: d.email } : {}), roles: d.roles, status: d.status ?? "Active" });
    }
    url = nextLink(res.headers.get("link"));
  }
  return members;
}

function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part.trim());
    if (m) return m[1];
  }
  return undefined;
}
