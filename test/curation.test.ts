// Curation API: authenticated writes, evidence rules, optimistic concurrency, retraction, history, as_of, change feed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { seedIfEmpty } from '../src/curation/seed.js';
import { openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { testApp } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof testApp>>;
let ctx: Ctx;
let writeKey: string;
let adminKey: string;

const keyFor = async (c: Ctx, scope: 'write' | 'admin', name = `${scope}-curator`) =>
  (await createApiKey(c.db, { name, scope, secret: await resolveKeySecret(c.db) })).key;

beforeEach(async () => {
  ctx = await testApp();
  writeKey = await keyFor(ctx, 'write', 'alice');
  adminKey = await keyFor(ctx, 'admin', 'root');
});

async function call(method: string, url: string, options: { key?: string; body?: unknown; ifMatch?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  const res = await ctx.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body ? res.json() : undefined };
}

const newClaim = (overrides: Record<string, unknown> = {}) => ({
  id: 'probiotics-rosacea-test',
  statement: 'Oral probiotics may reduce rosacea flares in a small trial population.',
  plain_summary: 'Probiotics might help rosacea a little; the evidence is thin.',
  condition: 'rosacea',
  interventions: ['oral-probiotics'],
  outcome: 'rosacea flares',
  direction: 'benefit',
  grade: { scheme: 'GRADE', level: 'very_low', rationale: 'Single small study.' },
  caveats: { codes: ['small_sample'], notes: null },
  studies: [{ pmid: '29097493', relation: 'supports' }],
  ...overrides,
});

describe('authentication on writes', () => {
  it('answers 401 without a key and 403 for a purge with a write key', async () => {
    const anonymous = await call('POST', '/v1/claims', { body: newClaim() });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(anonymous.headers['www-authenticate']).toContain('Bearer');
    const created = await call('POST', '/v1/claims', { key: writeKey, body: newClaim() });
    const purge = await call('DELETE', '/v1/claims/probiotics-rosacea-test?reason=dup&purge=true', {
      key: writeKey,
      ifMatch: created.headers.etag as string,
    });
    expect(purge.status).toBe(403);
    expect(purge.body.code).toBe('auth.forbidden');
  });
});

describe('POST /v1/claims', () => {
  it('creates a claim with Location, ETag and a create revision naming the key and reason', async () => {
    const res = await call('POST', '/v1/claims?reason=New%20trial', { key: writeKey, body: newClaim() });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/v1/claims/probiotics-rosacea-test');
    expect(res.headers.etag).toMatch(/^"[^"]+\.v\d+"$/);
    expect(res.body).toMatchObject({
      id: 'probiotics-rosacea-test',
      condition: { slug: 'rosacea' },
      grade: { scheme: 'GRADE', level: 'very_low', certainty: 1 },
      studies: [{ pmid: '29097493', relation: 'supports', sample_size: 112 }],
      sample_size: 112,
      source: { name: 'curated' },
    });
    const listed = await call('GET', '/v1/claims?condition=rosacea&intervention=oral-probiotics');
    expect(listed.body.items.map((c: any) => c.id)).toEqual(['probiotics-rosacea-test']);
    const revisions = await call('GET', '/v1/claims/probiotics-rosacea-test/revisions', { key: writeKey });
    expect(revisions.body.items).toHaveLength(1);
    // Keys are named by id (alice is key 1 of this database); a caller with a key also sees the name.
    expect(revisions.body.items[0]).toMatchObject({
      action: 'create',
      actor: 'key:1',
      actor_name: 'alice',
      reason: 'New trial',
    });
    expect(revisions.body.items[0].changes.statement).toEqual({ before: null, after: newClaim().statement });
  });

  it.each([
    [{ studies: [] }, 'claim.needs_study'],
    [{ studies: [{ pmid: '11111111', relation: 'supports' }] }, 'claim.studies_exist'],
    [{ studies: [{ pmid: '0123', relation: 'supports' }] }, 'study.pmid_digits'],
    [{ condition: 'lupus' }, 'claim.condition_exists'],
    [{ interventions: ['unicorn-dust'] }, 'claim.interventions_exist'],
    [
      { grade: { scheme: 'GRADE', level: 'high', rationale: 'Looks convincing.' } },
      'grade.high_needs_rct_or_upgrade_rationale',
    ],
    [{ studies: [{ pmid: '29097493', relation: 'context' }] }, 'claim.needs_supporting_study'],
  ])('refuses %j with 422 naming rule %s', async (overrides, rule) => {
    const res = await call('POST', '/v1/claims', { key: writeKey, body: newClaim(overrides) });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({ status: 422, code: 'evidence.rule_violated', rule });
    expect((await call('GET', '/v1/claims/probiotics-rosacea-test')).status).toBe(404);
  });

  it('accepts GRADE high on a supporting cohort when its domains rate it up twice, and shows the arithmetic', async () => {
    const notSerious = { judgement: 'not_serious', rationale: null };
    const res = await call('POST', '/v1/claims', {
      key: writeKey,
      body: newClaim({
        grade: {
          scheme: 'GRADE',
          level: 'high',
          rationale: 'Rated up twice.',
          domains: {
            risk_of_bias: notSerious,
            inconsistency: notSerious,
            indirectness: notSerious,
            imprecision: notSerious,
            publication_bias: notSerious,
            large_effect: { judgement: 'very_large', rationale: 'Relative risk above 5 (hand-built for this test).' },
          },
        },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.grade).toMatchObject({ level: 'high', certainty: 4, override_reason: null });
    expect(res.body.grade.assessment).toMatchObject({
      start: { level: 'low', basis: 'observational', design: 'cohort' },
      computed_level: 'high',
      overridden: false,
    });
    expect(res.body.grade.assessment.steps.at(-1)).toMatchObject({ domain: 'large_effect', change: 2 });
  });

  it('flags GRADE high on a cohort with only a free-text upgrade rationale as an override, showing the computed low', async () => {
    const res = await call('POST', '/v1/claims', {
      key: writeKey,
      body: newClaim({
        grade: {
          scheme: 'GRADE',
          level: 'high',
          rationale: 'Rated up twice.',
          upgrade_rationale:
            'Very large effect with a dose-response gradient; all plausible confounding would reduce it.',
        },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.grade).toMatchObject({
      level: 'high',
      certainty: 4,
      upgrade_rationale: expect.stringContaining('dose-response'),
    });
    expect(res.body.grade.assessment).toMatchObject({
      computed_level: 'low',
      upper_bound: true,
      overridden: true,
      override_reason: 'Very large effect with a dose-response gradient; all plausible confounding would reduce it.',
    });
  });

  it('refuses GRADE high on a study linked only as context, even with an upgrade rationale', async () => {
    const res = await call('POST', '/v1/claims', {
      key: writeKey,
      body: newClaim({
        grade: { scheme: 'GRADE', level: 'high', rationale: 'x', upgrade_rationale: 'Very large effect.' },
        studies: [{ pmid: '29097493', relation: 'context' }],
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      rule: 'claim.needs_supporting_study',
      detail:
        'A published claim needs at least one study linked as supports; this one has only context studies. Link the study that supports it, or keep the claim as a draft.',
      errors: [{ path: 'body.studies', message: 'no study is linked as supports' }],
    });
  });

  it('rejects unknown fields with 400 and an existing id with 409', async () => {
    const unknown = await call('POST', '/v1/claims', { key: writeKey, body: { ...newClaim(), colour: 'blue' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'body.colour', message: 'unknown parameter', pointer: '/colour' }]);
    const duplicate = await call('POST', '/v1/claims', {
      key: writeKey,
      body: newClaim({ id: 'melanoma-microbiome-immunotherapy-response' }),
    });
    expect(duplicate.status).toBe(409);
  });
});

describe('PATCH /v1/claims/{id}', () => {
  it('needs If-Match (428), refuses a stale one (412) and lets exactly one of two racing edits win', async () => {
    const read = await call('GET', '/v1/claims/gut-dysbiosis-acne-association');
    const etag = read.headers.etag as string;
    const missing = await call('PATCH', '/v1/claims/gut-dysbiosis-acne-association', {
      key: writeKey,
      body: { outcome: 'acne' },
    });
    expect(missing.status).toBe(428);

    const [a, b] = await Promise.all([
      call('PATCH', '/v1/claims/gut-dysbiosis-acne-association', {
        key: writeKey,
        ifMatch: etag,
        body: { outcome: 'A' },
      }),
      call('PATCH', '/v1/claims/gut-dysbiosis-acne-association', {
        key: writeKey,
        ifMatch: etag,
        body: { outcome: 'B' },
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? 'A' : 'B';
    const loser = a.status === 412 ? a : b;
    expect(loser.body.code).toBe('request.precondition_failed');
    const now = await call('GET', '/v1/claims/gut-dysbiosis-acne-association');
    expect(now.body.outcome).toBe(winner);
    expect(loser.headers.etag).toBe(now.headers.etag);
    expect(now.headers.etag).not.toBe(etag);
    const stale = await call('PATCH', '/v1/claims/gut-dysbiosis-acne-association', {
      key: writeKey,
      ifMatch: etag,
      body: { outcome: 'C' },
    });
    expect(stale.status).toBe(412);
    const weak = await call('PATCH', '/v1/claims/gut-dysbiosis-acne-association', {
      key: writeKey,
      ifMatch: `W/${now.headers.etag}`,
      body: { outcome: 'C' },
    });
    expect(weak.status).toBe(412);
  });

  it('changes only the given fields and keeps the rest', async () => {
    const read = await call('GET', '/v1/claims/probiotics-prebiotics-acne');
    const res = await call('PATCH', '/v1/claims/probiotics-prebiotics-acne?reason=typo', {
      key: writeKey,
      ifMatch: read.headers.etag as string,
      body: { plain_summary: 'Edited plain summary.' },
    });
    expect(res.status).toBe(200);
    expect(res.body.plain_summary).toBe('Edited plain summary.');
    const { plain_summary: _a, updated_at: _b, ...rest } = res.body;
    const { plain_summary: _c, updated_at: _d, ...before } = read.body;
    expect(rest).toEqual(before);
    const revisions = await call('GET', '/v1/claims/probiotics-prebiotics-acne/revisions');
    expect(revisions.body.items[0]).toMatchObject({
      action: 'update',
      actor: 'key:1',
      actor_name: null,
      reason: 'typo',
      changes: { plain_summary: { before: read.body.plain_summary, after: 'Edited plain summary.' } },
    });
    expect(Object.keys(revisions.body.items[0].changes)).toEqual(['plain_summary']);
  });

  it('refuses to change the id, and applies evidence rules to the merged claim', async () => {
    const read = await call('GET', '/v1/claims/probiotics-prebiotics-acne');
    const idChange = await call('PATCH', '/v1/claims/probiotics-prebiotics-acne', {
      key: writeKey,
      ifMatch: read.headers.etag as string,
      body: { id: 'other' },
    });
    expect(idChange.status).toBe(400);
    const noStudies = await call('PATCH', '/v1/claims/probiotics-prebiotics-acne', {
      key: writeKey,
      ifMatch: read.headers.etag as string,
      body: { studies: [] },
    });
    expect(noStudies.status).toBe(422);
    expect(noStudies.body.rule).toBe('claim.needs_study');
  });
});

describe('DELETE /v1/claims/{id}', () => {
  it('retracts with a reason: out of listings and answer cards, still readable, in history', async () => {
    const read = await call('GET', '/v1/claims/probiotics-prebiotics-acne');
    const noReason = await call('DELETE', '/v1/claims/probiotics-prebiotics-acne', {
      key: writeKey,
      ifMatch: read.headers.etag as string,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('query.reason');
    const res = await call('DELETE', '/v1/claims/probiotics-prebiotics-acne?reason=Trial%20retracted', {
      key: writeKey,
      ifMatch: read.headers.etag as string,
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('retracted');
    const listed = await call('GET', '/v1/claims?condition=acne');
    expect(listed.body.items.map((c: any) => c.id)).not.toContain('probiotics-prebiotics-acne');
    const retracted = await call('GET', '/v1/claims?status=retracted');
    expect(retracted.body.items.map((c: any) => c.id)).toEqual(['probiotics-prebiotics-acne']);
    const card = await call('GET', '/v1/topics/gut-microbiome-and-skin');
    expect(card.body.claims.map((c: any) => c.id)).not.toContain('probiotics-prebiotics-acne');
    const revisions = await call('GET', '/v1/claims/probiotics-prebiotics-acne/revisions');
    expect(revisions.body.items[0]).toMatchObject({
      action: 'retract',
      reason: 'Trial retracted',
      changes: { status: { before: 'published', after: 'retracted' } },
    });
  });

  it('purges with an admin key; the purge stays in the change feed', async () => {
    // A seeded draft: only a key reads it (and its ETag).
    const read = await call('GET', '/v1/claims/probiotic-strain-dose-unknown', { key: adminKey });
    const res = await call('DELETE', '/v1/claims/probiotic-strain-dose-unknown?reason=duplicate&purge=true', {
      key: adminKey,
      ifMatch: read.headers.etag as string,
    });
    expect(res.status).toBe(204);
    expect((await call('GET', '/v1/claims/probiotic-strain-dose-unknown', { key: adminKey })).status).toBe(404);
    const card = await call('GET', '/v1/topics/gut-microbiome-and-skin');
    expect(card.body.claims.map((c: any) => c.id)).not.toContain('probiotic-strain-dose-unknown');
    const feed = await call('GET', '/v1/changes?limit=1000', { key: adminKey });
    expect(feed.body.items.at(-1)).toMatchObject({
      entity: 'claim',
      key: 'probiotic-strain-dose-unknown',
      action: 'purge',
      actor: 'key:2',
      actor_name: 'root',
      reason: 'duplicate',
    });
  });
});

describe('reads pinned to the past', () => {
  it('returns a claim as it was between edits with ?as_of', async () => {
    const id = 'gut-dysbiosis-rosacea-association';
    const statements: string[] = [];
    const moments: string[] = [];
    for (const n of [1, 2, 3]) {
      const read = await call('GET', `/v1/claims/${id}`);
      const statement = `Edited statement number ${n}.`;
      const res = await call('PATCH', `/v1/claims/${id}`, {
        key: writeKey,
        ifMatch: read.headers.etag as string,
        body: { statement },
      });
      expect(res.status).toBe(200);
      statements.push(statement);
      await new Promise((r) => setTimeout(r, 15));
      moments.push(new Date().toISOString());
      await new Promise((r) => setTimeout(r, 15));
    }
    for (const [i, moment] of moments.entries()) {
      const past = await call('GET', `/v1/claims/${id}?as_of=${moment}`);
      expect(past.status).toBe(200);
      expect(past.body.statement).toBe(statements[i]);
    }
    const beforeAll = await call('GET', `/v1/claims/${id}?as_of=2000-01-01T00:00:00Z`);
    expect(beforeAll.status).toBe(404);
    const bad = await call('GET', `/v1/claims/${id}?as_of=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.as_of');
    const revisions = await call('GET', `/v1/claims/${id}/revisions?limit=2`);
    expect(revisions.body.items.map((r: any) => r.changes.statement?.after)).toEqual([statements[2], statements[1]]);
    expect(revisions.body.next_cursor).not.toBeNull();
  });
});

describe('GET /v1/changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'changes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('feeds changes in commit order with a cursor that survives a restart', async () => {
    const path = join(dir, 'feed.db');
    const open = async () => {
      const db = openDatabase(path);
      await migrateDatabase(db);
      await seedIfEmpty(db);
      const app = await buildApp({ db });
      return { app, db };
    };
    let server = await open();
    const key = (
      await createApiKey(server.db, {
        name: 'feeder',
        scope: 'write',
        secret: await resolveKeySecret(server.db),
      })
    ).key;
    const first = await server.app.inject({
      url: '/v1/changes?limit=1000',
      headers: { authorization: `Bearer ${key}` },
    });
    const seeded = first.json();
    expect(seeded.items.length).toBeGreaterThanOrEqual(35);
    expect(seeded.items.every((c: any) => c.actor === 'seed')).toBe(true);
    expect(seeded.has_more).toBe(false);
    const ids = seeded.items.map((c: any) => c.revision);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    await server.app.close();

    server = await open();
    const created = await server.app.inject({
      method: 'POST',
      url: '/v1/interventions',
      headers: { authorization: `Bearer ${key}` },
      payload: { slug: 'zinc', name: 'Zinc supplements', kind: 'other' },
    });
    expect(created.statusCode).toBe(201);
    const next = (await server.app.inject(`/v1/changes?since=${seeded.next_cursor}`)).json();
    expect(next.items.map((c: any) => [c.entity, c.key, c.action, c.actor])).toEqual([
      ['intervention', 'zinc', 'create', 'key:1'],
    ]);
    const idle = (await server.app.inject(`/v1/changes?since=${next.next_cursor}`)).json();
    expect(idle).toMatchObject({ items: [], has_more: false, next_cursor: next.next_cursor });
    const bad = await server.app.inject('/v1/changes?since=nonsense');
    expect(bad.statusCode).toBe(400);
    await server.app.close();
  });
});

describe('conditions, interventions, studies and topics', () => {
  it('create, update with If-Match and delete a condition, refusing to delete one in use', async () => {
    const created = await call('POST', '/v1/conditions', {
      key: writeKey,
      body: {
        slug: 'seborrhoeic-dermatitis',
        name: 'Seborrhoeic dermatitis',
        synonyms: ['seborrheic dermatitis'],
        parent: 'skin-conditions',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'seborrhoeic-dermatitis', parent: { slug: 'skin-conditions' } });
    const found = await call('GET', '/v1/conditions?q=seborrheic');
    expect(found.body.items.map((c: any) => c.slug)).toEqual(['seborrhoeic-dermatitis']);
    const patched = await call('PATCH', '/v1/conditions/seborrhoeic-dermatitis', {
      key: writeKey,
      ifMatch: created.headers.etag as string,
      body: { description: 'Flaky, red skin in oily areas.' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.synonyms).toEqual(['seborrheic dermatitis']);
    const cycle = await call('PATCH', '/v1/conditions/skin-conditions', {
      key: writeKey,
      ifMatch: (await call('GET', '/v1/conditions/skin-conditions')).headers.etag as string,
      body: { parent: 'eczema' },
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.rule).toBe('condition.parent_acyclic');
    const inUse = await call('DELETE', '/v1/conditions/eczema', {
      key: writeKey,
      ifMatch: (await call('GET', '/v1/conditions/eczema')).headers.etag as string,
    });
    expect(inUse.status).toBe(409);
    const deleted = await call('DELETE', '/v1/conditions/seborrhoeic-dermatitis', {
      key: writeKey,
      ifMatch: patched.headers.etag as string,
    });
    expect(deleted.status).toBe(204);
    expect((await call('GET', '/v1/conditions/seborrhoeic-dermatitis')).status).toBe(404);
    const history = await call('GET', '/v1/conditions/seborrhoeic-dermatitis/revisions');
    expect(history.body.items.map((r: any) => r.action)).toEqual(['delete', 'update', 'create']);
  });

  it('checks study rules with 422 and keeps claim sample sizes in step with a study edit', async () => {
    const negative = await call('POST', '/v1/studies', { key: writeKey, body: { pmid: '31000001', sample_size: -3 } });
    expect(negative.status).toBe(422);
    expect(negative.body.rule).toBe('study.sample_size_non_negative');
    const letters = await call('POST', '/v1/studies', { key: writeKey, body: { pmid: 'PMC123' } });
    expect(letters.body.rule).toBe('study.pmid_digits');
    const read = await call('GET', '/v1/studies/22699609');
    const patched = await call('PATCH', '/v1/studies/22699609', {
      key: writeKey,
      ifMatch: read.headers.etag as string,
      body: { sample_size: 300, sample_size_note: 'corrected count' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ sample_size: 300, title: read.body.title, design: 'cross_sectional' });
    const claim = await call('GET', '/v1/claims/no-universal-ideal-gut-microbiome');
    expect(claim.body.sample_size).toBe(300);
    const inUse = await call('DELETE', '/v1/studies/22699609', {
      key: writeKey,
      ifMatch: patched.headers.etag as string,
    });
    expect(inUse.status).toBe(409);
  });

  it('reorders a topic and refuses unknown claims', async () => {
    const read = await call('GET', '/v1/topics/gut-microbiome-and-skin');
    const order = [...read.body.claims.map((c: any) => c.id)].reverse();
    const res = await call('PATCH', '/v1/topics/gut-microbiome-and-skin', {
      key: writeKey,
      ifMatch: read.headers.etag as string,
      body: { claims: order },
    });
    expect(res.status).toBe(200);
    expect(res.body.claims.map((c: any) => c.id)).toEqual(order);
    const unknown = await call('PATCH', '/v1/topics/gut-microbiome-and-skin', {
      key: writeKey,
      ifMatch: res.headers.etag as string,
      body: { claims: ['nope'] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.rule).toBe('topic.claims_exist');
  });
});

describe('POST /v1/import/pubmed', () => {
  const xml = readFileSync(new URL('./fixtures/pubmed/rct-29768149.xml', import.meta.url), 'utf8');

  it('imports efetch XML with a write key and records the study revision', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/import/pubmed',
      headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/xml' },
      payload: xml,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ records: 1, inserted: 1, updated: 0, unchanged: 0, skipped: [] });
    const study = await call('GET', '/v1/studies/29768149');
    expect(study.body).toMatchObject({ design: 'rct', doi: '10.1056/NEJMoa1715274' });
    const history = await call('GET', '/v1/studies/29768149/revisions');
    expect(history.body.items[0]).toMatchObject({ action: 'create', actor: 'key:1', actor_name: null });
  });

  it('refuses malformed XML with a 400 and changes nothing, and anonymous imports with a 401', async () => {
    const broken = await ctx.app.inject({
      method: 'POST',
      url: '/v1/import/pubmed',
      headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/xml' },
      payload: xml.slice(0, 5000),
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('import.malformed_file');
    expect((await call('GET', '/v1/studies/29768149')).status).toBe(404);
    const anonymous = await ctx.app.inject({
      method: 'POST',
      url: '/v1/import/pubmed',
      headers: { 'content-type': 'application/xml' },
      payload: xml,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
