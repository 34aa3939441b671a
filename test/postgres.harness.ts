// The PostgreSQL side of the test harness: with TEST_DATABASE_URL set, every test database is a new PostgreSQL
// database copied from a migrated (and a migrated, seeded) template, and dropped again when the test closes it.
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the seeded template could not be made (postgres.setup.ts), or empty: tests that need it fail with this. */
    postgresTemplateFailure: string;
  }
}

/**
 * The URL of a database the test role may connect to (it needs CREATEDB), e.g.
 * postgres://evidence:evidence@127.0.0.1:5432/evidence_pgcore. Its name is the prefix of every database a run makes:
 * `<name>_tmpl_empty`, `<name>_tmpl_seeded` (templates made once per run) and `<name>_t_<pid>_<n>` (one per test
 * database). Unset or empty: the tests use SQLite files.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const onPostgres = TEST_DATABASE_URL !== undefined;

/** The name of the database a URL names (its path without the slash). */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new RangeError('TEST_DATABASE_URL must name a database of lower-case letters, digits and _');
  return name;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export const templateName = (base: string, seeded: boolean) => `${base}_tmpl_${seeded ? 'seeded' : 'empty'}`;

/** Runs statements on the base database (CREATE/DROP DATABASE cannot run inside a transaction or on the target). */
export async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sqlText: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sqlText, params)).rows;
  } finally {
    await client.end();
  }
}

let counter = 0;

/**
 * A new database copied from the run's template (`seeded` or not); returns its URL and a function that drops it.
 * Copying a template is a file copy inside the server: far faster than migrating and seeding each time.
 */
export async function createTestDatabase(seeded: boolean): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = TEST_DATABASE_URL as string;
  const prefix = databaseName(base);
  const name = `${prefix}_t_${process.pid}_${++counter}`;
  const template = templateName(prefix, seeded);
  const failure = inject('postgresTemplateFailure');
  if (seeded && failure) throw new Error(`the seeded template database could not be made: ${failure}`);
  // Two files creating from one template at once is fine; a connection left on the template is not (none is).
  await admin(base, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return {
    url: withDatabase(base, name),
    // Cleanup, never a test's failure: FORCE can be refused while the server still counts a backend of another role
    // (an autovacuum or a just-closed session: "must be a member of the role whose process is being terminated").
    // Then a plain DROP once the sessions are gone; a database left over is dropped by the next run's setup.
    drop: async () => {
      try {
        await admin(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await admin(base, `DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
      }
    },
  };
}
