// Vitest settings: every test file builds its own app on fresh in-memory databases, so files run in parallel.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // TEST_DATABASE_URL=postgres://...: the same suite on PostgreSQL, each test database copied from a template.
    globalSetup: ['test/postgres.setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
