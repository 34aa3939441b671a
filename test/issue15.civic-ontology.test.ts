// Issue 15 "done when", end to end through the API: the October 2018 CIViC sample, the Disease Ontology cancer slim
// and the labelled synthetic rows (test/fixtures/civic/README.md) imported into one database.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { type CivicImportSummary, importCivicText } from '../src/importers/civic/civic.import.js';
import { parseCivicTsv } from '../src/importers/civic/civic.parse.js';
import { isADescendants, parseObo } from '../src/importers/ontology/obo.parse.js';
import { importOntologyText } from '../src/importers/ontology/ontology.import.js';
import type { Database } from '../src/store/client.js';
import { type App, getJson, testApp, walkPages } from './helpers.js';

const fixture = (path: string) => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
const SAMPLE = fixture('civic/sample-ClinicalEvidenceSummaries.tsv');
const SYNTHETIC = fixture('civic/synthetic-issue15.tsv');
const SLIM = fixture('ontology/DO_cancer_slim.obo');
const ROWS = [...parseCivicTsv(SAMPLE).rows, ...parseCivicTsv(SYNTHETIC).rows];
const RELEASE = '01-Oct-2018-ClinicalEvidenceSummaries.tsv';
const SYNTHETIC_RELEASE = 'synthetic-issue15.tsv';
const DESCENDANTS = isADescendants(parseObo(SLIM).terms);
/** The CIViC items whose disease is `doid` or one of its descendants in the slim, as claim ids. */
const itemsUnder = (doid: string) =>
  ROWS.filter((r) => r.status === 'accepted' && r.doid && [doid, ...(DESCENDANTS.get(doid) ?? [])].includes(r.doid))
    .map((r) => `civic-eid-${r.evidence_id}`)
    .sort();

let app: App;
let db: Database;
let first: CivicImportSummary;
let synthetic: CivicImportSummary;

beforeAll(async () => {
  // The imports hold the event loop for a moment: no load shedding in this file's app.
  ({ app, db } = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } }));
  first = await importCivicText(db, SAMPLE, RELEASE, { now: () => '2026-11-26T00:00:00.000Z' });
  await importOntologyText(db, SLIM, 'DO_cancer_slim.obo');
  // A partial file: it must not withdraw the sample's items.
  synthetic = await importCivicText(db, SYNTHETIC, SYNTHETIC_RELEASE, { withdrawMissing: false });
  // Three imports: seconds on SQLite, more on PostgreSQL (a round trip per statement) on a shared machine.
}, 120_000);
afterAll(() => app.close());

const claimIds = async (url: string) => (await walkPages(app, url)).items.map((c: any) => c.id as string).sort();

describe('condition= through the Disease Ontology', () => {
  it('condition=lung cancer returns every claim whose disease is lung cancer or below it in the slim', async () => {
    const expected = itemsUnder('DOID:1324');
    // The sample's lung items and the synthetic lung squamous and small cell items, under four different terms.
    expect(expected.length).toBe(13);
    expect(await claimIds('/v1/claims?condition=lung%20cancer&limit=3')).toEqual(expected);
  });

  it.each([
    ['AML', 'DOID:9119', 'acute-myeloid-leukemia'],
    ['NSCLC', 'DOID:3908', 'non-small-cell-lung-carcinoma'],
  ])('condition=%s resolves to %s', async (text, doid, slug) => {
    const condition = await getJson(app, `/v1/conditions/${text}`);
    expect(condition.status).toBe(200);
    expect(condition.body).toMatchObject({ slug, codes: { doid } });
    const expected = itemsUnder(doid);
    expect(expected.length).toBeGreaterThan(3);
    expect(await claimIds(`/v1/claims?condition=${text}&limit=100`)).toEqual(expected);
  });
});

describe('CIViC meaning', () => {
  it('no claim rests on a study that contradicts it', async () => {
    const claims = (await walkPages(app, '/v1/claims?source=civic&limit=100')).items as any[];
    expect(claims.length).toBe(ROWS.filter((r) => r.status === 'accepted').length);
    expect(claims.filter((c) => c.studies.every((s: any) => s.relation !== 'supports')).map((c) => c.id)).toEqual([]);
  });

  it('EID 124 (Does Not Support Resistance) and EID 36 (Supports Resistance) differ in direction and disagree', async () => {
    const eid124 = (await getJson(app, '/v1/claims/civic-eid-124')).body;
    const eid36 = (await getJson(app, '/v1/claims/civic-eid-36')).body;
    expect([eid124.direction, eid36.direction]).toEqual(['no_resistance', 'resistance']);
    expect(eid124.agreement).toEqual({
      agreeing: 0,
      disagreeing: 1,
      agreeing_claims: [],
      disagreeing_claims: ['civic-eid-36'],
    });
    expect(eid36.agreement.disagreeing_claims).toEqual(['civic-eid-124']);
    expect(eid124.plain_summary).toBe(
      'In Colorectal Cancer, tumours with NRAS Q61 did not show resistance to cetuximab; one clinical study, CIViC level B.',
    );
  });

  it('evidence_type=prognostic lists exactly the prognostic items, with their sign', async () => {
    const expected = ROWS.filter((r) => r.evidence_type === 'Prognostic' && r.status === 'accepted');
    const claims = (await walkPages(app, '/v1/claims?evidence_type=prognostic&limit=5')).items as any[];
    expect(claims.map((c) => c.id).sort()).toEqual(expected.map((r) => `civic-eid-${r.evidence_id}`).sort());
    expect(new Set(claims.map((c) => c.direction))).toEqual(new Set(['poor_outcome', 'better_outcome']));
  });
});

describe('history', () => {
  it('every entity the imports created has a create revision in the change feed', async () => {
    const feed: any[] = [];
    let since: string | undefined;
    // With a key: without one, revisions that record a draft are left out (issue 10).
    const { key } = await createApiKey(db, { name: 'auditor', scope: 'write', secret: await resolveKeySecret(db) });
    for (;;) {
      const page = await getJson(app, `/v1/changes?limit=1000${since ? `&since=${encodeURIComponent(since)}` : ''}`, {
        authorization: `Bearer ${key}`,
      });
      feed.push(...page.body.items);
      since = page.body.next_cursor;
      if (!page.body.has_more) break;
    }
    const created = new Set(feed.filter((c) => c.action === 'create').map((c) => `${c.entity}:${c.key}`));
    const all = async (sql: string) => (await db.all<{ k: unknown }>(sql)).map((r) => String(r.k));
    const entities = [
      ...(await all('SELECT slug AS k FROM conditions')).map((k) => `condition:${k}`),
      ...(await all('SELECT slug AS k FROM interventions')).map((k) => `intervention:${k}`),
      ...(await all('SELECT key AS k FROM studies')).map((k) => `study:${k}`),
      ...(await all('SELECT id AS k FROM claims')).map((k) => `claim:${k}`),
    ];
    expect(entities.length).toBeGreaterThan(800);
    expect(entities.filter((e) => !created.has(e))).toEqual([]);
    const actors = new Set(feed.map((c) => c.actor));
    expect([...actors].sort()).toEqual(['import:civic', 'import:ontology', 'seed']);
  });
});

describe('curators and re-imports', () => {
  it("a curator's edit survives a re-import of the release and is listed as a conflict", async () => {
    const { createApiKey, resolveKeySecret } = await import('../src/auth/keys.js');
    const key = (await createApiKey(db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(db) })).key;
    const url = '/v1/claims/civic-eid-1';
    const before = await app.inject(url);
    const patch = await app.inject({
      method: 'PATCH',
      url,
      headers: { authorization: `Bearer ${key}`, 'if-match': before.headers.etag as string },
      payload: { plain_summary: 'JAK2 V617F is rare in lymphoid leukaemia (curator).', outcome: 'Diagnosis' },
    });
    expect(patch.statusCode).toBe(200);
    const again = await importCivicText(db, SAMPLE, RELEASE, { withdrawMissing: false });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 50, withdrawn: 0 });
    expect(again.conflicts).toEqual([
      {
        claim: 'civic-eid-1',
        field: 'plain_summary',
        curator_value: 'JAK2 V617F is rare in lymphoid leukaemia (curator).',
        import_value:
          'JAK2 V617F was associated with the absence of Lymphoid Leukemia; one clinical study, CIViC level B.',
      },
      { claim: 'civic-eid-1', field: 'outcome', curator_value: 'Diagnosis', import_value: 'Diagnostic: Negative' },
    ]);
    const after = (await getJson(app, url)).body;
    expect(after).toMatchObject({
      plain_summary: 'JAK2 V617F is rare in lymphoid leukaemia (curator).',
      plain_summary_source: 'curated',
      outcome: 'Diagnosis',
      statement: 'JAK2 V617F is not associated with lymphoid leukemia (B-lineage ALL, T-ALL or CLL).',
    });
  });

  it('the first import listed no conflicts, and the synthetic file skipped its sourceless row with the reason', () => {
    expect(first.conflicts).toEqual([]);
    expect(synthetic.skipped).toEqual([
      { line: 11, evidence_id: '900907', reason: 'has no source: citation_id is empty (source_type ASCO)' },
    ]);
    expect(synthetic).toMatchObject({ dialect: 'plain', inserted: 9, rows: 10 });
  });
});
