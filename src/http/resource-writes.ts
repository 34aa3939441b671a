// POST / PATCH / DELETE for the resources whose writes share one shape (conditions, interventions, studies, topics):
// strict bodies, write scope, If-Match on the row version, evidence rules, one transaction with its history row.
import { z } from 'zod';
import { recordChange, snapshotOf } from '../curation/snapshots.js';
import type { WriteOutcome } from '../resources/conditions/conditions.queries.js';
import type { Entity } from '../resources/history/history.queries.js';
import type { AppDatabase, Sqlite } from '../store/client.js';
import { dataTagOf } from '../store/data-version.queries.js';
import { notFoundProblem } from './api-schemas.js';
import { requireIfMatch, resourceEtag } from './concurrency.js';
import { notFound } from './problem.js';
import type { App } from './route-types.js';
import { actorOf, conflict, IfMatchHeaders, ReasonQuery, writeProblems, writeTransaction } from './writes.js';

export interface ResourceWrites<Input extends Record<string, unknown>> {
  entity: Entity;
  /** e.g. '/v1/conditions'; the item path is `${path}/:${param}`. */
  path: string;
  param: string;
  keyField: keyof Input & string;
  noun: string;
  tag: 'conditions' | 'interventions' | 'studies' | 'topics';
  notFoundCode: string;
  createBody: z.ZodObject;
  patchBody: z.ZodObject;
  response: z.ZodType;
  load(sqlite: Sqlite, key: string): (Input & { version: number }) | undefined;
  rules(sqlite: Sqlite, input: Input): void;
  upsert(sqlite: Sqlite, input: Input): WriteOutcome;
  /** Deletes, or says what still refers to the resource. */
  remove(sqlite: Sqlite, key: string): string | null;
  detail(sqlite: Sqlite, key: string): unknown;
}

const capitalised = (s: string) => `${s[0]?.toUpperCase()}${s.slice(1)}`;
/** `an intervention`, `a condition`: the nouns here begin with a vowel sound exactly when they begin with a vowel. */
export const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

export function registerResourceWrites<Input extends Record<string, unknown>>(
  app: App,
  db: AppDatabase,
  r: ResourceWrites<Input>,
): void {
  const sqlite = db.sqlite;
  const itemPath = `${r.path}/:${r.param}`;
  const Name = capitalised(r.noun);
  const aNoun = withArticle(r.noun);
  const params = z.object({
    [r.param]: z.string().min(1).max(200).describe(`The ${r.noun}'s ${r.keyField}.`),
  });
  const keyOf = (p: unknown) => (p as Record<string, string>)[r.param] as string;
  const current = (key: string) => {
    const loaded = r.load(sqlite, key);
    if (!loaded) throw notFound(r.notFoundCode, `No ${r.noun} is '${key}'.`);
    return loaded;
  };
  const etagOf = (dataTag: string, key: string) => resourceEtag(dataTag, r.load(sqlite, key)?.version ?? 0);

  app.post(r.path, {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: `create${Name}`,
      tags: [r.tag],
      summary: `Create ${aNoun}`,
      description: `Creates ${aNoun} (write scope). Unknown fields are a 400; evidence rules are checked (422 names the rule); the change is recorded in the ${r.noun}'s revisions with the key's name and the optional reason.`,
      querystring: ReasonQuery,
      body: r.createBody,
      response: { 201: r.response, ...writeProblems },
    },
    handler: async (request, reply) => {
      const input = request.body as Input;
      const key = String(input[r.keyField]);
      if (r.load(sqlite, key))
        throw conflict(`${r.entity}.exists`, `${capitalised(aNoun)} '${key}' already exists; PATCH it instead.`);
      r.rules(sqlite, input);
      writeTransaction(db, () => {
        r.upsert(sqlite, input);
        recordChange(
          sqlite,
          { entity: r.entity, key, action: 'create', actor: actorOf(request), reason: request.query.reason },
          null,
        );
      });
      return reply
        .code(201)
        .header('location', `${r.path}/${encodeURIComponent(key)}`)
        .header('etag', etagOf(dataTagOf(sqlite), key))
        .send(r.detail(sqlite, key));
    },
  });

  app.patch(itemPath, {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: `update${Name}`,
      tags: [r.tag],
      summary: `Update ${aNoun}`,
      description: `Changes the fields given (write scope); fields not given keep their values, objects and lists given replace the old ones. Requires If-Match with the ETag of a GET (428 without, 412 when someone changed it since). The ${r.keyField} cannot change.`,
      params,
      headers: IfMatchHeaders,
      querystring: ReasonQuery,
      body: r.patchBody,
      response: { 200: r.response, 404: notFoundProblem(r.tag), ...writeProblems },
    },
    handler: async (request, reply) => {
      const key = keyOf(request.params);
      const { version, ...existing } = current(key);
      requireIfMatch(request, reply, version, etagOf(request.dataTag, key));
      const merged = { ...existing, ...(request.body as Partial<Input>) } as unknown as Input;
      r.rules(sqlite, merged);
      const before = snapshotOf(sqlite, r.entity, key);
      writeTransaction(db, () => {
        if (r.upsert(sqlite, merged) !== 'unchanged')
          recordChange(
            sqlite,
            { entity: r.entity, key, action: 'update', actor: actorOf(request), reason: request.query.reason },
            before,
          );
      });
      return reply.header('etag', etagOf(dataTagOf(sqlite), key)).send(r.detail(sqlite, key));
    },
  });

  app.delete(itemPath, {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: `delete${Name}`,
      tags: [r.tag],
      summary: `Delete ${aNoun}`,
      description: `Deletes ${aNoun} nothing refers to (write scope; 409 otherwise). Requires If-Match. The deletion is recorded in the revisions.`,
      params,
      headers: IfMatchHeaders,
      querystring: ReasonQuery,
      response: { 204: z.null().describe('Deleted.'), 404: notFoundProblem(r.tag), ...writeProblems },
    },
    handler: async (request, reply) => {
      const key = keyOf(request.params);
      const { version } = current(key);
      requireIfMatch(request, reply, version, etagOf(request.dataTag, key));
      const before = snapshotOf(sqlite, r.entity, key);
      writeTransaction(db, () => {
        const blocker = r.remove(sqlite, key);
        if (blocker !== null) throw conflict(`${r.entity}.in_use`, `The ${r.noun} '${key}' is still used: ${blocker}.`);
        recordChange(
          sqlite,
          { entity: r.entity, key, action: 'delete', actor: actorOf(request), reason: request.query.reason },
          before,
        );
      });
      return reply.code(204).send(null);
    },
  });
}
