// A PMID repeated within one PubMed import: the last record supplies the fields, no record's retraction is dropped.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { curatorApp } from './helpers.js';

const RETRACTED_XML = readFileSync(
  new URL('./fixtures/field-reports/05-retracted-publication.xml', import.meta.url),
  'utf8',
);
const ARTICLE = /<PubmedArticle>[\s\S]*<\/PubmedArticle>/.exec(RETRACTED_XML)?.[0] as string;
const TITLE =
  'The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes.';
/** PMID 993 as an older export gives it: no "Retracted Publication" type, no RetractionIn link, another title. */
const UNRETRACTED = ARTICLE.replace('<PublicationType>Retracted Publication</PublicationType>', '')
  .replace(/<CommentsCorrectionsList>[\s\S]*<\/CommentsCorrectionsList>/, '')
  .replace(TITLE, 'An older title.');
const articleSet = (...articles: string[]) =>
  `<?xml version="1.0"?>\n<PubmedArticleSet>${articles.join('\n')}</PubmedArticleSet>\n`;
const NOTICE = 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8';
const RETRACTION = { source: 'retraction_in', notice_pmid: '195582', notice_citation: NOTICE };

const medline = (title: string, extra: string[]) =>
  [`PMID- 993`, `TI  - ${title}`, `DP  - 1975 Jun`, `TA  - Biochem J`, `PT  - Journal Article`, ...extra].join('\n');
const MEDLINE_RETRACTED = medline('A retracted title.', [
  'PT  - Retracted Publication',
  `RIN - ${NOTICE}. PMID: 195582`,
]);
const MEDLINE_PLAIN = medline('The newer title.', []);

let ctx: Awaited<ReturnType<typeof curatorApp>>;
beforeEach(async () => {
  ctx = await curatorApp({ seed: false });
});

async function post(body: string, contentType: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/import/pubmed',
    headers: { authorization: `Bearer ${ctx.key}`, 'content-type': contentType },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}
const study993 = async () => (await ctx.app.inject('/v1/studies/993')).json();

describe('POST /v1/import/pubmed with a PMID given twice', () => {
  it('XML: keeps the retraction of the earlier record when the later one lacks it, and reports the repetition', async () => {
    const res = await post(articleSet(ARTICLE, UNRETRACTED), 'application/xml');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: 1, inserted: 1, skipped: [], duplicates: [{ pmid: '993', records: 2 }] });
    const study = await study993();
    expect(study.title).toBe('An older title.');
    expect(study).toMatchObject({ retracted: true, retraction: RETRACTION });
    expect(study.publication_types).toEqual(['Journal Article', 'Retracted Publication']);
    expect(study.notices).toEqual([
      { type: 'RetractionIn', pmid: '195582', ref_source: NOTICE, note: null, in_database: false },
    ]);
  });

  it('XML: a later retracted record is written whole: its fields and its retraction', async () => {
    const res = await post(articleSet(UNRETRACTED, ARTICLE), 'application/xml');
    expect(res.body.duplicates).toEqual([{ pmid: '993', records: 2 }]);
    const study = await study993();
    expect(study.title).toBe(TITLE);
    expect(study).toMatchObject({ retracted: true, retraction: RETRACTION });
  });

  it('MEDLINE: keeps the RIN notice and the retracted type of the earlier record', async () => {
    const res = await post(`${MEDLINE_RETRACTED}\n\n${MEDLINE_PLAIN}\n`, 'text/plain');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: 1, inserted: 1, duplicates: [{ pmid: '993', records: 2 }] });
    const study = await study993();
    expect(study.title).toBe('The newer title.');
    expect(study).toMatchObject({ retracted: true, retraction: RETRACTION });
  });

  it('reports no duplicates when every PMID is given once', async () => {
    const res = await post(articleSet(ARTICLE), 'application/xml');
    expect(res.body).toMatchObject({ records: 1, duplicates: [] });
  });
});
