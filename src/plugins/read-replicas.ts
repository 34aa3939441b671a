// Read-your-writes across PostgreSQL read replicas: each request's read scope, the Evidence-Read-After header it
// accepts (reads) and sends (writes). SQLite has one file and no replicas: the plugin does nothing there.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest } from '../http/problem.js';
import type { Database } from '../store/client.js';
import { parseLsn, type ReadScope, readScopes } from '../store/postgres/replicas.js';

/**
 * The header a write response carries and a later read echoes: the primary's WAL position just after the write's
 * commit, in pg_lsn text form (`0/3000148`). Not `X-` (RFC 6648); prefixed with the API's name since it is no
 * standard header; the value is PostgreSQL's own notation, so operators can compare it with pg_stat_replication.
 */
export const READ_AFTER_HEADER = 'Evidence-Read-After';
const headerKey = READ_AFTER_HEADER.toLowerCase();

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * On PostgreSQL, runs every request inside a ReadScope (store/postgres/replicas.ts): GET and HEAD read a replica
 * that has replayed the client's `Evidence-Read-After` (else the primary); other methods read and write the primary.
 * A write response carries `Evidence-Read-After` with its last commit's position. A value that is not a pg_lsn is
 * a 400 naming the header.
 */
export const readReplicasPlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    if (db.engine !== 'postgres') return;
    const scopes = new WeakMap<FastifyRequest, ReadScope>();
    app.addHook('onRequest', (request, _reply, done) => {
      const given = request.headers[headerKey];
      let readAfter: bigint | undefined;
      // Only the API's own routes read the header: /health and /ready answer whatever it says (a probe never sends it).
      if (given !== undefined && request.url.startsWith('/v1/')) {
        readAfter = typeof given === 'string' ? parseLsn(given) : undefined;
        if (readAfter === undefined)
          return done(
            badRequest(
              `headers.${headerKey}`,
              `must be one WAL position as a write response's ${READ_AFTER_HEADER} gives it, such as 0/3000148`,
            ),
          );
      }
      const scope: ReadScope = { primaryOnly: !SAFE_METHODS.has(request.method), readAfter };
      scopes.set(request, scope);
      readScopes.run(scope, () => done());
    });
    // A body arrives on the socket's own events, outside the scope: entered again before validation and the handler.
    app.addHook('preValidation', (request, _reply, done) => {
      const scope = scopes.get(request);
      if (scope === undefined) return done();
      readScopes.run(scope, () => done());
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const committedAt = scopes.get(request)?.committedAt;
      if (committedAt !== undefined && !SAFE_METHODS.has(request.method)) reply.header(headerKey, committedAt);
      return payload;
    });
  },
  { name: 'read-replicas' },
);
