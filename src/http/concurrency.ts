// Entity tags for single resources and the If-Match rules that stop two curators overwriting each other.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Reader } from '../store/client.js';
import { dataTagOf, type VersionedTable } from '../store/data-version.queries.js';
import { ApiProblem } from './problem.js';

/** The identity and version of one stored resource (see store/data-version.queries.ts rowTag). */
export interface RowTag {
  id: number;
  version: number;
}

/** A short opaque name of one stored resource: its table and internal id, which is never reused. */
export function resourceName(table: VersionedTable, id: number): string {
  return createHash('sha256').update(`${table}:${id}`).digest('hex').slice(0, 12);
}

/**
 * The tag without the content-coding suffix the compression plugin appends to a compressed representation
 * (`"<tag>.v3-br"` → `"<tag>.v3"`): both name the same version of the resource.
 */
export function withoutEncodingSuffix(tag: string): string {
  return tag.replace(/-(?:br|gzip|deflate)"$/, '"');
}

/**
 * A single resource's strong ETag, `"<build>.<database id>.<data version>.<resource>.v<row version>"`: the data
 * tag (which changes with any write, for If-None-Match revalidation), the resource's own name, and its row version
 * (which changes only when that row is written, for If-Match).
 */
export function resourceEtag(dataTag: string, table: VersionedTable, row: RowTag): string {
  return `"${dataTag}.${resourceName(table, row.id)}.v${row.version}"`;
}

const TAIL = /^(\d+)\.([0-9a-f]{12})\.v(\d+)$/;

/**
 * Whether one If-Match entity tag names this version of this resource (RFC 9110 strong comparison: weak tags never
 * match). The whole tag is compared except the data version, which moves with every write anywhere and so cannot
 * take part: it must only not be from the future. Build, database, resource and row version must all be this one's.
 */
function names(given: string, dataTag: string, table: VersionedTable, row: RowTag): boolean {
  const tag = withoutEncodingSuffix(given);
  if (!tag.startsWith('"') || !tag.endsWith('"') || tag.length < 2) return false;
  const opaque = tag.slice(1, -1);
  const dot = dataTag.lastIndexOf('.');
  const prefix = dataTag.slice(0, dot + 1);
  const currentDataVersion = Number(dataTag.slice(dot + 1));
  if (!opaque.startsWith(prefix)) return false;
  const m = TAIL.exec(opaque.slice(prefix.length));
  return (
    m !== null &&
    Number(m[1]) <= currentDataVersion &&
    m[2] === resourceName(table, row.id) &&
    Number(m[3]) === row.version
  );
}

/**
 * PATCH and DELETE must say which version they edit: 428 without If-Match or with only `*`, 412 when the tag does not name the
 * current version of this very resource in this database and build. Call it inside the write's transaction, with
 * the row as read there, so no other write can come between the check and the change. The 412 carries the current
 * ETag so a client can re-read and retry deliberately.
 */
export async function requireIfMatch(
  request: FastifyRequest,
  reply: FastifyReply,
  h: Reader,
  table: VersionedTable,
  row: RowTag,
): Promise<void> {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '')
    throw new ApiProblem(
      428,
      'request.precondition_required',
      'Precondition required',
      'Send If-Match with the ETag from a GET of this resource, so a concurrent edit cannot be overwritten.',
    );
  const tags = header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '*');
  // RFC 9110 lets `*` match any current representation, which is exactly the check a lost-update guard must not skip.
  if (tags.length === 0)
    throw new ApiProblem(
      428,
      'request.precondition_required',
      'Precondition required',
      'If-Match: * is not accepted here: it matches any version, so it cannot stop a concurrent edit from being overwritten. Send the ETag from a GET of this resource.',
    );
  const dataTag = await dataTagOf(h);
  if (!tags.some((tag) => names(tag, dataTag, table, row))) {
    reply.header('etag', resourceEtag(dataTag, table, row));
    throw new ApiProblem(
      412,
      'request.precondition_failed',
      'Precondition failed',
      `That ETag is not the current one of this resource (now version ${row.version}): the resource has changed since it was issued, or the tag belongs to another resource or database. GET it again and reapply your change.`,
    );
  }
}
