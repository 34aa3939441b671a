// Control characters in text: refused in write bodies (naming the field), never raw in a citation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBibliography, formatCitation } from '../src/citations/citations.format.js';
import type { StudyBibliography } from '../src/evidence/study-record.js';
import { type App, curatorApp, PROBLEM_TYPE } from './helpers.js';

let app: App;
let key: string;
beforeAll(async () => {
  ({ app, key } = await curatorApp());
});
afterAll(async () => {
  await app.close();
});

async function write(method: 'POST' | 'PATCH', url: string, body: unknown, ifMatch?: string) {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    payload: body as object,
  });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json(), etag: res.headers.etag };
}

const REFUSAL = (char: string) =>
  `contains the control character ${char}; text may hold tabs and line breaks but no other control character (U+0000-U+001F, U+007F)`;

describe('write bodies with control characters', () => {
  it('refuses a NUL in a condition name with 400 naming body.name, and stores nothing', async () => {
    const res = await write('POST', '/v1/conditions', { slug: 'nul-condition', name: 'Nul\u0000condition' });
    expect(res.status).toBe(400);
    expect(res.type).toBe(PROBLEM_TYPE);
    expect(res.body).toMatchObject({
      code: 'request.validation_failed',
      detail: `body.name: ${REFUSAL('U+0000')}`,
      errors: [{ path: 'body.name', message: REFUSAL('U+0000'), pointer: '/name' }],
    });
    expect((await app.inject('/v1/conditions/nul-condition')).statusCode).toBe(404);
  });

  it('names a nested field: an escape character in a synonym is body.synonyms[1]', async () => {
    const res = await write('POST', '/v1/interventions', {
      slug: 'escaped',
      name: 'Escaped',
      kind: 'drug',
      synonyms: ['fine', 'bad\u001b[31m'],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.synonyms[1]', message: REFUSAL('U+001B'), pointer: '/synonyms/1' }]);
  });

  it('refuses DEL in a PATCH of a claim statement', async () => {
    const claim = await app.inject('/v1/claims/melanoma-microbiome-immunotherapy-response');
    const res = await write(
      'PATCH',
      '/v1/claims/melanoma-microbiome-immunotherapy-response',
      { statement: 'x\u007f' },
      claim.headers.etag as string,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.statement', message: REFUSAL('U+007F'), pointer: '/statement' }]);
  });

  it('accepts tabs and line breaks', async () => {
    const res = await write('POST', '/v1/conditions', {
      slug: 'multi-line',
      name: 'Multi line',
      description: 'First line.\nSecond\tline.\r\nThird.',
    });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe('First line.\nSecond\tline.\r\nThird.');
  });
});

describe('citations of stored text with control characters', () => {
  const study: StudyBibliography = {
    pmid: '123',
    title: 'A\u0000 title\u0007 with controls.',
    authors: [{ family: 'Smith\u0001', given: null, initials: 'J', collective: null, suffix: null }],
    authors_complete: true,
    journal: 'Journal\u001f of Tests',
    journal_iso: 'J Tests',
    year: 2020,
    volume: '1',
    issue: null,
    pages: '1-2',
    doi: null,
    pmcid: null,
  } as unknown as StudyBibliography;

  it('leaves them out of Vancouver, AMA, APA, RIS and BibTeX', () => {
    expect(formatCitation(study, 'vancouver')).toBe('Smith J. A title with controls. J Tests. 2020;1:1-2. PMID: 123.');
    for (const format of ['vancouver', 'ama', 'apa', 'ris', 'bibtex'] as const) {
      const text = formatCitation(study, format);
      const controls = [...text].filter((c) => (c < ' ' && !'\t\n\r'.includes(c)) || c === '\u007f');
      expect(controls, format).toEqual([]);
      expect(text, format).toContain('A title with controls');
    }
    expect(formatBibliography([study], 'csl-json')).toContain('"title": "A title with controls"');
  });
});

describe('a NUL in the URL (PostgreSQL refuses U+0000 in text: the same 400 on both engines)', () => {
  const NUL = 'contains U+0000 (NUL), which no identifier, filter or text of this API may hold';
  async function get(url: string) {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
  }

  it('refuses one in a path parameter with 400 naming the path, on every claim sub-resource', async () => {
    for (const url of [
      '/v1/claims/a%00b',
      '/v1/claims/a%00b/citations',
      '/v1/claims/a%00b/fhir',
      '/v1/claims/a%00b/revisions',
      '/v1/conditions/eczema%00',
      '/v1/interventions/%00',
    ]) {
      const res = await get(url);
      expect([url, res.status, res.type, res.body.errors]).toEqual([
        url,
        400,
        PROBLEM_TYPE,
        [{ path: 'path', message: NUL }],
      ]);
    }
  });

  it('refuses one in a query value with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/v1/conditions?q=derm%00', 'query.q'],
      ['/v1/interventions?q=pro%00', 'query.q'],
      ['/v1/claims?limit=5&condition=acne%00', 'query.condition'],
      ['/v1/claims?intervention=%00x', 'query.intervention'],
      ['/v1/search?q=acne%00', 'query.q'],
    ];
    for (const [url, path] of cases) {
      const res = await get(url);
      expect([url, res.status, res.body.errors]).toEqual([url, 400, [{ path, message: NUL }]]);
    }
  });

  it("refuses one in a write's reason and changes nothing", async () => {
    const url = '/v1/claims/gut-dysbiosis-acne-association';
    const before = await app.inject({ method: 'GET', url });
    const res = await app.inject({
      method: 'DELETE',
      url: `${url}?reason=a%00b`,
      headers: { authorization: `Bearer ${key}`, 'if-match': before.headers.etag as string },
    });
    expect([res.statusCode, res.json().errors]).toEqual([400, [{ path: 'query.reason', message: NUL }]]);
    const after = await app.inject({ method: 'GET', url });
    expect([after.json().status, after.headers.etag]).toEqual([before.json().status, before.headers.etag]);
  });
});

describe('edited cursors (their values reach SQL only when they have the kinds this API issued)', () => {
  const cursor = (s: string, k: unknown[]) => Buffer.from(JSON.stringify({ s, k })).toString('base64url');
  const cases: [string, string][] = [
    [`/v1/changes?since=${cursor('changes', ['x'])}`, 'query.since'],
    [`/v1/changes?since=${cursor('changes', [2 ** 40])}`, 'query.since'],
    [`/v1/claims?cursor=${cursor('claims:-certainty', ['x', 'y'])}`, 'query.cursor'],
    [`/v1/claims?cursor=${cursor('claims:-certainty', [1.5, 'y'])}`, 'query.cursor'],
    [`/v1/claims?cursor=${cursor('claims:-certainty', [1e308, 'y'])}`, 'query.cursor'],
    [`/v1/claims?cursor=${cursor('claims:-certainty', [3, 'a\u0000b'])}`, 'query.cursor'],
    [`/v1/claims?sort=-updated&cursor=${cursor('claims:-updated', [3, 'b'])}`, 'query.cursor'],
    [`/v1/conditions?cursor=${cursor('conditions', [7])}`, 'query.cursor'],
    [`/v1/studies?cursor=${cursor('studies', ['x'])}`, 'query.cursor'],
  ];
  it('answers 400 request.invalid_cursor naming the parameter, never a database error', async () => {
    for (const [url, path] of cases) {
      const res = await app.inject({ method: 'GET', url });
      expect([url, res.statusCode, res.json().code, res.json().errors?.[0]?.path]).toEqual([
        url,
        400,
        'request.invalid_cursor',
        path,
      ]);
    }
  });

  it('refuses a search cursor whose offset is edited, the scope kept as the API issued it', async () => {
    const page = (await app.inject({ method: 'GET', url: '/v1/search?q=the&limit=1' })).json();
    const { s } = JSON.parse(Buffer.from(page.next_cursor, 'base64url').toString('utf8'));
    for (const k of [[-1], ['x'], [2.5], [2 ** 40]]) {
      const res = await app.inject({ method: 'GET', url: `/v1/search?q=the&limit=1&cursor=${cursor(s, k)}` });
      expect([k, res.statusCode, res.json().code]).toEqual([k, 400, 'request.invalid_cursor']);
    }
    const next = await app.inject({ method: 'GET', url: `/v1/search?q=the&limit=1&cursor=${cursor(s, [1])}` });
    expect(next.statusCode).toBe(200);
  });

  it('still takes the cursors the API issues', async () => {
    const first = (await app.inject({ method: 'GET', url: '/v1/claims?limit=2' })).json();
    const next = await app.inject({ method: 'GET', url: `/v1/claims?limit=2&cursor=${first.next_cursor}` });
    expect(next.statusCode).toBe(200);
    expect(next.json().items).toHaveLength(2);
    const feed = (await app.inject({ method: 'GET', url: '/v1/changes?limit=3' })).json();
    const more = await app.inject({ method: 'GET', url: `/v1/changes?limit=3&since=${feed.next_cursor}` });
    expect(more.statusCode).toBe(200);
  });
});
