import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // Models (gazetteer, lexicons) load once per worker; two workers suit the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
