// Evidence summaries count supporting studies only; context and contradicting studies are counted apart; a published claim needs a supporting study.
import { describe, expect, it } from 'vitest';
import { checkPublishedClaimSupport } from '../src/evidence/rules.js';
import {
  type SummarisableLink,
  summariseEvidence,
  summariseSupportingEvidence,
  summariseTopicEvidence,
} from '../src/evidence/summary.js';
import { seed } from './helpers.js';

/** A seed claim's links with each study's design and size, as the API joins them. */
function seedLinks(claimId: string): SummarisableLink[] {
  const claim = seed.claims.find((c) => c.id === claimId);
  if (!claim) throw new Error(`no seed claim ${claimId}`);
  return claim.studies.map((link) => {
    const study = seed.studies.find((s) => s.pmid === link.pmid);
    return {
      key: link.pmid as string,
      relation: link.relation,
      design: study?.design ?? null,
      sample_size: study?.sample_size ?? null,
    };
  });
}

const link = (
  key: string,
  relation: SummarisableLink['relation'],
  design: SummarisableLink['design'],
  n: number | null,
) => ({ key, relation, design, sample_size: n }) as SummarisableLink;

describe('summariseSupportingEvidence', () => {
  it('no longer gives the overall skin claim the n and design of its context studies', () => {
    const links = seedLinks('gut-flora-skin-health-overall');
    // What the summary over every link said (issue 16): n from a healthy-adult survey, design from context links.
    expect(summariseEvidence(links)).toMatchObject({ total_participants: 354, strongest_design: 'cohort' });
    expect(summariseSupportingEvidence(links)).toEqual({
      study_count: 3,
      studies_by_design: [{ design: 'narrative_review', count: 3 }],
      total_participants: null,
      studies_with_unknown_sample_size: 3,
      strongest_design: 'narrative_review',
      has_rct: false,
      has_systematic_review: false,
      sample_size: null,
      contradicting_study_count: 0,
      contradicting_participants: null,
      context_study_count: 5,
    });
  });

  it("shows the melanoma claim's cohort, n=112", () => {
    expect(summariseSupportingEvidence(seedLinks('melanoma-microbiome-immunotherapy-response'))).toMatchObject({
      study_count: 1,
      strongest_design: 'cohort',
      total_participants: 112,
      sample_size: 112,
      context_study_count: 0,
    });
  });

  it('counts contradicting studies apart, with their participants, and a study linked twice once', () => {
    const summary = summariseSupportingEvidence([
      link('1', 'supports', 'cohort', 80),
      link('1', 'supports', 'cohort', 80),
      link('2', 'supports', 'cross_sectional', 300),
      link('3', 'contradicts', 'rct', 120),
      link('4', 'contradicts', 'rct', null),
      link('5', 'context', 'animal', null),
    ]);
    expect(summary).toMatchObject({
      study_count: 2,
      total_participants: 380,
      sample_size: 300,
      strongest_design: 'cohort',
      has_rct: false,
      contradicting_study_count: 2,
      contradicting_participants: 120,
      context_study_count: 1,
    });
  });
});

describe('summariseTopicEvidence', () => {
  it("counts a study as supporting the topic when it supports any of the topic's claims", () => {
    const summary = summariseTopicEvidence([
      { studies: [link('29097493', 'supports', 'cohort', 112)] },
      { studies: [link('29097493', 'context', 'cohort', 112), link('22699609', 'context', 'cross_sectional', 242)] },
    ]);
    expect(summary).toMatchObject({
      study_count: 1,
      sample_size: 112,
      total_participants: 112,
      context_study_count: 1,
    });
  });
});

describe('checkPublishedClaimSupport', () => {
  it('refuses a published claim that rests only on context studies', () => {
    expect(
      checkPublishedClaimSupport({
        status: 'published',
        studies: [{ relation: 'context' }, { relation: 'context' }],
      }),
    ).toEqual({
      rule: 'claim.needs_supporting_study',
      detail:
        'A published claim needs at least one study linked as supports; this one has only context studies. Link the study that supports it, or keep the claim as a draft.',
    });
    expect(
      checkPublishedClaimSupport({
        status: 'published',
        studies: [{ relation: 'contradicts' }, { relation: 'context' }],
      })?.detail,
    ).toContain('this one has only contradicts and context studies.');
  });

  it('accepts a claim with a supporting study, and a draft without one', () => {
    expect(
      checkPublishedClaimSupport({ status: 'published', studies: [{ relation: 'context' }, { relation: 'supports' }] }),
    ).toBeNull();
    expect(checkPublishedClaimSupport({ status: 'draft', studies: [{ relation: 'context' }] })).toBeNull();
  });
});
