// drizzle-kit settings for SQLite: `npm run db:generate` writes SQL migrations from src/store/schema.ts into
// migrations/sqlite/ (the PostgreSQL twin is drizzle.postgres.config.ts).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './migrations/sqlite',
});
