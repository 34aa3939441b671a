// API shapes for conditions: list items, the detail with hierarchy and claim counts, and the list query.
import { z } from 'zod';
import { GRADE_LEVEL_NAMES, GRADE_SCHEMES } from '../../evidence/grades.js';
import { ConditionRefSchema, page, Slug } from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';

export const OntologyCodesSchema = z
  .object({
    mesh: z.string().nullable().describe('MeSH descriptor id, e.g. `D008545`.'),
    doid: z.string().nullable().describe('Disease Ontology id, e.g. `DOID:1909`.'),
  })
  .meta({ id: 'OntologyCodes' });

export const GradeCountSchema = z
  .object({
    scheme: z.enum(GRADE_SCHEMES),
    level: z.string(),
    certainty: z.number().int(),
    count: z.number().int(),
  })
  .meta({ id: 'GradeCount' });

/** Evidence depth (issue 16): an answer card as a condition's detail lists it. */
export const TopicRefSchema = z
  .object({
    slug: z.string(),
    question: z.string(),
    overall_certainty: z
      .enum(GRADE_LEVEL_NAMES)
      .nullable()
      .describe("The topic's overall GRADE certainty; null when no published GRADE claim counts."),
  })
  .meta({ id: 'TopicRef' });

export const ConditionSchema = z
  .object({
    slug: z.string().describe('Stable id.'),
    name: z.string(),
    description: z.string().nullable(),
    synonyms: z.array(z.string()),
    codes: OntologyCodesSchema,
    parent: ConditionRefSchema.nullable(),
    claim_count: z.number().int().describe('Published claims about this condition and its sub-conditions.'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Condition' });

export const ConditionDetailSchema = ConditionSchema.extend({
  children: z.array(ConditionRefSchema).describe('Direct sub-conditions.'),
  claim_counts_by_grade: z
    .array(GradeCountSchema)
    .describe('Published claims about this condition and its sub-conditions, per grade, strongest first.'),
  topics: z
    .array(TopicRefSchema)
    .describe(
      'Answer cards with a published claim about this condition or a sub-condition, in slug order (the first 100; `GET /v1/topics?condition=` pages through all).',
    ),
}).meta({ id: 'ConditionDetail' });

export const ConditionListSchema = page(ConditionSchema, 'ConditionList');

export const ConditionListQuery = z
  .object({
    q: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Prefix of any word of a name or synonym, or of a code; case- and accent-insensitive (`derm` finds atopic dermatitis).',
      )
      .meta({ example: 'derm' }),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

/** What a curator (or a seed file) supplies for a condition. */
export const ConditionInput = z
  .object({
    slug: Slug,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).nullable().default(null),
    synonyms: z.array(z.string().min(1).max(200)).max(50).default([]),
    mesh_id: z
      .string()
      .regex(/^D[0-9]{6,9}$/, 'must be a MeSH descriptor id such as D008545')
      .nullable()
      .default(null),
    doid: z
      .string()
      .regex(/^DOID:[0-9]{1,9}$/, 'must be a Disease Ontology id such as DOID:1909')
      .nullable()
      .default(null),
    parent: Slug.nullable().default(null).describe('Slug of the parent condition.'),
  })
  .strict()
  .meta({ id: 'ConditionWrite' });
export type ConditionInput = z.infer<typeof ConditionInput>;
