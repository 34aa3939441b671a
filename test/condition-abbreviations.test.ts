// The curated abbreviations file: valid against its schema, every DOID a current term of the slim, DO not repeated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ConditionAbbreviationsError,
  parseConditionAbbreviations,
  readConditionAbbreviations,
} from '../src/importers/ontology/condition-abbreviations.js';
import { parseObo } from '../src/importers/ontology/obo.parse.js';

const slim = parseObo(readFileSync(new URL('./fixtures/ontology/DO_cancer_slim.obo', import.meta.url), 'utf8'));
const byId = new Map(slim.terms.map((t) => [t.id, t]));
const abbreviations = readConditionAbbreviations();
/** Upper-cased synonyms the slim already gives each term. */
const doSynonyms = (doid: string) => new Set(byId.get(doid)?.synonyms.map((s) => s.text.toUpperCase()));
const HEADER = 'abbreviation\tdoid\tname\tsource\tambiguous_because\n';

describe('seeds/condition-abbreviations.tsv', () => {
  it('maps every abbreviation to current slim terms under their DO names', () => {
    for (const entry of abbreviations)
      for (const c of entry.candidates) {
        const t = byId.get(c.doid);
        expect(t, `${entry.abbreviation} → ${c.doid}`).toBeDefined();
        expect(t?.is_obsolete).toBe(false);
        expect(c.name).toBe(t?.name);
      }
  });

  it('repeats no synonym the slim already has, unless only to flag it as ambiguous', () => {
    for (const entry of abbreviations.filter((e) => !e.ambiguous))
      for (const c of entry.candidates) expect(doSynonyms(c.doid).has(entry.abbreviation.toUpperCase())).toBe(false);
  });

  it('resolves each abbreviation the issue names, from this file or from DO itself', () => {
    const resolve = (abbreviation: string) => {
      const curated = abbreviations.find((e) => e.abbreviation === abbreviation);
      if (curated) return curated.candidates.map((c) => c.doid);
      return slim.terms
        .filter((t) => t.synonyms.some((s) => s.text === abbreviation && s.scope === 'EXACT'))
        .map((t) => t.id);
    };
    expect(
      Object.fromEntries(
        ['AML', 'CML', 'CLL', 'ALL', 'NSCLC', 'SCLC', 'CRC', 'HCC', 'RCC', 'GIST'].map((a) => [a, resolve(a)]),
      ),
    ).toEqual({
      AML: ['DOID:9119'],
      CML: ['DOID:8552'],
      CLL: ['DOID:1040'],
      ALL: ['DOID:9952'],
      NSCLC: ['DOID:3908'],
      SCLC: ['DOID:5409'],
      CRC: ['DOID:9256'],
      HCC: ['DOID:684'],
      RCC: ['DOID:4450'],
      GIST: ['DOID:9253'],
    });
  });

  it('flags MM with both candidates and ALL with its reason, so a lookup can answer with candidates', () => {
    expect(abbreviations.find((e) => e.abbreviation === 'MM')).toMatchObject({
      ambiguous: true,
      candidates: [
        { doid: 'DOID:9538', name: 'multiple myeloma' },
        { doid: 'DOID:1909', name: 'melanoma' },
      ],
    });
    expect(abbreviations.find((e) => e.abbreviation === 'ALL')).toMatchObject({
      ambiguous: true,
      reason: expect.stringContaining('ordinary word'),
    });
  });
});

describe('parseConditionAbbreviations', () => {
  it.each([
    ['XX\tDOID:1\tx\tSome source text\t\nXX\tDOID:2\ty\tSome source text\t\n', 'line 3: XX has several candidates'],
    ['XX\tdoid1\tx\tSome source text\t\n', 'line 2: doid:'],
    [
      'XX\tDOID:1\tx\tSome source text\t\nXX\tDOID:1\tx\tSome source text\tbecause\n',
      'line 3: XX → DOID:1 is listed twice',
    ],
    ['XX\tDOID:1\tx\n', 'line 2:'],
  ])('rejects %j', (rows, message) => {
    expect(() => parseConditionAbbreviations(`${HEADER}${rows}`)).toThrow(ConditionAbbreviationsError);
    expect(() => parseConditionAbbreviations(`${HEADER}${rows}`)).toThrow(message);
  });
});
