// GET /health (the process answers) and GET /ready (the database is open and fully migrated).
import { z } from 'zod';
import { problem } from '../../http/api-schemas.js';
import { ApiProblem, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { migrationStatus } from '../../store/migrate.js';

const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
const ReadySchema = z
  .object({
    status: z.literal('ready'),
    migrations: z.object({ applied: z.number().int(), expected: z.number().int() }),
  })
  .meta({ id: 'Ready' });

export const healthRoutes: RoutePlugin = async (app, { db }) => {
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
        'Answers 200 when the database is open and every migration shipped with this build is applied; 503 otherwise.',
      response: { 200: ReadySchema, 503: problem('Not ready: database closed or migrations pending.') },
    },
    handler: async () => {
      const unavailable = (detail: string) =>
        new ApiProblem(503, PROBLEM_CODES.unavailable, 'Service unavailable', detail);
      if (!db.open) throw unavailable('The database is not open.');
      const status = await migrationStatus(db);
      if (status.applied < status.expected)
        throw unavailable(`${status.expected - status.applied} database migration(s) are not applied.`);
      return { status: 'ready' as const, migrations: status };
    },
  });
};
