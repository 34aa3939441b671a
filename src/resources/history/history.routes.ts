// GET /v1/{resource}/{key}/revisions for every curated resource, and GET /v1/changes, the feed apps sync from.
import { z } from 'zod';
import { ClaimId, Slug, StudyKey } from '../../http/api-schemas.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { visibleRevisions } from './history.access.js';
import { type Entity, listChanges, listRevisions } from './history.queries.js';
import { ChangeFeedSchema, ChangesQuery, RevisionListSchema, RevisionQuery } from './history.schemas.js';

const RESOURCES: { entity: Entity; path: string; param: string; key: z.ZodType<string>; tag: string; name: string }[] =
  [
    { entity: 'claim', path: '/v1/claims/:id/revisions', param: 'id', key: ClaimId, tag: 'claims', name: 'Claim' },
    {
      entity: 'study',
      path: '/v1/studies/:pmid/revisions',
      param: 'pmid',
      key: StudyKey,
      tag: 'studies',
      name: 'Study',
    },
    {
      entity: 'condition',
      path: '/v1/conditions/:slug/revisions',
      param: 'slug',
      key: Slug.meta({ example: 'eczema' }),
      tag: 'conditions',
      name: 'Condition',
    },
    {
      entity: 'intervention',
      path: '/v1/interventions/:slug/revisions',
      param: 'slug',
      key: Slug.meta({ example: 'oral-probiotics' }),
      tag: 'interventions',
      name: 'Intervention',
    },
    {
      entity: 'topic',
      path: '/v1/topics/:slug/revisions',
      param: 'slug',
      key: Slug.meta({ example: 'gut-microbiome-and-skin' }),
      tag: 'topics',
      name: 'Topic',
    },
  ];

export const historyRoutes: RoutePlugin = async (app, { db }) => {
  for (const r of RESOURCES) {
    app.get(r.path, {
      schema: {
        operationId: `list${r.name}Revisions`,
        tags: [r.tag],
        summary: `${r.name} revisions`,
        description: `Every recorded change to the ${r.entity}, newest first: who, when, why, and the fields before and after. A resource that no longer exists still has its history. Without an API key, revisions that record a claim as a draft are left out (a draft claim's list answers 404, as for an unknown id), and API keys are named by id only. A page holds at most \`limit\` revisions and about 1 MB of them (their \`changes\` and \`reason\`), whichever comes first, and always at least one: follow \`next_cursor\`.`,
        params: z.object({ [r.param]: r.key }),
        querystring: RevisionQuery,
        response: { 200: RevisionListSchema },
      },
      handler: async (request) => {
        const key = (request.params as Record<string, string>)[r.param] as string;
        const page = await listRevisions(db, r.entity, key, request.query.limit, request.query.cursor);
        return { ...page, items: await visibleRevisions(db, request, page.items) };
      },
    });
  }

  app.get('/v1/changes', {
    schema: {
      operationId: 'listChanges',
      tags: ['history'],
      summary: 'Change feed',
      description:
        'Every change to claims, studies, conditions, interventions and topics in commit order. Without an API key, revisions that record a claim as a draft are left out (a page may then hold fewer than `limit`, even none, while `next_cursor` moves on), and API keys are named by id only (`actor_name` is null). Start without `since`, then pass back `next_cursor`; cursors are stable across restarts. An empty page with `has_more: false` means you are up to date; poll again later with the same cursor. A page holds at most `limit` changes and about 1 MB of them (their `changes` and `reason`), whichever comes first, and always at least one: a page shorter than `limit` with `has_more: true` means the byte budget ended it.',
      querystring: ChangesQuery,
      response: { 200: ChangeFeedSchema },
    },
    handler: async (request) => {
      const page = await listChanges(db, request.query.since, request.query.limit);
      return { ...page, items: await visibleRevisions(db, request, page.items) };
    },
  });
};
