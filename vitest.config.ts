import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // Models (gazetteer, lexicons) load once per worker; two workers suit the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    // A cache of the tests' own: places a developer imported into ~/.cache/sitrep (sitrep gazetteer
    // import) would change what the golden tests find.
    env: { SITREP_CACHE_DIR: path.join(os.tmpdir(), 'sitrep-test-cache') },
  },
});
