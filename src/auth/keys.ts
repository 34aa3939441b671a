// API keys: minting (`ek_` + 256 random bits, shown once), storage as a keyed hash, verification and revocation.
//
// Why HMAC-SHA256 and not a slow hash (bcrypt, scrypt, argon2): slow hashes exist to make guessing low-entropy
// secrets (passwords) expensive. These keys are 32 random bytes, so there is nothing to guess: even a plain SHA-256
// of one cannot be reversed or brute-forced, and a fast hash keeps verification to microseconds on every request
// (a slow hash on every write request would be a CPU denial-of-service lever). The hash is keyed so that the table
// alone does not even let someone confirm a candidate key offline.
//
// Where the key comes from, and the trade-off:
// - `API_KEY_SECRET` set (at least 32 characters, kept outside the database): a stolen database file or backup holds
//   hashes that are useless without the environment's secret. Changing or losing the secret invalidates every key.
// - unset: a random secret is generated once and kept in the `meta` table (`api_key_secret`). Zero configuration,
//   but anyone with the database or a backup also has the secret; the keys stay safe only because they are 256-bit
//   random. Keys made under one mode stop verifying when the mode changes: re-issue them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../store/client.js';
import {
  type ApiKeyListing,
  insertApiKey,
  insertMetaValueOnce,
  markApiKeyRevoked,
  selectApiKeyByHash,
  selectApiKeys,
  selectMetaValue,
  touchApiKey,
} from '../store/keys.queries.js';

export const KEY_SCOPES = ['write', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface ApiKeyIdentity {
  id: number;
  name: string;
  scope: KeyScope;
}

export type { ApiKeyListing };

const KEY_PREFIX = 'ek_';
const KEY_BYTES = 32;
/** `ek_` + base64url of 32 bytes (43 characters, no padding). */
const KEY_SHAPE = /^ek_[A-Za-z0-9_-]{43}$/;
/** Characters kept in clear for listings: `ek_` + 7, about 42 bits, enough to tell keys apart, useless to guess. */
export const PREFIX_LENGTH = 10;
/** `last_used_at` is at most this stale: a busy key does not cost a write per request. */
const TOUCH_INTERVAL_SECONDS = 60;
const SECRET_META_KEY = 'api_key_secret';
export const MAX_NAME_LENGTH = 100;

export function isKeyScope(value: unknown): value is KeyScope {
  return typeof value === 'string' && (KEY_SCOPES as readonly string[]).includes(value);
}

/** Whether a key with `granted` scope may do what `required` needs: admin includes write. */
export function scopeAllows(granted: KeyScope, required: KeyScope): boolean {
  return granted === 'admin' || granted === required;
}

export function hashApiKey(key: string, secret: string): string {
  return createHmac('sha256', secret).update(key, 'utf8').digest('hex');
}

/**
 * The HMAC secret: the configured one when given, else the one kept in `meta` (created on first use). Called once
 * at start by the server and by the CLI, so both hash alike.
 */
export async function resolveKeySecret(db: Database, configured?: string): Promise<string> {
  if (configured) return configured;
  return (
    (await selectMetaValue(db, SECRET_META_KEY)) ??
    (await insertMetaValueOnce(db, SECRET_META_KEY, randomBytes(32).toString('base64url')))
  );
}

export async function createApiKey(
  db: Database,
  { name, scope, secret }: { name: string; scope: KeyScope; secret: string },
): Promise<{ id: number; key: string; prefix: string }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH)
    throw new RangeError(`a key name must be 1 to ${MAX_NAME_LENGTH} characters`);
  if (!isKeyScope(scope)) throw new RangeError(`scope must be one of ${KEY_SCOPES.join(', ')}`);
  const key = `${KEY_PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`;
  const prefix = key.slice(0, PREFIX_LENGTH);
  const id = await insertApiKey(db, { name: trimmed, scope, prefix, key_hash: hashApiKey(key, secret) });
  return { id, key, prefix };
}

export async function listApiKeys(db: Database): Promise<ApiKeyListing[]> {
  return selectApiKeys(db);
}

/** False when there is no such key or it was already revoked. */
export async function revokeApiKey(db: Database, id: number): Promise<boolean> {
  return markApiKeyRevoked(db, id);
}

/**
 * The key's identity, or null for anything else (malformed, unknown, revoked). The row is found by its HMAC through
 * the unique index; the index walk's timing depends only on the HMAC, which an attacker cannot steer without the
 * secret. The final comparison is constant-time all the same.
 */
export async function verifyApiKey(db: Database, presented: string, secret: string): Promise<ApiKeyIdentity | null> {
  if (!KEY_SHAPE.test(presented)) return null;
  const hash = hashApiKey(presented, secret);
  const row = await selectApiKeyByHash(db, hash);
  if (!row) return null;
  const expected = Buffer.from(row.key_hash, 'hex');
  const actual = Buffer.from(hash, 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  if (row.revoked_at !== null || !isKeyScope(row.scope)) return null;
  const recentlyUsed =
    row.last_used_at !== null && Date.now() - Date.parse(row.last_used_at) < TOUCH_INTERVAL_SECONDS * 1000;
  if (!recentlyUsed) await touchApiKey(db, row.id, TOUCH_INTERVAL_SECONDS);
  return { id: row.id, name: row.name, scope: row.scope };
}
