// CIViC release parsing: both quoting dialects, header vintages, sources without a PMID, therapies, provenance fields.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  biomarkerName,
  detectCivicDialect,
  parseCivicTsv,
  parseTherapyName,
  readCivicTable,
} from '../src/importers/civic/civic.parse.js';

const fixture = (path: string) => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
const SAMPLE = fixture('civic/sample-ClinicalEvidenceSummaries.tsv');
const QUOTED = fixture('field-reports/12-civic-csv-quoted-statement.tsv');
const ASCO = fixture('field-reports/13-civic-asco-source.tsv');
const [HEADER = '', ...ROWS] = SAMPLE.trimEnd().split('\n');
const COLUMNS = HEADER.split('\t');
const rowById = (id: string) => ROWS.find((r) => r.split('\t')[COLUMNS.indexOf('evidence_id')] === id) as string;
const withCells = (row: string, values: Record<string, string>) => {
  const cells = row.split('\t');
  for (const [name, value] of Object.entries(values)) cells[COLUMNS.indexOf(name)] = value;
  return cells.join('\t');
};
const tsv = (rows: string[], header = HEADER) => `${[header, ...rows].join('\n')}\n`;

describe('the quoted dialect of releases since December 2024 (field report 12)', () => {
  it('is detected, and the statement keeps its one leading quote and loses the CSV quoting', () => {
    expect(detectCivicDialect(QUOTED)).toBe('quoted');
    const table = readCivicTable(QUOTED);
    const statement = table.records[0]?.cells[table.header.indexOf('evidence_statement')] as string;
    expect(statement.startsWith('"This preclinical study tested the efficacy')).toBe(true);
    expect(statement.endsWith('and it had an IC50 of 0.14uM.')).toBe(true);
    expect(statement).not.toMatch(/""/);
  });

  it('skips that row with the reason: it names PubMed as its source but gives no citation_id', () => {
    expect(parseCivicTsv(QUOTED)).toEqual({
      rows: [],
      skipped: [{ line: 2, evidence_id: '2062', reason: 'has no source: citation_id is empty (source_type PubMed)' }],
      dialect: 'quoted',
    });
  });

  it('reads the same row with a (synthetic) citation_id as PIK3CA E545K evidence with the unquoted statement', () => {
    const withPmid = QUOTED.replace('\t\tPubMed\t', '\t900000012\tPubMed\t');
    const [row] = parseCivicTsv(withPmid).rows;
    expect(row?.statement.slice(0, 22)).toBe('"This preclinical stud');
    expect(row?.statement.slice(-15)).toBe('IC50 of 0.14uM.');
    expect(row).toMatchObject({
      evidence_id: '2062',
      biomarker: 'PIK3CA E545K',
      doid: 'DOID:0060079',
      therapies: ['Pictilisib'],
      significance: 'Sensitivity/Response',
      variant_origin: 'somatic',
      is_flagged: false,
      source: { kind: 'pubmed', pmid: '900000012' },
    });
  });

  it('keeps the quotes as written when the file is read in the plain dialect on request (--dialect plain)', () => {
    const table = readCivicTable(QUOTED, { dialect: 'plain' });
    expect(table.dialect).toBe('plain');
    const statement = table.records[0]?.cells[table.header.indexOf('evidence_statement')] as string;
    expect(statement.startsWith('"""This preclinical')).toBe(true);
    expect(statement.endsWith('0.14uM."')).toBe(true);
  });

  it('reports a malformed quoted line and reads the lines around it', () => {
    const lines = QUOTED.trimEnd().split('\n');
    const good = (lines[1] as string).replace('\t\tPubMed\t', '\t900000012\tPubMed\t');
    const broken = good.replace('\t2062\t', '\t2063\t').replace('IC50 of 0.14uM."', 'IC50 of 0.14uM."x');
    const text = [lines[0], good, broken, good.replace('\t2062\t', '\t2064\t')].join('\n');
    const result = parseCivicTsv(text, { dialect: 'quoted' });
    expect(result.rows.map((r) => r.evidence_id)).toEqual(['2062', '2064']);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]).toMatchObject({ line: 3, evidence_id: null });
    expect(result.skipped[0]?.reason).toMatch(/^is not valid in the quoted dialect: Invalid Closing Quote/);
  });
});

describe('the plain dialect of 2018 releases', () => {
  it('keeps a quote inside a field as a literal character, even where a field starts and ends with one', () => {
    const literal = withCells(rowById('276'), { evidence_statement: 'Patients said "yes" to "re-challenge"' });
    const wrapped = withCells(rowById('34'), { evidence_statement: '"Quoted whole"' });
    const text = tsv([literal, wrapped]);
    expect(detectCivicDialect(text)).toBe('plain');
    const { rows } = parseCivicTsv(text);
    expect(rows.map((r) => r.statement)).toEqual(['Patients said "yes" to "re-challenge"', '"Quoted whole"']);
  });

  it('reads all 50 sample rows with their sources, provenance and normalised variant origin', () => {
    const { rows, skipped, dialect } = parseCivicTsv(SAMPLE);
    expect([rows.length, skipped, dialect]).toEqual([50, [], 'plain']);
    expect(rows.find((r) => r.evidence_id === '5934')).toMatchObject({
      biomarker: 'BRCA1 MUTATION',
      variant_origin: 'rare_germline',
      nct_ids: ['NCT01585805', 'NCT02184195'],
      last_review_date: '2018-07-06T14:36:50Z',
      therapy_interaction_type: null,
      is_flagged: null,
      source: {
        kind: 'pubmed',
        pmid: '29223478',
        citation: 'Lowery et al., 2018, Eur. J. Cancer',
        year: 2018,
        url: 'https://pubmed.ncbi.nlm.nih.gov/29223478/',
      },
      warnings: [],
    });
    const origins = new Set(rows.map((r) => r.variant_origin));
    expect(origins).toEqual(new Set(['somatic', 'rare_germline', 'common_germline', 'not_applicable', null]));
  });

  it('names a biomarker without doubling its gene ("ALK" + "ALK FUSIONS" → "ALK FUSIONS")', () => {
    const { rows } = parseCivicTsv(SAMPLE);
    const byId = (id: string) => rows.find((r) => r.evidence_id === id)?.biomarker;
    expect([byId('945'), byId('1194'), byId('1069'), byId('6100'), byId('276')]).toEqual([
      'ALK FUSIONS',
      'EML4-ALK E6;A20',
      'SS18-SSX1',
      'LMNA-NTRK1',
      'EGFR L858R',
    ]);
  });
});

describe('biomarkerName', () => {
  it.each([
    ['PDGFRB', 'PDGFRB FUSIONS', 'PDGFRB FUSIONS'],
    ['ALK', 'EML4-ALK  V1180L', 'EML4-ALK V1180L'],
    ['ALK', 'EML4::ALK Fusion', 'EML4::ALK Fusion'],
    ['ABL1', 'BCR-ABL', 'ABL1 BCR-ABL'],
    ['CDKN2A', 'p16 EXPRESSION', 'CDKN2A p16 EXPRESSION'],
    ['BRAF', 'V600E/K AMPLIFICATION', 'BRAF V600E/K AMPLIFICATION'],
    ['KIT', '', 'KIT'],
  ])('%s + %s → %s', (gene, variant, expected) => {
    expect(biomarkerName(gene, variant)).toBe(expected);
  });
});

describe('therapies', () => {
  it('splits a parenthesised alias into name + synonyms', () => {
    expect(parseTherapyName('Rapamycin (Sirolimus)')).toEqual({
      name: 'Rapamycin',
      synonyms: ['Sirolimus'],
      written: 'Rapamycin (Sirolimus)',
    });
    expect(parseTherapyName('BEZ235 (NVP-BEZ235, Dactolisib)')).toMatchObject({
      name: 'BEZ235',
      synonyms: ['NVP-BEZ235', 'Dactolisib'],
    });
    expect(parseTherapyName('All-trans Retinoic Acid')).toMatchObject({
      name: 'All-trans Retinoic Acid',
      synonyms: [],
    });
  });

  it('keeps how several therapies were given, from drug_interaction_type (2018-19) or therapy_interaction_type', () => {
    const header2019 = HEADER.replace('\tdrugs\t', '\tdrugs\tdrug_interaction_type\t');
    const row = rowById('1132').replace(/\tLapatinib,Capecitabine\t/, '\tLapatinib,Capecitabine\tCombination\t');
    const rows2019 = parseCivicTsv(tsv([row], header2019)).rows;
    expect(rows2019[0]).toMatchObject({
      therapies: ['Lapatinib', 'Capecitabine'],
      therapy_interaction_type: 'combination',
    });
    const later = ASCO.replace('\tErlotinib\t\t', '\tAfatinib,Rapamycin (Sirolimus)\tSubstitutes\t');
    expect(parseCivicTsv(later).rows[0]).toMatchObject({
      therapy_terms: [
        { name: 'Afatinib', synonyms: [] },
        { name: 'Rapamycin', synonyms: ['Sirolimus'] },
      ],
      therapy_interaction_type: 'substitutes',
    });
  });
});

describe('sources without a PMID (field report 13)', () => {
  it('reads an ASCO abstract as a source of its own kind, with web id, abstract number and citation', () => {
    const { rows, skipped } = parseCivicTsv(ASCO);
    expect(skipped).toEqual([]);
    expect(rows[0]?.source).toEqual({
      kind: 'asco',
      web_id: '160900',
      abstract_number: '9056',
      citation: 'Tyler Stewart, 2018, ASCO Annual Meeting',
      year: 2018,
      url: 'https://www.asco.org/abstracts-presentations/160900',
    });
    expect(rows[0]?.pmid).toBeNull();
    expect(rows[0]?.rating).toBe(3);
  });

  it('reads an ASH abstract by its DOI, keeps an unknown source type as "other", and skips a row with no source id', () => {
    const ash = ASCO.replace('\t160900\tASCO\t9056\t', '\t10.1182/blood-2018-99-112345\tASH\t\t');
    expect(parseCivicTsv(ash).rows[0]?.source).toMatchObject({
      kind: 'ash',
      doi: '10.1182/blood-2018-99-112345',
      url: 'https://doi.org/10.1182/blood-2018-99-112345',
    });
    const esmo = ASCO.replace('\t160900\tASCO\t', '\tLBA5\tESMO\t');
    expect(parseCivicTsv(esmo).rows[0]?.source).toMatchObject({
      kind: 'other',
      source_type: 'ESMO',
      citation_id: 'LBA5',
    });
    const none = ASCO.replace('\t160900\tASCO\t', '\t\tASCO\t');
    expect(parseCivicTsv(none).skipped).toEqual([
      { line: 2, evidence_id: '999001', reason: 'has no source: citation_id is empty (source_type ASCO)' },
    ]);
    const bad = ASCO.replace('\t160900\tASCO\t', '\tabc\tASCO\t');
    expect(parseCivicTsv(bad).skipped[0]?.reason).toBe('ASCO web id "abc" is not a number');
  });
});
