import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: spawning CLIs and demo clusters in parallel files is fine, more is not faster.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
