// Opaque keyset cursors: base64url JSON of the sort in force and the last row's sort key, checked on the way back in.
import { z } from 'zod';
import { badRequest, PROBLEM_CODES } from './problem.js';

export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .describe('Page size, 1-100.')
  .meta({ example: 20 });

export const cursorParam = z
  .string()
  .max(512)
  .optional()
  .describe("Opaque cursor from the previous page's `next_cursor`. Use it with the same filters and sort.");

type KeyValue = string | number | null;

interface CursorPayload {
  /** What the cursor belongs to, e.g. "claims:-certainty". */
  s: string;
  k: KeyValue[];
}

export function encodeCursor(scope: string, key: KeyValue[]): string {
  return Buffer.from(JSON.stringify({ s: scope, k: key } satisfies CursorPayload)).toString('base64url');
}

/**
 * What one position of a cursor's key holds: `integer` a whole number within PostgreSQL's `integer` (what every integer
 * key column and computed order is), `offset` the same but not negative (a search page's start), `text` a string with no
 * NUL (PostgreSQL refuses U+0000 in text). A cursor is checked against its list's shape before its values reach SQL, so
 * an edited cursor is a 400, never a database error.
 */
export type CursorKey = 'integer' | 'offset' | 'text';

const INT4_MAX = 2 ** 31 - 1;
const fits = (kind: CursorKey, v: unknown): boolean => {
  if (kind === 'text') return typeof v === 'string' && !v.includes('\u0000');
  if (typeof v !== 'number' || !Number.isInteger(v) || v > INT4_MAX) return false;
  return kind === 'offset' ? v >= 0 : v >= -INT4_MAX - 1;
};

/**
 * The key a cursor carries, checked: it must be one this API issued for `scope` (the list and its sort order), with one
 * value of the right kind per position of `shape`. Throws a 400 `request.invalid_cursor` naming `query.<parameter>`
 * otherwise.
 */
export function decodeCursor(
  cursor: string,
  scope: string,
  shape: readonly CursorKey[],
  parameter = 'cursor',
): (string | number)[] {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`query.${parameter}`, 'is not a cursor this API issued', PROBLEM_CODES.badCursor);
  }
  const p = payload as Partial<CursorPayload> | null;
  if (
    !p ||
    typeof p !== 'object' ||
    p.s !== scope ||
    !Array.isArray(p.k) ||
    p.k.length !== shape.length ||
    !p.k.every((v, i) => fits(shape[i] as CursorKey, v))
  ) {
    throw badRequest(
      `query.${parameter}`,
      'does not belong to this list and sort order; start again without a cursor',
      PROBLEM_CODES.badCursor,
    );
  }
  return p.k as (string | number)[];
}

/** Takes `limit + 1` rows, returns the page and the cursor for the next one (null on the last page). */
export function paginate<Row>(
  rows: Row[],
  limit: number,
  scope: string,
  keyOf: (row: Row) => KeyValue[],
): { items: Row[]; next_cursor: string | null } {
  if (rows.length <= limit) return { items: rows, next_cursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1] as Row;
  return { items, next_cursor: encodeCursor(scope, keyOf(last)) };
}
