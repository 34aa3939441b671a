// API shapes for interventions (treatments and exposures) and their list query.
import { z } from 'zod';
import { INTERVENTION_KINDS } from '../../evidence/vocabulary.js';
import { page, Slug } from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';
import { GradeCountSchema } from '../conditions/conditions.schemas.js';

export const InterventionSchema = z
  .object({
    slug: z.string().describe('Stable id.'),
    name: z.string(),
    kind: z.enum(INTERVENTION_KINDS),
    description: z.string().nullable(),
    synonyms: z.array(z.string()),
    claim_count: z.number().int().describe('Published claims about this intervention.'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Intervention' });

export const InterventionDetailSchema = InterventionSchema.extend({
  claim_counts_by_grade: z.array(GradeCountSchema).describe('Published claims per grade, strongest first.'),
}).meta({ id: 'InterventionDetail' });

export const InterventionListSchema = page(InterventionSchema, 'InterventionList');

export const InterventionListQuery = z
  .object({
    q: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Prefix of any word of a name or synonym; case- and accent-insensitive.')
      .meta({ example: 'probio' }),
    kind: z.enum(INTERVENTION_KINDS).optional().describe('Only interventions of this kind.'),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

/** What a curator (or a seed file) supplies for an intervention. */
export const InterventionInput = z
  .object({
    slug: Slug,
    name: z.string().min(1).max(200),
    kind: z.enum(INTERVENTION_KINDS),
    description: z.string().max(2000).nullable().default(null),
    synonyms: z.array(z.string().min(1).max(200)).max(50).default([]),
  })
  .strict()
  .meta({ id: 'InterventionWrite' });
export type InterventionInput = z.infer<typeof InterventionInput>;
