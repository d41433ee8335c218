/**
 * Static assets of the web pages, held as strings (no file system: the same code runs on Workers) and
 * served by `webRoutes` under `/assets/`. Links carry a content hash (`?v=`), so they can be cached.
 */
import { hash64 } from "../../core/util/hash.js";
import { CHAT_JS } from "./chat-client.js";
import { APP_CSS } from "./styles.js";

export interface Asset {
  body: string;
  type: string;
  version: string;
}

function asset(body: string, type: string): Asset {
  return { body, type, version: hash64(body).slice(0, 10) };
}

export const ASSETS: Record<string, Asset> = {
  "app.css": asset(APP_CSS, "text/css; charset=utf-8"),
  "chat.js": asset(CHAT_JS, "text/javascript; charset=utf-8"),
};

/** Registers another asset (e.g. the practice pages' script). */
export function registerAsset(name: string, body: string, type: string): void {
  ASSETS[name] = asset(body, type);
}

/** App-relative path of an asset with its version: `assets/chat.js?v=...` (prefix it with the page's root). */
export function assetPath(name: string): string {
  const a = ASSETS[name];
  return `assets/${name}${a ? `?v=${a.version}` : ""}`;
}
