/**
 * LTI Dynamic Registration 1.0 through @lti-tool/core: the platform opens
 * `/lti/register?openid_configuration=...&registration_token=...`; the library fetches the
 * platform's configuration (checking that the issuer is on the same host), shows the admin a form of
 * services, then POSTs our tool configuration to the platform's registration endpoint and stores the
 * returned client and deployment through our storage adapter.
 */
import { ltiCore } from "./lib.js";
import type { LtiService } from "./service.js";
import { LtiError, errorMessage } from "./util.js";

export async function initiateRegistration(svc: LtiService, baseUrl: string, query: Record<string, string | undefined>): Promise<string> {
  if (!svc.options.dynamicRegistration) throw new LtiError(403, "Dynamic registration is turned off on this server (FCE_LTI_DYNAMIC_REGISTRATION=off): use npm run lti:add-platform");
  if (!query.openid_configuration) {
    throw new LtiError(400, "Dynamic registration needs the openid_configuration parameter: paste this URL into your LMS's tool registration page, which adds it");
  }
  const { RegistrationRequestSchema } = await ltiCore();
  const parsed = RegistrationRequestSchema.safeParse({ openid_configuration: query.openid_configuration, registration_token: query.registration_token || undefined });
  if (!parsed.success) throw new LtiError(400, `Invalid registration request: ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`);
  const tool = await svc.tool(baseUrl);
  try {
    return await tool.initiateDynamicRegistration(parsed.data, "/lti/register");
  } catch (e) {
    throw new LtiError(400, `Could not use the platform's configuration at ${parsed.data.openid_configuration}: ${cleanLibraryError(e)}`);
  }
}

export async function completeRegistration(svc: LtiService, baseUrl: string, form: Record<string, string | string[] | undefined>): Promise<string> {
  if (!svc.options.dynamicRegistration) throw new LtiError(403, "Dynamic registration is turned off on this server (FCE_LTI_DYNAMIC_REGISTRATION=off)");
  const services = form.services === undefined ? [] : Array.isArray(form.services) ? form.services : [form.services];
  const token = Array.isArray(form.sessionToken) ? form.sessionToken[0] : form.sessionToken;
  const { DynamicRegistrationFormSchema } = await ltiCore();
  const parsed = DynamicRegistrationFormSchema.safeParse({ services, sessionToken: token });
  if (!parsed.success) throw new LtiError(400, `Invalid registration form: ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`);
  const tool = await svc.tool(baseUrl);
  try {
    return await tool.completeDynamicRegistration(parsed.data);
  } catch (e) {
    const message = cleanLibraryError(e);
    if (/Invalid or expired session/i.test(message)) throw new LtiError(400, "This registration form has expired or was already submitted: start the registration again from the LMS");
    throw new LtiError(502, `The platform refused the registration: ${message}`);
  }
}

function cleanLibraryError(e: unknown): string {
  return errorMessage(e).replace(/^\[Dynamic Registration\][^:]*:\s*/, "");
}
