import { defineConfig } from 'vitest/config';

/** The default suite: every `*.test.ts` except the slow learning regressions (`*.slow.test.ts`). */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'tools/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.slow.test.ts'],
    pool: 'forks',
    reporters: ['default', './tools/passFailReporter.ts'],
    // Tests load the built packages: build them first, so dist is never stale.
    globalSetup: ['./tools/buildBeforeTests.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
