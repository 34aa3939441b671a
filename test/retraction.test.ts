// Where a retraction comes from and how notices merge (src/evidence/retraction.ts), and the claim caveat rule: pure.
import { describe, expect, it } from 'vitest';
import { mergeNotices, pubmedRetracts, retractionOf } from '../src/evidence/retraction.js';
import type { RelatedNotice } from '../src/evidence/study-record.js';
import { withRetractionCaveat } from '../src/resources/claims/claims.retractions.js';

const notice = (type: RelatedNotice['type'], pmid: string | null, ref_source: string | null = null): RelatedNotice => ({
  type,
  pmid,
  ref_source,
  note: null,
});
const RETRACTION_IN = notice('RetractionIn', '195582', 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8');

describe('retractionOf', () => {
  it('names the RetractionIn notice first, whatever else the record says', () => {
    expect(
      retractionOf({ publication_types: ['Retracted Publication'], notices: [RETRACTION_IN], retracted: true }),
    ).toEqual({
      source: 'retraction_in',
      notice_pmid: '195582',
      notice_citation: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8',
    });
  });

  it('reads a RetractedandRepublishedIn notice as a retraction too', () => {
    expect(retractionOf({ notices: [notice('RetractedandRepublishedIn', '31000002')] })?.notice_pmid).toBe('31000002');
  });

  it('falls back to the publication type (any case), then to the curator flag', () => {
    expect(retractionOf({ publication_types: ['Journal Article', 'retracted publication'] })).toEqual({
      source: 'publication_type',
      notice_pmid: null,
      notice_citation: null,
    });
    expect(retractionOf({ publication_types: ['Journal Article'], retracted: true })?.source).toBe('curator');
  });

  it('is null for an expression of concern, a partial retraction, an erratum or a retraction notice itself', () => {
    for (const type of ['ExpressionOfConcernIn', 'PartialRetractionIn', 'ErratumIn', 'RetractionOf'] as const) {
      expect(retractionOf({ publication_types: ['Journal Article'], notices: [notice(type, '1')] }), type).toBeNull();
      expect(pubmedRetracts({ notices: [notice(type, '1')] }), type).toBe(false);
    }
  });
});

describe('mergeNotices', () => {
  const erratum = notice('ErratumIn', '2');
  const comment = notice('CommentIn', '3');

  it("takes PubMed's new list when it gives one, and keeps the stored list when it gives none", () => {
    expect(mergeNotices([erratum], [comment])).toEqual([comment]);
    expect(mergeNotices([erratum], [])).toEqual([erratum]);
  });

  it('keeps a stored retraction notice the new list lacks, at the end', () => {
    expect(mergeNotices([RETRACTION_IN, erratum], [comment])).toEqual([comment, RETRACTION_IN]);
  });

  it('does not repeat a retraction notice the new list has (matched by PMID, or by RefSource without one)', () => {
    expect(mergeNotices([RETRACTION_IN], [comment, RETRACTION_IN])).toEqual([comment, RETRACTION_IN]);
    const old = notice('RetractionIn', null, 'J Tests. 1990;1:1');
    expect(mergeNotices([old], [old])).toEqual([old]);
  });
});

describe('withRetractionCaveat', () => {
  it('adds retracted_evidence at the end while a linked study is retracted, and removes it otherwise', () => {
    expect(withRetractionCaveat(['small_sample'], true)).toEqual(['small_sample', 'retracted_evidence']);
    expect(withRetractionCaveat(['retracted_evidence', 'small_sample'], true)).toEqual([
      'retracted_evidence',
      'small_sample',
    ]);
    expect(withRetractionCaveat(['retracted_evidence', 'small_sample'], false)).toEqual(['small_sample']);
  });
});
