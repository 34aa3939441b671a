// POST / PATCH / DELETE for the resources whose writes share one shape (conditions, interventions, studies, topics):
// strict bodies, write scope, If-Match on the row version, evidence rules, one commit with its history row.
import { z } from 'zod';
import { type Changes, commit, type WriteOutcome } from '../curation/commit.js';
import type { Entity } from '../resources/history/history.queries.js';
import type { Database, Reader } from '../store/client.js';
import { dataTagOf, rowTag, type VersionedTable } from '../store/data-version.queries.js';
import { notFoundProblem } from './api-schemas.js';
import { requireIfMatch, resourceEtag } from './concurrency.js';
import { notFound } from './problem.js';
import type { App } from './route-types.js';
import { actorOf, conflict, IfMatchHeaders, ReasonQuery, writeProblems } from './writes.js';

export interface ResourceWrites<Input extends Record<string, unknown>> {
  entity: Entity;
  table: VersionedTable;
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
  load(h: Reader, key: string): Promise<(Input & { version: number }) | undefined>;
  /** A PATCH's merge of the stored resource and the body; default: the fields given replace the old ones. */
  merge?(existing: Input, patch: Partial<Input>): Input;
  /** Evidence rules, read inside the write's transaction (422 naming the rule). */
  rules(h: Reader, input: Input): Promise<void>;
  upsert(changes: Changes, input: Input): Promise<WriteOutcome>;
  /** Deletes, or says what still refers to the resource. */
  remove(changes: Changes, key: string): Promise<string | null>;
  detail(h: Reader, key: string): Promise<unknown>;
}

const capitalised = (s: string) => `${s[0]?.toUpperCase()}${s.slice(1)}`;
/** `an intervention`, `a condition`: the nouns here begin with a vowel sound exactly when they begin with a vowel. */
export const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

export function registerResourceWrites<Input extends Record<string, unknown>>(
  app: App,
  db: Database,
  r: ResourceWrites<Input>,
): void {
  const itemPath = `${r.path}/:${r.param}`;
  const Name = capitalised(r.noun);
  const aNoun = withArticle(r.noun);
  const params = z.object({
    [r.param]: z.string().min(1).max(200).describe(`The ${r.noun}'s ${r.keyField}.`),
  });
  const keyOf = (p: unknown) => (p as Record<string, string>)[r.param] as string;
  /** The current row (404 when none), read inside the transaction. */
  const current = async (h: Reader, key: string) => {
    const loaded = await r.load(h, key);
    const tag = await rowTag(h, r.table, key);
    if (!loaded || !tag) throw notFound(r.notFoundCode, `No ${r.noun} is '${key}'.`);
    return { loaded, tag };
  };
  /** The committed resource's ETag, read after the commit. */
  const etagOf = async (key: string) => {
    const tag = await rowTag(db, r.table, key);
    return tag ? resourceEtag(await dataTagOf(db), r.table, tag) : undefined;
  };

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
      await commit(db, { actor: actorOf(request), reason: request.query.reason }, async (changes) => {
        if (await r.load(changes.read, key))
          throw conflict(`${r.entity}.exists`, `${capitalised(aNoun)} '${key}' already exists; PATCH it instead.`);
        await r.rules(changes.read, input);
        await r.upsert(changes, input);
      });
      const etag = await etagOf(key);
      if (etag) reply.header('etag', etag);
      return reply
        .code(201)
        .header('location', `${r.path}/${encodeURIComponent(key)}`)
        .send(await r.detail(db, key));
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
      await commit(db, { actor: actorOf(request), reason: request.query.reason }, async (changes) => {
        const { loaded, tag } = await current(changes.read, key);
        await requireIfMatch(request, reply, changes.read, r.table, tag);
        const { version: _version, ...existing } = loaded;
        const patch = request.body as Partial<Input>;
        const merged = r.merge
          ? r.merge(existing as unknown as Input, patch)
          : ({ ...existing, ...patch } as unknown as Input);
        await r.rules(changes.read, merged);
        await r.upsert(changes, merged);
      });
      const etag = await etagOf(key);
      if (etag) reply.header('etag', etag);
      return reply.send(await r.detail(db, key));
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
      await commit(db, { actor: actorOf(request), reason: request.query.reason }, async (changes) => {
        const { tag } = await current(changes.read, key);
        await requireIfMatch(request, reply, changes.read, r.table, tag);
        const blocker = await r.remove(changes, key);
        if (blocker !== null) throw conflict(`${r.entity}.in_use`, `The ${r.noun} '${key}' is still used: ${blocker}.`);
      });
      return reply.code(204).send(null);
    },
  });
}
