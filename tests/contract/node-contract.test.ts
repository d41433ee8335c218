/** The shared HTTP contract against the Node runtime (app.request, no socket). */
import { afterAll, beforeAll } from "vitest";
import { testRuntime } from "../helpers/runtime.js";
import { defineHttpContract } from "./http-contract.js";

const ADMIN = "contract-admin-token";
let rt: Awaited<ReturnType<typeof testRuntime>>;

beforeAll(async () => {
  rt = await testRuntime({ env: { FCE_ADMIN_TOKEN: ADMIN } });
});
afterAll(() => rt?.cleanup());

defineHttpContract("Node", () => ({ fetch: async (path, init) => rt.app.request(path, init), adminToken: ADMIN }));
