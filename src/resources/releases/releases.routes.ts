// GET /v1/releases...: the bulk releases in RELEASES_DIR, their manifests and their files (streamed, with ranges).
//
// The server only reads the releases folder; `npm run export` writes it (see README "Bulk releases" for why). Each
// request looks at the folder afresh, so a release appears as soon as an export renames it into place, on every
// server that shares the folder, with no restart and no signal.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import parseRange from 'range-parser';
import { z } from 'zod';
import { problem } from '../../http/api-schemas.js';
import { withoutEncodingSuffix } from '../../http/concurrency.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { ApiProblem, notFound } from '../../http/problem.js';
import { APP_VERSION } from '../../version.js';
import { latestManifest, listManifests, readManifest, releaseFilePath, sizeOf } from './releases.folder.js';
import {
  GZIP_MEDIA_TYPE,
  MANIFEST_FILE,
  type Release,
  ReleaseFileName,
  ReleaseId,
  ReleaseListQuery,
  ReleaseListSchema,
  type ReleaseManifest,
  ReleaseSchema,
} from './releases.schemas.js';

export const RELEASE_PROBLEMS = {
  noRelease: 'releases.none',
  notFound: 'releases.not_found',
  fileNotFound: 'releases.file_not_found',
  rangeNotSatisfiable: 'releases.range_not_satisfiable',
} as const;

const noReleaseYet = problem('No release has been written yet: run `npm run export` on the server.', {
  name: 'NoReleaseYet',
  example: {
    code: RELEASE_PROBLEMS.noRelease,
    detail: 'No release has been written yet: the operator runs `npm run export` to make one.',
  },
});
const releaseNotFound = problem('No such release: it never existed, or retention (RELEASES_KEEP) removed it.', {
  name: 'ReleaseNotFound',
  example: {
    code: RELEASE_PROBLEMS.notFound,
    detail: "No release '20261129T194200.123Z': the releases kept are listed at /v1/releases.",
  },
});

/** Release files never change: any cache may keep them for a year without asking again. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Headers of a file download besides the shared ETag, Cache-Control and Content-Disposition (openapi-operations). */
const FILE_HEADERS = {
  ETag: { type: 'string' },
  'Content-Disposition': { type: 'string' },
  'Content-Length': { type: 'integer', description: 'Bytes in this response body.' },
  'Accept-Ranges': { type: 'string', description: '`bytes`: a download can resume with `Range`.' },
  'Repr-Digest': {
    type: 'string',
    description: 'RFC 9530 digest of the whole file: its SHA-256 (as in the manifest) in base64, `sha-256=:<base64>:`.',
  },
};

const binary = (description: string) => ({
  description,
  headers: FILE_HEADERS,
  content: {
    [GZIP_MEDIA_TYPE]: {
      schema: z.string().describe('The gzip bytes of an NDJSON or SQLite file.').meta({ format: 'binary' }),
    },
    'application/json': {
      schema: z.string().describe('`manifest.json`, as written beside the files.').meta({ format: 'binary' }),
    },
  },
});

export interface ReleaseRoutesOptions {
  /** RELEASES_DIR. */
  dir: string;
  /** PUBLIC_BASE_URL: file links are absolute under it when set, root-relative otherwise. */
  publicBaseUrl: string | undefined;
}

export const releasesRoutes: FastifyPluginAsync<ReleaseRoutesOptions, RawServerDefault, ZodTypeProvider> = async (
  app,
  { dir, publicBaseUrl = '' },
) => {
  /** The manifest with a download link per file. */
  const withLinks = (m: ReleaseManifest): Release => ({
    ...m,
    files: m.files.map((f) => ({ ...f, url: `${publicBaseUrl}/v1/releases/${m.id}/files/${f.name}` })),
  });

  /**
   * Sends a manifest or a list of them with a strong validator of its own (a hash of the body and the build that
   * shaped it), or a 304 when the client's If-None-Match already names it. Hashing a few KB costs microseconds.
   */
  function sendWithTag<T>(request: FastifyRequest, reply: FastifyReply, body: T): T {
    const etag = `"${createHash('sha256')
      .update(`${APP_VERSION}\n${JSON.stringify(body)}`)
      .digest('hex')
      .slice(0, 32)}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (matchesNoneMatch(request, etag)) return reply.code(304).send() as T;
    return body;
  }

  app.get('/v1/releases', {
    schema: {
      operationId: 'listReleases',
      tags: ['releases'],
      summary: 'List bulk releases',
      description:
        'The complete bulk releases kept on this server (the newest RELEASES_KEEP), newest first, each with its manifest and download links.',
      querystring: ReleaseListQuery,
      response: { 200: ReleaseListSchema },
    },
    handler: async (request, reply) => {
      const { limit, cursor } = request.query;
      const before = cursor === undefined ? undefined : String(decodeCursor(cursor, 'releases', ['text'])[0]);
      const manifests = await listManifests(dir, { limit: limit + 1, before });
      const items = manifests.slice(0, limit);
      const last = items[items.length - 1];
      return sendWithTag(request, reply, {
        items: items.map(withLinks),
        next_cursor: manifests.length > limit && last ? encodeCursor('releases', [last.id]) : null,
      });
    },
  });

  app.get('/v1/releases/latest', {
    schema: {
      operationId: 'getLatestRelease',
      tags: ['releases'],
      summary: 'Get the latest bulk release',
      description:
        'The manifest of the newest complete release: its data version, schema version, counts, and each file (gzip NDJSON per resource, and a SQLite file of the same snapshot) with its size, SHA-256 and download URL. Every file of a release comes from one database snapshot. A release holds every claim, whatever its status (see `counts.claims_by_status`). 404 until a first release is written. `Content-Location` names the release.',
      response: {
        200: {
          description: 'The manifest of the newest release.',
          headers: {
            'Content-Location': { type: 'string', description: 'The release this is: `/v1/releases/{id}`.' },
          },
          content: { 'application/json': { schema: ReleaseSchema } },
        },
        404: noReleaseYet,
      },
    },
    handler: async (request, reply) => {
      const manifest = await latestManifest(dir);
      if (!manifest)
        throw notFound(
          RELEASE_PROBLEMS.noRelease,
          'No release has been written yet: the operator runs `npm run export` to make one.',
        );
      reply.header('content-location', `${publicBaseUrl}/v1/releases/${manifest.id}`);
      return sendWithTag(request, reply, withLinks(manifest));
    },
  });

  app.get('/v1/releases/:id', {
    schema: {
      operationId: 'getRelease',
      tags: ['releases'],
      summary: 'Get a bulk release',
      description: 'The manifest of one release, with a download URL per file.',
      params: z.object({ id: ReleaseId }),
      response: { 200: ReleaseSchema, 404: releaseNotFound },
    },
    handler: async (request, reply) => {
      const manifest = await readManifest(dir, request.params.id);
      if (!manifest) throw releaseGone(request.params.id);
      return sendWithTag(request, reply, withLinks(manifest));
    },
  });

  app.get('/v1/releases/:id/files/:name', {
    exposeHeadRoute: false,
    // Already gzip: compressing again would waste CPU and break Content-Length and ranges.
    compress: false,
    schema: {
      operationId: 'downloadReleaseFile',
      tags: ['releases'],
      summary: 'Download a file of a bulk release',
      description:
        "Streams one file of a release as stored: gzip bytes (`application/gzip`; not `Content-Encoding`, so what is saved is what the manifest's SHA-256 describes), or `manifest.json`. `Range: bytes=...` resumes a download (206; a single range), `If-Range` with the ETag makes that safe, and `If-None-Match` answers 304. Files never change once written (`Cache-Control: immutable`).",
      params: z.object({ id: ReleaseId, name: ReleaseFileName }),
      headers: z
        .object({
          range: z
            .string()
            .optional()
            .describe('`bytes=<start>-<end>`, `bytes=<start>-` or `bytes=-<suffix length>`: one range.'),
          'if-range': z
            .string()
            .optional()
            .describe("The file's ETag: serve the range only if the file is still that one."),
        })
        .loose(),
      response: {
        200: binary('The whole file.'),
        206: {
          ...binary('The requested range of the file.'),
          headers: {
            ...FILE_HEADERS,
            'Content-Range': { type: 'string', description: '`bytes <start>-<end>/<size>`.' },
          },
        },
        404: problem('No such release, or no such file in it: the detail says which.', {
          name: 'ReleaseFileNotFound',
          example: {
            code: RELEASE_PROBLEMS.fileNotFound,
            detail: "Release 20261129T194200.123Z has no file 'claims.json': its files are listed in its manifest.",
          },
        }),
        416: {
          ...problem('The range starts beyond the end of the file; `Content-Range: bytes */<size>` gives the size.', {
            name: 'RangeNotSatisfiable',
            example: {
              code: RELEASE_PROBLEMS.rangeNotSatisfiable,
              detail: 'The range bytes=99999999- starts beyond the end of the file (136086264 bytes).',
            },
          }),
        },
      },
    },
    handler: async (request, reply) => await sendFile(request, reply as FastifyReply),
  });

  // HEAD by hand: Fastify's automatic HEAD route would set Content-Length to the length of an empty body.
  app.head('/v1/releases/:id/files/:name', {
    compress: false,
    schema: { hide: true, params: z.object({ id: ReleaseId, name: ReleaseFileName }) },
    handler: async (request, reply) => await sendFile(request, reply as FastifyReply),
  });

  async function sendFile(request: FastifyRequest, reply: FastifyReply) {
    const { id, name } = request.params as { id: string; name: string };
    const manifest = await readManifest(dir, id);
    if (!manifest) throw releaseGone(id);
    const path = releaseFilePath(dir, manifest, name);
    if (path === undefined)
      throw notFound(
        RELEASE_PROBLEMS.fileNotFound,
        `Release ${id} has no file '${name}': its files are listed in its manifest.`,
      );
    const listed = manifest.files.find((f) => f.name === name);
    // manifest.json is not listed in itself: its digest is computed from its bytes (a few KB).
    const sha256 =
      listed?.sha256 ??
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    const size = await sizeOf(path);
    if (size === undefined || (listed !== undefined && size !== listed.bytes))
      // The folder was changed by hand: never serve bytes that do not match their manifest.
      throw new Error(`release ${id} file ${name} is missing or not the size its manifest says`);
    const etag = `"${sha256}"`;

    let start = 0;
    let end = size - 1;
    const range = request.headers.range;
    const ifRange = String(request.headers['if-range'] ?? '') || undefined;
    // If-Range with another validator (or a date: ours are strong tags only) asks for the whole file.
    const partial = range !== undefined && (ifRange === undefined || ifRange.trim() === etag);
    const ranges = partial ? parseRange(size, range) : -2;
    if (ranges === -1) {
      reply.header('content-range', `bytes */${size}`);
      throw new ApiProblem(
        416,
        RELEASE_PROBLEMS.rangeNotSatisfiable,
        'Range not satisfiable',
        `The range ${range} starts beyond the end of the file (${size} bytes).`,
      );
    }
    reply
      .header('etag', etag)
      .header('cache-control', IMMUTABLE)
      .header('accept-ranges', 'bytes')
      .header('repr-digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`)
      .header('content-disposition', `attachment; filename="${id}-${name}"`)
      .type(name === MANIFEST_FILE ? 'application/json' : GZIP_MEDIA_TYPE);
    if (matchesNoneMatch(request, etag)) return reply.code(304).send();
    // -2 (malformed) or several ranges: the whole file, as RFC 9110 allows a server that ignores Range.
    if (ranges !== -2 && ranges.length === 1) {
      start = (ranges[0] as { start: number }).start;
      end = (ranges[0] as { end: number }).end;
      reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
    }
    reply.header('content-length', end - start + 1);
    if (request.method === 'HEAD' || size === 0) return reply.send('');
    return reply.send(createReadStream(path, { start, end }));
  }

  function releaseGone(id: string) {
    return notFound(RELEASE_PROBLEMS.notFound, `No release '${id}': the releases kept are listed at /v1/releases.`);
  }
};

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 says for If-None-Match; `*` matches). */
function matchesNoneMatch(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header
    .split(',')
    .map((t) => withoutEncodingSuffix(t.trim().replace(/^W\//, '')))
    .some((t) => t === '*' || t === etag);
}
