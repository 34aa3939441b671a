// A topic's overall certainty is the lowest among its critical claims, and its bottom line may not claim more.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkBottomLine,
  overclaimingPhrases,
  type TopicClaimForCertainty,
  topicOverallCertainty,
} from '../src/evidence/topic-certainty.js';
import { seed } from './helpers.js';

const claim = (id: string, level: string, importance: TopicClaimForCertainty['importance'], extra = {}) => ({
  id,
  status: 'published',
  importance,
  grade: { scheme: 'GRADE', level },
  ...extra,
});

describe('topicOverallCertainty', () => {
  it('is the lowest certainty among the critical claims (GRADE guidelines 11)', () => {
    const result = topicOverallCertainty([
      claim('a', 'high', 'critical'),
      claim('b', 'low', 'critical'),
      claim('c', 'very_low', 'important'),
      claim('d', 'low', 'critical'),
    ]);
    expect(result).toEqual({
      level: 'low',
      certainty: 2,
      basis: 'critical_claims',
      determined_by: ['b', 'd'],
      considered: ['a', 'b', 'd'],
      excluded: [{ id: 'c', reason: 'rated important, not critical' }],
      explanation: 'Low: the lowest certainty among its 3 critical claim(s), from b, d (GRADE guidelines 11).',
    });
  });

  it('leaves out drafts, retracted claims and CIViC levels', () => {
    const result = topicOverallCertainty([
      claim('a', 'moderate', 'critical'),
      claim('b', 'very_low', 'critical', { status: 'draft' }),
      claim('c', 'very_low', 'critical', { status: 'retracted' }),
      { id: 'd', status: 'published', importance: 'critical', grade: { scheme: 'civic', level: 'E' } },
    ]);
    expect(result.level).toBe('moderate');
    expect(result.excluded).toEqual([
      { id: 'b', reason: 'status draft' },
      { id: 'c', reason: 'status retracted' },
      { id: 'd', reason: 'graded with civic, not GRADE' },
    ]);
  });

  it('takes the lowest of all claims when none is rated critical, which is never higher', () => {
    const topic = seed.topics[0]!;
    const claims = topic.claims.map((id) => {
      const c = seed.claims.find((sc) => sc.id === id)!;
      return { id, status: c.status, importance: null, grade: c.grade };
    });
    const result = topicOverallCertainty(claims);
    expect(result).toMatchObject({ level: 'very_low', certainty: 1, basis: 'all_claims' });
    expect(result.determined_by).toEqual(
      seed.claims
        .filter((c) => topic.claims.includes(c.id) && c.status === 'published' && c.grade.level === 'very_low')
        .map((c) => c.id),
    );
  });

  it('has no overall certainty without a published GRADE claim', () => {
    expect(topicOverallCertainty([])).toMatchObject({ level: null, certainty: null, basis: 'none', determined_by: [] });
  });
});

describe('checkBottomLine', () => {
  it("refuses the source document's 'clear evidence' and 'most well-supported' at very low certainty", () => {
    // The bottom line as the seed's source document words it (its second line).
    const bottomLine = readFileSync(new URL('fixtures/seed/gut-skin-axis.txt', import.meta.url), 'utf8').split(
      '\n',
    )[1]!;
    const violation = checkBottomLine(bottomLine, 'very_low');
    expect(violation?.rule).toBe('topic.bottom_line_within_certainty');
    expect(violation?.detail).toBe(
      "The bottom line claims more than an overall certainty of very low allows: 'clear evidence' (needs moderate), 'well-supported' (needs moderate). At this certainty GRADE's wording is \"the evidence is very uncertain about ...\" (GRADE guidelines 26).",
    );
    expect(violation?.extensions?.phrases).toEqual([
      { phrase: 'clear evidence', index: bottomLine.indexOf('clear evidence'), needs: 'moderate' },
      { phrase: 'well-supported', index: bottomLine.indexOf('well-supported'), needs: 'moderate' },
    ]);
  });

  it('accepts a bottom line worded for very low certainty', () => {
    expect(
      checkBottomLine(
        'A balanced gut flora may go with healthier skin, but the evidence is very uncertain: cause and effect have not been proven in humans, and there is no clear evidence that probiotics help.',
        'very_low',
      ),
    ).toBeNull();
  });

  it('keeps words of proof for high certainty and words of strength for moderate', () => {
    const text = 'Strong evidence shows it is clearly linked; the benefit is proven and well-established.';
    expect(overclaimingPhrases(text, 'low').map((p) => p.phrase)).toEqual([
      'Strong evidence',
      'clearly',
      'proven',
      'well-established',
    ]);
    expect(overclaimingPhrases(text, 'moderate').map((p) => p.phrase)).toEqual(['proven', 'well-established']);
    expect(overclaimingPhrases(text, 'high')).toEqual([]);
  });

  it('treats a topic without an overall certainty as very low', () => {
    expect(checkBottomLine('It is clear that fibre helps.', null)?.detail).toContain(
      "claims more than no overall certainty allows: 'It is clear' (needs moderate)",
    );
  });

  it.each([
    'Cause and effect have not yet been definitively proven in humans.',
    'There is no clear evidence for probiotics.',
    "It isn't proven.",
    'Studies without conclusive results.',
    'Probiotics may help in certain patient groups.',
    'Concrete advice is not yet available; clearer trials are needed.',
  ])('does not flag negated or harmless wording: %s', (text) => {
    expect(overclaimingPhrases(text, 'very_low')).toEqual([]);
  });

  it('does not let a negation in an earlier clause excuse a claim', () => {
    expect(overclaimingPhrases('It is not harmful, and it is proven to work.', 'low').map((p) => p.phrase)).toEqual([
      'proven',
    ]);
  });
});
