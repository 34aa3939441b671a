// API shapes for revision history and the change feed.
import { z } from 'zod';
import { page } from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';
import { ACTIONS, ENTITIES } from './history.queries.js';

export const RevisionSchema = z
  .object({
    revision: z.number().int().describe('Position in the change feed (commit order).'),
    entity: z.enum(ENTITIES),
    key: z.string().describe('Claim id, slug, or study key (a PMID, or e.g. `asco:160900`).'),
    action: z.enum(ACTIONS),
    actor: z
      .string()
      .describe(
        'Who made the change: `key:<id>` for an API key (its id, stable and public), `seed`, `import:civic`, `import:pubmed`, `import:ontology`, `system:upgrade`.',
      )
      .meta({ example: 'key:7' }),
    actor_name: z
      .string()
      .nullable()
      .describe(
        "The API key's name, for callers with a key; null without a key (names often name a person) and for actors that are not keys.",
      )
      .meta({ example: 'alice' }),
    reason: z.string().nullable(),
    changes: z
      .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
      .describe('The fields that changed, each with its value before and after.'),
    at: z.string().describe('Commit time (UTC).'),
  })
  .meta({ id: 'Revision' });

export const RevisionListSchema = page(RevisionSchema, 'RevisionList');

export const ChangeFeedSchema = z
  .object({
    items: z.array(RevisionSchema),
    next_cursor: z.string().describe('Pass as `since` to continue; present even at the end, for polling.'),
    has_more: z.boolean().describe('Whether more changes are waiting right now.'),
  })
  .meta({ id: 'ChangeFeed' });

export const RevisionQuery = z.object({ limit: limitParam, cursor: cursorParam }).strict();

export const ChangesQuery = z
  .object({
    since: z
      .string()
      .max(512)
      .optional()
      .describe('The `next_cursor` of the previous call; omit to start from the first change.'),
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Changes per call, 1-1000.'),
  })
  .strict();
