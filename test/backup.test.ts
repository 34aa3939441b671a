// npm run backup: a consistent copy of the live database while the real server serves, and a restore from it.
// SQLite only (skipped with TEST_DATABASE_URL): PostgreSQL is backed up with its own tools.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { runBackupCli } from '../src/cli/backup.js';
import { openDatabase } from '../src/store/client.js';
import { onPostgres } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const tmp = mkdtempSync(join(tmpdir(), 'evidence-backup-'));
const children: ChildProcess[] = [];
afterAll(() => {
  // tsx runs the script in a child of its own: end the whole process group, or a failed test leaves a server behind.
  for (const child of children)
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  rmSync(tmp, { recursive: true, force: true });
});

function startServer(databasePath: string) {
  const child = spawn(TSX, ['src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATABASE_PATH: databasePath },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return {
    listening,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function runBackupProcess(args: string[], databasePath: string) {
  const child = spawn(TSX, ['src/cli/backup.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: databasePath },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

const claimIds = (db: Database.Database) =>
  (db.prepare("SELECT id FROM claims WHERE status = 'published' ORDER BY id").all() as { id: string }[]).map(
    (r) => r.id,
  );

describe.skipIf(onPostgres)('npm run backup (src/cli/backup.ts)', () => {
  it('copies the live database while the server serves; the copy restores and serves the same data', async () => {
    const live = join(tmp, 'live', 'evidence.db');
    const backup = join(tmp, 'evidence-backup.db');
    const server = startServer(live);
    const base = await server.listening;

    // A write committed by another connection sits in the WAL, not yet in the main file: the copy must have it.
    const writer = openDatabase(live);
    const { key } = await createApiKey(writer, {
      name: 'written-before-backup',
      scope: 'write',
      secret: await resolveKeySecret(writer),
    });
    expect(statSync(`${live}-wal`).size).toBeGreaterThan(0);

    // Reads keep flowing while the backup runs.
    let reading = true;
    const reads = (async () => {
      let ok = 0;
      while (reading) {
        const res = await fetch(`${base}/v1/claims?limit=5`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        ok++;
      }
      return ok;
    })();
    const result = await runBackupProcess([backup], live);
    reading = false;
    expect(await reads).toBeGreaterThan(0);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Backed up .+ to .+: [\d.]+ (B|KiB|MiB) \(\d+ pages\) in \d+ ms\.\n$/);
    // Owner-only: the file holds the API keys' hashes and their secret.
    expect((statSync(backup).mode & 0o777).toString(8)).toBe('600');

    // A second backup to the same path is refused without --force and leaves the first intact.
    const before = readFileSync(backup);
    let stderr = '';
    const io = {
      env: { DATABASE_PATH: live },
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    };
    expect(await runBackupCli([backup], io)).toBe(1);
    expect(stderr).toContain('exists; pass --force');
    expect(readFileSync(backup).equals(before)).toBe(true);
    expect(await runBackupCli(['--force', backup], io)).toBe(0);
    expect(await runBackupCli([], io)).toBe(2);

    await writer.close();
    expect(await server.stop()).toBe(0);

    const liveDb = new Database(live, { readonly: true });
    const expectedClaims = claimIds(liveDb);
    liveDb.close();
    const copy = new Database(backup, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(claimIds(copy)).toEqual(expectedClaims);
      expect(claimIds(copy)).toContain('melanoma-microbiome-immunotherapy-response');
      expect(copy.prepare("SELECT name FROM api_keys WHERE name = 'written-before-backup'").get()).toBeTruthy();
    } finally {
      copy.close();
    }
    expect(existsSync(`${backup}-wal`)).toBe(false);

    // Restore as the README says: server stopped, replace the file, drop the stale -wal and -shm, start.
    copyFileSync(backup, live);
    rmSync(`${live}-wal`, { force: true });
    rmSync(`${live}-shm`, { force: true });
    const restored = startServer(live);
    const restoredBase = await restored.listening;
    const listed = await fetch(`${restoredBase}/v1/claims?limit=100`);
    const claims = (await listed.json()) as { items: { id: string }[] };
    expect(listed.status, JSON.stringify(claims)).toBe(200);
    expect(claims.items.map((c) => c.id).sort()).toEqual([...expectedClaims].sort());
    expect(claims.items.length).toBeGreaterThan(0);
    // The key written before the backup still authenticates: the hashing secret travelled in the meta table.
    const check = await fetch(`${restoredBase}/v1/claims?limit=1`, { headers: { authorization: `Bearer ${key}` } });
    expect(check.status).toBe(200);
    expect(await restored.stop()).toBe(0);
  });
});
