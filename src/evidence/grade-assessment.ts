// The one call a claim write makes for its GRADE level (domains checked, arithmetic computed, level compared), and the response shape that shows the arithmetic.
import { z } from 'zod';
import {
  CONCERN_JUDGEMENTS,
  checkGradeConsistency,
  checkGradeStart,
  computeGradeLevel,
  GRADE_DOMAINS,
  GRADE_START_BASES,
  type GradeComputation,
  type GradeDomainsInput,
  type GradeLevel,
  LARGE_EFFECT_JUDGEMENTS,
  levelText,
  PRESENCE_JUDGEMENTS,
  type SynthesisOf,
  validateGradeDomains,
} from './grade-domains.js';
import { GRADE_LEVEL_NAMES } from './grades.js';
import type { StudyDesign } from './study-record.js';
import { type RuleViolation, violationOf } from './violations.js';
import { STUDY_DESIGNS } from './vocabulary.js';

export interface ClaimGradeInput {
  scheme: string;
  level: string;
  upgrade_rationale?: string | null;
  domains?: GradeDomainsInput | null;
  synthesis_of?: SynthesisOf | null;
  override_reason?: string | null;
}

export interface ClaimGradeAssessment {
  /** The arithmetic from the supporting designs and domains; null for non-GRADE schemes. */
  computed: GradeComputation | null;
  /** The first broken rule, ready for a 422; null when the grade is acceptable. */
  violation: RuleViolation | null;
  /** True when the level differs from `computed.level` and an override reason was accepted. */
  overridden: boolean;
  override_reason: string | null;
}

/**
 * Checks a claim's grade against its supporting studies' designs, in this order: a claim with GRADE domains gets
 * `validateGradeDomains` (422 paths under `grade.domains`), then `checkGradeConsistency` (rule
 * `grade.level_matches_domains`, or an accepted override); a claim without domains gets the design rule
 * `checkGradeStart` (moderate and high need a supporting trial or review, or an upgrade rationale). Pass the designs of
 * the studies linked as `supports` only (null for a study of unknown design). Non-GRADE schemes are not checked.
 */
export function assessClaimGrade(
  grade: ClaimGradeInput,
  supportingDesigns: readonly (StudyDesign | null)[],
): ClaimGradeAssessment {
  const none = { computed: null, violation: null, overridden: false, override_reason: null };
  if (grade.scheme !== 'GRADE') return none;
  const domains = grade.domains ?? null;
  const computed = computeGradeLevel({
    supporting_designs: supportingDesigns,
    synthesis_of: grade.synthesis_of ?? null,
    domains,
  });
  if (domains === null) {
    const start = checkGradeStart(grade, supportingDesigns);
    if (start) return { ...none, computed, violation: start };
    return checkLevelWithinStart(grade, computed);
  }
  const invalid = violationOf(validateGradeDomains(domains), 'grade.domains');
  if (invalid) return { ...none, computed, violation: invalid };
  const check = checkGradeConsistency(grade, computed);
  if (!check.ok) return { ...none, computed, violation: check.violation };
  return check.overridden
    ? { computed, violation: null, overridden: true, override_reason: check.override_reason }
    : { ...none, computed };
}

/**
 * A claim without domain judgements can stand no higher than where GRADE starts for its supporting designs (the
 * unassessed domains can only rate it down; rating up needs them assessed: GRADE guidelines 9, Cochrane Handbook
 * 5.1 Table 12.2.a). Above it, the write needs a reason in words (`override_reason`, or `upgrade_rationale`), and is
 * then flagged as overridden; otherwise rule `grade.level_above_start`, with the arithmetic as `grade_arithmetic`.
 */
function checkLevelWithinStart(grade: ClaimGradeInput, computed: GradeComputation): ClaimGradeAssessment {
  const none = { computed, violation: null, overridden: false, override_reason: null };
  const level = GRADE_LEVEL_NAMES.indexOf(grade.level as GradeLevel);
  // GRADE_LEVEL_NAMES runs from high to very low: a smaller index is a higher level.
  if (level === -1 || level >= GRADE_LEVEL_NAMES.indexOf(computed.level)) return none;
  const reason = grade.override_reason?.trim() || grade.upgrade_rationale?.trim();
  if (reason) return { ...none, overridden: true, override_reason: reason };
  const detail = `GRADE level '${levelText(grade.level as GradeLevel)}' is above what the evidence gives: ${levelText(computed.level)}. ${computed.explanation} Set grade.level to '${computed.level}', assess the GRADE domains in grade.domains, or give grade.override_reason.`;
  return {
    ...none,
    violation: {
      rule: 'grade.level_above_start',
      detail,
      errors: [{ path: 'grade.level', message: detail }],
      extensions: {
        grade_arithmetic: {
          claimed_level: grade.level,
          computed_level: computed.level,
          start: computed.start,
          steps: computed.steps,
          unassessed: computed.unassessed,
          upper_bound: computed.upper_bound,
        },
      },
    },
  };
}

const JUDGEMENTS = [...CONCERN_JUDGEMENTS, ...LARGE_EFFECT_JUDGEMENTS, ...PRESENCE_JUDGEMENTS] as const;
const Level = z.enum(GRADE_LEVEL_NAMES);

/** What a claim's `grade.assessment` shows a reader: where the rating started, each step, and whether it was overridden. */
export const GradeAssessmentSchema = z
  .object({
    start: z
      .object({
        level: Level.describe('Where GRADE starts for this claim.'),
        basis: z
          .enum(GRADE_START_BASES)
          .describe(
            '`randomised` (high), `observational` (low), `uncontrolled` (case series/reports, very low), `not_rateable` (narrative reviews, expert opinion, animal, in-vitro or unknown designs, very low), `no_supporting_study` (very low).',
          ),
        design: z.enum(STUDY_DESIGNS).nullable().describe('The supporting design the start comes from.'),
        reason: z.string().describe('The start in words, with its source.'),
      })
      .describe('The starting level, from the strongest supporting design only.'),
    steps: z
      .array(
        z.object({
          domain: z.enum(GRADE_DOMAINS).describe('The GRADE domain.'),
          judgement: z
            .enum(JUDGEMENTS)
            .describe('`not_serious`/`serious`/`very_serious`; `none`/`large`/`very_large`; `absent`/`present`.'),
          change: z.number().int().describe('Levels moved, -2 to +2; 0 when not counted.'),
          level_after: Level.describe('The level after this step.'),
          rationale: z.string().nullable().describe("The curator's reason for the judgement."),
          note: z.string().nullable().describe('Why a change was not counted, or was cut at very low or high.'),
        }),
      )
      .describe(
        'Assessed domains in GRADE order: risk of bias, inconsistency, indirectness, imprecision, publication bias, then large effect, dose-response, plausible confounding.',
      ),
    computed_level: Level.describe('The level the start and the steps give.'),
    unassessed: z.array(z.enum(GRADE_DOMAINS)).describe('Domains with no judgement yet.'),
    upper_bound: z
      .boolean()
      .describe(
        'True when a rate-down domain is unassessed: `computed_level` is then the most the assessed domains allow.',
      ),
    explanation: z.string().describe('The arithmetic in words.'),
    overridden: z.boolean().describe('True when a curator set a level other than `computed_level`, with a reason.'),
    override_reason: z.string().nullable().describe('Why the curator overrode the computed level; null otherwise.'),
  })
  .meta({ id: 'GradeAssessment' });
export type GradeAssessment = z.infer<typeof GradeAssessmentSchema>;

/** The response body of `GradeAssessmentSchema` for an assessed claim; null for non-GRADE schemes. */
export function gradeAssessmentOf(a: ClaimGradeAssessment): GradeAssessment | null {
  if (a.computed === null) return null;
  return {
    start: a.computed.start,
    steps: a.computed.steps as GradeAssessment['steps'],
    computed_level: a.computed.level as GradeLevel,
    unassessed: a.computed.unassessed,
    upper_bound: a.computed.upper_bound,
    explanation: a.computed.explanation,
    overridden: a.overridden,
    override_reason: a.override_reason,
  };
}

/**
 * What a reader sees of a stored claim's grade (the read side of `assessClaimGrade`, never a 422): the arithmetic from
 * its supporting designs and domains, with `overridden` true whenever the level stands above what they give on a
 * curator's word. A claim without domains passes the write check with a free-text `upgrade_rationale`; that is an
 * override too (the domains would show the arithmetic), so it is flagged, with the text as its reason. A level below
 * what unassessed domains allow is not an override: those domains may yet rate it down. Null for non-GRADE schemes.
 */
export function claimGradeAssessment(
  grade: ClaimGradeInput,
  supportingDesigns: readonly (StudyDesign | null)[],
): GradeAssessment | null {
  const shown = gradeAssessmentOf(assessClaimGrade(grade, supportingDesigns));
  if (shown === null || shown.overridden) return shown;
  const level = GRADE_LEVEL_NAMES.indexOf(grade.level as GradeLevel);
  const computed = GRADE_LEVEL_NAMES.indexOf(shown.computed_level);
  // GRADE_LEVEL_NAMES runs from high to very low: a smaller index is a higher level.
  const reason = grade.override_reason?.trim() || grade.upgrade_rationale?.trim();
  if (level === -1 || level >= computed || !reason) return shown;
  if (grade.domains != null && !grade.override_reason?.trim()) return shown;
  return { ...shown, overridden: true, override_reason: reason };
}
