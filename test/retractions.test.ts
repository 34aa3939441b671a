// Retractions act (issue 9), end to end: a PubMed import retracts a study a claim rests on, and in the same commit the
// claim gains the caveat, names the study, awaits review and leaves `min_grade` filters; the filters, the change feed
// and every citation format show it; a curator's review ends it. Also: curators' retractions, expressions of concern,
// stale files, and PubMed's DeleteCitation.

import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { runImportCli } from '../src/cli/import.js';
import { prepareDatabase } from '../src/curation/prepare.js';
import { importPubmedFiles, parsePubmedSources, writePubmedImport } from '../src/importers/pubmed/pubmed.import.js';
import { openDatabase } from '../src/store/client.js';
import { type App, curatorApp, scratchPath } from './helpers.js';

const FIELD_REPORTS = new URL('./fixtures/field-reports/', import.meta.url).pathname;
const RETRACTED_XML = `${FIELD_REPORTS}05-retracted-publication.xml`;
const NOTICE = 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8';
const RETRACTION = { source: 'retraction_in', notice_pmid: '195582', notice_citation: NOTICE };
const CLAIM = 'oleate-synaptic-membranes';

type Ctx = Awaited<ReturnType<typeof curatorApp>>;
let ctx: Ctx;

/** An API call with the curator's key; writes other than create send If-Match from a GET of `tagFrom` (or the URL). */
async function call(method: string, url: string, body?: unknown, tagFrom?: string) {
  const withTag = tagFrom !== undefined || (method !== 'GET' && method !== 'POST');
  const ifMatch = withTag
    ? ((await ctx.app.inject(tagFrom ?? (url.split('?')[0] as string))).headers.etag as string)
    : undefined;
  const res = await ctx.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(method === 'GET' ? {} : { authorization: `Bearer ${ctx.key}` }),
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
    },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

const ids = (page: { items: { id?: string; pmid?: string }[] }) => page.items.map((i) => i.id ?? i.pmid);
// The feeds are read as the curator: without a key, revisions that record a draft are left out.
const lastRevision = async (app: App) => {
  const feed = (
    await app.inject({ url: '/v1/changes?limit=1000', headers: { authorization: `Bearer ${ctx.key}` } })
  ).json() as {
    items: { revision: number }[];
  };
  return feed.items.at(-1)?.revision ?? 0;
};
const feedSince = async (app: App, since: number) =>
  (
    (await app.inject({ url: '/v1/changes?limit=1000', headers: { authorization: `Bearer ${ctx.key}` } })).json() as {
      items: { revision: number; entity: string; key: string; action: string; actor: string; reason: string | null }[];
    }
  ).items.filter((c) => c.revision > since);

/** A curated claim graded low that rests on PMID 993 (known only by its PMID until PubMed's record arrives). */
async function claimOn993(id = CLAIM, studies = [{ pmid: '993', relation: 'supports' }]) {
  const res = await call('POST', '/v1/claims', {
    id,
    statement: 'Synaptic transmitters stimulate oleate incorporation into synaptic membrane phospholipid.',
    plain_summary: 'A laboratory finding about nerve-cell membranes.',
    condition: null,
    interventions: [],
    outcome: 'oleate incorporation',
    direction: 'association',
    // PMID 993's design is not recorded (GRADE would start it at very low): the override keeps the min_grade checks meaningful.
    grade: {
      scheme: 'GRADE',
      level: 'low',
      rationale: 'One laboratory study.',
      override_reason: 'Graded low for this test of the min_grade filters.',
    },
    caveats: { codes: ['preliminary'], notes: null },
    studies,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeEach(async () => {
  ctx = await curatorApp();
  expect((await call('POST', '/v1/studies', { pmid: '993' })).status).toBe(201);
});

describe('a PubMed import retracts a study a claim rests on (field report 05, PMID 993)', () => {
  it('acts end to end: study, claim caveat and review, min_grade, has_retracted_evidence, change feed, citations', async () => {
    const { app, db } = ctx;
    const created = await claimOn993();
    expect(created.review).toEqual({
      needed: false,
      reason: null,
      requested_at: null,
      reviewed_at: null,
      reviewed_by: null,
      note: null,
    });
    expect(ids((await call('GET', '/v1/claims?min_grade=low&limit=100')).body)).toContain(CLAIM);
    const since = await lastRevision(app);

    const summary = await importPubmedFiles(db, [RETRACTED_XML]);
    expect(summary).toMatchObject({ records: 1, updated: 1, deleted: [] });

    // The study: retracted, from its RetractionIn notice.
    const study = (await call('GET', '/v1/studies/993')).body;
    expect(study).toMatchObject({ retracted: true, retraction: RETRACTION });
    expect(study.claims.map((c: { id: string }) => c.id)).toEqual([CLAIM]);

    // The claim: same grade, still published, but with the caveat, the pointer and a review request.
    const claim = (await call('GET', `/v1/claims/${CLAIM}`)).body;
    expect(claim.status).toBe('published');
    expect(claim.grade.level).toBe('low');
    expect(claim.caveats.codes).toEqual(['preliminary', 'retracted_evidence']);
    expect(claim.retracted_evidence).toEqual([{ pmid: '993', retraction: RETRACTION }]);
    expect(claim.review).toMatchObject({ needed: true, reason: 'retracted_evidence', reviewed_at: null });
    expect(claim.review.requested_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(claim.studies[0]).toMatchObject({
      pmid: '993',
      retracted: true,
      retraction: RETRACTION,
      publication_kind: 'journal_article',
      publication_status: 'ppublish',
      deleted_by_pubmed: false,
      notices: [{ type: 'RetractionIn', pmid: '195582' }],
    });

    // Filters: out of min_grade above very_low, in at very_low; listed by has_retracted_evidence and retracted.
    expect(ids((await call('GET', '/v1/claims?min_grade=low&limit=100')).body)).not.toContain(CLAIM);
    expect(ids((await call('GET', '/v1/claims?min_grade=2&limit=100')).body)).not.toContain(CLAIM);
    expect(ids((await call('GET', '/v1/claims?min_grade=very_low&limit=100')).body)).toContain(CLAIM);
    expect(ids((await call('GET', '/v1/claims?grade=low&limit=100')).body)).toContain(CLAIM);
    expect(ids((await call('GET', '/v1/claims?has_retracted_evidence=true')).body)).toEqual([CLAIM]);
    expect(ids((await call('GET', '/v1/claims?has_retracted_evidence=false&limit=100')).body)).not.toContain(CLAIM);
    expect(ids((await call('GET', '/v1/studies?retracted=true')).body)).toEqual(['993']);
    expect(ids((await call('GET', '/v1/studies?retracted=false&limit=100')).body)).not.toContain('993');

    // The change feed: the study, then the claim, both from the import, the claim saying why.
    const feed = await feedSince(app, since);
    expect(feed.map((c) => [c.entity, c.key, c.action, c.actor])).toEqual([
      ['study', '993', 'update', 'import:pubmed'],
      ['claim', CLAIM, 'update', 'import:pubmed'],
    ]);
    expect(feed[1]?.reason).toBe(`Study PMID 993 is retracted (RetractionIn PMID 195582: ${NOTICE}).`);
    const history = (await call('GET', `/v1/claims/${CLAIM}/revisions`)).body;
    expect(Object.keys(history.items[0].changes).sort()).toEqual([
      'caveats',
      'retracted_evidence',
      'review',
      'studies',
    ]);

    // Every citation format of the claim's studies marks the retraction.
    const cite = async (format: string) =>
      (
        await ctx.app.inject(
          format === 'csl-json'
            ? `/v1/claims/${CLAIM}/citations/csl-json`
            : `/v1/claims/${CLAIM}/citations?format=${format}`,
        )
      ).body;
    expect(await cite('vancouver')).toBe(
      `1. Gullis RJ, Rowe CE. The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes. Biochem J. 1975;148(3):557-65. Retraction in: ${NOTICE}. PMID: 993; PMCID: PMC1165577.`,
    );
    expect(await cite('ama')).toContain(`membranes [retracted in: ${NOTICE}]. Biochem J.`);
    expect(await cite('apa')).toContain(`557–565. (Retraction published 1977, ${NOTICE})`);
    expect((await cite('ris')).split('\r\n')).toEqual(
      expect.arrayContaining(['N1  - Retracted publication', `N1  - Retraction in: ${NOTICE}. PMID: 195582`]),
    );
    expect(await cite('bibtex')).toContain(`  note = {Retracted publication. Retraction in: ${NOTICE}. PMID: 195582}`);
    expect(JSON.parse(await cite('csl-json'))[0]).toMatchObject({
      status: 'retracted',
      note: `Retraction in: ${NOTICE}. PMID: 195582`,
    });
  });

  it('a curator reviews the claim: it counts in min_grade again, keeps its caveat, and the feed records a review', async () => {
    await claimOn993(CLAIM, [
      { pmid: '993', relation: 'supports' },
      { pmid: '29097493', relation: 'supports' },
    ]);
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const since = await lastRevision(ctx.app);
    const note = 'Laboratory context only; other evidence carries the claim.';
    const reviewed = await call(
      'POST',
      `/v1/claims/${CLAIM}/review?reason=${encodeURIComponent(note)}`,
      undefined,
      `/v1/claims/${CLAIM}`,
    );
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    expect(reviewed.body.review).toMatchObject({
      needed: false,
      reason: null,
      requested_at: null,
      reviewed_by: 'key:1',
      note,
    });
    expect(reviewed.body.caveats.codes).toContain('retracted_evidence');
    expect(ids((await call('GET', '/v1/claims?min_grade=low&limit=100')).body)).toContain(CLAIM);
    expect(ids((await call('GET', '/v1/claims?has_retracted_evidence=true')).body)).toEqual([CLAIM]);
    const feed = await feedSince(ctx.app, since);
    expect(feed.map((c) => [c.entity, c.key, c.action, c.actor, c.reason])).toEqual([
      ['claim', CLAIM, 'review', 'key:1', note],
    ]);

    const again = await call('POST', `/v1/claims/${CLAIM}/review?reason=again`, undefined, `/v1/claims/${CLAIM}`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('claim.review_not_needed');
    const noReason = await call('POST', `/v1/claims/${CLAIM}/review`, undefined, `/v1/claims/${CLAIM}`);
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('query.reason');
    const stale = await ctx.app.inject({
      method: 'POST',
      url: `/v1/claims/${CLAIM}/review?reason=x`,
      headers: { authorization: `Bearer ${ctx.key}` },
    });
    expect(stale.statusCode).toBe(428);
  });

  it('refuses to review a claim whose only supporting study is retracted (422 naming the study), and keeps it awaiting review', async () => {
    await claimOn993();
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const since = await lastRevision(ctx.app);
    const res = await call('POST', `/v1/claims/${CLAIM}/review?reason=looks%20fine`, undefined, `/v1/claims/${CLAIM}`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'evidence.rule_violated',
      rule: 'claim.rests_on_retracted_studies',
      detail:
        'Every study this claim rests on (linked as supports) is retracted: PMID 993. Link a study that is not retracted as supports, or retract the claim.',
      errors: [{ path: 'studies[0]', message: 'PMID 993 is retracted' }],
      retracted_studies: ['993'],
    });
    const claim = (await call('GET', `/v1/claims/${CLAIM}`)).body;
    expect(claim.review).toMatchObject({ needed: true, reason: 'retracted_evidence' });
    expect(ids((await call('GET', '/v1/claims?min_grade=low&limit=100')).body)).not.toContain(CLAIM);
    expect(await feedSince(ctx.app, since)).toEqual([]);
  });

  it('refuses to create or publish a claim resting only on retracted studies (422 naming them)', async () => {
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const body = {
      id: 'only-retracted',
      statement: 'Synaptic transmitters stimulate oleate incorporation.',
      plain_summary: 'A laboratory finding.',
      condition: null,
      interventions: [],
      outcome: null,
      direction: 'association',
      grade: { scheme: 'GRADE', level: 'very_low', rationale: 'One laboratory study.' },
      studies: [
        { pmid: '29097493', relation: 'context' },
        { pmid: '993', relation: 'supports' },
      ],
    };
    for (const status of ['published', 'draft']) {
      const res = await call('POST', '/v1/claims', { ...body, status });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        rule: 'claim.rests_on_retracted_studies',
        errors: [{ path: 'body.studies[1]', message: 'PMID 993 is retracted' }],
        retracted_studies: ['993'],
      });
    }
    expect((await call('GET', '/v1/claims/only-retracted')).status).toBe(404);
  });

  it('refuses to publish a draft or restore a claim whose only supporting study was retracted meanwhile', async () => {
    const auth = { authorization: `Bearer ${ctx.key}` };
    const onlyOn993 = (id: string, status: string) =>
      call('POST', '/v1/claims', {
        id,
        statement: 'Synaptic transmitters stimulate oleate incorporation.',
        plain_summary: 'A laboratory finding.',
        condition: null,
        interventions: [],
        outcome: null,
        direction: 'association',
        grade: { scheme: 'GRADE', level: 'very_low', rationale: 'One laboratory study.' },
        status,
        studies: [{ pmid: '993', relation: 'supports' }],
      });
    expect((await onlyOn993('draft-on-993', 'draft')).status).toBe(201);
    expect((await onlyOn993('retracted-on-993', 'published')).status).toBe(201);
    expect((await call('DELETE', '/v1/claims/retracted-on-993?reason=Duplicate%20entry')).status).toBe(200);
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    for (const [id, operation] of [
      ['draft-on-993', 'publish'],
      ['retracted-on-993', 'restore'],
    ] as const) {
      const before = await ctx.app.inject({ url: `/v1/claims/${id}`, headers: auth });
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/v1/claims/${id}/${operation}?reason=Checked`,
        headers: { ...auth, 'if-match': before.headers.etag as string },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ rule: 'claim.rests_on_retracted_studies', retracted_studies: ['993'] });
      const after = (await ctx.app.inject({ url: `/v1/claims/${id}`, headers: auth })).json();
      expect(after.status).toBe(before.json().status);
    }
  });

  it('a later file without the retraction never un-retracts the study, and changes nothing', async () => {
    await claimOn993();
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const since = await lastRevision(ctx.app);
    const older = readFileSync(RETRACTED_XML, 'utf8')
      .replace('<PublicationType>Retracted Publication</PublicationType>', '')
      .replace(/<CommentsCorrectionsList>[\s\S]*<\/CommentsCorrectionsList>/, '');
    const summary = await writePubmedImport(ctx.db, parsePubmedSources([{ name: 'older.xml', text: older }]));
    expect(summary).toMatchObject({ updated: 1 });
    const study = (await call('GET', '/v1/studies/993')).body;
    expect(study).toMatchObject({ retracted: true, retraction: RETRACTION });
    expect(study.notices.map((n: { type: string }) => n.type)).toEqual(['RetractionIn']);
    const claim = (await call('GET', `/v1/claims/${CLAIM}`)).body;
    expect(claim.review.needed).toBe(true);
    expect((await feedSince(ctx.app, since)).map((c) => `${c.entity}:${c.key}`)).toEqual(['study:993']);
  });

  it('importing the same file again changes nothing: no revision for the study or the claim', async () => {
    await claimOn993();
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const since = await lastRevision(ctx.app);
    expect(await importPubmedFiles(ctx.db, [RETRACTED_XML])).toMatchObject({ unchanged: 1, updated: 0 });
    expect(await feedSince(ctx.app, since)).toEqual([]);
  });

  it('a claim linking an already retracted study gets the caveat and a review request on create', async () => {
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const created = await claimOn993('later-claim', [
      { pmid: '29097493', relation: 'supports' },
      { pmid: '993', relation: 'context' },
    ]);
    expect(created.caveats.codes).toEqual(['preliminary', 'retracted_evidence']);
    expect(created.retracted_evidence).toEqual([{ pmid: '993', retraction: RETRACTION }]);
    expect(created.review).toMatchObject({ needed: true, reason: 'retracted_evidence' });
    // Unlinking the retracted study drops the caveat and the pending review in the same write.
    const patched = await call('PATCH', '/v1/claims/later-claim', {
      studies: [{ pmid: '29097493', relation: 'supports' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.caveats.codes).toEqual(['preliminary']);
    expect(patched.body.retracted_evidence).toEqual([]);
    expect(patched.body.review.needed).toBe(false);
  });

  it('the claim as it was before the import is still readable with as_of', async () => {
    await claimOn993();
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const past = (await call('GET', `/v1/claims/${CLAIM}?as_of=${before}`)).body;
    expect(past.caveats.codes).toEqual(['preliminary']);
    expect(past.review.needed).toBe(false);
    const now = (await call('GET', `/v1/claims/${CLAIM}?as_of=${new Date().toISOString()}`)).body;
    expect(now.caveats.codes).toEqual(['preliminary', 'retracted_evidence']);
  });
});

describe("a curator's retraction of a study", () => {
  it('flags the claims citing it with the source `curator`; withdrawing it unflags them', async () => {
    await claimOn993();
    const retracted = await call('PATCH', '/v1/studies/993?reason=Journal%20notice', { retracted: true });
    expect(retracted.status).toBe(200);
    expect(retracted.body.retraction).toEqual({ source: 'curator', notice_pmid: null, notice_citation: null });
    let claim = (await call('GET', `/v1/claims/${CLAIM}`)).body;
    expect(claim.caveats.codes).toContain('retracted_evidence');
    expect(claim.review.needed).toBe(true);

    const restored = await call('PATCH', '/v1/studies/993', { retracted: false });
    expect(restored.status).toBe(200);
    expect(restored.body.retraction).toBeNull();
    claim = (await call('GET', `/v1/claims/${CLAIM}`)).body;
    expect(claim.caveats.codes).toEqual(['preliminary']);
    expect(claim.retracted_evidence).toEqual([]);
    expect(claim.review.needed).toBe(false);
  });

  it("refuses retracted: false on a study PubMed's own record retracts (422 study.retraction_signals)", async () => {
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const res = await call('PATCH', '/v1/studies/993', { retracted: false });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'evidence.rule_violated', rule: 'study.retraction_signals' });
    expect(res.body.detail).toBe(
      'Study 993 is retracted by its own record (RetractionIn notice PMID 195582): `retracted` must be true.',
    );
  });
});

describe('an expression of concern is shown, not acted on', () => {
  it('keeps the study unretracted and the claim unflagged, with the notice listed', async () => {
    await claimOn993();
    const concern = readFileSync(RETRACTED_XML, 'utf8')
      .replace('<PublicationType>Retracted Publication</PublicationType>', '')
      .replace('RefType="RetractionIn"', 'RefType="ExpressionOfConcernIn"');
    await writePubmedImport(ctx.db, parsePubmedSources([{ name: 'concern.xml (derived from 05)', text: concern }]));
    const study = (await call('GET', '/v1/studies/993')).body;
    expect(study).toMatchObject({ retracted: false, retraction: null });
    expect(study.notices.map((n: { type: string }) => n.type)).toEqual(['ExpressionOfConcernIn']);
    const claim = (await call('GET', `/v1/claims/${CLAIM}`)).body;
    expect(claim.caveats.codes).toEqual(['preliminary']);
    expect(claim.review.needed).toBe(false);
    expect(claim.studies[0].notices).toEqual([{ type: 'ExpressionOfConcernIn', pmid: '195582' }]);
    expect(ids((await call('GET', '/v1/claims?min_grade=low&limit=100')).body)).toContain(CLAIM);
  });
});

describe('notices link both ways when both records are here', () => {
  it('the retracted study links to its notice, and the notice lists the study that names it', async () => {
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    expect((await call('POST', '/v1/studies', { pmid: '195582', title: 'Retraction notice.' })).status).toBe(201);
    const study = (await call('GET', '/v1/studies/993')).body;
    expect(study.notices[0]).toMatchObject({ pmid: '195582', in_database: true });
    const notice = (await call('GET', '/v1/studies/195582')).body;
    expect(notice.linked_from).toEqual([{ pmid: '993', type: 'RetractionIn' }]);
  });
});

describe('DeleteCitation marks the study deleted by PubMed, never deletes it', () => {
  const DELETE_XML = new URL('./fixtures/pubmed/delete-citation.xml', import.meta.url).pathname;

  it('marks the imported PMID, lists every DeleteCitation PMID in the summary, and shows the mark in the API', async () => {
    await claimOn993();
    await importPubmedFiles(ctx.db, [RETRACTED_XML]);
    const since = await lastRevision(ctx.app);
    const summary = await importPubmedFiles(ctx.db, [DELETE_XML]);
    expect(summary).toMatchObject({ records: 1, inserted: 1 });
    expect(summary.deleted).toEqual([
      { file: DELETE_XML, pmid: '993', outcome: 'marked' },
      { file: DELETE_XML, pmid: '900000016', outcome: 'not_in_database' },
    ]);
    const study = (await call('GET', '/v1/studies/993')).body;
    expect(study.deleted_by_pubmed).toBe(true);
    expect(study.deleted_by_pubmed_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(study.title).toBe(
      'The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes.',
    );
    const claim = (await call('GET', `/v1/claims/${CLAIM}`)).body;
    expect(claim.studies[0].deleted_by_pubmed).toBe(true);
    const feed = await feedSince(ctx.app, since);
    expect(feed.map((c) => [c.entity, c.key, c.action, c.reason])).toEqual([
      ['study', '31120893', 'create', null],
      ['study', '993', 'update', `PubMed DeleteCitation (${DELETE_XML})`],
    ]);
    const history = (await call('GET', '/v1/studies/993/revisions')).body;
    expect(history.items[0].changes.deleted_by_pubmed).toEqual({ before: false, after: true });

    // A second import: already marked, nothing written; a record for the PMID does not clear the mark.
    const again = await importPubmedFiles(ctx.db, [DELETE_XML, RETRACTED_XML]);
    expect(again.deleted[0]).toEqual({ file: DELETE_XML, pmid: '993', outcome: 'already_marked' });
    expect((await call('GET', '/v1/studies/993')).body.deleted_by_pubmed).toBe(true);
  });

  it('POST /v1/import/pubmed answers the same summary, deletions included', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/import/pubmed',
      headers: { authorization: `Bearer ${ctx.key}`, 'content-type': 'application/xml' },
      payload: readFileSync(DELETE_XML, 'utf8'),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      records: 1,
      inserted: 1,
      deleted: [
        { file: 'request body', pmid: '993', outcome: 'marked' },
        { file: 'request body', pmid: '900000016', outcome: 'not_in_database' },
      ],
    });
    expect((await call('GET', '/v1/studies/993')).body.deleted_by_pubmed).toBe(true);
  });

  it('npm run import -- pubmed prints the deletions in its summary', async () => {
    const path = scratchPath('delete-citation');
    const run = async (file: string) => {
      const out: string[] = [];
      const code = await runImportCli(['pubmed', file], {
        env: { DATABASE_PATH: path },
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: () => true },
      });
      expect(code).toBe(0);
      return out.join('');
    };
    await run(RETRACTED_XML);
    const text = await run(DELETE_XML);
    expect(text).toContain(
      [
        '  deleted by PubMed (DeleteCitation) 2',
        `    PMID 993 (${DELETE_XML}): study marked deleted by PubMed`,
        `    PMID 900000016 (${DELETE_XML}): not in the database`,
      ].join('\n'),
    );
    await openDatabase(path, { temporary: true }).close();
  });
});

describe('prepareDatabase: rows an earlier version stored without acting on a retraction', () => {
  it('retracts studies typed "Retracted Publication" and flags the claims resting on them, each with a revision', async () => {
    // The state an older release left: the type stored, the flag not set, the claims unflagged.
    await ctx.db.run(
      `UPDATE studies SET publication_types = '["Journal Article","Retracted Publication"]', retracted = FALSE WHERE pmid = '22699609'`,
    );
    const citing = (
      await ctx.db.all<{ id: string }>(
        `SELECT cs.claim_id AS id FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE s.pmid = '22699609' ORDER BY 1`,
      )
    ).map((r) => r.id);
    expect(citing.length).toBeGreaterThan(0);
    const feedBefore = (await call('GET', '/v1/changes?limit=1000')).body.items.length;

    expect((await prepareDatabase(ctx.db)).reconciled).toEqual({ studies: 1, claims: citing.length });

    const study = (await call('GET', '/v1/studies/22699609')).body;
    expect(study).toMatchObject({
      retracted: true,
      retraction: { source: 'publication_type', notice_pmid: null, notice_citation: null },
    });
    expect(ids((await call('GET', '/v1/claims?has_retracted_evidence=true&limit=100')).body).sort()).toEqual(citing);
    for (const id of citing) {
      const claim = (await call('GET', `/v1/claims/${id}`)).body;
      expect(claim.caveats.codes.filter((c: string) => c === 'retracted_evidence')).toEqual(['retracted_evidence']);
      expect(claim.review).toMatchObject({ needed: true, reason: 'retracted_evidence' });
    }
    const feed = (await call('GET', '/v1/changes?limit=1000')).body.items.slice(feedBefore);
    expect(feed.map((c: { entity: string; key: string; actor: string }) => [c.entity, c.key, c.actor])).toEqual([
      ['study', '22699609', 'system:upgrade'],
      ...citing.map((id) => ['claim', id, 'system:upgrade']),
    ]);
    // Run again, it changes nothing (no revision, the caveat not added twice).
    expect((await prepareDatabase(ctx.db)).reconciled).toEqual({ studies: 0, claims: 0 });
    expect((await call('GET', '/v1/changes?limit=1000')).body.items.length).toBe(feedBefore + 1 + citing.length);
  });
});
