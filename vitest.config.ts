import { defineConfig } from 'vitest/config';

// The whole suite runs twice: on embedded PGlite and on a real PostgreSQL server.
// test/support/database.ts gives every test file its own database on the chosen kind.
const shared = {
  include: ['test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  globalSetup: ['test/support/global-setup.ts'],
};

export default defineConfig({
  test: {
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'pglite', env: { TEST_DATABASE: 'pglite' } } },
      { test: { ...shared, name: 'postgres', env: { TEST_DATABASE: 'postgres' } } },
    ],
  },
});
