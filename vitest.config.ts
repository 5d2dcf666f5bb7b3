import { defineConfig } from 'vitest/config';

// Tests use real parts (files, archives, sshd, logger, Chromium); they never assert wall-clock times.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
