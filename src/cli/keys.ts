// `npm run keys -- create|list|revoke`: API key administration on DATABASE_PATH; a new key is printed once.
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  type ApiKeyListing,
  createApiKey,
  isKeyScope,
  KEY_SCOPES,
  listApiKeys,
  MAX_NAME_LENGTH,
  resolveKeySecret,
  revokeApiKey,
} from '../auth/keys.js';
import { ConfigError, databaseLocation, loadConfig } from '../config.js';
import { type Database, openDatabase } from '../store/client.js';
import { migrateDatabase } from '../store/migrate.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage:
  npm run keys -- create --name NAME --scope write|admin [--json]
  npm run keys -- list [--json]
  npm run keys -- revoke ID

API keys of DATABASE_PATH (default ./data/evidence.db). A new key is printed once and only its keyed hash is
stored (HMAC-SHA256 with API_KEY_SECRET, or with a secret kept in the database when that is unset: the server must
run with the same setting). Clients send it as \`Authorization: Bearer <key>\`.

  create   mint a key; scope write allows writes, admin also purges (admin includes write)
  list     every key with its prefix, scope, creation, last use and revocation; never a hash
  revoke   revoke a key by id: requests with it fail from then on
`;

/** Bad arguments: exit code 2 with the usage text. */
class UsageError extends Error {}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Opens and migrates DATABASE_PATH (never seeds: a key database need not hold evidence) and runs `work` on it. */
async function withDatabase<T>(io: CliIo, work: (db: Database, secret: () => Promise<string>) => Promise<T>) {
  const config = loadConfig({
    DATABASE_PATH: io.env.DATABASE_PATH,
    DATABASE_URL: io.env.DATABASE_URL,
    API_KEY_SECRET: io.env.API_KEY_SECRET,
    WRITE_LOCK_WAIT_MS: io.env.WRITE_LOCK_WAIT_MS,
  });
  const db = openDatabase(databaseLocation(config), { busyWaitMs: config.WRITE_LOCK_WAIT_MS, poolSize: 2 });
  try {
    await migrateDatabase(db);
    return await work(db, () => resolveKeySecret(db, config.API_KEY_SECRET));
  } finally {
    await db.close();
  }
}

async function runCreate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    name: { type: 'string' },
    scope: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const name = typeof values.name === 'string' ? values.name.trim() : '';
  if (!name) throw new UsageError('--name is required');
  if (name.length > MAX_NAME_LENGTH) throw new UsageError(`--name is longer than ${MAX_NAME_LENGTH} characters`);
  if (!isKeyScope(values.scope)) throw new UsageError(`--scope must be one of: ${KEY_SCOPES.join(', ')}`);
  const scope = values.scope;
  const created = await withDatabase(io, async (db, secret) =>
    createApiKey(db, { name, scope, secret: await secret() }),
  );
  if (values.json) io.stdout.write(`${JSON.stringify({ ...created, name, scope }, null, 2)}\n`);
  else
    io.stdout.write(
      [
        `Created API key ${created.id} "${name}" with scope ${scope}:`,
        '',
        `  ${created.key}`,
        '',
        'It is shown this once and cannot be recovered: store it now. Send it as `Authorization: Bearer <key>`.',
        '',
      ].join('\n'),
    );
  return EXIT.ok;
}

function table(keys: ApiKeyListing[]): string {
  const header = ['id', 'name', 'scope', 'prefix', 'created', 'last used', 'revoked'];
  const rows = keys.map((k) => [
    String(k.id),
    k.name,
    k.scope,
    `${k.prefix}…`,
    k.created_at,
    k.last_used_at ?? '-',
    k.revoked_at ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

async function runList(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean', default: false } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const keys = await withDatabase(io, (db) => listApiKeys(db));
  if (values.json) io.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
  else io.stdout.write(keys.length === 0 ? 'No API keys.\n' : table(keys));
  return EXIT.ok;
}

async function runRevoke(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('give exactly one key id');
  const raw = positionals[0] as string;
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new UsageError(`not a key id: ${raw}`);
  const id = Number(raw);
  const revoked = await withDatabase(io, (db) => revokeApiKey(db, id));
  if (!revoked) {
    io.stderr.write(`No active API key with id ${id} (unknown or already revoked).\n`);
    return EXIT.failed;
  }
  io.stdout.write(`Revoked API key ${id}.\n`);
  return EXIT.ok;
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  create: runCreate,
  list: runList,
  revoke: runRevoke,
};

/** Runs the command and returns its exit code: 0 done, 1 failed, 2 bad usage. */
export async function runKeysCli(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.stderr.write(`${name === undefined ? 'no command given' : `unknown command: ${name}`}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.stderr.write(`keys ${name} failed: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runKeysCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
