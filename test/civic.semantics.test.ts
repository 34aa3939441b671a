// CIViC semantics: every cell of the mapping table, negations kept apart, agreement between items, summaries, order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIRECTION_DEFINITIONS, DIRECTIONS } from '../src/evidence/vocabulary.js';
import { type CivicEvidence, parseCivicTsv } from '../src/importers/civic/civic.parse.js';
import {
  CIVIC_MAPPING,
  CIVIC_NEW_DIRECTION_DEFINITIONS,
  CIVIC_NEW_DIRECTIONS,
  civicConcordance,
  civicMappingMarkdown,
  civicMeaning,
  civicPlainSummary,
  compareWithinCertainty,
  type WithinCertaintyFields,
  withinCertaintySortKey,
} from '../src/importers/civic/civic.semantics.js';

const SAMPLE = readFileSync(new URL('./fixtures/civic/sample-ClinicalEvidenceSummaries.tsv', import.meta.url), 'utf8');
const [HEADER = '', ...ROWS] = SAMPLE.trimEnd().split('\n');
const COLUMNS = HEADER.split('\t');
const template = ROWS.find((r) => r.split('\t')[COLUMNS.indexOf('evidence_id')] === '276') as string;
/** A row in the October 2018 format with the given cells; the rest comes from sample EID 276. */
const row2018 = (values: Record<string, string>) => {
  const cells = template.split('\t');
  for (const [name, value] of Object.entries(values)) cells[COLUMNS.indexOf(name)] = value;
  return cells.join('\t');
};
const parseRows = (rows: string[]) => parseCivicTsv(`${[HEADER, ...rows].join('\n')}\n`).rows;

// Synthetic rows, built from the description of CIViC EIDs 124 and 36 (NRAS Q61 + cetuximab in colorectal
// cancer, level B, resistance); statements and PMID are placeholders.
const NRAS = {
  gene: 'NRAS',
  variant: 'Q61',
  disease: 'Colorectal Cancer',
  doid: '9256',
  drugs: 'Cetuximab',
  evidence_type: 'Predictive',
  evidence_level: 'B',
  clinical_significance: 'Resistance',
  pubmed_id: '900000124',
  variant_origin: 'Somatic Mutation',
};
const EID_124 = row2018({
  ...NRAS,
  evidence_id: '124',
  evidence_direction: 'Does Not Support',
  evidence_statement: 'Synthetic statement (EID 124).',
});
const EID_36 = row2018({
  ...NRAS,
  evidence_id: '36',
  evidence_direction: 'Supports',
  evidence_statement: 'Synthetic statement (EID 36).',
});

/** Every cell of CIVIC_MAPPING: type, significance, evidence direction as written → direction and summary. */
const CELLS: [string, string, string, string, string][] = [
  [
    'Predictive',
    'Sensitivity/Response',
    'Supports',
    'benefit',
    'In lung adenocarcinoma, tumours with EGFR L858R responded to erlotinib',
  ],
  [
    'Predictive',
    'Sensitivity/Response',
    'Does Not Support',
    'no_effect',
    'In lung adenocarcinoma, tumours with EGFR L858R were not shown to respond to erlotinib',
  ],
  [
    'Predictive',
    'Sensitivity/Response',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predictive evidence (Sensitivity/Response) about tumours with EGFR L858R and erlotinib without saying whether the study supports it',
  ],
  [
    'Predictive',
    'Resistance',
    'Supports',
    'resistance',
    'In lung adenocarcinoma, tumours with EGFR L858R showed resistance to erlotinib',
  ],
  [
    'Predictive',
    'Resistance',
    'Does Not Support',
    'no_resistance',
    'In lung adenocarcinoma, tumours with EGFR L858R did not show resistance to erlotinib',
  ],
  [
    'Predictive',
    'Resistance',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predictive evidence (Resistance) about tumours with EGFR L858R and erlotinib without saying whether the study supports it',
  ],
  [
    'Predictive',
    'Reduced Sensitivity',
    'Supports',
    'reduced_benefit',
    'In lung adenocarcinoma, tumours with EGFR L858R showed a reduced response to erlotinib',
  ],
  [
    'Predictive',
    'Reduced Sensitivity',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, tumours with EGFR L858R did not show a reduced response to erlotinib',
  ],
  [
    'Predictive',
    'Reduced Sensitivity',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predictive evidence (Reduced Sensitivity) about tumours with EGFR L858R and erlotinib without saying whether the study supports it',
  ],
  [
    'Predictive',
    'Adverse Response',
    'Supports',
    'harm',
    'In lung adenocarcinoma, tumours with EGFR L858R had an adverse response to erlotinib',
  ],
  [
    'Predictive',
    'Adverse Response',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, tumours with EGFR L858R did not show an adverse response to erlotinib',
  ],
  [
    'Predictive',
    'Adverse Response',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predictive evidence (Adverse Response) about tumours with EGFR L858R and erlotinib without saying whether the study supports it',
  ],
  [
    'Predictive',
    'N/A',
    'Supports',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to inform response to erlotinib',
  ],
  [
    'Predictive',
    'N/A',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to affect response to erlotinib',
  ],
  [
    'Predictive',
    'N/A',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predictive evidence (N/A) about tumours with EGFR L858R and erlotinib without saying whether the study supports it',
  ],
  [
    'Diagnostic',
    'Positive',
    'Supports',
    'association',
    'EGFR L858R was associated with a diagnosis of lung adenocarcinoma',
  ],
  [
    'Diagnostic',
    'Positive',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to be associated with a diagnosis of lung adenocarcinoma',
  ],
  [
    'Diagnostic',
    'Positive',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records diagnostic evidence (Positive) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Diagnostic',
    'Negative',
    'Supports',
    'inverse_association',
    'EGFR L858R was associated with the absence of lung adenocarcinoma',
  ],
  [
    'Diagnostic',
    'Negative',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to be associated with the absence of lung adenocarcinoma',
  ],
  [
    'Diagnostic',
    'Negative',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records diagnostic evidence (Negative) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Prognostic',
    'Better Outcome',
    'Supports',
    'better_outcome',
    'In lung adenocarcinoma, EGFR L858R was associated with a better outcome',
  ],
  [
    'Prognostic',
    'Better Outcome',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to be associated with a better outcome',
  ],
  [
    'Prognostic',
    'Better Outcome',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records prognostic evidence (Better Outcome) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Prognostic',
    'Poor Outcome',
    'Supports',
    'poor_outcome',
    'In lung adenocarcinoma, EGFR L858R was associated with a poorer outcome',
  ],
  [
    'Prognostic',
    'Poor Outcome',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to be associated with a poorer outcome',
  ],
  [
    'Prognostic',
    'Poor Outcome',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records prognostic evidence (Poor Outcome) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Prognostic',
    'N/A',
    'Supports',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to affect outcome',
  ],
  [
    'Prognostic',
    'N/A',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to be associated with outcome',
  ],
  [
    'Prognostic',
    'N/A',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records prognostic evidence (N/A) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Prognostic',
    'Positive',
    'Supports',
    'unclear',
    'In lung adenocarcinoma, EGFR L858R has a prognostic significance recorded as "Positive", which CIViC does not define for prognostic evidence',
  ],
  [
    'Prognostic',
    'Positive',
    'Does Not Support',
    'unclear',
    'In lung adenocarcinoma, EGFR L858R has a prognostic significance recorded as "Positive", which CIViC does not define for prognostic evidence, and the study does not support it',
  ],
  [
    'Prognostic',
    'Positive',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records prognostic evidence (Positive) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Prognostic',
    'Negative',
    'Supports',
    'unclear',
    'In lung adenocarcinoma, EGFR L858R has a prognostic significance recorded as "Negative", which CIViC does not define for prognostic evidence',
  ],
  [
    'Prognostic',
    'Negative',
    'Does Not Support',
    'unclear',
    'In lung adenocarcinoma, EGFR L858R has a prognostic significance recorded as "Negative", which CIViC does not define for prognostic evidence, and the study does not support it',
  ],
  [
    'Prognostic',
    'Negative',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records prognostic evidence (Negative) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Predisposing',
    'Predisposition',
    'Supports',
    'association',
    'EGFR L858R was associated with a predisposition to lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Predisposition',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to predispose to lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Predisposition',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Predisposition) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Predisposing',
    'Protectiveness',
    'Supports',
    'inverse_association',
    'EGFR L858R was associated with protection against lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Protectiveness',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to protect against lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Protectiveness',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Protectiveness) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Predisposing',
    'Pathogenic',
    'Supports',
    'association',
    'EGFR L858R was reported as pathogenic for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Pathogenic',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to be pathogenic for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Pathogenic',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Pathogenic) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Predisposing',
    'Likely Pathogenic',
    'Supports',
    'association',
    'EGFR L858R was reported as likely pathogenic for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Likely Pathogenic',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to be likely pathogenic for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Likely Pathogenic',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Likely Pathogenic) about EGFR L858R without saying whether the study supports it',
  ],
  ['Predisposing', 'Benign', 'Supports', 'not_associated', 'EGFR L858R was reported as benign for lung adenocarcinoma'],
  [
    'Predisposing',
    'Benign',
    'Does Not Support',
    'unclear',
    'EGFR L858R was not shown to be benign for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Benign',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Benign) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Predisposing',
    'Likely Benign',
    'Supports',
    'not_associated',
    'EGFR L858R was reported as likely benign for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Likely Benign',
    'Does Not Support',
    'unclear',
    'EGFR L858R was not shown to be likely benign for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Likely Benign',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Likely Benign) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Predisposing',
    'Uncertain Significance',
    'Supports',
    'unclear',
    'EGFR L858R was of uncertain significance for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Uncertain Significance',
    'Does Not Support',
    'unclear',
    'EGFR L858R was not shown to be of uncertain significance for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Uncertain Significance',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Uncertain Significance) about EGFR L858R without saying whether the study supports it',
  ],
  ['Predisposing', 'Positive', 'Supports', 'association', 'EGFR L858R was associated with lung adenocarcinoma'],
  [
    'Predisposing',
    'Positive',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to be associated with lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'Positive',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (Positive) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Predisposing',
    'N/A',
    'Supports',
    'unclear',
    'EGFR L858R has no stated predisposing significance for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'N/A',
    'Does Not Support',
    'unclear',
    'EGFR L858R has no stated predisposing significance for lung adenocarcinoma',
  ],
  [
    'Predisposing',
    'N/A',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records predisposing evidence (N/A) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Oncogenic',
    'Oncogenicity',
    'Supports',
    'association',
    'In lung adenocarcinoma, EGFR L858R showed oncogenic potential',
  ],
  [
    'Oncogenic',
    'Oncogenicity',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to have oncogenic potential',
  ],
  [
    'Oncogenic',
    'Oncogenicity',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records oncogenic evidence (Oncogenicity) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Oncogenic',
    'Likely Oncogenic',
    'Supports',
    'association',
    'In lung adenocarcinoma, EGFR L858R was reported as likely oncogenic',
  ],
  [
    'Oncogenic',
    'Likely Oncogenic',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to be likely oncogenic',
  ],
  [
    'Oncogenic',
    'Likely Oncogenic',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records oncogenic evidence (Likely Oncogenic) about EGFR L858R without saying whether the study supports it',
  ],
  ['Oncogenic', 'Oncogenic', 'Supports', 'association', 'In lung adenocarcinoma, EGFR L858R was reported as oncogenic'],
  [
    'Oncogenic',
    'Oncogenic',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to be oncogenic',
  ],
  [
    'Oncogenic',
    'Oncogenic',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records oncogenic evidence (Oncogenic) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Oncogenic',
    'Protectiveness',
    'Supports',
    'inverse_association',
    'In lung adenocarcinoma, EGFR L858R showed a protective role against the cancer',
  ],
  [
    'Oncogenic',
    'Protectiveness',
    'Does Not Support',
    'not_associated',
    'In lung adenocarcinoma, EGFR L858R was not shown to have a protective role against the cancer',
  ],
  [
    'Oncogenic',
    'Protectiveness',
    '',
    'unclear',
    'In lung adenocarcinoma, CIViC records oncogenic evidence (Protectiveness) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Functional',
    'Gain of Function',
    'Supports',
    'association',
    'EGFR L858R increased the normal function of the gene product',
  ],
  [
    'Functional',
    'Gain of Function',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to increase the normal function of the gene product',
  ],
  [
    'Functional',
    'Gain of Function',
    '',
    'unclear',
    'CIViC records functional evidence (Gain of Function) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Functional',
    'Loss of Function',
    'Supports',
    'association',
    'EGFR L858R diminished or abolished the function of the gene product',
  ],
  [
    'Functional',
    'Loss of Function',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to diminish the function of the gene product',
  ],
  [
    'Functional',
    'Loss of Function',
    '',
    'unclear',
    'CIViC records functional evidence (Loss of Function) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Functional',
    'Unaltered Function',
    'Supports',
    'no_effect',
    'EGFR L858R left the function of the gene product unchanged',
  ],
  [
    'Functional',
    'Unaltered Function',
    'Does Not Support',
    'unclear',
    'EGFR L858R was not shown to leave the function of the gene product unchanged',
  ],
  [
    'Functional',
    'Unaltered Function',
    '',
    'unclear',
    'CIViC records functional evidence (Unaltered Function) about EGFR L858R without saying whether the study supports it',
  ],
  ['Functional', 'Neomorphic', 'Supports', 'association', 'EGFR L858R gave the gene product a new function'],
  [
    'Functional',
    'Neomorphic',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to give the gene product a new function',
  ],
  [
    'Functional',
    'Neomorphic',
    '',
    'unclear',
    'CIViC records functional evidence (Neomorphic) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Functional',
    'Dominant Negative',
    'Supports',
    'association',
    'EGFR L858R blocked the function of the normal (wild-type) gene product',
  ],
  [
    'Functional',
    'Dominant Negative',
    'Does Not Support',
    'not_associated',
    'EGFR L858R was not shown to block the function of the normal (wild-type) gene product',
  ],
  [
    'Functional',
    'Dominant Negative',
    '',
    'unclear',
    'CIViC records functional evidence (Dominant Negative) about EGFR L858R without saying whether the study supports it',
  ],
  [
    'Functional',
    'Unknown',
    'Supports',
    'unclear',
    "EGFR L858R changed the function of the gene product in a way CIViC's categories do not describe",
  ],
  [
    'Functional',
    'Unknown',
    'Does Not Support',
    'unclear',
    'An effect of EGFR L858R on the function of the gene product was not supported',
  ],
  [
    'Functional',
    'Unknown',
    '',
    'unclear',
    'CIViC records functional evidence (Unknown) about EGFR L858R without saying whether the study supports it',
  ],
];

const ITEM: Pick<
  CivicEvidence,
  'evidence_level' | 'biomarker' | 'disease' | 'therapy_terms' | 'therapy_interaction_type' | 'variant_origin'
> = {
  evidence_level: 'B',
  biomarker: 'EGFR L858R',
  disease: 'lung adenocarcinoma',
  therapy_terms: [{ name: 'Erlotinib', synonyms: [], written: 'Erlotinib' }],
  therapy_interaction_type: null,
  variant_origin: 'somatic',
};

describe('the CIViC mapping table', () => {
  it.each(CELLS)('%s / %s / "%s" → %s', (type, significance, direction, expected, summary) => {
    const item = { ...ITEM, evidence_type: type, significance, evidence_direction: direction };
    expect(civicMeaning(item)).toMatchObject({ direction: expected, relation: 'supports', known: true });
    expect(civicPlainSummary(item)).toBe(`${summary}; one clinical study, CIViC level B.`);
  });

  it('has exactly the cells this test lists, three evidence directions for each type × significance', () => {
    const key = (t: string, s: string, d: string) => `${t.toLowerCase()}|${s}|${d}`;
    const names: Record<string, string> = { supports: 'Supports', does_not_support: 'Does Not Support', unstated: '' };
    expect(
      CIVIC_MAPPING.map((c) => key(c.evidence_type, c.significance, names[c.evidence_direction] as string)),
    ).toEqual(CELLS.map(([t, s, d]) => key(t, s, d)));
    expect(CIVIC_MAPPING).toHaveLength(93);
  });

  it('never serves "Does Not Support X" like "Supports X": the directions differ wherever X has a sign', () => {
    for (const supported of CIVIC_MAPPING.filter(
      (c) => c.evidence_direction === 'supports' && c.stance.some((s) => s.holds),
    )) {
      const denied = CIVIC_MAPPING.find(
        (c) =>
          c.evidence_type === supported.evidence_type &&
          c.significance === supported.significance &&
          c.evidence_direction === 'does_not_support',
      );
      expect(denied?.direction, `${supported.evidence_type} ${supported.significance}`).not.toBe(supported.direction);
    }
  });

  it('reads the names of earlier releases ("Sensitivity", "Resistance or Non-Response", "Other") as the current ones', () => {
    const meaning = (evidence_type: string, significance: string) =>
      civicMeaning({ evidence_type, significance, evidence_direction: 'Supports' });
    expect(meaning('Predictive', 'Sensitivity')).toMatchObject({
      significance: 'Sensitivity/Response',
      direction: 'benefit',
    });
    expect(meaning('Predictive', 'Resistance or Non-Response')).toMatchObject({
      significance: 'Resistance',
      direction: 'resistance',
    });
    expect(meaning('Functional', 'Other')).toMatchObject({ significance: 'Unknown', direction: 'unclear' });
    expect(meaning('Prognostic', 'N / A')).toMatchObject({ significance: 'N/A', direction: 'not_associated' });
  });

  it('answers unclear, not a guess, for a combination outside the table (a predictive item with no significance)', () => {
    const item = { ...ITEM, evidence_type: 'Predictive', significance: '', evidence_direction: 'Supports' };
    expect(civicMeaning(item)).toMatchObject({ direction: 'unclear', relation: 'supports', known: false, stance: [] });
    expect(civicPlainSummary(item)).toBe(
      'In lung adenocarcinoma, CIViC records predictive evidence with no significance about EGFR L858R and erlotinib, which this service does not interpret; one clinical study, CIViC level B.',
    );
  });

  it('adds its directions to the vocabulary after the original six, each with its definition', () => {
    expect(DIRECTIONS.slice(0, 6)).toEqual(['benefit', 'harm', 'no_effect', 'association', 'mixed', 'unclear']);
    expect(DIRECTIONS.slice(6)).toEqual([...CIVIC_NEW_DIRECTIONS]);
    expect(CIVIC_NEW_DIRECTION_DEFINITIONS.no_resistance).toBe(
      'The study did not support resistance to the therapy in biomarker carriers (Does Not Support Resistance).',
    );
    expect(Object.keys(DIRECTION_DEFINITIONS)).toEqual([...DIRECTIONS]);
  });

  it('is the table printed in src/importers/civic/README.md', () => {
    const readme = readFileSync(new URL('../src/importers/civic/README.md', import.meta.url), 'utf8');
    const printed = readme.split('<!-- mapping:start -->\n')[1]?.split('\n<!-- mapping:end -->')[0];
    expect(printed).toBe(civicMappingMarkdown());
  });
});

describe('EID 124 (Does Not Support Resistance) and EID 36 (Supports Resistance), synthetic 2018 rows', () => {
  const [r124, r36] = parseRows([EID_124, EID_36]) as [CivicEvidence, CivicEvidence];

  it('map to different directions, both resting on their own study as "supports"', () => {
    expect(civicMeaning(r124)).toMatchObject({ direction: 'no_resistance', relation: 'supports' });
    expect(civicMeaning(r36)).toMatchObject({ direction: 'resistance', relation: 'supports' });
  });

  it('read differently to a person', () => {
    expect(civicPlainSummary(r124, { disease: 'colorectal cancer' })).toBe(
      'In colorectal cancer, tumours with NRAS Q61 did not show resistance to cetuximab; one clinical study, CIViC level B.',
    );
    expect(civicPlainSummary(r36, { disease: 'colorectal cancer' })).toBe(
      'In colorectal cancer, tumours with NRAS Q61 showed resistance to cetuximab; one clinical study, CIViC level B.',
    );
  });

  it('disagree with each other', () => {
    const links = civicConcordance([r124, r36]);
    expect(links.get('124')).toEqual({ agrees: [], disagrees: ['36'] });
    expect(links.get('36')).toEqual({ agrees: [], disagrees: ['124'] });
  });
});

describe('civicConcordance', () => {
  const item = (id: string, values: Record<string, string>) =>
    row2018({ ...NRAS, evidence_id: id, evidence_direction: 'Supports', ...values });

  it('links contrary significances, same-side items, and nothing across diseases, therapies or unclear items', () => {
    const rows = parseRows([
      item('1', { clinical_significance: 'Sensitivity/Response' }),
      item('2', { clinical_significance: 'Resistance' }),
      item('3', { clinical_significance: 'Resistance' }),
      item('4', { clinical_significance: 'Resistance', evidence_direction: 'Does Not Support' }),
      item('5', { clinical_significance: 'Sensitivity/Response', evidence_direction: 'Does Not Support' }),
      item('6', { clinical_significance: 'Resistance', doid: '1909', disease: 'Melanoma' }),
      item('7', { clinical_significance: 'Resistance', drugs: 'Panitumumab' }),
      item('8', { clinical_significance: 'Resistance', evidence_direction: '' }),
      item('9', { clinical_significance: 'Adverse Response' }),
    ]);
    const links = civicConcordance(rows);
    expect(Object.fromEntries(links)).toEqual({
      '1': { agrees: [], disagrees: ['2', '3', '5'] },
      '2': { agrees: ['3'], disagrees: ['1', '4'] },
      '3': { agrees: ['2'], disagrees: ['1', '4'] },
      '4': { agrees: [], disagrees: ['2', '3'] },
      '5': { agrees: [], disagrees: ['1'] },
      '6': { agrees: [], disagrees: [] },
      '7': { agrees: [], disagrees: [] },
      '8': { agrees: [], disagrees: [] },
      '9': { agrees: [], disagrees: [] },
    });
  });

  it('keeps prognostic signs apart: poor vs better outcome disagree, N/A (no impact) disagrees with both', () => {
    const prognostic = { evidence_type: 'Prognostic', drugs: '' };
    const rows = parseRows([
      item('1', { ...prognostic, clinical_significance: 'Poor Outcome' }),
      item('2', { ...prognostic, clinical_significance: 'Better Outcome' }),
      item('3', { ...prognostic, clinical_significance: 'N/A' }),
      item('4', { ...prognostic, clinical_significance: 'Poor Outcome', evidence_direction: 'Does Not Support' }),
    ]);
    const links = civicConcordance(rows);
    expect(links.get('1')).toEqual({ agrees: [], disagrees: ['2', '3', '4'] });
    expect(links.get('3')).toEqual({ agrees: ['4'], disagrees: ['1', '2'] });
  });
});

describe('civicPlainSummary', () => {
  const predictive = {
    ...ITEM,
    evidence_type: 'Predictive',
    significance: 'Sensitivity/Response',
    evidence_direction: 'Supports',
  };
  const terms = ['Afatinib', 'Rapamycin (Sirolimus)'].map((written) => ({
    name: written.split(' (')[0] as string,
    synonyms: [],
    written,
  }));

  it('says how several therapies were given, and that it is not recorded when the release has no column for it', () => {
    const phrase = (therapy_interaction_type: 'combination' | 'sequential' | 'substitutes' | null) =>
      civicPlainSummary({ ...predictive, therapy_terms: terms, therapy_interaction_type });
    expect(phrase('combination')).toContain('responded to the combination of afatinib and rapamycin;');
    expect(phrase('sequential')).toContain('responded to afatinib and rapamycin given in sequence;');
    expect(phrase('substitutes')).toContain('responded to afatinib or rapamycin;');
    expect(phrase(null)).toContain(
      'responded to afatinib and rapamycin (how they were given together is not recorded);',
    );
  });

  it('names people carrying a germline variant, an abstract as a conference abstract, and a missing disease as missing', () => {
    expect(
      civicPlainSummary({
        ...predictive,
        variant_origin: 'rare_germline',
        disease: null,
        source: {
          kind: 'asco',
          web_id: '160900',
          abstract_number: '9056',
          citation: null,
          year: 2018,
          url: 'https://www.asco.org/abstracts-presentations/160900',
        },
      }),
    ).toBe(
      'People carrying EGFR L858R responded to erlotinib; one clinical study (conference abstract), CIViC level B.',
    );
    expect(civicPlainSummary({ ...predictive, variant_origin: null, evidence_level: 'D' })).toBe(
      'In lung adenocarcinoma, cases with EGFR L858R responded to erlotinib; one preclinical study, CIViC level D.',
    );
  });
});

describe('order within one certainty level', () => {
  const claim = (id: string, fields: Partial<WithinCertaintyFields>): WithinCertaintyFields => ({
    id,
    rating: null,
    strongest_design: null,
    sample_size: null,
    published: null,
    ...fields,
  });
  const claims = [
    claim('a', { rating: 3, strongest_design: 'rct', sample_size: 50, published: '2012' }),
    claim('b', { rating: 5 }),
    claim('c', { rating: 3, strongest_design: 'meta_analysis' }),
    claim('d', { rating: 3, strongest_design: 'rct', sample_size: 400, published: '2010' }),
    claim('e', { rating: 3, strongest_design: 'rct', sample_size: 50, published: '2012-05' }),
    claim('f', {}),
    claim('g', { rating: 3, strongest_design: 'rct', sample_size: 50 }),
  ];

  it('is CIViC rating, then strongest design, then sample size, then recency, unknowns last', () => {
    expect([...claims].sort(compareWithinCertainty).map((c) => c.id)).toEqual(['b', 'c', 'd', 'e', 'a', 'g', 'f']);
  });

  it('is the same order as the sort key for a stored column', () => {
    const byKey = [...claims].sort((x, y) => (withinCertaintySortKey(x) < withinCertaintySortKey(y) ? -1 : 1));
    expect(byKey.map((c) => c.id)).toEqual(['b', 'c', 'd', 'e', 'a', 'g', 'f']);
  });
});
