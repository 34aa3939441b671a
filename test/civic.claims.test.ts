// CIViC semantics kept whole through the API: interventions and how they were given, sources without a PMID and
// their citations, the source's own citation string, provenance fields, order within a certainty level, dialects,
// and curators' changes surviving releases. Synthetic rows are labelled (test/fixtures/civic/README.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { commit } from '../src/curation/commit.js';
import { importCivicText } from '../src/importers/civic/civic.import.js';
import { compareWithinCertainty } from '../src/importers/civic/civic.semantics.js';
import { importPubmedFiles } from '../src/importers/pubmed/pubmed.import.js';
import type { Database } from '../src/store/client.js';
import { type App, getJson, testApp, walkPages } from './helpers.js';

const fixturePath = (path: string) => new URL(`./fixtures/${path}`, import.meta.url).pathname;
const fixture = (path: string) => readFileSync(fixturePath(path), 'utf8');
const SAMPLE = fixture('civic/sample-ClinicalEvidenceSummaries.tsv');
const SYNTHETIC = fixture('civic/synthetic-issue15.tsv');
const [HEADER = '', ...ROWS] = SAMPLE.trimEnd().split('\n');
const COLUMNS = HEADER.split('\t');
const cell = (row: string, name: string) => row.split('\t')[COLUMNS.indexOf(name)] ?? '';
const withCells = (row: string, values: Record<string, string>) => {
  const cells = row.split('\t');
  for (const [name, value] of Object.entries(values)) cells[COLUMNS.indexOf(name)] = value;
  return cells.join('\t');
};

async function imported() {
  // The imports hold the event loop for a moment: no load shedding in these apps.
  const ctx = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
  await importCivicText(ctx.db, SAMPLE, '01-Oct-2018-ClinicalEvidenceSummaries.tsv');
  await importCivicText(ctx.db, SYNTHETIC, 'synthetic-issue15.tsv', { withdrawMissing: false });
  return ctx;
}

async function writer(db: Database, app: App) {
  const key = (await createApiKey(db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(db) })).key;
  return async (method: 'PATCH' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const etag =
      method === 'POST' ? undefined : ((await app.inject(url.split('?')[0] as string)).headers.etag as string);
    return app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...(etag ? { 'if-match': etag } : {}) },
      ...(payload ? { payload } : {}),
    });
  };
}

describe('interventions given together, in sequence or instead of each other', () => {
  it('keeps a combination as one claim about both drugs, found by either, and by an alias', async () => {
    const { app } = await imported();
    const claim = (await getJson(app, '/v1/claims/civic-eid-900903')).body;
    expect(claim.interventions.map((i: any) => i.name)).toEqual(['Afatinib', 'Rapamycin']);
    expect(claim.intervention_relation).toBe('combination');
    expect(claim.plain_summary).toBe(
      'In Lung Non-small Cell Carcinoma, tumours with EGFR T790M responded to the combination of afatinib and rapamycin; one case study, CIViC level C.',
    );
    const rapamycin = (await getJson(app, `/v1/interventions/${claim.interventions[1].slug}`)).body;
    expect(rapamycin.synonyms).toEqual(['Sirolimus']);
    for (const drug of ['sirolimus', 'Rapamycin', 'afatinib']) {
      const res = await getJson(app, `/v1/claims?intervention=${drug}&limit=100`);
      expect(res.status, drug).toBe(200);
      expect(res.body.items.map((c: any) => c.id)).toContain('civic-eid-900903');
    }
    await app.close();
  });

  it('finds claims about a combination by repeating intervention=: every claim listed involves all of them', async () => {
    const { app } = await imported();
    const afatinib = (await getJson(app, '/v1/claims?intervention=afatinib&limit=100')).body.items as any[];
    const both = await getJson(app, '/v1/claims?intervention=afatinib&intervention=sirolimus&limit=100');
    expect(both.status).toBe(200);
    const expected = afatinib
      .filter((c) => c.interventions.some((i: any) => i.name === 'Rapamycin'))
      .map((c) => c.id)
      .sort();
    expect(expected).toContain('civic-eid-900903');
    expect(afatinib.length).toBeGreaterThan(expected.length);
    expect(both.body.items.map((c: any) => c.id).sort()).toEqual(expected);
    // The order given does not matter; the same intervention twice is asked once.
    const reversed = await getJson(app, '/v1/claims?intervention=Rapamycin&intervention=afatinib&limit=100');
    expect(reversed.body.items.map((c: any) => c.id).sort()).toEqual(expected);
    const twice = await getJson(app, '/v1/claims?intervention=afatinib&intervention=afatinib&limit=100');
    expect(twice.body.items.length).toBe(afatinib.length);
    const unknown = await getJson(app, '/v1/claims?intervention=afatinib&intervention=no-such-drug');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { path: 'query.intervention[1]', message: "no intervention is known by 'no-such-drug' (slug, name or synonym)" },
    ]);
    const six = await getJson(app, `/v1/claims?${Array(6).fill('intervention=afatinib').join('&')}`);
    expect(six.status).toBe(400);
    expect(six.body.errors[0].path).toBe('query.intervention');
    await app.close();
  });

  it('says sequential and substitutes as CIViC does', async () => {
    const { app } = await imported();
    const sequential = (await getJson(app, '/v1/claims/civic-eid-900904')).body;
    const substitutes = (await getJson(app, '/v1/claims/civic-eid-900905')).body;
    expect([sequential.intervention_relation, substitutes.intervention_relation]).toEqual([
      'sequential',
      'substitutes',
    ]);
    expect(substitutes.plain_summary).toBe(
      'In Melanoma, tumours with BRAF V600E responded to dabrafenib or vemurafenib; one source, CIViC level A (validated association).',
    );
    await app.close();
  });

  it('turns an intervention an earlier import named "Rapamycin (Sirolimus)" into Rapamycin with the synonym', async () => {
    const ctx = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
    const write = await writer(ctx.db, ctx.app);
    const made = await write('POST', '/v1/interventions', {
      slug: 'rapamycin-sirolimus',
      name: 'Rapamycin (Sirolimus)',
      kind: 'drug',
    });
    expect(made.statusCode).toBe(201);
    await importCivicText(ctx.db, SYNTHETIC, 'synthetic-issue15.tsv');
    const drug = (await getJson(ctx.app, '/v1/interventions/rapamycin-sirolimus')).body;
    expect([drug.name, drug.synonyms]).toEqual(['Rapamycin', ['Sirolimus']]);
    const claim = (await getJson(ctx.app, '/v1/claims/civic-eid-900903')).body;
    expect(claim.interventions.map((i: any) => i.slug)).toEqual(['afatinib', 'rapamycin-sirolimus']);
    await ctx.app.close();
  });
});

describe('claims on PMIDs with no imported PubMed record', () => {
  it('carry the caveat unverified_sources, as the seed marks its own; a PMID with its record does not', async () => {
    const ctx = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
    await importPubmedFiles(ctx.db, [fixturePath('pubmed/rct-29768149.xml')]);
    const row = ROWS.find((r) => cell(r, 'evidence_id') === '5934') as string;
    // Synthetic: item 5934 again under a made-up evidence id, citing the imported PubMed record 29768149.
    const verified = withCells(row, { evidence_id: '900990', pubmed_id: '29768149' });
    await importCivicText(ctx.db, `${HEADER}\n${row}\n${verified}\n`, 'bare-pmids.tsv', { withdrawMissing: false });
    const bare = (await getJson(ctx.app, '/v1/claims/civic-eid-5934')).body;
    expect(bare.studies.map((s: any) => [s.pmid, s.metadata_status])).toEqual([[cell(row, 'pubmed_id'), 'unknown']]);
    expect(bare.caveats.codes).toContain('unverified_sources');
    const checked = (await getJson(ctx.app, '/v1/claims/civic-eid-900990')).body;
    expect(checked.studies[0].pmid).toBe('29768149');
    expect(checked.caveats.codes).not.toContain('unverified_sources');
    expect(bare.caveats.codes).toEqual([...checked.caveats.codes, 'unverified_sources']);
    await ctx.app.close();
  });

  it('lose it when the PubMed record arrives after the CIViC import, with a revision saying why; curated claims keep theirs', async () => {
    const ctx = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
    const row = ROWS.find((r) => cell(r, 'evidence_id') === '5934') as string;
    // Synthetic: item 5934 under a made-up evidence id, citing PMID 29768149 before its record is imported.
    const early = withCells(row, { evidence_id: '900991', pubmed_id: '29768149' });
    await importCivicText(ctx.db, `${HEADER}\n${row}\n${early}\n`, 'early.tsv', { withdrawMissing: false });
    const curated = (await getJson(ctx.app, '/v1/claims/gut-flora-skin-health-overall')).body;
    expect(curated.caveats.codes).toContain('unverified_sources');
    const before = (await getJson(ctx.app, '/v1/claims/civic-eid-900991')).body;
    expect(before.caveats.codes).toContain('unverified_sources');
    expect(before.studies.map((s: any) => [s.pmid, s.metadata_status])).toEqual([['29768149', 'unknown']]);

    await importPubmedFiles(ctx.db, [fixturePath('pubmed/rct-29768149.xml')]);
    const after = (await getJson(ctx.app, '/v1/claims/civic-eid-900991')).body;
    expect(after.caveats.codes).toEqual(before.caveats.codes.filter((c: string) => c !== 'unverified_sources'));
    expect(after.studies[0].title).toBe('Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.');
    const [latest] = (await getJson(ctx.app, '/v1/claims/civic-eid-900991/revisions')).body.items;
    expect(latest).toMatchObject({
      action: 'update',
      reason: 'Study PMID 29768149 has its bibliographic record now: caveat unverified_sources lifted.',
      changes: { caveats: { before: before.caveats, after: after.caveats } },
    });
    // The item citing a PMID still without its record keeps the caveat; curated claims are a curator's to change.
    expect((await getJson(ctx.app, '/v1/claims/civic-eid-5934')).body.caveats.codes).toContain('unverified_sources');
    expect((await getJson(ctx.app, '/v1/claims/gut-flora-skin-health-overall')).body.caveats).toEqual(curated.caveats);
    await ctx.app.close();
  });
});

describe('how several therapies were given, across release formats', () => {
  it('a release without the interaction column keeps the relation a later one gave, and its summary says it', async () => {
    const ctx = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
    const row = ROWS.find((r) => cell(r, 'evidence_id') === '1132') as string;
    expect(cell(row, 'drugs')).toBe('Lapatinib,Capecitabine');
    // The same item as a November 2018 to 2019 release writes it: a drug_interaction_type column after drugs.
    const header2019 = HEADER.replace('\tdrugs\t', '\tdrugs\tdrug_interaction_type\t');
    const row2019 = row.replace('\tLapatinib,Capecitabine\t', '\tLapatinib,Capecitabine\tCombination\t');
    await importCivicText(ctx.db, `${header2019}\n${row2019}\n`, '01-Jan-2019-ClinicalEvidenceSummaries.tsv');
    const later = (await getJson(ctx.app, '/v1/claims/civic-eid-1132')).body;
    expect(later.intervention_relation).toBe('combination');
    expect(later.plain_summary).toContain('the combination of lapatinib and capecitabine');
    await importCivicText(ctx.db, `${HEADER}\n${row}\n`, '01-Oct-2018-ClinicalEvidenceSummaries.tsv');
    const older = (await getJson(ctx.app, '/v1/claims/civic-eid-1132')).body;
    expect(older.intervention_relation).toBe('combination');
    expect(older.plain_summary).toBe(later.plain_summary);
    expect(older.plain_summary).not.toContain('not recorded');
    await ctx.app.close();
  });

  it('says it is not recorded only when no release or curator recorded it', async () => {
    const ctx = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
    const row = ROWS.find((r) => cell(r, 'evidence_id') === '1132') as string;
    await importCivicText(ctx.db, `${HEADER}\n${row}\n`, '01-Oct-2018-ClinicalEvidenceSummaries.tsv');
    const claim = (await getJson(ctx.app, '/v1/claims/civic-eid-1132')).body;
    expect(claim.intervention_relation).toBeNull();
    expect(claim.plain_summary).toContain('lapatinib and capecitabine (how they were given together is not recorded)');
    await ctx.app.close();
  });
});

describe('what CIViC records besides the claim', () => {
  it('keeps variant origin, NCT ids, the last review date and the evidence direction as CIViC wrote them', async () => {
    const { app } = await imported();
    const row = ROWS.find((r) => cell(r, 'evidence_id') === '5934') as string;
    const claim = (await getJson(app, '/v1/claims/civic-eid-5934')).body;
    expect(claim).toMatchObject({
      variant_origin: 'rare_germline',
      nct_ids: ['NCT01585805', 'NCT02184195'],
      direction: 'no_effect',
      evidence_type: 'predictive',
      source: {
        evidence_direction: 'Does Not Support',
        significance: 'Sensitivity/Response',
        reviewed_at: `${cell(row, 'last_review_date').slice(0, 10)}T${cell(row, 'last_review_date').slice(11, 19)}Z`,
      },
    });
    await app.close();
  });
});

describe('sources without a PMID, and citation strings', () => {
  it('rests the ASCO-sourced item on the abstract, a study of its own kind with its citation', async () => {
    const { app } = await imported();
    const claim = (await getJson(app, '/v1/claims/civic-eid-999001')).body;
    expect(claim.status).toBe('published');
    expect(claim.studies).toEqual([
      expect.objectContaining({
        key: 'asco:160900',
        pmid: null,
        source_type: 'asco',
        relation: 'supports',
        source_citation: {
          text: 'Tyler Stewart, 2018, ASCO Annual Meeting',
          source: 'CIViC',
          note: 'Citation as given by CIViC; the bibliographic record has not been imported.',
        },
      }),
    ]);
    const study = (await getJson(app, '/v1/studies/asco:160900')).body;
    expect(study).toMatchObject({
      key: 'asco:160900',
      pmid: null,
      source_type: 'asco',
      source_id: '160900',
      abstract_number: '9056',
      source_url: 'https://www.asco.org/abstracts-presentations/160900',
      pubmed_url: null,
      title: null,
      claims: [expect.objectContaining({ id: 'civic-eid-999001', relation: 'supports' })],
    });
    const history = (await getJson(app, '/v1/studies/asco:160900/revisions')).body.items;
    expect(history.map((r: any) => [r.action, r.actor])).toEqual([['create', 'import:civic']]);
    // Listed after every PubMed article, in pages like the rest.
    const listed = (await walkPages(app, '/v1/studies?limit=7')).items.map((s: any) => s.key);
    expect(listed.at(-1)).toBe('asco:160900');
    expect(listed.slice(0, -1).every((k: string) => /^\d+$/.test(k))).toBe(true);
    expect(new Set(listed).size).toBe(listed.length);
    await app.close();
  });

  it("has no PubMed notices, retraction or deletion, and PubMed's retraction catch-up passes it by", async () => {
    const { app, db } = await imported();
    const study = (await getJson(app, '/v1/studies/asco:160900')).body;
    expect(study).toMatchObject({
      retracted: false,
      retraction: null,
      deleted_by_pubmed: false,
      deleted_by_pubmed_at: null,
      notices: [],
      linked_from: [],
    });
    const claim = (await getJson(app, '/v1/claims/civic-eid-999001')).body;
    expect([claim.retracted_evidence, claim.review.needed, claim.caveats.codes]).toEqual([[], false, []]);
    expect(claim.studies[0]).toMatchObject({ key: 'asco:160900', retraction: null, notices: [] });
    const reconciled = await commit(db, { actor: 'system:upgrade' }, (changes) => changes.reconcileRetractions());
    expect(reconciled).toEqual({ studies: 0, claims: 0 });
    // Its revision is filed under its key and remembers the source fields beside the derived deletion state.
    const [created] = (await getJson(app, '/v1/studies/asco:160900/revisions')).body.items;
    expect(created.changes).toMatchObject({
      key: { before: null, after: 'asco:160900' },
      source_type: { before: null, after: 'asco' },
      source_id: { before: null, after: '160900' },
      abstract_number: { before: null, after: '9056' },
      source_citation: { before: null, after: 'Tyler Stewart, 2018, ASCO Annual Meeting' },
      deleted_by_pubmed: { before: null, after: false },
    });
    await app.close();
  });

  it('cites the abstract in every format from its labelled citation string', async () => {
    const { app } = await imported();
    const cite = async (format: string) => (await app.inject(`/v1/studies/asco:160900/citation?format=${format}`)).body;
    const text =
      'Tyler Stewart, 2018, ASCO Annual Meeting [citation as given by CIViC]. ASCO abstract 9056 (web id 160900). Available from: https://www.asco.org/abstracts-presentations/160900 Bibliographic details not yet available.';
    expect(await cite('vancouver')).toBe(text);
    expect(await cite('apa')).toBe(text);
    expect(await cite('ris')).toBe(
      'TY  - ABST\r\nID  - asco:160900\r\nUR  - https://www.asco.org/abstracts-presentations/160900\r\nN1  - Citation as given by CIViC: Tyler Stewart, 2018, ASCO Annual Meeting. ASCO abstract 9056 (web id 160900). Bibliographic details not yet available\r\nER  - \r\n',
    );
    expect(await cite('bibtex')).toBe(
      '@misc{asco160900,\n  url = {https://www.asco.org/abstracts-presentations/160900},\n  note = {Citation as given by CIViC: Tyler Stewart, 2018, ASCO Annual Meeting. ASCO abstract 9056 (web id 160900). Bibliographic details not yet available}\n}',
    );
    // CSL-JSON is its own operation: `format=csl-json` on the text one is sent there.
    const redirected = await app.inject('/v1/studies/asco:160900/citation?format=csl-json');
    expect([redirected.statusCode, redirected.headers.location]).toEqual([
      303,
      '/v1/studies/asco:160900/citation/csl-json',
    ]);
    expect((await app.inject('/v1/studies/asco:160900/citation/csl-json')).json()).toEqual([
      {
        type: 'paper-conference',
        id: 'asco:160900',
        URL: 'https://www.asco.org/abstracts-presentations/160900',
        note: 'Citation as given by CIViC: Tyler Stewart, 2018, ASCO Annual Meeting. ASCO abstract 9056 (web id 160900). Bibliographic details not yet available',
      },
    ]);
    const claim = (await app.inject('/v1/claims/civic-eid-999001/citations?format=vancouver')).body;
    expect(claim).toBe(`1. ${text}`);
    await app.close();
  });

  it("serves CIViC's citation string, labelled, for a PubMed study until a PubMed import completes it", async () => {
    const ctx = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
    // Synthetic: a sample row pointed at the PMID of the PubMed fixture rct-29768149.xml.
    const row = withCells(ROWS[2] as string, { pubmed_id: '29768149', citation: 'Ley et al., 2010, N. Engl. J. Med.' });
    await importCivicText(ctx.db, `${HEADER}\n${row}\n`, 'one-row.tsv');
    const before = await ctx.app.inject('/v1/studies/29768149/citation?format=vancouver');
    expect(before.body).toBe(
      'Ley et al., 2010, N. Engl. J. Med [citation as given by CIViC]. PMID: 29768149. Bibliographic details not yet available.',
    );
    expect((await getJson(ctx.app, '/v1/studies/29768149')).body.source_citation).toMatchObject({ source: 'CIViC' });
    await importPubmedFiles(ctx.db, [fixturePath('pubmed/rct-29768149.xml')]);
    const study = (await getJson(ctx.app, '/v1/studies/29768149')).body;
    expect(study.source_citation).toBeNull();
    const after = await ctx.app.inject('/v1/studies/29768149/citation?format=vancouver');
    expect(after.body).not.toContain('CIViC');
    expect(after.body).toContain(study.title);
    await ctx.app.close();
  });
});

describe('order within a certainty level', () => {
  it('puts a higher CIViC rating first, then the stronger design, larger sample and newer study, then id', async () => {
    const { app, db } = await imported();
    const write = await writer(db, app);
    // A curated design for one level-B study moves its claim ahead of equally rated ones (and records the move).
    const pmid = cell(ROWS.find((r) => cell(r, 'evidence_id') === '1069') as string, 'pubmed_id');
    expect((await write('PATCH', `/v1/studies/${pmid}`, { design: 'systematic_review' })).statusCode).toBe(200);
    const claims = (await walkPages(app, '/v1/claims?grade_scheme=civic&grade=B&limit=3')).items as any[];
    const keys = claims.map((c) => ({
      rating: c.grade.rating,
      strongest_design: c.evidence_summary.strongest_design,
      sample_size: c.sample_size,
      published: c.studies[0].year === null ? null : String(c.studies[0].year),
      id: c.id,
    }));
    expect(keys.map((k) => k.id)).toEqual([...keys].sort(compareWithinCertainty).map((k) => k.id));
    const four = keys.filter((k) => k.rating === 4);
    expect(four[0]).toMatchObject({ id: 'civic-eid-1069', strongest_design: 'systematic_review' });
    const history = (await getJson(app, '/v1/claims/civic-eid-1069/revisions')).body.items;
    expect(history[0]).toMatchObject({ action: 'update', actor: 'key:1' });
    await app.close();
  });
});

describe('curators and releases', () => {
  it('never undoes a retraction: not by re-importing the item, not by withdrawing it', async () => {
    const { app, db } = await imported();
    const write = await writer(db, app);
    const retract = await write('DELETE', '/v1/claims/civic-eid-34?reason=wrong%20cell%20line');
    expect(retract.statusCode).toBe(200);
    const again = await importCivicText(db, SAMPLE, '01-Nov-2018-ClinicalEvidenceSummaries.tsv');
    expect(again.conflicts).toEqual([
      { claim: 'civic-eid-34', field: 'status', curator_value: 'retracted', import_value: 'published' },
    ]);
    expect((await getJson(app, '/v1/claims/civic-eid-34')).body.status).toBe('retracted');
    const without = `${[HEADER, ...ROWS.filter((r) => cell(r, 'evidence_id') !== '34')].join('\n')}\n`;
    const dropped = await importCivicText(db, without, '01-Dec-2018-ClinicalEvidenceSummaries.tsv');
    expect((await getJson(app, '/v1/claims/civic-eid-34')).body.status).toBe('retracted');
    // The synthetic items went with the November release; item 34 stays retracted, not withdrawn.
    expect([again.withdrawn, dropped.withdrawn]).toEqual([9, 0]);
    await app.close();
  });

  it('brings back an item the release withdrew when a later release has it again', async () => {
    const { app, db } = await imported();
    const without = `${[HEADER, ...ROWS.slice(1)].join('\n')}\n`;
    await importCivicText(db, without, '01-Nov-2018-ClinicalEvidenceSummaries.tsv');
    expect((await getJson(app, '/v1/claims/civic-eid-1')).body.status).toBe('withdrawn');
    const back = await importCivicText(db, SAMPLE, '01-Dec-2018-ClinicalEvidenceSummaries.tsv');
    expect(back.conflicts).toEqual([]);
    expect((await getJson(app, '/v1/claims/civic-eid-1')).body.status).toBe('published');
    await app.close();
  });
});

describe('curated claims with the new fields', () => {
  it('writes evidence type, interventions given together, origin and trials, and links a study by its key', async () => {
    const { app, db } = await imported();
    const write = await writer(db, app);
    const res = await write('POST', '/v1/claims', {
      id: 'curated-erlotinib-abstract',
      statement: 'EGFR L858R predicts response to erlotinib with rapamycin (abstract).',
      plain_summary: 'A meeting abstract reports a response.',
      condition: 'non-small-cell-lung-carcinoma',
      interventions: ['erlotinib', 'rapamycin'],
      intervention_relation: 'combination',
      direction: 'benefit',
      evidence_type: 'predictive',
      variant_origin: 'somatic',
      nct_ids: ['NCT01585805'],
      grade: { scheme: 'GRADE', level: 'very_low', rationale: 'One abstract.' },
      status: 'draft',
      studies: [{ key: 'asco:160900', relation: 'supports' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      plain_summary_source: 'curated',
      intervention_relation: 'combination',
      evidence_type: 'predictive',
      variant_origin: 'somatic',
      nct_ids: ['NCT01585805'],
      studies: [{ key: 'asco:160900', pmid: null, relation: 'supports' }],
    });
    const both = await write('POST', '/v1/claims', {
      id: 'two-names-for-one-study',
      statement: 'S.',
      plain_summary: 'P.',
      condition: null,
      direction: 'benefit',
      grade: { scheme: 'GRADE', level: 'very_low' },
      studies: [{ key: 'asco:160900', pmid: '29097493', relation: 'supports' }],
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([
      { path: 'body.studies.0', message: 'give the study as `pmid` or `key`, not both', pointer: '/studies/0' },
    ]);
    await app.close();
  });
});

describe('npm run import -- civic --dialect', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'civic-dialect-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[]) =>
    spawnSync(join(process.cwd(), 'node_modules/.bin/tsx'), ['src/cli/import.ts', 'civic', ...args], {
      env: { ...process.env, DATABASE_PATH: join(tmp, 'd.db') },
      encoding: 'utf8',
    });

  it('reads a file in the dialect it is told, and says which it used', () => {
    // A 2018 row whose statement is one quoted word: ambiguous between the dialects, so it needs the option.
    const row = withCells(ROWS[0] as string, { evidence_statement: '"Negative"' });
    const file = join(tmp, 'ambiguous.tsv');
    writeFileSync(file, `${HEADER}\n${row}\n`);
    const plain = run(['--json', '--no-withdraw', '--dialect', 'plain', file]);
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ dialect: 'plain', updated: 0, inserted: 1 });
    const quoted = run(['--json', '--no-withdraw', '--dialect', 'quoted', file]);
    expect(JSON.parse(quoted.stdout)).toMatchObject({ dialect: 'quoted', updated: 1 });
    expect(run(['--dialect', 'csv', file]).status).toBe(2);
  });
});
