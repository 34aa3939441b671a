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
