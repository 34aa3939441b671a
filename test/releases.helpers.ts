// Releases for tests: written into a scratch folder by the real export, with ids the tests (and OpenAPI examples) name.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type ExportOptions, exportRelease } from '../src/resources/releases/releases.export.js';
import type { Database } from '../src/store/client.js';

/** The release id of the OpenAPI examples (`ReleaseId`'s example). */
export const EXAMPLE_RELEASE_ID = '20261129T194200.123Z';

/** `20261129T194200.123Z` → its Date. */
export const dateOfReleaseId = (id: string) =>
  new Date(id.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)/, '$1-$2-$3T$4:$5:$6'));

/** A new empty folder, removed when the test process ends. */
export function releasesFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evidence-releases-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Exports `db` into `dir` (a new folder by default) as release `id`; returns the result and the folder. */
export async function writeRelease(
  db: Database,
  { id = EXAMPLE_RELEASE_ID, dir = releasesFolder(), ...options }: Partial<ExportOptions> & { id?: string } = {},
) {
  const result = await exportRelease(db, { dir, keep: 10, now: () => dateOfReleaseId(id), ...options });
  return { ...result, dir };
}

/** The lines of a gzip NDJSON file, each as the exact text written. */
export function ndjsonLines(path: string): string[] {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  expectTrailingNewline(text);
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

function expectTrailingNewline(text: string) {
  if (text !== '' && !text.endsWith('\n')) throw new Error('an NDJSON file must end with a newline');
}

/** Gunzips a release's SQLite file next to it and returns the path of the plain file. */
export function gunzipDatabase(gzPath: string, dir = releasesFolder()): string {
  const path = join(dir, 'evidence.sqlite');
  writeFileSync(path, gunzipSync(readFileSync(gzPath)));
  return path;
}
