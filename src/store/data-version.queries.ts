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
