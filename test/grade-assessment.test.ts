// The one grade check a claim write makes, and the assessment a reader sees: start, steps, computed level, override flag.
import { describe, expect, it } from 'vitest';
import {
  assessClaimGrade,
  claimGradeAssessment,
  GradeAssessmentSchema,
  gradeAssessmentOf,
} from '../src/evidence/grade-assessment.js';

const melanomaDomains = {
  indirectness: { judgement: 'not_serious' as const, rationale: 'Study population is the claim population.' },
  imprecision: { judgement: 'serious' as const, rationale: 'Faecal samples from 43 patients, 13 non-responders.' },
};

describe('assessClaimGrade', () => {
  it('applies the design rule to a claim without domains', () => {
    const a = assessClaimGrade({ scheme: 'GRADE', level: 'moderate' }, ['narrative_review']);
    expect(a.violation?.rule).toBe('grade.moderate_needs_rct_or_upgrade_rationale');
    expect(a.computed?.level).toBe('very_low');
  });

  it('asks for the rationale of a moving judgement, with its full path', () => {
    const a = assessClaimGrade(
      { scheme: 'GRADE', level: 'very_low', domains: { risk_of_bias: { judgement: 'serious', rationale: null } } },
      ['cohort'],
    );
    expect(a.violation).toEqual({
      rule: 'grade.domain_needs_rationale',
      detail:
        "grade.domains.risk_of_bias.rationale: risk of bias 'serious' moves the level, so it needs a rationale saying why.",
      errors: [
        {
          path: 'grade.domains.risk_of_bias.rationale',
          message: "risk of bias 'serious' moves the level, so it needs a rationale saying why.",
        },
      ],
    });
  });

  it("refuses a level the domains do not give, and accepts the melanoma claim's very low", () => {
    expect(
      assessClaimGrade({ scheme: 'GRADE', level: 'low', domains: melanomaDomains }, ['cohort']).violation?.rule,
    ).toBe('grade.level_matches_domains');
    const a = assessClaimGrade({ scheme: 'GRADE', level: 'very_low', domains: melanomaDomains }, ['cohort']);
    expect(a).toMatchObject({ violation: null, overridden: false, override_reason: null });
    expect(gradeAssessmentOf(a)).toEqual({
      start: {
        level: 'low',
        basis: 'observational',
        design: 'cohort',
        reason: 'the strongest supporting design is cohort, and observational evidence starts low (GRADE guidelines 3)',
      },
      steps: [
        {
          domain: 'indirectness',
          judgement: 'not_serious',
          change: 0,
          level_after: 'low',
          rationale: 'Study population is the claim population.',
          note: null,
        },
        {
          domain: 'imprecision',
          judgement: 'serious',
          change: -1,
          level_after: 'very_low',
          rationale: 'Faecal samples from 43 patients, 13 non-responders.',
          note: null,
        },
      ],
      computed_level: 'very_low',
      unassessed: [
        'risk_of_bias',
        'inconsistency',
        'publication_bias',
        'large_effect',
        'dose_response',
        'plausible_confounding',
      ],
      upper_bound: true,
      explanation:
        'Start low: the strongest supporting design is cohort, and observational evidence starts low (GRADE guidelines 3). Indirectness: not serious 0 → low. Imprecision: serious -1 → very low. Result: very low. Not assessed: risk of bias, inconsistency, publication bias, large effect, dose-response gradient, plausible confounding; very low is the most the assessed domains allow.',
      overridden: false,
      override_reason: null,
    });
  });

  it('flags an override in the assessment a reader sees', () => {
    const a = assessClaimGrade(
      { scheme: 'GRADE', level: 'low', domains: melanomaDomains, override_reason: 'Curator judges 43 enough.' },
      ['cohort'],
    );
    const shown = gradeAssessmentOf(a);
    expect(shown).toMatchObject({
      computed_level: 'very_low',
      overridden: true,
      override_reason: 'Curator judges 43 enough.',
    });
    expect(GradeAssessmentSchema.safeParse(shown).success).toBe(true);
  });

  it('leaves CIViC grades alone', () => {
    const a = assessClaimGrade({ scheme: 'civic', level: 'B' }, []);
    expect(a).toEqual({ computed: null, violation: null, overridden: false, override_reason: null });
    expect(gradeAssessmentOf(a)).toBeNull();
  });
});

describe('claimGradeAssessment (what a reader sees of a stored grade)', () => {
  it('flags a level above the design start that rests on a free-text upgrade rationale as an override', () => {
    const shown = claimGradeAssessment({ scheme: 'GRADE', level: 'high', upgrade_rationale: 'Very large effect.' }, [
      'cohort',
    ]);
    expect(shown).toMatchObject({
      computed_level: 'low',
      upper_bound: true,
      overridden: true,
      override_reason: 'Very large effect.',
    });
  });

  it('does not flag a level below what unassessed domains allow, nor one the domains give', () => {
    expect(claimGradeAssessment({ scheme: 'GRADE', level: 'moderate' }, ['rct'])).toMatchObject({
      computed_level: 'high',
      upper_bound: true,
      overridden: false,
      override_reason: null,
    });
    expect(
      claimGradeAssessment({ scheme: 'GRADE', level: 'very_low', domains: melanomaDomains }, ['cohort']),
    ).toMatchObject({ computed_level: 'very_low', overridden: false });
  });

  it('shows a level the domains no longer give, without a reason, as not overridden', () => {
    // E.g. a study's design re-read after the claim was written: the reader sees both levels.
    expect(
      claimGradeAssessment(
        { scheme: 'GRADE', level: 'low', domains: melanomaDomains, upgrade_rationale: 'Words only.' },
        ['cohort'],
      ),
    ).toMatchObject({ computed_level: 'very_low', overridden: false, override_reason: null });
    expect(claimGradeAssessment({ scheme: 'civic', level: 'B' }, [])).toBeNull();
  });
});
