// GET /health (the process answers) and GET /ready (the database is open, migrated, not found damaged, has disk space).
import type { FastifyPluginAsync, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../../http/api-schemas.js';
import { ApiProblem, PROBLEM_CODES } from '../../http/problem.js';
import { type Database, probeStorage } from '../../store/client.js';
import type { IntegrityCheck, IntegrityReport } from '../../store/integrity.js';
import { migrationStatus } from '../../store/migrate.js';
import { replicasOf } from '../../store/postgres/replicas.js';

const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
const ReadySchema = z
  .object({
    status: z.literal('ready'),
    migrations: z.object({ applied: z.number().int(), expected: z.number().int() }),
    integrity: z
      .object({
        status: z
          .enum(['ok', 'running'])
          .describe(
            '`ok`: the check finished and found no damage. `running`: a file over 32 MB is still being checked in the background; /ready turns to 503 `server.database_damaged` if it finds damage.',
          ),
        checked: z
          .array(z.enum(['quick_check', 'search_index']))
          .describe(
            '`quick_check`: SQLite checked every page of the file (files up to INTEGRITY_CHECK_MAX_BYTES); `search_index`: every entry of the full-text index was read and decoded. Empty while running.',
          ),
        ms: z.number().int().describe('How long the start-up check took (so far, while running), in milliseconds.'),
      })
      .describe(
        'The integrity check run once at start: before readiness for a file up to 32 MB; in a child process in the background for a larger one.',
      ),
    replicas: z
      .array(
        z.object({
          url: z.string().describe('The replica (DATABASE_REPLICA_URLS), its password shown as `***`.'),
          status: z
            .enum(['streaming', 'lagging', 'down', 'not_in_recovery'])
            .describe(
              '`streaming`: serving reads. `lagging`: further behind than DATABASE_REPLICA_MAX_LAG_MS, the primary serves instead until it catches up. `down`: it did not answer or refused the connection, retried after 5 s. `not_in_recovery`: not a standby (promoted, or a primary), never used.',
            ),
          replay_lsn: z.string().nullable().describe('pg_last_wal_replay_lsn() at this check.'),
          lag_ms: z
            .number()
            .int()
            .nullable()
            .describe('How far replay is behind, in ms: 0 when it has replayed all it received.'),
        }),
      )
      .optional()
      .describe(
        'PostgreSQL read replicas, checked now. A replica that is down or lagging does not make the service unready: the primary serves its reads.',
      ),
  })
  .meta({ id: 'Ready' });

/** How long /ready waits for a running integrity check before answering 503 "still checking". */
const READY_WAIT_MS = 1000;

export const healthRoutes: FastifyPluginAsync<
  { db: Database; integrity: IntegrityCheck },
  RawServerDefault,
  ZodTypeProvider
> = async (app, { db, integrity }) => {
  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags: ['operations'],
      summary: 'Liveness',
      description: 'Answers 200 while the process is serving requests. For container health checks.',
      response: { 200: HealthSchema },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: {
      operationId: 'getReady',
      tags: ['operations'],
      summary: 'Readiness',
      description:
        'Answers 200 when the database is open, every migration shipped with this build is applied, the integrity check run at start (SQLite quick_check and a full read of the search index) found no damage, and writes have disk space. The check of a file over 32 MB runs in the background (minutes for several GB) and readiness does not wait for it: `integrity.status` says `running` meanwhile, and /ready answers 503 as soon as the check finds damage. 503 otherwise, with the reason: a damaged database stays unready until it is restored; a full disk until a write succeeds again (probed on each call).',
      response: {
        200: ReadySchema,
        503: problem(
          'Not ready: database closed, migrations pending, integrity check running or failed, or disk full.',
        ),
      },
    },
    handler: async () => {
      const unavailable = (detail: string, code: string = PROBLEM_CODES.unavailable) =>
        new ApiProblem(503, code, 'Service unavailable', detail);
      if (!db.open) throw unavailable('The database is not open.');
      const status = await migrationStatus(db);
      if (status.applied < status.expected)
        throw unavailable(`${status.expected - status.applied} database migration(s) are not applied.`);
      const report =
        integrity.report ??
        (integrity.background ? undefined : await Promise.race([integrity.done, delay(READY_WAIT_MS)]));
      if (report === undefined && !integrity.background)
        throw unavailable(
          `The start-up integrity check is still running (${Math.round(performance.now() - integrity.startedAt)} ms so far).`,
        );
      if (report !== undefined && report.status !== 'ok')
        throw unavailable(
          `The database file is damaged: ${report.findings.join('; ')}. Restore it from a backup (see the README).`,
          PROBLEM_CODES.databaseDamaged,
        );
      if (db.storageFull && !(await probeStorage(db)))
        throw unavailable(
          'The disk holding the database is full: writes fail with 507 until space is freed.',
          PROBLEM_CODES.storageFull,
        );
      const replicas = await replicasOf(db)?.status();
      return {
        status: 'ready' as const,
        migrations: status,
        integrity: okReport(integrity, report),
        ...(replicas ? { replicas } : {}),
      };
    },
  });
};

const delay = (ms: number) =>
  new Promise<undefined>((resolve) => {
    setTimeout(() => resolve(undefined), ms).unref();
  });

const okReport = (integrity: IntegrityCheck, report: IntegrityReport | undefined) =>
  report === undefined
    ? { status: 'running' as const, checked: [], ms: Math.round(performance.now() - integrity.startedAt) }
    : { status: 'ok' as const, checked: report.checked, ms: report.ms };
