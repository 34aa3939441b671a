// A topic may list draft claims (the seed's lists two); its history must not name them to a caller without a key,
// as its own representation does not (issue 10's access rules; found by the hostile review).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curatorApp, getJson } from './helpers.js';

const DRAFTS = ['fibre-rich-diet-gut-flora', 'probiotic-strain-dose-unknown'];
let ctx: Awaited<ReturnType<typeof curatorApp>>;
beforeAll(async () => {
  ctx = await curatorApp();
});
afterAll(() => ctx.app.close());

const listedIn = (items: { entity?: string; changes: Record<string, { before: unknown; after: unknown }> }[]) =>
  items
    .filter((i) => i.entity === undefined || i.entity === 'topic')
    .flatMap((i) => [i.changes.claims?.before, i.changes.claims?.after, i.changes.claim_importance?.after])
    .flatMap((v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.keys(v) : []));

describe('a topic listing draft claims, read through its history', () => {
  it('names the drafts to keys only: topic revisions and the change feed', async () => {
    const auth = { authorization: `Bearer ${ctx.key}` };
    const url = '/v1/topics/gut-microbiome-and-skin/revisions';
    const keyed = listedIn((await getJson(ctx.app, url, auth)).body.items);
    expect(keyed).toEqual(expect.arrayContaining(DRAFTS));
    const anonymous = (await getJson(ctx.app, url)).body.items;
    expect(anonymous.length).toBeGreaterThan(0);
    const shown = listedIn(anonymous);
    expect(shown).toContain('gut-dysbiosis-acne-association');
    expect(shown.filter((id) => DRAFTS.includes(id))).toEqual([]);
    const feed = (await getJson(ctx.app, '/v1/changes?limit=1000')).body.items;
    expect(JSON.stringify(feed)).not.toMatch(/fibre-rich-diet-gut-flora|probiotic-strain-dose-unknown/);
  });

  it('names a claim again once it is published', async () => {
    const auth = { authorization: `Bearer ${ctx.key}` };
    const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: auth, payload });
    const draft = await post('/v1/claims', {
      id: 'staged-melanoma-claim',
      statement: 'Staged for review.',
      plain_summary: 'Staged.',
      condition: null,
      interventions: [],
      outcome: null,
      direction: 'association',
      grade: { scheme: 'GRADE', level: 'very_low', rationale: 'Staged.' },
      status: 'draft',
      studies: [{ pmid: '29097493', relation: 'supports' }],
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const topic = await post('/v1/topics', {
      slug: 'staged-topic',
      question: 'Is this staged?',
      bottom_line: 'Not yet known.',
      evidence_summary: 'Staged.',
      claims: ['gut-dysbiosis-acne-association', 'staged-melanoma-claim'],
    });
    expect(topic.statusCode, topic.body).toBe(201);
    const url = '/v1/topics/staged-topic/revisions';
    expect(listedIn((await getJson(ctx.app, url)).body.items)).toEqual(['gut-dysbiosis-acne-association']);
    const before = await ctx.app.inject({ url: '/v1/claims/staged-melanoma-claim', headers: auth });
    const published = await ctx.app.inject({
      method: 'POST',
      url: '/v1/claims/staged-melanoma-claim/publish?reason=Reviewed',
      headers: { ...auth, 'if-match': before.headers.etag as string },
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(listedIn((await getJson(ctx.app, url)).body.items)).toEqual([
      'gut-dysbiosis-acne-association',
      'staged-melanoma-claim',
    ]);
  });
});
