// Grading schemes and the normalised certainty (0-4) that lets claims of different schemes filter and sort together.

export const GRADE_SCHEMES = ['GRADE', 'civic'] as const;
export type GradeScheme = (typeof GRADE_SCHEMES)[number];

/**
 * certainty: 4 = strongest. GRADE high 4, moderate 3, low 2, very_low 1. CIViC A (validated) 4, B (clinical) 3,
 * C (case study) 2, D (preclinical) 1, E (inferential) 0.
 */
export const GRADE_LEVELS: Record<GradeScheme, Record<string, number>> = {
  GRADE: { high: 4, moderate: 3, low: 2, very_low: 1 },
  civic: { A: 4, B: 3, C: 2, D: 1, E: 0 },
};

export const GRADE_LEVEL_NAMES = ['high', 'moderate', 'low', 'very_low'] as const;

export function certaintyOf(scheme: GradeScheme, level: string): number | undefined {
  return GRADE_LEVELS[scheme][level];
}

/**
 * `min_grade` in one of three forms: a certainty number 0-4 (every scheme, on the shared scale above); a GRADE level
 * name (GRADE-graded claims only); a CIViC evidence level A-E (CIViC claims only). A level belongs to its scheme:
 * GRADE low and CIViC C share certainty 2 but do not mean the same thing, so a level never filters the other scheme.
 * Undefined when the value is none of these.
 */
export function parseMinGrade(value: string): { certainty: number; scheme: GradeScheme | null } | undefined {
  if (/^[0-4]$/.test(value)) return { certainty: Number(value), scheme: null };
  const lower = value.toLowerCase().replace(/[\s-]/g, '_');
  if (lower in GRADE_LEVELS.GRADE) return { certainty: GRADE_LEVELS.GRADE[lower] as number, scheme: 'GRADE' };
  if (/^[A-Ea-e]$/.test(value))
    return { certainty: GRADE_LEVELS.civic[value.toUpperCase()] as number, scheme: 'civic' };
  return undefined;
}
