// PICO on a claim: the shape a curator writes, outcome codes checked by their system, and what the list filters match.
import { describe, expect, it } from 'vitest';
import { describePico, matchesPicoFilters, PicoFilterQuery, PicoInput } from '../src/evidence/pico.js';

const melanoma = PicoInput.parse({
  population: { description: 'Melanoma patients receiving anti-PD-1 immunotherapy' },
  intervention: 'Higher gut microbiome alpha diversity and Ruminococcaceae abundance',
  comparator: 'Lower diversity (non-responders)',
  outcome: { description: 'Response to anti-PD-1 immunotherapy' },
});

describe('PicoInput', () => {
  it('leaves unknown what was not given', () => {
    expect(melanoma).toEqual({
      population: {
        description: 'Melanoma patients receiving anti-PD-1 immunotherapy',
        age_groups: [],
        sex: null,
        setting: null,
      },
      intervention: 'Higher gut microbiome alpha diversity and Ruminococcaceae abundance',
      comparator: 'Lower diversity (non-responders)',
      outcome: { description: 'Response to anti-PD-1 immunotherapy', code: null },
      timeframe: null,
    });
  });

  it.each([
    ['MeSH', 'D003876', true],
    ['MeSH', 'C000657245', true],
    ['MeSH', '3876', false],
    ['SNOMED CT', '24079001', true],
    ['SNOMED CT', 'D003876', false],
    ['LOINC', '8480-6', true],
    ['LOINC', '8480', false],
  ])('checks a %s outcome code %s (valid: %s)', (system, code, valid) => {
    const res = PicoInput.safeParse({
      population: { description: 'Adults with eczema' },
      intervention: 'Oral probiotics',
      outcome: { description: 'Eczema severity', code: { system, code } },
    });
    expect(res.success).toBe(valid);
    if (!valid) expect(res.error?.issues[0]?.path).toEqual(['outcome', 'code', 'code']);
  });

  it('rejects an age group MeSH does not have', () => {
    const res = PicoInput.safeParse({
      population: { description: 'Teenagers', age_groups: ['teen'] },
      intervention: 'x',
      outcome: { description: 'y' },
    });
    expect(res.error?.issues[0]?.path).toEqual(['population', 'age_groups', 0]);
  });
});

describe('matchesPicoFilters', () => {
  const eczema = PicoInput.parse({
    population: {
      description: 'Adults with eczema',
      age_groups: ['adult', 'middle_aged'],
      sex: 'any',
      setting: 'outpatient',
    },
    intervention: 'Oral probiotics',
    comparator: 'Placebo',
    outcome: { description: 'EASI score', code: { system: 'MeSH', code: 'D003876', display: 'Dermatitis, Atopic' } },
    timeframe: '12 weeks',
  });

  it('matches what the population states, with sex any matching either sex', () => {
    const filters = PicoFilterQuery.parse({
      age_group: 'adult',
      sex: 'female',
      setting: 'outpatient',
      outcome_code: 'MeSH:D003876',
    });
    expect(matchesPicoFilters(eczema, filters)).toBe(true);
    expect(matchesPicoFilters(eczema, { age_group: 'child' })).toBe(false);
    expect(matchesPicoFilters(eczema, { outcome_code: 'MeSH:D011565' })).toBe(false);
  });

  it('never matches an unstated value or a claim without PICO', () => {
    expect(matchesPicoFilters(melanoma, { age_group: 'adult' })).toBe(false);
    expect(matchesPicoFilters(melanoma, { sex: 'male' })).toBe(false);
    expect(matchesPicoFilters(null, { setting: 'inpatient' })).toBe(false);
    expect(matchesPicoFilters(null, {})).toBe(true);
  });

  it('rejects an outcome code filter without its system', () => {
    expect(PicoFilterQuery.safeParse({ outcome_code: 'D003876' }).error?.issues[0]?.message).toBe(
      'must be `<system>:<code>`, e.g. `MeSH:D003876`',
    );
  });

  it('describes the PICO on one line', () => {
    expect(describePico(eczema)).toBe(
      'P: Adults with eczema; I: Oral probiotics; C: Placebo; O: EASI score (MeSH D003876); T: 12 weeks',
    );
  });
});
