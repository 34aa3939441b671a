// Access rules (issue 10): a claim's status changes only through its own operation with a reason; drafts are seen only
// by API keys and changed only by their creator or an admin; revisions name keys by id, and by name only to keys.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { type App, PROBLEM_TYPE, testApp } from './helpers.js';

/** Seeded drafts (seeds/gut-skin-axis.json): the seed created them, so no key is their creator. */
const SEEDED_DRAFT = 'fibre-rich-diet-gut-flora';
const PUBLISHED = 'probiotics-prebiotics-acne';

let app: App;
let alice: string;
let bob: string;
let admin: string;

beforeEach(async () => {
  const ctx = await testApp();
  app = ctx.app;
  const secret = await resolveKeySecret(ctx.db);
  // Ids 1, 2, 3 in this order: revisions name them `key:1`, `key:2`, `key:3`.
  alice = (await createApiKey(ctx.db, { name: 'alice', scope: 'write', secret })).key;
  bob = (await createApiKey(ctx.db, { name: 'bob', scope: 'write', secret })).key;
  admin = (await createApiKey(ctx.db, { name: 'root', scope: 'admin', secret })).key;
});
afterEach(async () => {
  await app.close();
});

async function call(method: string, url: string, options: { key?: string; body?: unknown; ifMatch?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
  const json = /json/.test(String(res.headers['content-type'])) && res.body;
  return { status: res.statusCode, headers: res.headers, body: json ? res.json() : undefined, raw: res.body };
}

/** A write with the claim's current ETag, read with `key`. */
async function write(method: string, url: string, key: string, body?: unknown) {
  const read = await call('GET', `/v1/claims/${url.split('/')[3]?.split('?')[0]}`, { key });
  return call(method, url, { key, body, ifMatch: read.headers.etag as string });
}

const draftBody = (id: string) => ({
  id,
  statement: 'Oral probiotics may reduce rosacea flares in a small trial population.',
  plain_summary: 'Probiotics might help rosacea a little; the evidence is thin.',
  condition: 'rosacea',
  interventions: ['oral-probiotics'],
  outcome: 'rosacea flares',
  direction: 'benefit',
  grade: { scheme: 'GRADE', level: 'very_low', rationale: 'Single small study.' },
  caveats: { codes: ['small_sample'], notes: null },
  studies: [{ pmid: '29097493', relation: 'supports' }],
  status: 'draft',
});

const revisionsOf = async (id: string, key?: string) =>
  (await call('GET', `/v1/claims/${id}/revisions`, key ? { key } : {})).body.items as {
    action: string;
    actor: string;
    actor_name: string | null;
    reason: string | null;
  }[];

/** One MCP tools/call, as an assistant's client sends it; the tool's result. */
async function rpc(name: string, args: Record<string, unknown>, key?: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/mcp',
    headers: {
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
  });
  return res.json().result as { isError?: boolean; content: { text: string }[] };
}

describe('a status changes only through its own operation, with a reason', () => {
  it('refuses PATCH {"status":"retracted"} with a 422 naming status and the retract operation, and writes nothing', async () => {
    const res = await write('PATCH', `/v1/claims/${PUBLISHED}`, alice, { status: 'retracted' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.body).toMatchObject({
      code: 'evidence.rule_violated',
      rule: 'claim.status_by_operation',
      errors: [
        {
          path: 'body.status',
          pointer: '/status',
          message: `status changes only through its own operation: use DELETE /v1/claims/${PUBLISHED}?reason=... (operation retractClaim), which records why.`,
        },
      ],
    });
    expect((await call('GET', `/v1/claims/${PUBLISHED}`)).body.status).toBe('published');
    expect((await revisionsOf(PUBLISHED)).map((r) => r.action)).toEqual(['create']);
  });

  it('refuses PATCH {"status":"published"} on a retracted claim, pointing to restore; accepts the status it already has', async () => {
    expect((await write('DELETE', `/v1/claims/${PUBLISHED}?reason=Wrong%20population`, alice)).status).toBe(200);
    const unretract = await write('PATCH', `/v1/claims/${PUBLISHED}`, alice, { status: 'published' });
    expect(unretract.status).toBe(422);
    expect(unretract.body.errors).toEqual([
      {
        path: 'body.status',
        pointer: '/status',
        message: `status changes only through its own operation: use POST /v1/claims/${PUBLISHED}/restore?reason=... (operation restoreClaim), which records why.`,
      },
    ]);
    const same = await write('PATCH', `/v1/claims/${PUBLISHED}`, alice, {
      status: 'retracted',
      outcome: 'acne lesions',
    });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ status: 'retracted', outcome: 'acne lesions' });
  });

  it('retracts and restores through their operations, each in the history under its own name with its reason', async () => {
    const retracted = await write('DELETE', `/v1/claims/${PUBLISHED}?reason=Wrong%20population`, alice);
    expect(retracted.body.status).toBe('retracted');
    const noReason = await write('POST', `/v1/claims/${PUBLISHED}/restore`, alice);
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.reason']);
    const restored = await write('POST', `/v1/claims/${PUBLISHED}/restore?reason=Retracted%20by%20mistake`, bob);
    expect(restored.status).toBe(200);
    expect(restored.body.status).toBe('published');
    const history = await revisionsOf(PUBLISHED, alice);
    expect(history.slice(0, 2).map((r) => [r.action, r.actor, r.actor_name, r.reason])).toEqual([
      ['restore', 'key:2', 'bob', 'Retracted by mistake'],
      ['retract', 'key:1', 'alice', 'Wrong population'],
    ]);
    const again = await write('POST', `/v1/claims/${PUBLISHED}/restore?reason=twice`, alice);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('claim.not_retracted');
  });

  it('publishes a draft by its creator with a reason, recorded as publish; a published claim is a 409', async () => {
    const created = await call('POST', '/v1/claims', { key: alice, body: draftBody('alice-draft') });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    const published = await write(
      'POST',
      '/v1/claims/alice-draft/publish?reason=Checked%20by%20a%20second%20curator',
      alice,
    );
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    expect((await revisionsOf('alice-draft')).map((r) => [r.action, r.actor, r.actor_name, r.reason])).toEqual([
      ['publish', 'key:1', null, 'Checked by a second curator'],
    ]);
    const twice = await write('POST', '/v1/claims/alice-draft/publish?reason=again', alice);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('claim.not_draft');
  });
});

describe('a draft is changed only by its creator or an admin key', () => {
  it('answers another write key 403 problem+json on edit, publish and retract, and lets the creator and an admin', async () => {
    await call('POST', '/v1/claims', { key: alice, body: draftBody('alice-draft') });
    for (const [method, url, body] of [
      ['PATCH', '/v1/claims/alice-draft', { outcome: 'flares' }],
      ['POST', '/v1/claims/alice-draft/publish?reason=mine%20now', undefined],
      ['DELETE', '/v1/claims/alice-draft?reason=not%20mine', undefined],
    ] as const) {
      const res = await write(method, url, bob, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(res.body).toMatchObject({
        code: 'auth.forbidden',
        detail: "Claim 'alice-draft' is a draft of key:1: only its creator or an admin key may change it.",
      });
    }
    expect((await write('PATCH', '/v1/claims/alice-draft', alice, { outcome: 'flares' })).status).toBe(200);
    expect((await write('PATCH', '/v1/claims/alice-draft', admin, { outcome: 'rosacea flares' })).status).toBe(200);
    // A seeded draft has no key as its creator: only an admin changes it.
    expect((await write('PATCH', `/v1/claims/${SEEDED_DRAFT}`, alice, { outcome: 'x' })).status).toBe(403);
    expect((await write('PATCH', `/v1/claims/${SEEDED_DRAFT}`, admin, { outcome: 'gut flora' })).status).toBe(200);
    // Once published the claim is every curator's.
    await write('POST', '/v1/claims/alice-draft/publish?reason=ready', alice);
    expect((await write('PATCH', '/v1/claims/alice-draft', bob, { outcome: 'flares' })).status).toBe(200);
  });
});

describe('drafts are seen only by API keys', () => {
  it('answers an anonymous read of a draft, in every form, exactly as for an id that does not exist', async () => {
    const unknown = await call('GET', '/v1/claims/no-such-claim');
    expect(unknown.status).toBe(404);
    for (const path of [
      '',
      '/revisions',
      '/citations',
      '/citations/csl-json',
      '/fhir',
      '?as_of=2030-01-01T00:00:00Z',
    ]) {
      const res = await call('GET', `/v1/claims/${SEEDED_DRAFT}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.detail, path).toBe(`No claim has id '${SEEDED_DRAFT}'.`);
      expect(res.body.code, path).toBe(unknown.body.code);
      expect((await call('GET', `/v1/claims/${SEEDED_DRAFT}${path}`, { key: bob })).status, path).toBe(200);
    }
  });

  it("gives a list a validator per audience, so a cache shared by a key and no key never revalidates the other's list", async () => {
    // The change feed: one data version, the draft's entry only in the keyed representation.
    const url = '/v1/changes?limit=1000';
    const anonymous = await call('GET', url);
    const keyed = await call('GET', url, { key: alice });
    expect(anonymous.body.items.map((c: any) => c.key)).not.toContain(SEEDED_DRAFT);
    expect(keyed.body.items.map((c: any) => c.key)).toContain(SEEDED_DRAFT);
    const tag = String(anonymous.headers.etag);
    expect(tag).toMatch(/^W\/"[^"]+"$/);
    expect(keyed.headers.etag).toBe(tag.replace(/"$/, '.keyed"'));
    const revalidate = async (etag: string, key?: string) => {
      const headers: Record<string, string> = { 'if-none-match': etag };
      if (key) headers.authorization = `Bearer ${key}`;
      return (await app.inject({ method: 'GET', url, headers })).statusCode;
    };
    // Each audience's own tag is fresh for it, and the other's is not.
    expect(await revalidate(tag)).toBe(304);
    expect(await revalidate(String(keyed.headers.etag), alice)).toBe(304);
    expect(await revalidate(String(keyed.headers.etag))).toBe(200);
    expect(await revalidate(tag, alice)).toBe(200);
    // A published claim is one representation for everyone: one strong tag, fresh for both.
    const claim = await call('GET', `/v1/claims/${PUBLISHED}`);
    expect((await call('GET', `/v1/claims/${PUBLISHED}`, { key: alice })).headers.etag).toBe(claim.headers.etag);
    for (const key of [undefined, alice]) {
      const headers: Record<string, string> = { 'if-none-match': String(claim.headers.etag) };
      if (key) headers.authorization = `Bearer ${key}`;
      expect((await app.inject({ method: 'GET', url: `/v1/claims/${PUBLISHED}`, headers })).statusCode).toBe(304);
    }
  });

  it('leaves drafts out of anonymous lists, search, study pages and the change feed, and lists them to keys', async () => {
    const listed = await call('GET', '/v1/claims?limit=100');
    expect(listed.body.items.map((c: { status: string }) => c.status)).not.toContain('draft');
    const drafts = await call('GET', '/v1/claims?status=draft');
    expect(drafts.status).toBe(401);
    expect(drafts.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(drafts.headers['www-authenticate']).toBeDefined();
    const keyed = await call('GET', '/v1/claims?status=draft', { key: bob });
    expect(keyed.body.items.map((c: { id: string }) => c.id).sort()).toEqual([
      SEEDED_DRAFT,
      'probiotic-strain-dose-unknown',
    ]);
    const search = await call('GET', '/v1/search?q=fibre');
    expect(search.body.items.map((h: { id: string }) => h.id)).not.toContain(SEEDED_DRAFT);
    const feed = await call('GET', '/v1/changes?limit=1000');
    const keyedFeed = await call('GET', '/v1/changes?limit=1000', { key: bob });
    const draftsIn = (items: { entity: string; key: string }[]) =>
      items.filter((c) => c.entity === 'claim' && c.key === SEEDED_DRAFT).length;
    expect(draftsIn(feed.body.items)).toBe(0);
    expect(draftsIn(keyedFeed.body.items)).toBe(1);
    expect(feed.headers.vary).toContain('Authorization');
  });

  it('never lists a draft to an MCP client without a key', async () => {
    const anonymous = await rpc('get_claim', { id: SEEDED_DRAFT });
    expect(anonymous.isError).toBe(true);
    expect(anonymous.content[0]?.text).toContain(`No claim has id '${SEEDED_DRAFT}'.`);
    const keyed = await rpc('get_claim', { id: SEEDED_DRAFT }, bob);
    expect(JSON.parse(keyed.content[0]?.text as string).status).toBe('draft');
  });
});

describe('revisions name API keys by id to the public, and by name to keys', () => {
  it('shows key:<id> with actor_name null without a key, and the name with one', async () => {
    expect((await write('PATCH', `/v1/claims/${PUBLISHED}?reason=typo`, alice, { outcome: 'acne' })).status).toBe(200);
    const [publicView] = await revisionsOf(PUBLISHED);
    expect(publicView).toMatchObject({ action: 'update', actor: 'key:1', actor_name: null, reason: 'typo' });
    expect(JSON.stringify(await revisionsOf(PUBLISHED))).not.toContain('alice');
    const [keyedView] = await revisionsOf(PUBLISHED, bob);
    expect(keyedView).toMatchObject({ actor: 'key:1', actor_name: 'alice' });
  });
});

describe('FHIR and MCP show what the REST API shows of retractions and drafts', () => {
  it('carries a retracted study into the FHIR Evidence of a claim resting on it, and filters MCP claims like the list', async () => {
    const study = await call('GET', '/v1/studies/29097493');
    const retracted = await call('PATCH', '/v1/studies/29097493?reason=Journal%20notice', {
      key: alice,
      body: { retracted: true },
      ifMatch: study.headers.etag as string,
    });
    expect(retracted.status).toBe(200);
    const bundle = (await call('GET', '/v1/claims/melanoma-microbiome-immunotherapy-response/fhir')).body as {
      entry: { resource: { resourceType: string; id: string; status?: string; note?: { text: string }[] } }[];
    };
    const evidence = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Evidence');
    const claimEvidence = evidence.find((r) => r.note?.some((n) => n.text.startsWith('Retracted publication')));
    expect(claimEvidence?.note?.map((n) => n.text)).toContain(
      'Retracted publication among the linked studies: PMID 29097493 (Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients).',
    );
    expect(evidence.filter((r) => r.status === 'retired').length).toBeGreaterThanOrEqual(1);

    const viaRest = (await call('GET', '/v1/claims?has_retracted_evidence=true')).body.items.map(
      (c: { id: string }) => c.id,
    );
    const viaMcp = JSON.parse(
      (await rpc('find_claims', { has_retracted_evidence: true })).content[0]?.text as string,
    ).items.map((c: { id: string }) => c.id);
    // The melanoma claim rests on it; the overall skin claim cites it as context.
    expect(viaRest.sort()).toEqual(['gut-flora-skin-health-overall', 'melanoma-microbiome-immunotherapy-response']);
    expect(viaMcp.sort()).toEqual(viaRest);
    const minGrade = JSON.parse((await rpc('find_claims', { min_grade: 'moderate' })).content[0]?.text as string);
    expect(minGrade.items.map((c: { id: string }) => c.id)).toEqual(
      (await call('GET', '/v1/claims?min_grade=moderate')).body.items.map((c: { id: string }) => c.id),
    );
    const drafts = await rpc('find_claims', { status: 'draft' });
    expect(drafts.isError).toBe(true);
  });
});
