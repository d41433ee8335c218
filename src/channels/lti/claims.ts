/** LTI 1.3 claim names, scopes and the launch claim schema (the library's, with the privacy claims made optional). */
import { z } from "zod";
import { ltiCore } from "./lib.js";

export const CLAIM = {
  messageType: "https://purl.imsglobal.org/spec/lti/claim/message_type",
  version: "https://purl.imsglobal.org/spec/lti/claim/version",
  deploymentId: "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
  targetLinkUri: "https://purl.imsglobal.org/spec/lti/claim/target_link_uri",
  resourceLink: "https://purl.imsglobal.org/spec/lti/claim/resource_link",
  roles: "https://purl.imsglobal.org/spec/lti/claim/roles",
  context: "https://purl.imsglobal.org/spec/lti/claim/context",
  custom: "https://purl.imsglobal.org/spec/lti/claim/custom",
  ags: "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
  nrps: "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice",
  deepLinking: "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
} as const;

export const SCOPE = {
  score: "https://purl.imsglobal.org/spec/lti-ags/scope/score",
  lineItem: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
  resultReadonly: "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
  nrps: "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
} as const;

export const MESSAGE_TYPES = ["LtiResourceLinkRequest", "LtiDeepLinkingRequest"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/**
 * The library's LTI 1.3 payload schema, except that `name`, `given_name`, `family_name` and `email`
 * are optional (the spec makes them so; an LMS with privacy settings sends none), `picture` is
 * accepted, and `roles` defaults to an empty list.
 */
function buildLaunchClaimsSchema(base: Awaited<ReturnType<typeof ltiCore>>["LTI13JwtPayloadSchema"]) {
  return base
    .extend({
      name: z.string().optional(),
      given_name: z.string().optional(),
      family_name: z.string().optional(),
      email: z.string().optional(),
      picture: z.string().optional(),
      azp: z.string().optional(),
      [CLAIM.roles]: z.array(z.string()).default([]),
    })
    .loose();
}

let launchSchema: Promise<ReturnType<typeof buildLaunchClaimsSchema>> | undefined;

export function launchClaimsSchema(): Promise<ReturnType<typeof buildLaunchClaimsSchema>> {
  launchSchema ??= ltiCore().then((core) => buildLaunchClaimsSchema(core.LTI13JwtPayloadSchema));
  return launchSchema;
}

export type LaunchClaims = z.infer<ReturnType<typeof buildLaunchClaimsSchema>>;

const STAFF = /(?:^|[#/])(?:Instructor|Administrator|TeachingAssistant)(?:$|[#/])/;

/**
 * Instructors, administrators and teaching assistants of the course see the instructor view. The
 * course (membership) roles decide when the platform sends any, so an institution-level
 * "Instructor" who takes the course as a Learner stays a learner; a system Administrator is staff.
 */
export function isInstructorRole(roles: readonly string[]): boolean {
  const isContextRole = (r: string) => r.includes("/membership") || !r.includes("/");
  const context = roles.filter(isContextRole);
  if (roles.some((r) => r.includes("/system/") && STAFF.test(r))) return true;
  return (context.length ? context : roles).some((r) => STAFF.test(r));
}

/** The module a launch is for: the `module_id` custom parameter (set by our deep link), or `module`. */
export function moduleIdOf(claims: LaunchClaims): string | undefined {
  const custom = (claims[CLAIM.custom] ?? {}) as Record<string, string>;
  const fromCustom = custom["module_id"] ?? custom["module"];
  if (fromCustom && !/^\$/.test(fromCustom)) return fromCustom;
  try {
    return new URL(claims[CLAIM.targetLinkUri]).searchParams.get("module") ?? undefined;
  } catch {
    return undefined;
  }
}

/** A display name from whatever name claims the platform shares; "Learner" when none. */
export function displayNameOf(claims: LaunchClaims): string {
  const full = claims.name?.trim() || [claims.given_name, claims.family_name].filter(Boolean).join(" ").trim();
  return full || "Learner";
}
