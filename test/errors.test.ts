// What a client is told when a request is wrong: every 422 names its place with a path and a JSON Pointer, a missing
// parameter "is required", and a body of a type the operation does not read is a 415, all as problem+json.
import { beforeEach, describe, expect, it } from 'vitest';
import { type App, curatorApp, PROBLEM_TYPE } from './helpers.js';

let ctx: { app: App; key: string };

beforeEach(async () => {
  ctx = await curatorApp();
});

const claim = (fields: Record<string, unknown>) => ({
  id: 'errors-test-claim',
  statement: 'A statement.',
  plain_summary: 'A summary.',
  condition: 'eczema',
  interventions: ['oral-probiotics'],
  outcome: null,
  direction: 'benefit',
  grade: { scheme: 'GRADE', level: 'very_low', rationale: 'Test.' },
  studies: [{ pmid: '34785010', relation: 'supports' }],
  ...fields,
});

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${ctx.key}`, ...headers },
    payload: payload as string,
  });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
}

describe('422 evidence rules name the place in the body', () => {
  it('a condition that does not exist: path body.condition, pointer /condition', async () => {
    const res = await post('/v1/claims', claim({ condition: 'no-such-condition' }));
    expect(res.status).toBe(422);
    expect(res.type).toBe(PROBLEM_TYPE);
    expect(res.body.rule).toBe('claim.condition_exists');
    expect(res.body.errors).toEqual([
      { path: 'body.condition', message: "No condition has slug 'no-such-condition'.", pointer: '/condition' },
    ]);
  });

  it('a malformed PMID in the second link: path body.studies[1], pointer /studies/1', async () => {
    const res = await post(
      '/v1/claims',
      claim({
        studies: [
          { pmid: '34785010', relation: 'supports' },
          { pmid: '0123', relation: 'context' },
        ],
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('study.pmid_digits');
    expect(res.body.errors).toEqual([
      {
        path: 'body.studies[1]',
        message: "PMID '0123' must be 1 to 9 digits with no leading zero.",
        pointer: '/studies/1',
      },
    ]);
  });

  it('a claim with no study: path body.studies', async () => {
    const res = await post('/v1/claims', claim({ studies: [] }));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'body.studies', message: 'A claim needs at least one linked study.', pointer: '/studies' },
    ]);
  });
});

describe('400 for a missing parameter', () => {
  it('says "is required", not what zod expected', async () => {
    const res = await ctx.app.inject('/v1/search');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.json().errors).toEqual([{ path: 'query.q', message: 'is required' }]);
    expect(res.json().detail).toBe('query.q: is required');
  });
});

describe('415 for a body the operation does not read', () => {
  it('answers a text/plain body to a JSON operation with 415 problem+json, writing nothing', async () => {
    const res = await post('/v1/claims', JSON.stringify(claim({})), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.type).toBe(PROBLEM_TYPE);
    expect(res.body).toMatchObject({ status: 415, code: 'request.unsupported_media_type' });
    expect((await ctx.app.inject('/v1/claims/errors-test-claim')).statusCode).toBe(404);
  });
});
