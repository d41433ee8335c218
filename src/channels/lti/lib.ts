/**
 * @lti-tool/core, loaded on first use. Its published ESM has extensionless relative imports and an
 * attribute-less JSON import, which Node's own loader refuses (tsx and bundlers cope). Loading it
 * lazily keeps the rest of the app (and every test that imports createApp) independent of it; on
 * Node, `installLtiCoreShim()` (src/channels/lti/node/esm-shim.ts, called by the Node runtime) lets
 * the native loader read it too.
 */
export type LtiCore = typeof import("@lti-tool/core");

let loading: Promise<LtiCore> | undefined;

export function ltiCore(): Promise<LtiCore> {
  loading ??= import("@lti-tool/core").catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}
