/**
 * Node only: a module-resolution hook that lets Node's native ESM loader read @lti-tool/core 1.0.6
 * (vitest loads node_modules natively; so does plain `node`). The published files import siblings
 * without the `.js` extension (and one directory as `'../../schemas'`), and import their
 * package.json without `with { type: "json" }`. The hook retries such imports with `.js` /
 * `/index.js`, and serves that package.json as a module exporting its fields. It touches nothing
 * outside node_modules/@lti-tool/core.
 */
import { register } from "node:module";

const HOOKS = `
const PKG = "/node_modules/@lti-tool/core/";
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? "";
  if (!parent.includes(PKG) || !specifier.startsWith(".")) return next(specifier, context);
  try {
    return await next(specifier, context);
  } catch (error) {
    for (const suffix of [".js", "/index.js"]) {
      try {
        return await next(specifier + suffix, context);
      } catch {}
    }
    throw error;
  }
}
export async function load(url, context, next) {
  if (url.includes(PKG) && url.endsWith("/package.json")) {
    const { readFile } = await import("node:fs/promises");
    const pkg = JSON.parse(await readFile(new URL(url), "utf8"));
    const named = ["name", "version"].filter((k) => k in pkg);
    const source = "const pkg = " + JSON.stringify(pkg) + ";\\nexport default pkg;\\n" + named.map((k) => "export const " + k + " = pkg[" + JSON.stringify(k) + "];").join("\\n");
    return { format: "module", source, shortCircuit: true };
  }
  return next(url, context);
}
`;

const FLAG = Symbol.for("fce-coach.lti-core-esm-shim");

/** Installs the hook once per process (idempotent). */
export function installLtiCoreShim(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[FLAG]) return;
  g[FLAG] = true;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
}
