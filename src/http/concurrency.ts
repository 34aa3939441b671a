// Entity tags for single resources and the If-Match rules that stop two curators overwriting each other.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblem } from './problem.js';

/**
 * A single resource's strong ETag: the data tag (which changes with any write, for If-None-Match revalidation)
 * plus the row's own version (which changes only when that row is written, for If-Match).
 */
export function resourceEtag(dataTag: string, version: number): string {
  return `"${dataTag}.v${version}"`;
}

/**
 * The tag without the content-coding suffix the compression plugin appends to a compressed representation
 * (`"<tag>.v3-br"` → `"<tag>.v3"`): both name the same version of the resource.
 */
export function withoutEncodingSuffix(tag: string): string {
  return tag.replace(/-(?:br|gzip|deflate)"$/, '"');
}

/** The version a client's If-Match names, per tag; weak tags never match (RFC 9110 strong comparison). */
function versionsIn(ifMatch: string): (number | '*')[] {
  return ifMatch
    .split(',')
    .map((t) => t.trim())
    .flatMap((tag): (number | '*')[] => {
      if (tag === '*') return ['*'];
      const m = /^"[^"]*\.v(\d+)"$/.exec(withoutEncodingSuffix(tag));
      return m ? [Number(m[1])] : [];
    });
}

/**
 * PATCH and DELETE must say which version they edit: 428 without If-Match, 412 when the resource changed since.
 * The 412 carries the current ETag so a client can re-read and retry deliberately.
 */
export function requireIfMatch(
  request: FastifyRequest,
  reply: FastifyReply,
  currentVersion: number,
  currentEtag: string,
) {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '')
    throw new ApiProblem(
      428,
      'request.precondition_required',
      'Precondition required',
      'Send If-Match with the ETag from a GET of this resource, so a concurrent edit cannot be overwritten.',
    );
  const versions = versionsIn(header);
  if (!versions.some((v) => v === '*' || v === currentVersion)) {
    reply.header('etag', currentEtag);
    throw new ApiProblem(
      412,
      'request.precondition_failed',
      'Precondition failed',
      `The resource has changed since that ETag was issued (now version ${currentVersion}); GET it again and reapply your change.`,
    );
  }
}
