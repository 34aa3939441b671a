// SQL for the data version: a counter that every commit that changed something bumps once, so ETags need no hashing.

import { APP_VERSION } from '../version.js';
import type { Reader, Transaction } from './client.js';

/** `<database id>.<version>`: unique across databases, monotonic within one, stable across restarts. */
export async function readDataVersion(h: Reader): Promise<string> {
  const row = await h.get<{ id: string | null; version: string | null }>(
    `SELECT (SELECT value FROM meta WHERE key = 'database_id') AS id,
            (SELECT value FROM meta WHERE key = 'data_version') AS version`,
  );
  return `${row?.id ?? 'none'}.${row?.version ?? '0'}`;
}

/** Called once by curation's commit, inside the transaction, when the commit changed something. */
export async function bumpDataVersion(tx: Transaction): Promise<void> {
  await tx.run("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'");
}

/** `<build>.<database id>.<data version>`: the base of every ETag (the build covers representation changes). */
export async function dataTagOf(h: Reader): Promise<string> {
  return `${APP_VERSION}.${await readDataVersion(h)}`;
}

/** The data tag of a database as of now, read again only when the engine says another connection committed. */
export interface DataTagWatch {
  /** `<build>.<database id>.<data version>` (see dataTagOf), as of the last commit by any connection or process. */
  current(): Promise<string>;
}

/**
 * Watches `h` (a Database's reader connection) so that the data tag costs a `meta` read only after a commit.
 *
 * SQLite: `PRAGMA data_version` changes whenever another connection, in this process (the writer) or in another
 * one (a second server, an import), committed to the file since the last call on this connection; it does not change
 * for this connection's own commits, and the reader never writes (sqlite.org/pragma.html#pragma_data_version). Read
 * before `meta`, so a commit between the two only costs one more read. Other writes (a key's last use) move it too:
 * the tag is read again and comes out the same.
 *
 * PostgreSQL: every call reads `meta` (two primary-key lookups in one statement), since another instance's commit
 * is only known by asking. Planned (docs/scaling.md): the commit that bumps the version also runs
 * `NOTIFY data_version` in its transaction, which PostgreSQL delivers at commit to every listening session of every
 * process; each server would keep one `LISTEN data_version` client whose notification (or loss of connection) marks
 * the tag stale.
 */
export function watchDataTag(h: Reader): DataTagWatch {
  if (h.engine === 'postgres') return { current: () => dataTagOf(h) };
  let seen: unknown;
  let tag = '';
  return {
    async current() {
      const now = (await h.get<{ data_version: number }>('PRAGMA data_version'))?.data_version;
      if (now !== seen) {
        tag = await dataTagOf(h);
        seen = now;
      }
      return tag;
    },
  };
}

export type VersionedTable = 'claims' | 'conditions' | 'interventions' | 'studies' | 'topics';

const KEY_COLUMN: Record<VersionedTable, string> = {
  claims: 'id',
  conditions: 'slug',
  interventions: 'slug',
  studies: 'key',
  topics: 'slug',
};
const ROW_ID: Record<VersionedTable, string> = {
  claims: 'seq',
  conditions: 'id',
  interventions: 'id',
  studies: 'id',
  topics: 'id',
};

/**
 * A curated row's identity and version: `id` is its internal key (AUTOINCREMENT, never reused, so a resource
 * deleted and created again is another resource), `version` is bumped by trigger on every update. Both go into
 * the resource's ETag; If-Match checks them.
 */
export async function rowTag(
  h: Reader,
  table: VersionedTable,
  key: string,
): Promise<{ id: number; version: number } | undefined> {
  return h.get<{ id: number; version: number }>(
    `SELECT ${ROW_ID[table]} AS id, version FROM ${table} WHERE ${KEY_COLUMN[table]} = ?`,
    [key],
  );
}

/** rowTag by internal id, for resources found by lookup key (conditions, interventions). */
export async function rowTagById(
  h: Reader,
  table: VersionedTable,
  id: number,
): Promise<{ id: number; version: number } | undefined> {
  return h.get<{ id: number; version: number }>(
    `SELECT ${ROW_ID[table]} AS id, version FROM ${table} WHERE ${ROW_ID[table]} = ?`,
    [id],
  );
}
