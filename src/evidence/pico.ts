// A claim's PICO: population (with structured age groups, sex and setting), intervention, comparator, outcome (with an optional MeSH, SNOMED CT or LOINC code) and timeframe, and the filters over it.
import { z } from 'zod';

/**
 * MeSH age groups (the check tags PubMed's age filters use), with their descriptor UIs and MeSH's age ranges:
 * newborn D007231 (birth-1 month), infant D007223 (1-23 months), preschool child D002675 (2-5 years), child D002648
 * (6-12), adolescent D000293 (13-18), young adult D055815 (19-24), adult D000328 (19-44), middle aged D008875 (45-64),
 * aged D000368 (65+), aged 80 and over D000369. They overlap as MeSH's do (a young adult is also an adult).
 */
export const AGE_GROUPS = [
  'infant_newborn',
  'infant',
  'child_preschool',
  'child',
  'adolescent',
  'young_adult',
  'adult',
  'middle_aged',
  'aged',
  'aged_80_and_over',
] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** `any`: both sexes were included. Unknown is null. */
export const POPULATION_SEXES = ['female', 'male', 'any'] as const;
/** Where the population was recruited or treated. Unknown is null. */
export const CARE_SETTINGS = [
  'community',
  'primary_care',
  'outpatient',
  'inpatient',
  'intensive_care',
  'long_term_care',
] as const;

/** Code systems an outcome may be coded in, with the shape of their codes. */
export const OUTCOME_CODE_SYSTEMS = {
  /** Descriptor (D000000) or supplementary concept (C000000) UI. */
  MeSH: /^[DC]\d{6,9}$/,
  /** SCTID: 6 to 18 digits. */
  'SNOMED CT': /^[1-9]\d{5,17}$/,
  /** LOINC code: digits, a hyphen and a check digit, e.g. 8480-6. */
  LOINC: /^\d{1,7}-\d$/,
} as const;
export type OutcomeCodeSystem = keyof typeof OUTCOME_CODE_SYSTEMS;
const SYSTEMS = Object.keys(OUTCOME_CODE_SYSTEMS) as [OutcomeCodeSystem, ...OutcomeCodeSystem[]];

export const OutcomeCodeSchema = z
  .object({
    system: z.enum(SYSTEMS).describe('`MeSH`, `SNOMED CT` or `LOINC`.'),
    code: z.string().min(1).max(40).describe('The code in that system, e.g. MeSH `D003876` or SNOMED CT `24079001`.'),
    display: z
      .string()
      .max(300)
      .nullable()
      .default(null)
      .describe("The code's preferred term, e.g. `Dermatitis, Atopic`."),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!OUTCOME_CODE_SYSTEMS[c.system].test(c.code))
      ctx.addIssue({
        code: 'custom',
        path: ['code'],
        message: `'${c.code}' is not a ${c.system} code (${OUTCOME_CODE_SYSTEMS[c.system].source})`,
      });
  })
  .meta({ id: 'OutcomeCode', example: { system: 'MeSH', code: 'D003876', display: 'Dermatitis, Atopic' } });

/** A claim's PICO as a curator writes it. What the source does not say stays null (or an empty list). */
export const PicoInput = z
  .object({
    population: z
      .object({
        description: z
          .string()
          .min(1)
          .max(1000)
          .describe('Who, in the words of the evidence, e.g. `Melanoma patients starting anti-PD-1 therapy`.'),
        age_groups: z
          .array(z.enum(AGE_GROUPS))
          .max(AGE_GROUPS.length)
          .default([])
          .describe('MeSH age groups included; empty when not stated.')
          .meta({ example: ['adult', 'middle_aged', 'aged'] }),
        sex: z
          .enum(POPULATION_SEXES)
          .nullable()
          .default(null)
          .describe('`female`, `male` or `any` (both included); null when not stated.'),
        setting: z
          .enum(CARE_SETTINGS)
          .nullable()
          .default(null)
          .describe('Care setting of recruitment or treatment; null when not stated.'),
      })
      .strict()
      .describe('P: the population.'),
    intervention: z
      .string()
      .min(1)
      .max(1000)
      .describe(
        'I: the intervention(s) or exposure, with strain, dose and duration where known, e.g. `Oral Lactobacillus rhamnosus GG, 10^10 CFU daily for 8 weeks`.',
      ),
    comparator: z
      .string()
      .min(1)
      .max(1000)
      .nullable()
      .default(null)
      .describe(
        'C: placebo, usual care, or the reference group of an association (e.g. `non-responders`); null when none.',
      ),
    outcome: z
      .object({
        description: z
          .string()
          .min(1)
          .max(1000)
          .describe('O: what is measured, e.g. `Objective response (RECIST 1.1)`.'),
        code: OutcomeCodeSchema.nullable().default(null).describe('A code for the outcome; null when none fits.'),
      })
      .strict(),
    timeframe: z
      .string()
      .max(200)
      .nullable()
      .default(null)
      .describe('When the outcome is measured, e.g. `12 weeks`; null when not stated.'),
  })
  .strict()
  .meta({ id: 'PicoWrite' });
export type PicoInput = z.input<typeof PicoInput>;
export type Pico = z.output<typeof PicoInput>;

/** List filters over PICO, for the claims list. */
export const PicoFilterQuery = z.object({
  age_group: z
    .enum(AGE_GROUPS)
    .optional()
    .describe('Claims whose population includes this MeSH age group (claims with no age group stated are left out).'),
  sex: z
    .enum(['female', 'male'])
    .optional()
    .describe('Claims whose population includes this sex: `female` matches `female` and `any`.'),
  setting: z.enum(CARE_SETTINGS).optional().describe('Claims in this care setting.'),
  outcome_code: z
    .string()
    .max(60)
    .regex(/^(MeSH|SNOMED CT|LOINC):\S+$/, 'must be `<system>:<code>`, e.g. `MeSH:D003876`')
    .optional()
    // No example: the docs page fills every example into one "Try it out", and the melanoma claim's outcome has no code.
    .describe('Claims whose outcome has this code, as `<system>:<code>`, e.g. `MeSH:D003876`.'),
});
export type PicoFilters = z.output<typeof PicoFilterQuery>;

/**
 * The filter semantics the SQL must follow: every given filter must match, and an unstated value never matches (a
 * filter asks for what is known). Returns false for a claim without PICO when any filter is given.
 */
export function matchesPicoFilters(pico: Pico | null, filters: PicoFilters): boolean {
  const given = Object.values(filters).some((v) => v !== undefined);
  if (pico === null) return !given;
  const p = pico.population;
  if (filters.age_group && !p.age_groups.includes(filters.age_group)) return false;
  if (filters.sex && p.sex !== filters.sex && p.sex !== 'any') return false;
  if (filters.setting && p.setting !== filters.setting) return false;
  if (filters.outcome_code) {
    const code = pico.outcome.code;
    if (!code || `${code.system}:${code.code}` !== filters.outcome_code) return false;
  }
  return true;
}

/** One line for a reader or a search index, e.g. "P: adults with eczema; I: ...; C: placebo; O: EASI (MeSH D003876); T: 12 weeks". */
export function describePico(pico: Pico): string {
  const code = pico.outcome.code ? ` (${pico.outcome.code.system} ${pico.outcome.code.code})` : '';
  return [
    `P: ${pico.population.description}`,
    `I: ${pico.intervention}`,
    pico.comparator === null ? null : `C: ${pico.comparator}`,
    `O: ${pico.outcome.description}${code}`,
    pico.timeframe === null ? null : `T: ${pico.timeframe}`,
  ]
    .filter((part): part is string => part !== null)
    .join('; ');
}
