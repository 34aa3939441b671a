// GET /v1/releases...: manifests with links, 404s before any release, downloads with digests, ranges and no traversal.
// Releases are cut from SQLite only for now: the suites that export one are skipped with TEST_DATABASE_URL.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit } from '../src/curation/commit.js';
import { type Release, type ReleaseManifest, ReleaseSchema } from '../src/resources/releases/releases.schemas.js';
import type { Database } from '../src/store/client.js';
import { type App, freshDatabase, getJson, onPostgres, PROBLEM_TYPE, type Problem, testApp } from './helpers.js';
import { EXAMPLE_RELEASE_ID, releasesFolder, writeRelease } from './releases.helpers.js';

const OLDER = '20261128T080000.000Z';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('before any release exists', () => {
  it('GET /v1/releases/latest is a 404 problem saying how to make one, and the list is empty', async () => {
    const { app } = await testApp({ seed: false, config: { RELEASES_DIR: join(releasesFolder(), 'not-yet') } });
    const latest = await getJson<Problem>(app, '/v1/releases/latest');
    expect(latest.status).toBe(404);
    expect(latest.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(latest.body).toMatchObject({
      code: 'releases.none',
      detail: 'No release has been written yet: the operator runs `npm run export` to make one.',
    });
    expect(latest.headers.etag).toBeUndefined();
    expect((await getJson(app, '/v1/releases')).body).toEqual({ items: [], next_cursor: null });
    await app.close();
  });
});

describe.skipIf(onPostgres)('serving releases', () => {
  let db: Database;
  let app: App;
  let dir: string;
  let latest: ReleaseManifest;

  beforeAll(async () => {
    db = await freshDatabase();
    dir = releasesFolder();
    await writeRelease(db, { dir, id: OLDER });
    latest = (await writeRelease(db, { dir, id: EXAMPLE_RELEASE_ID })).manifest;
    ({ app } = await testApp({ db, config: { RELEASES_DIR: dir } }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('GET /v1/releases/latest serves the newest manifest, with a download URL per file and where it lives', async () => {
    const res = await getJson<Release>(app, '/v1/releases/latest');
    expect(res.status).toBe(200);
    expect(res.headers['content-location']).toBe(`/v1/releases/${EXAMPLE_RELEASE_ID}`);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toEqual({
      ...latest,
      files: latest.files.map((f) => ({ ...f, url: `/v1/releases/${EXAMPLE_RELEASE_ID}/files/${f.name}` })),
    });
  });

  it('is linked from GET /, and its OpenAPI example is a manifest the schema accepts', async () => {
    expect((await getJson(app, '/')).body.links.releases).toBe('/v1/releases');
    const doc = (await getJson(app, '/openapi.json')).body;
    const [example] = doc.components.schemas.Release.examples;
    expect(ReleaseSchema.parse(example)).toEqual(example);
    expect(example.id).toBe(EXAMPLE_RELEASE_ID);
  });

  it('answers 304 to If-None-Match with the manifest ETag, which the data version does not move', async () => {
    const first = await app.inject('/v1/releases/latest');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    // A write moves the data version, not the release.
    const key = 'melanoma-microbiome-immunotherapy-response';
    await commit(db, { actor: 'test' }, (changes) => changes.setClaimStatus(key, 'draft', 'update'));
    const again = await app.inject({ url: '/v1/releases/latest', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(etag);
    // The data-version tag of the other reads is not this one's.
    const dataTag = String((await app.inject(`/v1/claims/${key}`)).headers.etag)
      .split('.')
      .slice(0, 3)
      .join('.');
    const stale = await app.inject({ url: '/v1/releases/latest', headers: { 'if-none-match': `W/${dataTag}"` } });
    expect(stale.statusCode).toBe(200);
  });

  it('shows a new release as soon as an export has written it, with no restart', async () => {
    const own = releasesFolder();
    const { app: live } = await testApp({ config: { RELEASES_DIR: own } });
    expect((await live.inject('/v1/releases/latest')).statusCode).toBe(404);
    await writeRelease(db, { dir: own, id: '20261130T000000.000Z' });
    const res = await getJson<Release>(live, '/v1/releases/latest');
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('20261130T000000.000Z');
    await live.close();
  });

  it('GET /v1/releases lists the releases kept, newest first, in cursor pages', async () => {
    const first = await getJson(app, '/v1/releases?limit=1');
    expect(first.body.items.map((r: Release) => r.id)).toEqual([EXAMPLE_RELEASE_ID]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await getJson(app, `/v1/releases?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((r: Release) => r.id)).toEqual([OLDER]);
    expect(second.body.next_cursor).toBeNull();
    const tagged = await app.inject({
      url: '/v1/releases?limit=1',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(tagged.statusCode).toBe(304);
    const foreign = await getJson<Problem>(app, '/v1/releases?cursor=eyJzIjoidG9waWNzIiwiayI6WyJhIl19');
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('request.invalid_cursor');
  });

  it('GET /v1/releases/{id} serves an older release; an unknown id is 404, a malformed one 400', async () => {
    const older = await getJson<Release>(app, `/v1/releases/${OLDER}`);
    expect(older.status).toBe(200);
    expect(older.body.id).toBe(OLDER);
    const unknown = await getJson<Problem>(app, '/v1/releases/20200101T000000.000Z');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      code: 'releases.not_found',
      detail: "No release '20200101T000000.000Z': the releases kept are listed at /v1/releases.",
    });
    const malformed = await getJson<Problem>(app, '/v1/releases/latest-but-one');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([
      { path: 'params.id', message: 'must be a release id such as 20261129T194200.123Z' },
    ]);
  });

  it('downloads a file as stored: gzip bytes whose SHA-256 is the ETag and the manifest digest', async () => {
    const file = latest.files.find((f) => f.name === 'claims.ndjson.gz') as ReleaseManifest['files'][number];
    const res = await app.inject({
      url: `/v1/releases/${EXAMPLE_RELEASE_ID}/files/claims.ndjson.gz`,
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'application/gzip',
      'content-length': String(file.bytes),
      etag: `"${file.sha256}"`,
      'cache-control': 'public, max-age=31536000, immutable',
      'accept-ranges': 'bytes',
      'repr-digest': `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`,
      'content-disposition': `attachment; filename="${EXAMPLE_RELEASE_ID}-claims.ndjson.gz"`,
    });
    // Never compressed again, even for a client that accepts it: the bytes are the file.
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(sha256(res.rawPayload)).toBe(file.sha256);
    expect(res.rawPayload.equals(readFileSync(join(dir, EXAMPLE_RELEASE_ID, 'claims.ndjson.gz')))).toBe(true);
    const revalidated = await app.inject({
      url: `/v1/releases/${EXAMPLE_RELEASE_ID}/files/claims.ndjson.gz`,
      headers: { 'if-none-match': `"${file.sha256}"` },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.rawPayload.length).toBe(0);
  });

  it('downloads the manifest itself as manifest.json', async () => {
    const res = await app.inject(`/v1/releases/${EXAMPLE_RELEASE_ID}/files/manifest.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual(latest);
    expect(res.headers.etag).toBe(`"${sha256(res.rawPayload)}"`);
  });

  it('resumes a download with Range (206), serves the whole file when If-Range names another version', async () => {
    const path = `/v1/releases/${EXAMPLE_RELEASE_ID}/files/evidence.sqlite.gz`;
    const whole = readFileSync(join(dir, EXAMPLE_RELEASE_ID, 'evidence.sqlite.gz'));
    const etag = `"${sha256(whole)}"`;
    const tail = await app.inject({ url: path, headers: { range: 'bytes=100-', 'if-range': etag } });
    expect(tail.statusCode).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes 100-${whole.length - 1}/${whole.length}`);
    expect(tail.headers['content-length']).toBe(String(whole.length - 100));
    expect(tail.rawPayload.equals(whole.subarray(100))).toBe(true);
    const suffix = await app.inject({ url: path, headers: { range: 'bytes=-10' } });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.rawPayload.equals(whole.subarray(whole.length - 10))).toBe(true);
    const changed = await app.inject({ url: path, headers: { range: 'bytes=100-', 'if-range': '"another"' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.rawPayload.length).toBe(whole.length);
    const several = await app.inject({ url: path, headers: { range: 'bytes=0-1,5-6' } });
    expect(several.statusCode).toBe(200);
  });

  it('refuses a range beyond the end with 416 and the size in Content-Range', async () => {
    const path = `/v1/releases/${EXAMPLE_RELEASE_ID}/files/topics.ndjson.gz`;
    const size = latest.files.find((f) => f.name === 'topics.ndjson.gz')?.bytes as number;
    const res = await getJson<Problem>(app, path, { range: `bytes=${size}-` });
    expect(res.status).toBe(416);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.headers['content-range']).toBe(`bytes */${size}`);
    expect(res.headers['cache-control']).toBeUndefined();
    expect(res.body).toMatchObject({
      code: 'releases.range_not_satisfiable',
      detail: `The range bytes=${size}- starts beyond the end of the file (${size} bytes).`,
    });
  });

  it('answers HEAD with the headers and the length of the file, and no body', async () => {
    const res = await app.inject({ method: 'HEAD', url: `/v1/releases/${EXAMPLE_RELEASE_ID}/files/studies.ndjson.gz` });
    const file = latest.files.find((f) => f.name === 'studies.ndjson.gz') as ReleaseManifest['files'][number];
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(file.bytes));
    expect(res.headers.etag).toBe(`"${file.sha256}"`);
    expect(res.rawPayload.length).toBe(0);
  });

  it('serves only the files a manifest lists: traversal and unlisted names never reach the disk', async () => {
    const base = `/v1/releases/${EXAMPLE_RELEASE_ID}/files`;
    const refused = [
      ['..%2F..%2Fpackage.json', 400],
      ['%2e%2e%2fmanifest.json', 400],
      ['.partial-x', 400],
      ['claims.ndjson.gz%00.txt', 400],
      ['CLAIMS.NDJSON.GZ', 400],
      ['evidence.sqlite', 404],
      ['claims.json', 404],
    ] as const;
    for (const [name, status] of refused) {
      const res = await getJson<Problem>(app, `${base}/${name}`);
      expect(res.status, name).toBe(status);
      expect(res.headers['content-type'], name).toBe(PROBLEM_TYPE);
    }
    expect((await getJson<Problem>(app, `${base}/claims.json`)).body).toMatchObject({
      code: 'releases.file_not_found',
      detail: `Release ${EXAMPLE_RELEASE_ID} has no file 'claims.json': its files are listed in its manifest.`,
    });
    // A path segment of its own never matches the route at all.
    expect((await app.inject(`${base}/../../../package.json`)).statusCode).toBe(404);
    expect((await app.inject('/v1/releases/..%2F..%2F/files/manifest.json')).statusCode).toBe(400);
    const unknown = await getJson<Problem>(app, '/v1/releases/20200101T000000.000Z/files/claims.ndjson.gz');
    expect(unknown.body.code).toBe('releases.not_found');
  });
});

describe.skipIf(onPostgres)('over a real socket', () => {
  it('streams a release file that gunzips to the NDJSON lines the manifest counts', async () => {
    const db = await freshDatabase();
    const { dir, manifest } = await writeRelease(db);
    const { app } = await testApp({ db, config: { RELEASES_DIR: dir } });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const links = (await (await fetch(`${address}/v1/releases/latest`)).json()) as Release;
      const url = links.files.find((f) => f.name === 'claims.ndjson.gz')?.url as string;
      const res = await fetch(`${address}${url}`);
      expect(res.status).toBe(200);
      const chunks: Buffer[] = [];
      await pipeline(Readable.fromWeb(res.body as never), createGunzip(), async (source) => {
        for await (const chunk of source) chunks.push(chunk as Buffer);
      });
      const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
      expect(lines.length).toBe(manifest.counts.claims);
      expect(JSON.parse(lines[0] as string).id).toBe('gut-dysbiosis-acne-association');

      // Dot segments as a client sends them unnormalised (inject and fetch would resolve them first).
      const { port } = new URL(address);
      for (const name of ['..', '%2e%2e', '.%2e', '..%2f..%2fpackage.json'])
        expect(await rawStatus(Number(port), `/v1/releases/${manifest.id}/files/${name}`), name).toBe(400);
    } finally {
      await app.close();
    }
  });
});

/** The status of a GET sent with exactly this path, not normalised by any URL parser. */
function rawStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(onPostgres)('README "Bulk releases"', () => {
  const tools = ['curl', 'jq', 'sqlite3', 'sha256sum', 'gunzip'];
  const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);

  // The block needs those command-line tools; where one is missing (a slim CI image) the block cannot run.
  it.skipIf(missing.length > 0)('loads a release with curl, jq and sqlite3 exactly as the README says', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Bulk releases'));
    const block = /Loading a release[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'the README has the loading block').toBeDefined();
    const db = await freshDatabase();
    const { dir } = await writeRelease(db);
    const { app } = await testApp({ db, config: { RELEASES_DIR: dir } });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const cwd = releasesFolder();
      const script = `set -euo pipefail\n${(block as string).replaceAll('localhost:3000', address)}`;
      // Asynchronous: the server answering curl runs on this process's event loop.
      const { code, stdout, stderr } = await run('bash', ['-c', script], cwd);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      // Drafts are not public: a release leaves them out.
      expect(lines.slice(0, 1).map((l) => l.trim())).toEqual(['10 published']);
      // The seed's ten published claims, each with its grade and PMIDs.
      const graded = lines.filter((l) => l.startsWith('{'));
      expect(graded).toHaveLength(10);
      expect(graded).toContain(
        '{"id":"melanoma-microbiome-immunotherapy-response","grade":"very_low","pmids":["29097493"]}',
      );
      expect(lines.some((l) => l.startsWith('draft'))).toBe(false);
      expect(lines).toContain('published|10');
      expect(lines.at(-1)).toBe('29097493|cohort|112');
    } finally {
      await app.close();
    }
  });
});

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
