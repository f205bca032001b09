import { defineConfig } from 'vitest/config';

/** `pnpm test:learning`: the slow learning regressions (`*.slow.test.ts`), one at a time. */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.slow.test.ts', 'examples/**/*.slow.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    reporters: ['default', './tools/passFailReporter.ts'],
    // Tests load the built packages: build them first, so dist is never stale.
    globalSetup: ['./tools/buildBeforeTests.ts'],
    fileParallelism: false,
    testTimeout: 1_800_000,
  },
});
