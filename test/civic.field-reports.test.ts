// The CIViC field reports (test/fixtures/field-reports/README.md, rows 12 and 13) imported end to end: the value
// each report asks for, as a reader of the API sees it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCivicText } from '../src/importers/civic/civic.import.js';
import { getJson, testApp } from './helpers.js';

const fieldReport = (name: string) =>
  readFileSync(new URL(`./fixtures/field-reports/${name}`, import.meta.url), 'utf8');

describe('12-civic-csv-quoted-statement: a statement with quotes, from the exporter in use since December 2024', () => {
  const FILE = fieldReport('12-civic-csv-quoted-statement.tsv');

  it('skips the row as the report has it, with the reason: it names PubMed but gives no citation id', async () => {
    const { app, db } = await testApp();
    const summary = await importCivicText(db, FILE, '12-civic-csv-quoted-statement.tsv');
    expect(summary).toMatchObject({ dialect: 'quoted', rows: 1, inserted: 0 });
    expect(summary.skipped).toEqual([
      { line: 2, evidence_id: '2062', reason: 'has no source: citation_id is empty (source_type PubMed)' },
    ]);
    expect((await getJson(app, '/v1/claims/civic-eid-2062')).status).toBe(404);
    await app.close();
  });

  it('serves the statement with exactly one leading quote once the row has a source (synthetic citation id)', async () => {
    const { app, db } = await testApp();
    // Synthetic variant: the same row with a placeholder PMID in citation_id, nothing else changed.
    const [header = '', row = ''] = FILE.trimEnd().split('\n');
    const cells = row.split('\t');
    cells[header.split('\t').indexOf('citation_id')] = '900002062';
    const summary = await importCivicText(db, `${header}\n${cells.join('\t')}\n`, 'synthetic-2062.tsv');
    expect(summary).toMatchObject({ dialect: 'quoted', inserted: 1, skipped: [] });
    const claim = (await getJson(app, '/v1/claims/civic-eid-2062')).body;
    expect(claim.statement.startsWith('"This preclinical study tested the efficacy')).toBe(true);
    expect(claim.statement.startsWith('""')).toBe(false);
    expect(claim.statement.endsWith('and it had an IC50 of 0.14uM.')).toBe(true);
    expect(claim.statement.endsWith('."')).toBe(false);
    expect(claim.studies.map((s: any) => s.key)).toEqual(['900002062']);
    await app.close();
  });
});

describe('13-civic-asco-source: an item whose only source is an ASCO meeting abstract', () => {
  it('is a published claim resting on the abstract, with its citation, web id and abstract number', async () => {
    const { app, db } = await testApp();
    const summary = await importCivicText(db, fieldReport('13-civic-asco-source.tsv'), '13-civic-asco-source.tsv');
    expect(summary).toMatchObject({ inserted: 1, skipped: [], created: { studies: 1 } });
    const claim = (await getJson(app, '/v1/claims/civic-eid-999001')).body;
    expect(claim.status).toBe('published');
    expect(claim.studies).toHaveLength(1);
    expect(claim.studies[0]).toMatchObject({
      key: 'asco:160900',
      pmid: null,
      source_type: 'asco',
      relation: 'supports',
      source_citation: { text: 'Tyler Stewart, 2018, ASCO Annual Meeting', source: 'CIViC' },
    });
    const study = (await getJson(app, '/v1/studies/asco:160900')).body;
    expect(study).toMatchObject({ source_id: '160900', abstract_number: '9056', source_type: 'asco' });
    expect(claim.plain_summary).toBe(
      'In Lung Non-small Cell Carcinoma, tumours with EGFR L858R responded to erlotinib; one clinical study (conference abstract), CIViC level B.',
    );
    await app.close();
  });
});
