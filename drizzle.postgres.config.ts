// drizzle-kit settings for PostgreSQL: `npm run db:generate` also writes migrations/postgres/ from
// src/store/postgres/schema.ts, the twin of src/store/schema.ts (test/schema-parity.test.ts keeps them equal).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema.ts',
  out: './migrations/postgres',
});
