// GRADE by domain: where the rating starts, the arithmetic of rating down and up, the consistency check with its 422 data, and the FHIR certainty element.
import { describe, expect, it } from 'vitest';
import {
  checkGradeConsistency,
  checkGradeStart,
  computeGradeLevel,
  GradeAssessmentInput,
  GradeDomainsInput,
  gradeStart,
  gradeToFhirCertainty,
  validateGradeDomains,
} from '../src/evidence/grade-domains.js';
import type { StudyDesign } from '../src/evidence/study-record.js';
import { seed } from './helpers.js';

const notSerious = { judgement: 'not_serious' as const, rationale: null };
const allFiveAssessed = {
  risk_of_bias: notSerious,
  inconsistency: notSerious,
  indirectness: notSerious,
  imprecision: notSerious,
  publication_bias: notSerious,
};

describe('gradeStart', () => {
  it.each<[StudyDesign[], string, string, StudyDesign | null]>([
    [['rct'], 'high', 'randomised', 'rct'],
    [['cohort'], 'low', 'observational', 'cohort'],
    [['non_randomised_trial'], 'low', 'observational', 'non_randomised_trial'],
    [['case_series'], 'very_low', 'uncontrolled', 'case_series'],
    [['narrative_review'], 'very_low', 'not_rateable', 'narrative_review'],
    [['animal', 'in_vitro'], 'very_low', 'not_rateable', 'animal'],
    [['narrative_review', 'cohort', 'case_report'], 'low', 'observational', 'cohort'],
    [['cross_sectional', 'rct'], 'high', 'randomised', 'rct'],
  ])('starts %j at %s (%s)', (designs, level, basis, design) => {
    expect(gradeStart(designs)).toMatchObject({ level, basis, design });
  });

  it('starts a claim with no supporting study at very low and says why', () => {
    expect(gradeStart([])).toEqual({
      level: 'very_low',
      basis: 'no_supporting_study',
      design: null,
      reason: 'no study is linked as supporting the claim, and only supporting studies can start a level',
    });
  });

  it('does not let a study of unknown design start a level', () => {
    expect(gradeStart([null])).toMatchObject({ level: 'very_low', basis: 'not_rateable', design: null });
    expect(gradeStart(['quasi_experiment' as StudyDesign])).toMatchObject({ level: 'very_low', design: null });
  });

  it('starts a meta-analysis where the designs it pools start, and low while they are not stated', () => {
    expect(gradeStart(['meta_analysis'], 'randomised')).toMatchObject({ level: 'high', basis: 'randomised' });
    expect(gradeStart(['systematic_review'], 'observational')).toMatchObject({ level: 'low', basis: 'observational' });
    expect(gradeStart(['meta_analysis']).reason).toBe(
      'the strongest supporting design is meta_analysis pooling designs not stated (a review starts low until synthesis_of says randomised), and observational evidence starts low (GRADE guidelines 3)',
    );
  });
});

describe('computeGradeLevel', () => {
  it('rates randomised evidence down -1 and -2 to very low, step by step', () => {
    const result = computeGradeLevel({
      supporting_designs: ['rct'],
      domains: {
        ...allFiveAssessed,
        risk_of_bias: { judgement: 'serious', rationale: 'Allocation not concealed.' },
        imprecision: { judgement: 'very_serious', rationale: '40 participants, CI from benefit to harm.' },
      },
    });
    expect(result.start).toMatchObject({ level: 'high', basis: 'randomised' });
    expect(result.steps.map((s) => [s.domain, s.change, s.level_after])).toEqual([
      ['risk_of_bias', -1, 'moderate'],
      ['inconsistency', 0, 'moderate'],
      ['indirectness', 0, 'moderate'],
      ['imprecision', -2, 'very_low'],
      ['publication_bias', 0, 'very_low'],
    ]);
    expect(result).toMatchObject({ level: 'very_low', certainty: 1, upper_bound: false });
    expect(result.unassessed).toEqual(['large_effect', 'dose_response', 'plausible_confounding']);
    expect(result.explanation).toBe(
      'Start high: the strongest supporting design is rct, and randomised evidence starts high (GRADE guidelines 3). ' +
        'Risk of bias: serious -1 → moderate. Inconsistency: not serious 0 → moderate. Indirectness: not serious 0 → moderate. ' +
        'Imprecision: very serious -2 → very low. Publication bias: not serious 0 → very low. Result: very low. ' +
        'Not assessed: large effect, dose-response gradient, plausible confounding.',
    );
  });

  it('never goes below very low, and says where it cut', () => {
    const result = computeGradeLevel({
      supporting_designs: ['cohort'],
      domains: { risk_of_bias: { judgement: 'very_serious', rationale: 'No adjustment for confounding.' } },
    });
    expect(result.steps[0]).toMatchObject({
      change: -2,
      level_after: 'very_low',
      note: 'cut at very low, the lowest level',
    });
    expect(result.level).toBe('very_low');
  });

  it('rates observational evidence up +2 for a very large effect and stops at high', () => {
    const result = computeGradeLevel({
      supporting_designs: ['cohort'],
      domains: {
        ...allFiveAssessed,
        large_effect: { judgement: 'very_large', rationale: 'RR 0.15 in every cohort.' },
        dose_response: { judgement: 'present', rationale: 'Risk falls with each dose band.' },
        plausible_confounding: { judgement: 'absent', rationale: null },
      },
    });
    expect(result.steps.slice(5).map((s) => [s.domain, s.change, s.level_after, s.note])).toEqual([
      ['large_effect', 2, 'high', null],
      ['dose_response', 1, 'high', 'cut at high, the highest level'],
      ['plausible_confounding', 0, 'high', null],
    ]);
    expect(result).toMatchObject({ level: 'high', certainty: 4, unassessed: [], upper_bound: false });
  });

  it('does not rate up while a rate-down domain is unassessed, and names it', () => {
    const result = computeGradeLevel({
      supporting_designs: ['cohort'],
      domains: {
        ...allFiveAssessed,
        publication_bias: null,
        large_effect: { judgement: 'large', rationale: 'OR 3.1.' },
      },
    });
    expect(result.level).toBe('low');
    expect(result.upper_bound).toBe(true);
    expect(result.steps.find((s) => s.domain === 'large_effect')).toMatchObject({
      change: 0,
      note: 'not counted: rating up needs every rate-down domain assessed, and publication bias is not',
    });
    expect(result.explanation).toContain(
      'Not assessed: publication bias, dose-response gradient, plausible confounding; low is the most the assessed domains allow.',
    );
  });

  it('does not rate up evidence already rated down', () => {
    const result = computeGradeLevel({
      supporting_designs: ['case_control'],
      domains: {
        ...allFiveAssessed,
        indirectness: { judgement: 'serious', rationale: 'Surrogate outcome.' },
        large_effect: { judgement: 'large', rationale: 'OR 2.8.' },
      },
    });
    expect(result.level).toBe('very_low');
    expect(result.steps.find((s) => s.domain === 'large_effect')?.note).toBe(
      'not counted: rating up is only for evidence with no reason to rate down (GRADE guidelines 9)',
    );
  });

  it('does not rate up randomised evidence or evidence GRADE does not start from', () => {
    const upgrade = { ...allFiveAssessed, dose_response: { judgement: 'present' as const, rationale: 'Gradient.' } };
    const trial = computeGradeLevel({ supporting_designs: ['rct'], domains: upgrade });
    expect(trial.level).toBe('high');
    expect(trial.steps.at(-1)?.note).toBe('not counted: randomised evidence already starts high');
    const review = computeGradeLevel({ supporting_designs: ['narrative_review'], domains: upgrade });
    expect(review.level).toBe('very_low');
    expect(review.steps.at(-1)?.note).toBe(
      'not counted: rating up applies to observational studies, not to evidence GRADE does not start from',
    );
  });

  it('treats a claim without domains as the start level, every domain unassessed', () => {
    const result = computeGradeLevel({ supporting_designs: ['cross_sectional'], domains: null });
    expect(result).toMatchObject({ level: 'low', steps: [], upper_bound: true });
    expect(result.unassessed).toHaveLength(8);
  });

  it("gives the seed's melanoma claim its cohort's start, low, and the level its domain judgements give", () => {
    const claim = seed.claims.find((c) => c.id === 'melanoma-microbiome-immunotherapy-response');
    const designs = claim?.studies
      .filter((s) => s.relation === 'supports')
      .map((s) => seed.studies.find((st) => st.pmid === s.pmid)?.design ?? null);
    expect(designs).toEqual(['cohort']);
    const result = computeGradeLevel({ supporting_designs: designs ?? [], domains: claim?.grade.domains ?? null });
    expect(result.start).toMatchObject({ level: 'low', basis: 'observational', design: 'cohort' });
    expect(result.level).toBe(claim?.grade.level);
  });
});

describe('checkGradeConsistency', () => {
  it('refuses GRADE moderate on a single narrative review and shows the arithmetic', () => {
    const computed = computeGradeLevel({ supporting_designs: ['narrative_review'], domains: null });
    const check = checkGradeConsistency({ scheme: 'GRADE', level: 'moderate' }, computed);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.violation.rule).toBe('grade.level_matches_domains');
    expect(check.violation.detail).toBe(
      "GRADE level 'moderate' does not follow from the evidence, which gives very low. Start very low: the strongest " +
        'supporting design is narrative_review, and narrative reviews, expert opinion, animal, in-vitro and unclassified ' +
        'studies are no body of evidence GRADE starts from, so they count as any other evidence, very low (GRADE Working ' +
        'Group, BMJ 2004). Result: very low. Not assessed: risk of bias, inconsistency, indirectness, imprecision, ' +
        'publication bias, large effect, dose-response gradient, plausible confounding; very low is the most the assessed ' +
        "domains allow. Set grade.level to 'very_low', change a domain judgement, or give grade.override_reason.",
    );
    expect(check.violation.extensions?.grade_arithmetic).toMatchObject({
      claimed_level: 'moderate',
      computed_level: 'very_low',
      start: { level: 'very_low', basis: 'not_rateable', design: 'narrative_review' },
      steps: [],
      upper_bound: true,
    });
  });

  it('refuses GRADE high when the only trial linked contradicts the claim', () => {
    const links = [{ design: 'rct' as const, relation: 'contradicts' }];
    const supporting = links.filter((l) => l.relation === 'supports').map((l) => l.design);
    const computed = computeGradeLevel({ supporting_designs: supporting, domains: allFiveAssessed });
    const check = checkGradeConsistency({ scheme: 'GRADE', level: 'high' }, computed);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.violation.detail).toMatch(
      /^GRADE level 'high' does not follow from the evidence, which gives very low\. Start very low: no study is linked as supporting the claim, and only supporting studies can start a level\./,
    );
  });

  it('accepts the level the domains give', () => {
    const computed = computeGradeLevel({ supporting_designs: ['rct'], domains: allFiveAssessed });
    expect(checkGradeConsistency({ scheme: 'GRADE', level: 'high' }, computed)).toEqual({
      ok: true,
      overridden: false,
    });
  });

  it('accepts a different level only with an override reason, and flags it', () => {
    const computed = computeGradeLevel({ supporting_designs: ['cohort'], domains: allFiveAssessed });
    expect(
      checkGradeConsistency(
        { scheme: 'GRADE', level: 'high', override_reason: '  ROBINS-I lets this cohort start high.  ' },
        computed,
      ),
    ).toEqual({
      ok: true,
      overridden: true,
      computed_level: 'low',
      override_reason: 'ROBINS-I lets this cohort start high.',
    });
    expect(checkGradeConsistency({ scheme: 'GRADE', level: 'high', override_reason: '   ' }, computed).ok).toBe(false);
  });

  it('leaves CIViC levels to CIViC', () => {
    const computed = computeGradeLevel({ supporting_designs: [], domains: null });
    expect(checkGradeConsistency({ scheme: 'civic', level: 'A' }, computed).ok).toBe(true);
  });
});

describe('checkGradeStart (claims without domains)', () => {
  it('refuses GRADE high when the only trial contradicts the claim', () => {
    expect(checkGradeStart({ scheme: 'GRADE', level: 'high', upgrade_rationale: null }, [])).toEqual({
      rule: 'grade.high_needs_rct_or_upgrade_rationale',
      detail:
        'GRADE high needs a supporting randomised trial, systematic review or meta-analysis, or an explicit grade.upgrade_rationale saying why observational evidence was rated up. Designs of the supporting studies: none.',
    });
  });

  it('refuses GRADE moderate on a single narrative review', () => {
    expect(checkGradeStart({ scheme: 'GRADE', level: 'moderate' }, ['narrative_review'])?.rule).toBe(
      'grade.moderate_needs_rct_or_upgrade_rationale',
    );
  });

  it('accepts moderate and high on a supporting trial or review, or with an upgrade rationale', () => {
    expect(checkGradeStart({ scheme: 'GRADE', level: 'high' }, ['rct'])).toBeNull();
    expect(checkGradeStart({ scheme: 'GRADE', level: 'moderate' }, ['meta_analysis', null])).toBeNull();
    expect(
      checkGradeStart({ scheme: 'GRADE', level: 'high', upgrade_rationale: 'Very large effect.' }, ['cohort']),
    ).toBeNull();
  });

  it('looks the designs up only for moderate and high', () => {
    let lookups = 0;
    const designs = () => {
      lookups++;
      return ['cohort'];
    };
    expect(checkGradeStart({ scheme: 'GRADE', level: 'low' }, designs)).toBeNull();
    expect(checkGradeStart({ scheme: 'civic', level: 'A' }, designs)).toBeNull();
    expect(lookups).toBe(0);
    expect(checkGradeStart({ scheme: 'GRADE', level: 'moderate' }, designs)?.detail).toContain(
      'Designs of the supporting studies: cohort.',
    );
    expect(lookups).toBe(1);
  });
});

describe('validateGradeDomains', () => {
  it('asks for the reason behind every judgement that moves the level', () => {
    expect(
      validateGradeDomains({
        risk_of_bias: { judgement: 'serious', rationale: '  ' },
        inconsistency: { judgement: 'not_serious', rationale: null },
        large_effect: { judgement: 'large', rationale: null },
        dose_response: { judgement: 'absent', rationale: null },
      }),
    ).toEqual([
      {
        path: 'risk_of_bias.rationale',
        rule: 'grade.domain_needs_rationale',
        message: "risk of bias 'serious' moves the level, so it needs a rationale saying why.",
      },
      {
        path: 'large_effect.rationale',
        rule: 'grade.domain_needs_rationale',
        message: "large effect 'large' moves the level, so it needs a rationale saying why.",
      },
    ]);
    expect(validateGradeDomains(null)).toEqual([]);
  });
});

describe('GradeDomainsInput and GradeAssessmentInput', () => {
  it('defaults every domain to unassessed and the assessment to no override', () => {
    expect(GradeDomainsInput.parse({})).toEqual({
      risk_of_bias: null,
      inconsistency: null,
      indirectness: null,
      imprecision: null,
      publication_bias: null,
      large_effect: null,
      dose_response: null,
      plausible_confounding: null,
    });
    expect(GradeAssessmentInput.parse({})).toEqual({ domains: null, synthesis_of: null, override_reason: null });
  });

  it('rejects a domain GRADE does not have and a judgement of the wrong domain', () => {
    const unknown = GradeDomainsInput.safeParse({ applicability: notSerious });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['applicability'] });
    const wrong = GradeDomainsInput.safeParse({ dose_response: { judgement: 'serious', rationale: 'x' } });
    expect(wrong.error?.issues[0]?.path).toEqual(['dose_response', 'judgement']);
  });
});

describe('gradeToFhirCertainty', () => {
  it('maps the level and each assessed domain to FHIR R5 certainty codes', () => {
    const computed = computeGradeLevel({
      supporting_designs: ['cohort'],
      domains: {
        risk_of_bias: { judgement: 'serious', rationale: 'Unadjusted.' },
        large_effect: { judgement: 'large', rationale: 'OR 3.' },
      },
    });
    const fhir = gradeToFhirCertainty(computed);
    expect(fhir.type.coding[0]).toEqual({ system: 'http://hl7.org/fhir/certainty-type', code: 'Overall' });
    expect(fhir.rating.coding[0]).toEqual({ system: 'http://hl7.org/fhir/certainty-rating', code: 'very-low' });
    expect(fhir.subcomponent.map((s) => [s.type.coding[0]?.code, s.rating.coding[0]?.code])).toEqual([
      ['RiskOfBias', 'serious-concern'],
      ['LargeEffect', 'no-change'],
    ]);
    expect(fhir.subcomponent[1]?.note).toEqual([
      { text: 'OR 3.' },
      { text: 'not counted: rating up is only for evidence with no reason to rate down (GRADE guidelines 9)' },
    ]);
  });
});
