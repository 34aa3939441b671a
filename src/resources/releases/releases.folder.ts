// The releases folder (RELEASES_DIR): one sub-folder per complete release, found, read and pruned here.
//
// A release is complete when its folder (named by its id) holds a valid manifest.json: the export writes everything
// into a hidden `.partial-<id>-<pid>` folder and renames it into place as its last step, so a reader never sees a
// half-written release, and a crashed export leaves only a partial folder that the next export removes.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  MANIFEST_FILE,
  ReleaseFileName,
  ReleaseId,
  type ReleaseManifest,
  ReleaseManifestSchema,
} from './releases.schemas.js';

/** `2026-11-29T19:42:00.123Z` → `20261129T194200.123Z` (see ReleaseId). */
export function releaseIdOf(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}

export const partialFolderOf = (id: string, pid = process.pid) => `.partial-${id}-${pid}`;
const PARTIAL = /^\.partial-(\d{8}T\d{6}\.\d{3}Z)-(\d+)$/;

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Ids of the folders in `dir` named like releases, newest first (complete or not: readManifest tells). */
async function candidateIds(dir: string): Promise<string[]> {
  return (await entries(dir))
    .filter((name) => ReleaseId.safeParse(name).success)
    .sort()
    .reverse();
}

/**
 * The manifest of release `id` in `dir`, or undefined when there is no such complete release (no folder, no
 * manifest, or one that is not a manifest of this format: a release written by an incompatible build is skipped).
 */
export async function readManifest(dir: string, id: string): Promise<ReleaseManifest | undefined> {
  if (!ReleaseId.safeParse(id).success) return undefined;
  let text: string;
  try {
    text = await readFile(join(dir, id, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ReleaseManifestSchema.safeParse(json);
  return parsed.success && parsed.data.id === id ? parsed.data : undefined;
}

/** The complete releases in `dir`, newest first, at most `limit` of them after the id `before` (exclusive). */
export async function listManifests(
  dir: string,
  { limit = Number.POSITIVE_INFINITY, before }: { limit?: number; before?: string } = {},
): Promise<ReleaseManifest[]> {
  const manifests: ReleaseManifest[] = [];
  for (const id of await candidateIds(dir)) {
    if (manifests.length >= limit) break;
    if (before !== undefined && id >= before) continue;
    const manifest = await readManifest(dir, id);
    if (manifest) manifests.push(manifest);
  }
  return manifests;
}

/** The newest complete release, or undefined when there is none. */
export async function latestManifest(dir: string): Promise<ReleaseManifest | undefined> {
  return (await listManifests(dir, { limit: 1 }))[0];
}

/**
 * The path of file `name` of a release, when the manifest lists it (or it is the manifest itself). The name is
 * looked up, never joined as given; the resolved path is checked to stay in the release's folder all the same.
 */
export function releaseFilePath(dir: string, manifest: ReleaseManifest, name: string): string | undefined {
  if (!ReleaseFileName.safeParse(name).success) return undefined;
  if (name !== MANIFEST_FILE && !manifest.files.some((f) => f.name === name)) return undefined;
  const folder = resolve(dir, manifest.id);
  const path = resolve(folder, name);
  return path.startsWith(`${folder}${sep}`) ? path : undefined;
}

/**
 * Retention: deletes the complete releases of `dir` beyond the newest `keep`. Returns the ids removed. A download
 * in progress from a removed release still completes (an open file outlives its name on POSIX systems).
 */
export async function pruneReleases(dir: string, keep: number): Promise<string[]> {
  const complete: string[] = [];
  for (const id of await candidateIds(dir)) if (await readManifest(dir, id)) complete.push(id);
  const removed = complete.slice(keep);
  for (const id of removed) await rm(join(dir, id), { recursive: true, force: true });
  return removed;
}

/**
 * Deletes the partial folders that exports which are no longer running (on this machine) left behind, e.g. after a
 * crash or SIGKILL. Another export running now keeps its own. Returns the names removed.
 */
export async function removeAbandonedPartials(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await entries(dir)) {
    const match = PARTIAL.exec(name);
    if (!match || isRunning(Number(match[2]))) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Size of a file, or undefined when it is missing. */
export async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}
