// CIViC import: mapping, grades on one scale with GRADE, idempotency, newer releases, bad rows, both header vintages.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCivicText } from '../src/importers/civic/civic.import.js';
import { biomarkerName, parseCivicTsv, splitTherapies } from '../src/importers/civic/civic.parse.js';
import { readDataVersion } from '../src/store/data-version.queries.js';
import { getJson, testApp } from './helpers.js';

const SAMPLE_PATH = new URL('./fixtures/civic/sample-ClinicalEvidenceSummaries.tsv', import.meta.url).pathname;
const SAMPLE = readFileSync(SAMPLE_PATH, 'utf8');
const [HEADER = '', ...ROWS] = SAMPLE.trimEnd().split('\n');
const COLUMNS = HEADER.split('\t');
const col = (name: string) => COLUMNS.indexOf(name);
const cell = (row: string, name: string) => row.split('\t')[col(name)] ?? '';
const withCell = (row: string, name: string, value: string) => {
  const cells = row.split('\t');
  cells[col(name)] = value;
  return cells.join('\t');
};
const tsv = (rows: string[], header = HEADER) => `${[header, ...rows].join('\n')}\n`;

async function importedApp(text = SAMPLE, release = '01-Oct-2018-ClinicalEvidenceSummaries.tsv') {
  const ctx = await testApp();
  const summary = await importCivicText(ctx.db, text, release, { now: () => '2026-11-26T00:00:00.000Z' });
  return { ...ctx, summary };
}

describe('importCivicText on the October 2018 sample', () => {
  it('imports all 50 evidence items as civic-graded claims with provenance', async () => {
    const { app, summary } = await importedApp();
    expect(summary).toMatchObject({ rows: 50, inserted: 50, updated: 0, unchanged: 0, withdrawn: 0, skipped: [] });
    const first = ROWS[0] as string;
    const id = cell(first, 'evidence_id');
    const res = await getJson(app, `/v1/claims/civic-eid-${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      statement: cell(first, 'evidence_statement'),
      plain_summary:
        'JAK2 V617F was associated with the absence of Lymphoid Leukemia; one clinical study, CIViC level B.',
      plain_summary_source: 'generated',
      direction: 'inverse_association',
      evidence_type: 'diagnostic',
      biomarker: `${cell(first, 'gene')} ${cell(first, 'variant')}`,
      outcome: `${cell(first, 'evidence_type')}: ${cell(first, 'clinical_significance')}`,
      grade: { scheme: 'civic', level: cell(first, 'evidence_level'), rating: Number(cell(first, 'rating')) },
      source: {
        name: 'civic',
        id,
        url: cell(first, 'evidence_civic_url'),
        release: '01-Oct-2018-ClinicalEvidenceSummaries.tsv',
        imported_at: '2026-11-26T00:00:00.000Z',
      },
    });
    expect(res.body.studies).toEqual([
      expect.objectContaining({
        key: cell(first, 'pubmed_id'),
        pmid: cell(first, 'pubmed_id'),
        relation: 'supports',
        metadata_status: 'unknown',
        source_citation: {
          text: 'Levine et al., 2005, Blood',
          source: 'CIViC',
          note: 'Citation as given by CIViC; the bibliographic record has not been imported.',
        },
      }),
    ]);
    const study = await getJson(app, `/v1/studies/${cell(first, 'pubmed_id')}`);
    expect(study.body.title).toBeNull();
    await app.close();
  });

  it('maps a disease to one condition, reusing the seeded melanoma by its DOID', async () => {
    const { app } = await importedApp();
    const melanomaRows = ROWS.filter((r) => cell(r, 'disease') === 'Melanoma');
    const res = await getJson(app, '/v1/claims?condition=melanoma&grade_scheme=civic&limit=100');
    expect(res.body.items.map((c: any) => c.id).sort()).toEqual(
      melanomaRows.map((r) => `civic-eid-${cell(r, 'evidence_id')}`).sort(),
    );
    expect(new Set(res.body.items.map((c: any) => c.condition.slug))).toEqual(new Set(['melanoma']));
    const nsclc = await getJson(app, '/v1/conditions/DOID:3908');
    expect(nsclc.status).toBe(200);
    expect(nsclc.body.claim_count).toBe(ROWS.filter((r) => cell(r, 'doid') === '3908').length);
    await app.close();
  });

  it('links every therapy of a combination, its parenthesised aliases as synonyms that find the claim', async () => {
    const { app } = await importedApp();
    const row = ROWS.find((r) => cell(r, 'drugs').includes('(NVP-BEZ235, Dactolisib)')) as string;
    const id = `civic-eid-${cell(row, 'evidence_id')}`;
    const claim = await getJson(app, `/v1/claims/${id}`);
    expect(claim.body.interventions.map((i: any) => i.name)).toEqual(['BEZ235', 'Selumetinib']);
    expect(claim.body.interventions.every((i: any) => i.kind === 'drug')).toBe(true);
    // The 2018 release has no interaction column: how the two were given is not recorded, not guessed.
    expect(claim.body.intervention_relation).toBeNull();
    const bez = await getJson(app, '/v1/interventions/bez235');
    expect(bez.body.synonyms).toEqual(['NVP-BEZ235', 'Dactolisib']);
    for (const alias of ['Dactolisib', 'AZD6244']) {
      const found = await getJson(app, `/v1/claims?intervention=${alias}&limit=100`);
      expect(found.status).toBe(200);
      expect(found.body.items.map((c: any) => c.id)).toEqual([id]);
    }
    await app.close();
  });

  it('filters by biomarker, case-insensitively', async () => {
    const { app } = await importedApp();
    const expected = ROWS.filter((r) => `${cell(r, 'gene')} ${cell(r, 'variant')}` === 'BRAF V600E')
      .map((r) => `civic-eid-${cell(r, 'evidence_id')}`)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const res = await getJson(app, '/v1/claims?biomarker=braf%20v600e&limit=100');
    expect(res.body.items.map((c: any) => c.id).sort()).toEqual(expected);
    await app.close();
  });

  it('returns CIViC and curated melanoma claims together, ordered by one certainty scale', async () => {
    const { app } = await importedApp();
    // Certainty 1 (very low, CIViC D): a number compares schemes; the curated melanoma claim is very low (issue 16).
    const res = await getJson(app, '/v1/claims?condition=melanoma&min_grade=1&limit=100');
    const rows = res.body.items.map((c: any) => [c.grade.certainty, c.id, c.grade.scheme, c.grade.rating ?? 0]);
    expect(rows.some((r: any) => r[2] === 'GRADE')).toBe(true);
    expect(rows.some((r: any) => r[2] === 'civic')).toBe(true);
    expect(rows.every((r: any) => r[0] >= 1)).toBe(true);
    // One certainty scale first; within a level the rank order (claims.rank.ts) starts with the CIViC rating.
    const sorted = [...rows].sort((a, b) => b[0] - a[0] || b[3] - a[3]);
    expect(rows).toEqual(sorted);
    const civicOnly = await getJson(app, '/v1/claims?condition=melanoma&grade_scheme=civic&min_grade=C&limit=100');
    expect(
      civicOnly.body.items.every((c: any) => c.grade.scheme === 'civic' && ['A', 'B', 'C'].includes(c.grade.level)),
    ).toBe(true);
    await app.close();
  });

  it('min_grade is scheme by scheme: a GRADE level never matches CIViC claims, a CIViC letter never GRADE ones', async () => {
    const { app } = await importedApp();
    const all = (await getJson(app, '/v1/claims?min_grade=0&limit=100')).body.items as any[];
    const civicB = all.filter((c) => c.grade.scheme === 'civic' && ['A', 'B'].includes(c.grade.level));
    expect(civicB.length).toBeGreaterThan(0);
    const low = (await getJson(app, '/v1/claims?min_grade=low&limit=100')).body.items as any[];
    expect(low.length).toBeGreaterThan(0);
    expect([...new Set(low.map((c) => c.grade.scheme))]).toEqual(['GRADE']);
    const b = (await getJson(app, '/v1/claims?min_grade=B&limit=100')).body.items as any[];
    expect(b.map((c) => c.id).sort()).toEqual(civicB.map((c) => c.id).sort());
    await app.close();
  });

  it('finds "vemurafenib resistance" claims first in search', async () => {
    const { app } = await importedApp();
    const res = await getJson(app, '/v1/search?q=vemurafenib%20resistance');
    expect(res.body.items.length).toBeGreaterThan(0);
    const top = res.body.items[0];
    expect(top.type).toBe('claim');
    expect(top.title.toLowerCase()).toContain('vemurafenib');
    const claims = await getJson(app, '/v1/claims?q=vemurafenib%20resistance&limit=100');
    for (const c of claims.body.items)
      expect(`${c.statement} ${c.outcome} ${c.interventions.map((i: any) => i.name).join(' ')}`.toLowerCase()).toMatch(
        /vemurafenib[\s\S]*resist|resist[\s\S]*vemurafenib/,
      );
    await app.close();
  });
});

describe('re-imports', () => {
  it('changes nothing on a second import of the same release', async () => {
    const { db, app } = await importedApp();
    const version = await readDataVersion(db);
    const before = await db.all("SELECT id, updated_at, imported_at FROM claims WHERE source = 'civic' ORDER BY id");
    const again = await importCivicText(db, SAMPLE, '01-Oct-2018-ClinicalEvidenceSummaries.tsv');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 50, withdrawn: 0 });
    expect(await readDataVersion(db)).toBe(version);
    expect(await db.all("SELECT id, updated_at, imported_at FROM claims WHERE source = 'civic' ORDER BY id")).toEqual(
      before,
    );
    await app.close();
  });

  it('applies a newer release: updates changed items, adds new ones, withdraws dropped ones, never touches curated claims', async () => {
    const { db, app } = await importedApp();
    const curatedBefore = (await getJson(app, '/v1/claims?source=curated&limit=100')).body.items;
    const [changed, dropped, ...rest] = ROWS as [string, string, ...string[]];
    const edited = withCell(changed, 'evidence_statement', `${cell(changed, 'evidence_statement')} (revised)`);
    const added = withCell(withCell(rest[0] as string, 'evidence_id', '999999'), 'evidence_level', 'A');
    const newer = tsv([edited, ...rest, added]);
    const summary = await importCivicText(db, newer, '01-Nov-2018-ClinicalEvidenceSummaries.tsv');
    // The added item repeats rest[0]'s biomarker, disease, drug and conclusion: rest[0] now has an agreeing item.
    expect(summary).toMatchObject({ inserted: 1, updated: 2, unchanged: 47, withdrawn: 1 });
    const twin = await getJson(app, `/v1/claims/civic-eid-${cell(rest[0] as string, 'evidence_id')}`);
    expect(twin.body.agreement).toEqual({
      agreeing: 1,
      disagreeing: 0,
      agreeing_claims: ['civic-eid-999999'],
      disagreeing_claims: [],
    });

    const revised = await getJson(app, `/v1/claims/civic-eid-${cell(changed, 'evidence_id')}`);
    expect(revised.body.statement).toMatch(/\(revised\)$/);
    expect(revised.body.source.release).toBe('01-Nov-2018-ClinicalEvidenceSummaries.tsv');
    const untouched = await getJson(app, `/v1/claims/civic-eid-${cell(rest[1] as string, 'evidence_id')}`);
    expect(untouched.body.source.release).toBe('01-Oct-2018-ClinicalEvidenceSummaries.tsv');

    const gone = await getJson(app, `/v1/claims/civic-eid-${cell(dropped, 'evidence_id')}`);
    expect(gone.body.status).toBe('withdrawn');
    const listed = await getJson(app, '/v1/claims?source=civic&limit=100');
    expect(listed.body.items.map((c: any) => c.id)).not.toContain(`civic-eid-${cell(dropped, 'evidence_id')}`);
    const withdrawn = await getJson(app, '/v1/claims?status=withdrawn');
    expect(withdrawn.body.items.map((c: any) => c.id)).toEqual([`civic-eid-${cell(dropped, 'evidence_id')}`]);

    expect((await getJson(app, '/v1/claims?source=curated&limit=100')).body.items).toEqual(curatedBefore);

    const back = await importCivicText(db, SAMPLE, '01-Dec-2018-ClinicalEvidenceSummaries.tsv');
    expect(back.updated).toBeGreaterThanOrEqual(2);
    expect((await getJson(app, `/v1/claims/civic-eid-${cell(dropped, 'evidence_id')}`)).body.status).toBe('published');
    await app.close();
  });
});

describe('parseCivicTsv', () => {
  it('reports bad rows with their line numbers and imports the rest', async () => {
    const badLevel = withCell(ROWS[1] as string, 'evidence_level', 'Z');
    const short = (ROWS[2] as string).split('\t').slice(0, 5).join('\t');
    const badPmid = withCell(ROWS[3] as string, 'pubmed_id', '12ab');
    const text = tsv([ROWS[0] as string, badLevel, short, badPmid, ROWS[4] as string]);
    const { rows, skipped } = parseCivicTsv(text);
    expect(rows.map((r) => r.line)).toEqual([2, 6]);
    expect(skipped).toEqual([
      { line: 3, evidence_id: cell(ROWS[1] as string, 'evidence_id'), reason: 'evidence_level "Z" is not A-E' },
      {
        line: 4,
        evidence_id: null,
        reason: `has 5 fields, the header has ${COLUMNS.length}`,
      },
      { line: 5, evidence_id: cell(ROWS[3] as string, 'evidence_id'), reason: 'PubMed id "12ab" is not a PMID' },
    ]);
  });

  it('treats a double quote as an ordinary character', async () => {
    const quoted = withCell(
      ROWS[0] as string,
      'evidence_statement',
      'A "so-called" response\twith\ttabs'.split('\t')[0] as string,
    );
    const { rows } = parseCivicTsv(tsv([quoted, ROWS[1] as string]));
    expect(rows[0]?.statement).toBe('A "so-called" response');
    expect(rows).toHaveLength(2);
  });

  it('reads the later column names (molecular_profile, therapies, significance, citation_id, source_type)', async () => {
    const renamed = HEADER.replace('\tdrugs\t', '\ttherapies\t')
      .replace('\tclinical_significance\t', '\tsignificance\t')
      .replace('\tpubmed_id\t', '\tcitation_id\t')
      .replace(/^gene\t/, 'molecular_profile\t')
      .replace('\tvariant\t', '\tsource_type\t');
    const rows2018 = parseCivicTsv(SAMPLE).rows;
    const later = ROWS.map((r) => {
      const cells = r.split('\t');
      cells[col('gene')] = biomarkerName(cell(r, 'gene'), cell(r, 'variant')) ?? '';
      cells[col('variant')] = 'PubMed';
      return cells.join('\t');
    });
    const rowsLater = parseCivicTsv(tsv(later, renamed)).rows;
    expect(rowsLater.map(({ line: _l, ...r }) => r)).toEqual(rows2018.map(({ line: _l, ...r }) => r));
  });

  it('rejects a file that is not a ClinicalEvidenceSummaries release', async () => {
    expect(() => parseCivicTsv('name\tvalue\nx\t1\n')).toThrow(/not a CIViC ClinicalEvidenceSummaries file/);
  });

  it('splits therapies on top-level commas only', async () => {
    expect(splitTherapies('A (B, C),D ,, E')).toEqual(['A (B, C)', 'D', 'E']);
  });
});

describe('npm run import -- civic', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'civic-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[], database = 'e.db') =>
    spawnSync(join(process.cwd(), 'node_modules/.bin/tsx'), ['src/cli/import.ts', 'civic', ...args], {
      env: { ...process.env, DATABASE_PATH: join(tmp, database) },
      encoding: 'utf8',
    });

  it('prints a JSON summary, then reports everything unchanged', async () => {
    const first = run(['--json', SAMPLE_PATH]);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 50, inserted: 50 });
    const second = run(['--json', SAMPLE_PATH]);
    expect(JSON.parse(second.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 50 });
    const seeded = execFileSync(
      'node',
      [
        '-e',
        `const D=require('better-sqlite3');console.log(new D(${JSON.stringify(join(tmp, 'e.db'))}).prepare("select count(*) n from claims where source='curated'").get().n)`,
      ],
      { encoding: 'utf8' },
    );
    expect(Number(seeded)).toBe(12);
  });

  it('refuses a small file that would withdraw most CIViC claims (exit 1, nothing changed) unless --allow-withdraw', async () => {
    // A database holding the sample's 50 items: a 10-row file would withdraw 40 of them.
    const cli = (args: string[]) => run(args, 'withdraw.db');
    expect(cli([SAMPLE_PATH]).status).toBe(0);
    const small = join(tmp, 'small.tsv');
    writeFileSync(small, tsv(ROWS.slice(0, 10)));
    const refused = cli(['--json', small]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'small.tsv would withdraw 40 of the 50 current CIViC claims (80%, more than 25%): nothing was changed. If it is a partial file, import it with --no-withdraw; if it is a complete release, with --allow-withdraw.',
    );
    const partial = cli(['--json', '--no-withdraw', small]);
    expect(JSON.parse(partial.stdout)).toMatchObject({ unchanged: 10, withdrawn: 0 });
    const allowed = cli(['--json', '--allow-withdraw', small]);
    expect(allowed.status).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ unchanged: 10, withdrawn: 40 });
    expect(cli(['--no-withdraw', '--allow-withdraw', small]).status).toBe(2);
  });

  it('fails with exit 1 and changes nothing on a file that is not a release; exit 2 on bad usage', async () => {
    const notTsv = join(tmp, 'notes.tsv');
    writeFileSync(notTsv, 'hello\tworld\n');
    const bad = run([notTsv]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('nothing was changed');
    expect(run([]).status).toBe(2);
    expect(run(['--bogus', SAMPLE_PATH]).status).toBe(2);
  });
});
