// API shapes for bulk releases: the manifest (as written beside the files, and as served with download links).
import { z } from 'zod';
import { CLAIM_STATUSES } from '../../evidence/vocabulary.js';
import { page } from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';
import { APP_VERSION } from '../../version.js';

/** The resources with an NDJSON file in every release, in the order the files are listed. */
export const RELEASE_RESOURCES = ['claims', 'studies', 'conditions', 'interventions', 'topics'] as const;
export type ReleaseResource = (typeof RELEASE_RESOURCES)[number];

/** Bumped when a manifest changes incompatibly: readers check it before trusting the rest. */
export const MANIFEST_FORMAT = 'evidence-api-release/1';
export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FILE = 'evidence.sqlite.gz';
export const ndjsonFileOf = (resource: ReleaseResource) => `${resource}.ndjson.gz`;

/** Every file is served and stored gzip-compressed; this is what a download's Content-Type says. */
export const GZIP_MEDIA_TYPE = 'application/gzip' as const;
export const NDJSON_MEDIA_TYPE = 'application/x-ndjson' as const;
/** IANA registration of SQLite database files. */
export const SQLITE_MEDIA_TYPE = 'application/vnd.sqlite3' as const;

/**
 * A release id is its creation time in ISO 8601 basic format with milliseconds (`20261129T194200.123Z`): sortable as
 * text, so the newest release is the greatest id, and safe as a folder name and a URL segment.
 */
export const ReleaseId = z
  .string()
  .regex(/^\d{8}T\d{6}\.\d{3}Z$/, 'must be a release id such as 20261129T194200.123Z')
  .describe('Release id: its creation time in ISO 8601 basic format, UTC, with milliseconds.')
  .meta({ example: '20261129T194200.123Z' });

/** A file name in a release: lower-case letters, digits, dots, hyphens and underscores, never a path. */
export const ReleaseFileName = z
  .string()
  .max(64)
  // No `..` anywhere, no slash: a name, never a path.
  .regex(/^(?!.*\.\.)[a-z0-9][a-z0-9._-]*$/, 'must be a file name of this release, such as claims.ndjson.gz')
  .describe('A file of the release, as listed in its manifest (`files[].name`), or `manifest.json`.')
  .meta({ example: 'claims.ndjson.gz' });

const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('SHA-256 of the file as stored and downloaded (the gzip bytes), lower-case hex.');

export const ReleaseFileSchema = z
  .object({
    name: z.string().describe('File name in the release.').meta({ example: 'claims.ndjson.gz' }),
    resource: z
      .enum(RELEASE_RESOURCES)
      .nullable()
      .describe('The resource whose NDJSON this file holds; null for the SQLite database file.'),
    media_type: z.literal(GZIP_MEDIA_TYPE).describe('Every file is gzip-compressed as stored and as served.'),
    content_media_type: z
      .enum([NDJSON_MEDIA_TYPE, SQLITE_MEDIA_TYPE])
      .describe(
        'What the gunzipped content is: NDJSON (one JSON object per line, UTF-8, `\\n` after each) or a SQLite 3 database file.',
      ),
    bytes: z.number().int().min(0).describe('Size of the file (compressed), in bytes.'),
    uncompressed_bytes: z.number().int().min(0).describe('Size of the content once gunzipped, in bytes.'),
    sha256: Sha256,
    records: z
      .number()
      .int()
      .min(0)
      .nullable()
      .describe('Lines (one resource each) of an NDJSON file; null for the database file.'),
  })
  .meta({ id: 'ReleaseFile' });

export const ReleaseCountsSchema = z
  .object({
    claims: z.number().int().min(0),
    claims_by_status: z
      .object(
        Object.fromEntries(CLAIM_STATUSES.map((s) => [s, z.number().int().min(0)])) as Record<
          (typeof CLAIM_STATUSES)[number],
          z.ZodNumber
        >,
      )
      .describe(
        'Claims per status. A release holds every claim: `published` (what lists and topics show by default), `draft` (not yet reviewed), `retracted` (a study behind it was retracted) and `withdrawn` (taken back by its curators or source).',
      ),
    studies: z.number().int().min(0),
    conditions: z.number().int().min(0),
    interventions: z.number().int().min(0),
    topics: z.number().int().min(0),
  })
  .describe('Resources in the release: the number of lines of each NDJSON file, and rows of the database file.')
  .meta({ id: 'ReleaseCounts' });

/** The manifest as `npm run export` writes it to `manifest.json` beside the files. */
export const ReleaseManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT).describe('Manifest format and version.'),
  id: ReleaseId,
  created_at: z.iso.datetime().describe('When the snapshot was taken (ISO 8601, UTC).'),
  app_version: z.string().describe('Version of the API build that wrote the release: it shaped every NDJSON line.'),
  schema_version: z
    .number()
    .int()
    .min(0)
    .describe('Database migrations applied in the snapshot (`migrations/`): the schema of the SQLite file.'),
  database_id: z.string().describe('Identity of the database the snapshot was taken from.'),
  data_version: z
    .number()
    .int()
    .min(0)
    .describe(
      'Data version of that database at the snapshot: every commit that changed something adds one. With `database_id` it names exactly the data in the release (the API shows it as `<database_id>.<data_version>` in `GET /` and ETags).',
    ),
  counts: ReleaseCountsSchema,
  files: z.array(ReleaseFileSchema).describe('The release files: one NDJSON file per resource, then the database.'),
});
export type ReleaseManifest = z.infer<typeof ReleaseManifestSchema>;

/** A release of the seeded database (`npm run export` on a fresh server), as GET /v1/releases/latest serves it. */
const RELEASE_EXAMPLE = {
  format: 'evidence-api-release/1',
  id: '20261129T194200.123Z',
  created_at: '2026-11-29T19:42:00.123Z',
  app_version: APP_VERSION,
  schema_version: 6,
  database_id: '34118df7-9d04-429d-bf9d-12e79722ddad',
  data_version: 1,
  counts: {
    claims: 12,
    claims_by_status: {
      published: 12,
      draft: 0,
      retracted: 0,
      withdrawn: 0,
    },
    studies: 8,
    conditions: 7,
    interventions: 8,
    topics: 1,
  },
  files: [
    {
      name: 'claims.ndjson.gz',
      resource: 'claims',
      media_type: 'application/gzip',
      content_media_type: 'application/x-ndjson',
      bytes: 3710,
      uncompressed_bytes: 26973,
      sha256: 'fca75597cbfe4b40c3fa376d89d69701948cd4a64131ff1de02ad2b8818b8c79',
      records: 12,
      url: '/v1/releases/20261129T194200.123Z/files/claims.ndjson.gz',
    },
    {
      name: 'studies.ndjson.gz',
      resource: 'studies',
      media_type: 'application/gzip',
      content_media_type: 'application/x-ndjson',
      bytes: 3019,
      uncompressed_bytes: 22476,
      sha256: 'b23742841b91002fe249b7637800e79d7c7480903193b76717b14d3ce4ae8d76',
      records: 8,
      url: '/v1/releases/20261129T194200.123Z/files/studies.ndjson.gz',
    },
    {
      name: 'conditions.ndjson.gz',
      resource: 'conditions',
      media_type: 'application/gzip',
      content_media_type: 'application/x-ndjson',
      bytes: 750,
      uncompressed_bytes: 3428,
      sha256: 'd6231d8d950176c77efd5736a71b85b0db41b1a03e1db65d2378163789112677',
      records: 7,
      url: '/v1/releases/20261129T194200.123Z/files/conditions.ndjson.gz',
    },
    {
      name: 'interventions.ndjson.gz',
      resource: 'interventions',
      media_type: 'application/gzip',
      content_media_type: 'application/x-ndjson',
      bytes: 803,
      uncompressed_bytes: 3277,
      sha256: '41bfd20c132d1cd1cd87d8c262c34a69400331680325ee9ca32c9ff0949cfea9',
      records: 8,
      url: '/v1/releases/20261129T194200.123Z/files/interventions.ndjson.gz',
    },
    {
      name: 'topics.ndjson.gz',
      resource: 'topics',
      media_type: 'application/gzip',
      content_media_type: 'application/x-ndjson',
      bytes: 3993,
      uncompressed_bytes: 28069,
      sha256: 'a0baef4f012060859456b9bf07e21b35eb9b0cf06fdd20cdedb18906aff3164e',
      records: 1,
      url: '/v1/releases/20261129T194200.123Z/files/topics.ndjson.gz',
    },
    {
      name: 'evidence.sqlite.gz',
      resource: null,
      media_type: 'application/gzip',
      content_media_type: 'application/vnd.sqlite3',
      bytes: 52839,
      uncompressed_bytes: 425984,
      sha256: '107982045305f20d653affc27fad3e8ef3c40884dccee1306d6c6f4ed74e5a21',
      records: null,
      url: '/v1/releases/20261129T194200.123Z/files/evidence.sqlite.gz',
    },
  ],
};

/** The manifest as the API serves it: each file with the URL to download it from. */
export const ReleaseSchema = ReleaseManifestSchema.extend({
  files: z.array(
    ReleaseFileSchema.extend({
      url: z
        .string()
        .describe(
          'Where to download the file: `/v1/releases/{id}/files/{name}`, root-relative, or absolute under PUBLIC_BASE_URL when it is set.',
        ),
    }).meta({ id: 'ReleaseFileLink' }),
  ),
}).meta({
  id: 'Release',
  examples: [RELEASE_EXAMPLE],
  description:
    'A bulk release: a consistent snapshot of the whole dataset (every file was generated from one database snapshot), with its data version, schema version, counts and a SHA-256 per file.',
});
export type Release = z.infer<typeof ReleaseSchema>;

export const ReleaseListSchema = page(ReleaseSchema, 'ReleaseList');

export const ReleaseListQuery = z.object({ limit: limitParam, cursor: cursorParam }).strict();
