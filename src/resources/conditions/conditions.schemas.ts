// API shapes for conditions: list items, the detail with hierarchy and claim counts, and the list query.
import { z } from 'zod';
import { GRADE_LEVEL_NAMES, GRADE_SCHEMES } from '../../evidence/grades.js';
import { ConditionRefSchema, page, Slug } from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';

export const OntologyCodesSchema = z
  .object({
    mesh: z.string().nullable().describe('MeSH descriptor id, e.g. `D008545`.'),
    doid: z
      .string()
      .nullable()
      .describe('Disease Ontology id, e.g. `DOID:1909`: the ontology term the condition is attached to.'),
    xrefs: z
      .array(
        z.object({
          system: z.string().describe('As the ontology names it: `MESH`, `NCI`, `ICD10CM`, `UMLS_CUI`, `EFO`, ...'),
          code: z.string(),
        }),
      )
      .describe("The ontology term's cross-references to other vocabularies; each also finds the condition.")
      .meta({ example: [{ system: 'NCI', code: 'C3224' }] }),
    alt_ids: z
      .array(z.string())
      .describe('Older ids of the term (`alt_id`) and obsolete terms it replaces (`replaced_by`); each finds it.'),
  })
  .meta({ id: 'OntologyCodes' });

export const CONDITION_LINK_SOURCES = ['curated', 'ontology'] as const;

export const ConditionLinkSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    sources: z
      .array(z.enum(CONDITION_LINK_SOURCES))
      .describe('Who says so: `curated` (a curator), `ontology` (an is_a link of an imported ontology), or both.'),
  })
  .meta({ id: 'ConditionLink' });

export const OntologySynonymSchema = z
  .object({
    text: z.string(),
    scope: z
      .enum(['EXACT', 'RELATED', 'BROAD', 'NARROW'])
      .describe(
        'OBO synonym scope. EXACT and RELATED synonyms find the condition (EXACT first); BROAD and NARROW do not.',
      ),
  })
  .meta({ id: 'OntologySynonym' });

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
    synonyms: z.array(z.string()).describe('Synonyms a curator wrote (each finds the condition).'),
    ontology_synonyms: z.array(OntologySynonymSchema).describe('Synonyms from the ontology term, with their scope.'),
    codes: OntologyCodesSchema,
    parent: ConditionRefSchema.nullable().describe('The first of `parents` (kept for older clients); null for a root.'),
    parents: z
      .array(ConditionLinkSchema)
      .describe('Every direct parent: the hierarchy is a graph (an ontology term may have several is_a parents).'),
    claim_count: z
      .number()
      .int()
      .describe('Published claims about this condition and its descendants (every path down the hierarchy).'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Condition' });

export const ConditionDetailSchema = ConditionSchema.extend({
  children: z.array(ConditionLinkSchema).describe('Direct sub-conditions, from curators and from the ontology.'),
  abbreviations: z
    .array(z.object({ abbreviation: z.string(), source: z.string(), ambiguous: z.boolean() }))
    .describe(
      'Clinical abbreviations for this condition from the curated file seeds/condition-abbreviations.tsv, with the source that gives each; an ambiguous one is never read as this condition alone.',
    ),
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
    parent: Slug.nullable().default(null).describe('Slug of the (first) curated parent condition.'),
    parents: z
      .array(Slug)
      .max(20)
      .default([])
      .describe('Slugs of further curated parents, after `parent` (ontology parents come from the ontology import).'),
  })
  .strict()
  .meta({ id: 'ConditionWrite' });
export type ConditionInput = z.infer<typeof ConditionInput>;
