// CIViC import against hostile rows: the write API's field limits, ids, links, duplicate columns and extra fields.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCivicText } from '../src/importers/civic/civic.import.js';
import { getJson, testApp } from './helpers.js';

const SAMPLE = readFileSync(new URL('./fixtures/civic/sample-ClinicalEvidenceSummaries.tsv', import.meta.url), 'utf8');
const [HEADER = '', ...ROWS] = SAMPLE.trimEnd().split('\n');
const COLUMNS = HEADER.split('\t');
const col = (name: string) => COLUMNS.indexOf(name);
const FIRST = ROWS[0] as string;
const SECOND = ROWS[1] as string;
const withCell = (row: string, name: string, value: string) => {
  const cells = row.split('\t');
  cells[col(name)] = value;
  return cells.join('\t');
};
const idOf = (row: string) => row.split('\t')[col('evidence_id')] as string;
const tsv = (rows: string[], header = HEADER) => `${[header, ...rows].join('\n')}\n`;

async function importRows(rows: string[], header = HEADER) {
  const ctx = await testApp({ seed: false });
  const summary = await importCivicText(ctx.db, tsv(rows, header), '01-Oct-2018-ClinicalEvidenceSummaries.tsv', {
    now: () => '2026-11-26T00:00:00.000Z',
  });
  return { ...ctx, summary };
}

describe('importCivicText: the write limits of the API', () => {
  it('skips a row whose statement is longer than a claim statement may be, naming the column and the limit', async () => {
    const { app, summary } = await importRows([withCell(FIRST, 'evidence_statement', 'x'.repeat(200_000)), SECOND]);
    expect(summary.skipped).toEqual([
      {
        line: 2,
        evidence_id: idOf(FIRST),
        reason: "evidence_statement has 200000 characters, more than the 5000 a claim's statement may have",
      },
    ]);
    expect(summary.inserted).toBe(1);
    expect((await getJson(app, `/v1/claims/civic-eid-${idOf(FIRST)}`)).status).toBe(404);
    expect((await getJson(app, `/v1/claims/civic-eid-${idOf(SECOND)}`)).status).toBe(200);
  });

  it('skips a row with 3,000 therapies (a claim links at most 50 interventions) and creates none of them', async () => {
    const therapies = Array.from({ length: 3000 }, (_, i) => `Drug${i}`).join(',');
    const { app, summary } = await importRows([withCell(FIRST, 'drugs', therapies)]);
    expect(summary.skipped).toEqual([
      {
        line: 2,
        evidence_id: idOf(FIRST),
        reason: 'drugs has 3000 therapies, more than the 50 a claim may have',
      },
    ]);
    expect(summary.created.interventions).toBe(0);
    expect((await getJson(app, '/v1/interventions?q=Drug1')).body.items).toEqual([]);
  });

  it('skips a therapy name longer than an intervention name may be', async () => {
    const { summary } = await importRows([withCell(FIRST, 'drugs', 'D'.repeat(201))]);
    expect(summary.skipped[0]?.reason).toBe(
      "drugs has 201 characters, more than the 200 an intervention's name may have",
    );
  });

  it('skips an evidence_id that is not a CIViC id (99999999999999999999999)', async () => {
    const { summary } = await importRows([withCell(FIRST, 'evidence_id', '99999999999999999999999'), SECOND]);
    expect(summary.skipped).toEqual([
      {
        line: 2,
        evidence_id: '99999999999999999999999',
        reason: 'evidence_id "99999999999999999999999" is not a CIViC evidence id (a number of 1 to 9 digits)',
      },
    ]);
    expect(summary.inserted).toBe(1);
  });
});

describe('importCivicText: the claim links CIViC’s page for its own evidence id', () => {
  it('builds the link from the id when evidence_civic_url points elsewhere, and warns', async () => {
    const row = withCell(FIRST, 'evidence_civic_url', 'https://evil.example/links/evidence_items/1');
    const { app, summary } = await importRows([row]);
    const id = idOf(FIRST);
    expect(summary.warnings).toContainEqual({
      line: 2,
      evidence_id: id,
      message: `evidence_civic_url "https://evil.example/links/evidence_items/1" is not CIViC's link for evidence item ${id}; the claim links https://civicdb.org/links/evidence_items/${id}`,
    });
    const claim = (await getJson(app, `/v1/claims/civic-eid-${id}`)).body;
    expect(claim.source.url).toBe(`https://civicdb.org/links/evidence_items/${id}`);
  });

  it("refuses another item's link on CIViC's own host", async () => {
    const { app } = await importRows([
      withCell(FIRST, 'evidence_civic_url', 'https://civicdb.org/links/evidence_items/999'),
    ]);
    const id = idOf(FIRST);
    expect((await getJson(app, `/v1/claims/civic-eid-${id}`)).body.source.url).toBe(
      `https://civicdb.org/links/evidence_items/${id}`,
    );
  });
});

describe('importCivicText: the table itself', () => {
  it('refuses a file whose header names a column twice, naming it, and writes nothing', async () => {
    const header = HEADER.replace('\tcitation\t', '\tevidence_statement\t');
    const ctx = await testApp({ seed: false });
    await expect(
      importCivicText(ctx.db, tsv([FIRST], header), 'dup.tsv', { now: () => '2026-11-26T00:00:00.000Z' }),
    ).rejects.toThrow('the header names "evidence_statement" more than once: each column must be named once');
    expect((await getJson(ctx.app, `/v1/claims/civic-eid-${idOf(FIRST)}`)).status).toBe(404);
  });

  it('skips a row with more fields than the header names', async () => {
    const { summary } = await importRows([`${FIRST}\textra`, SECOND]);
    expect(summary.skipped).toEqual([
      {
        line: 2,
        evidence_id: idOf(FIRST),
        reason: `has ${COLUMNS.length + 1} fields, the header has ${COLUMNS.length}`,
      },
    ]);
    expect(summary.inserted).toBe(1);
  });
});
