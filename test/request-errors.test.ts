// Error answers that name the right thing: the parameter given, a repeated one, If-Match: *, our own codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, curatorApp } from './helpers.js';

let app: App;
let key: string;
beforeAll(async () => {
  ({ app, key } = await curatorApp());
});
afterAll(async () => {
  await app.close();
});

const CLAIM = '/v1/claims/melanoma-microbiome-immunotherapy-response';

describe('query parameter errors', () => {
  it('names query.since for a bad change-feed cursor', async () => {
    const res = await app.inject('/v1/changes?since=abc');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'request.invalid_cursor',
      errors: [{ path: 'query.since', message: 'is not a cursor this API issued' }],
    });
  });

  it('says a one-value parameter was given twice instead of "received NaN"', async () => {
    const res = await app.inject('/v1/claims?limit=1&limit=2');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'request.validation_failed',
      detail: 'query.limit: is given 2 times; this parameter takes one value',
      errors: [{ path: 'query.limit', message: 'is given 2 times; this parameter takes one value' }],
    });
  });
});

describe('If-Match: *', () => {
  it('is a 428 on PATCH, changing nothing: it would skip the lost-update check', async () => {
    const before = (await app.inject(CLAIM)).json();
    const res = await app.inject({
      method: 'PATCH',
      url: CLAIM,
      headers: { authorization: `Bearer ${key}`, 'if-match': '*' },
      payload: { statement: 'Overwritten blind.' },
    });
    expect(res.statusCode).toBe(428);
    expect(res.json()).toMatchObject({
      code: 'request.precondition_required',
      detail:
        'If-Match: * is not accepted here: it matches any version, so it cannot stop a concurrent edit from being overwritten. Send the ETag from a GET of this resource.',
    });
    expect((await app.inject(CLAIM)).json().statement).toBe(before.statement);
  });
});

describe('codes of the body parser', () => {
  it('answers an unsupported media type with request.unsupported_media_type, not a Fastify code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/conditions',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'slug=a',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      type: 'urn:evidence-api:problem:request.unsupported_media_type',
      code: 'request.unsupported_media_type',
    });
  });

  it('answers malformed JSON with request.invalid_json and an empty JSON body with request.empty_body', async () => {
    const post = (payload: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/conditions',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload,
      });
    expect((await post('{"slug":')).json()).toMatchObject({ status: 400, code: 'request.invalid_json' });
    expect((await post('')).json()).toMatchObject({ status: 400, code: 'request.empty_body' });
  });
});
