import { defineConfig } from "vitest/config";

/**
 * Three tiers, each a vitest project (`npm run test:unit`, `test:integration`, `test:e2e`;
 * `npm test` runs all three):
 * - unit: in-process parts only (worker threads and loopback servers included): no anvil, no
 *   node, no child process under test; seconds.
 * - integration (`*.int.test.ts`): a real anvil, one node in process, or one `wavs` process.
 * - e2e (`test/e2e`, `test/guides`): several node processes, the dev network, the guides.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // vitest's default is one fork per core less one: a single fork on a 2-core machine, and
    // the suite's e2e files mostly wait (blocks, grace periods), so two run side by side
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "scripts/**/*.test.mjs"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "**/dist/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["packages/*/src/**/*.int.test.ts", "packages/*/test/helpers/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["packages/*/test/e2e/**/*.test.ts", "packages/*/test/guides/**/*.test.ts"],
        },
      },
    ],
  },
});
