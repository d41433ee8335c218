import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    server: {
      deps: {
        // @lti-tool/core 1.0.6 publishes ESM with extensionless imports: let vite resolve them.
        inline: [/@lti-tool\/core/],
      },
    },
  },
});
