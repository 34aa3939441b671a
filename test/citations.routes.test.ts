// Citation endpoints: text and CSL-JSON families, formats by parameter and by Accept, media types, downloads, errors.
import core from '@citation-js/core';
import '@citation-js/plugin-ris';
import '@citation-js/plugin-bibtex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPubmedFiles } from '../src/importers/pubmed/pubmed.import.js';
import { getJson, testApp } from './helpers.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(async () => {
  await app.close();
});

const MELANOMA_AMA =
  'Gopalakrishnan V, Spencer CN, Nezi L, et al. Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients. Science. 2018;359(6371):97-103. doi:10.1126/science.aan4236';
const MELANOMA_VANCOUVER =
  'Gopalakrishnan V, Spencer CN, Nezi L, Reuben A, Andrews MC, Karpinets TV, et al. Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients. Science. 2018;359(6371):97-103. doi: 10.1126/science.aan4236. PMID: 29097493; PMCID: PMC5827966.';

describe('GET /v1/studies/{pmid}/citation', () => {
  it('gives the AMA citation of the melanoma study exactly', async () => {
    const res = await app.inject('/v1/studies/29097493/citation?format=ama');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.body).toBe(MELANOMA_AMA);
  });

  it.each([
    [undefined, 'vancouver', 'text/plain; charset=utf-8'],
    ['text/plain', 'vancouver', 'text/plain; charset=utf-8'],
    ['application/x-research-info-systems', 'ris', 'application/x-research-info-systems; charset=utf-8'],
    ['application/x-bibtex', 'bibtex', 'application/x-bibtex; charset=utf-8'],
    ['text/html, application/x-bibtex;q=0.9, text/plain;q=0.1', 'bibtex', 'application/x-bibtex; charset=utf-8'],
    ['*/*', 'vancouver', 'text/plain; charset=utf-8'],
    // A browser opening the link: the documentation promises Vancouver, not a 406.
    ['text/html', 'vancouver', 'text/plain; charset=utf-8'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'vancouver', 'text/plain; charset=utf-8'],
    // axios's default Accept: JSON ties with text, and the text operation answers with text.
    ['application/json, text/plain, */*', 'vancouver', 'text/plain; charset=utf-8'],
  ])('negotiates Accept %s to %s, served as %s', async (accept, format, type) => {
    const byAccept = await app.inject({ url: '/v1/studies/29097493/citation', headers: accept ? { accept } : {} });
    const byParam = await app.inject(`/v1/studies/29097493/citation?format=${format}`);
    expect(byAccept.statusCode).toBe(200);
    expect(byAccept.body).toBe(byParam.body);
    expect(byAccept.headers['content-type']).toBe(type);
    expect(byAccept.headers.vary).toContain('Accept');
  });

  it.each([
    ['application/vnd.citationstyles.csl+json', undefined],
    ['application/json', undefined],
    [undefined, 'csl-json'],
  ])('sends Accept %s or format=%s to the CSL-JSON operation with a 303', async (accept, format) => {
    const res = await app.inject({
      url: `/v1/studies/29097493/citation${format ? `?format=${format}` : ''}`,
      headers: accept ? { accept } : {},
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/v1/studies/29097493/citation/csl-json');
    const followed = await getJson(app, res.headers.location as string);
    expect(followed.headers['content-type']).toBe('application/vnd.citationstyles.csl+json; charset=utf-8');
    expect(followed.body[0]).toMatchObject({ id: 'pmid:29097493', DOI: '10.1126/science.aan4236' });
  });

  it('serves the Vancouver citation by default', async () => {
    const res = await app.inject('/v1/studies/29097493/citation');
    expect(res.body).toBe(MELANOMA_VANCOUVER);
  });

  it.each([
    ['ris', 'pmid-29097493.ris', 'TY  - JOUR'],
    ['bibtex', 'pmid-29097493.bib', '@article{pmid29097493,'],
  ])('serves format=%s as text/plain, as a download', async (format, file, start) => {
    const res = await app.inject(`/v1/studies/29097493/citation?format=${format}`);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${file}"`);
    expect(res.body.startsWith(start)).toBe(true);
  });

  it('lets the format parameter win over Accept', async () => {
    const res = await app.inject({
      url: '/v1/studies/29097493/citation?format=ama',
      headers: { accept: 'application/x-bibtex' },
    });
    expect(res.body).toBe(MELANOMA_AMA);
  });

  it('gives a valid, honest entry for a study known only by its PMID', async () => {
    const text = await app.inject('/v1/studies/35866234/citation?format=vancouver');
    expect(text.body).toBe('PMID: 35866234. Bibliographic details not yet available.');
    const csl = await getJson(app, '/v1/studies/35866234/citation/csl-json');
    expect(csl.body).toEqual([
      {
        type: 'article-journal',
        id: 'pmid:35866234',
        PMID: '35866234',
        URL: 'https://pubmed.ncbi.nlm.nih.gov/35866234/',
        note: 'Bibliographic details not yet available',
      },
    ]);
    for (const format of ['vancouver', 'ama', 'apa', 'ris', 'bibtex']) {
      const res = await app.inject(`/v1/studies/35866234/citation?format=${format}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/undefined|null|NaN/);
    }
  });

  it('answers 404 for an unknown PMID and 400 for an unknown format, naming it', async () => {
    const missing = await getJson(app, '/v1/studies/11111111/citation');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('studies.not_found');
    const missingCsl = await getJson(app, '/v1/studies/11111111/citation/csl-json');
    expect(missingCsl.status).toBe(404);
    expect(missingCsl.body.detail).toBe('No study has PMID 11111111.');
    const badFormat = await getJson(app, '/v1/studies/29097493/citation?format=mla');
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.errors[0].path).toBe('query.format');
  });
});

describe('GET /v1/studies/{pmid}/citation/csl-json', () => {
  it('gives an array of one CSL-JSON item with its own media type', async () => {
    const res = await getJson(app, '/v1/studies/29097493/citation/csl-json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.citationstyles.csl+json; charset=utf-8');
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ type: 'article-journal', PMID: '29097493', PMCID: 'PMC5827966' });
    const unknown = await getJson(app, '/v1/studies/29097493/citation/csl-json?format=ris');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'query.format', message: 'unknown parameter' }]);
  });
});

describe('GET /v1/claims/{id}/citations', () => {
  it("lists the claim's studies in the claim's order, and RIS reads back cleanly in an independent parser", async () => {
    const claim = await getJson(app, '/v1/claims/gut-flora-skin-health-overall');
    const res = await app.inject('/v1/claims/gut-flora-skin-health-overall/citations?format=ris');
    expect(res.headers['content-disposition']).toBe('attachment; filename="claim-gut-flora-skin-health-overall.ris"');
    expect(
      res.body
        .split('\r\n')
        .filter((l) => l.length > 0)
        .every((l) => /^[A-Z][A-Z0-9] {2}- ?/.test(l)),
    ).toBe(true);
    const items = new core.Cite(res.body).data as any[];
    expect(items.map((i) => String(i.PMID ?? i.number ?? i['call-number'] ?? ''))).toHaveLength(
      claim.body.studies.length,
    );
    const parsedTitles = items.map((i) => i.title ?? null);
    expect(parsedTitles).toEqual(claim.body.studies.map((s: any) => s.title));
    const melanoma = items[claim.body.studies.findIndex((s: any) => s.pmid === '29097493')];
    expect(melanoma.DOI).toBe('10.1126/science.aan4236');
    expect(melanoma.author.slice(0, 2)).toEqual([
      { family: 'Gopalakrishnan', given: 'V.' },
      { family: 'Spencer', given: 'C. N.' },
    ]);
    expect(melanoma.issued['date-parts'][0][0]).toBe(2018);
  });

  it('numbers a Vancouver bibliography and parses BibTeX back with the same keys', async () => {
    const text = await app.inject('/v1/claims/no-universal-ideal-gut-microbiome/citations?format=vancouver');
    expect(text.body).toBe(
      '1. Human Microbiome Project Consortium. Structure, function and diversity of the healthy human microbiome. Nature. 2012;486(7402):207-14. doi: 10.1038/nature11234. PMID: 22699609; PMCID: PMC3564958.',
    );
    const bib = await app.inject('/v1/claims/gut-dysbiosis-acne-association/citations?format=bibtex');
    const items = new core.Cite(bib.body).data as any[];
    expect(items.map((i) => i['citation-key'] ?? i.id)).toEqual(['pmid34785010', 'pmid27554239']);
    expect(items[1].author.map((a: any) => a.family)).toEqual(["O'Neill", 'Monteleone', 'McLaughlin', 'Paus']);
  });

  it('is a 404 for an unknown claim', async () => {
    const res = await getJson(app, '/v1/claims/nope/citations');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('claims.not_found');
  });
});

describe('GET /v1/topics/{slug}/citations', () => {
  it('lists each distinct study once, in order of first citation', async () => {
    const topic = await getJson(app, '/v1/topics/gut-microbiome-and-skin');
    const expected: string[] = [];
    for (const claim of topic.body.claims)
      for (const s of claim.studies) if (!expected.includes(s.pmid)) expected.push(s.pmid);
    const csl = await getJson(app, '/v1/topics/gut-microbiome-and-skin/citations/csl-json');
    expect(csl.body.map((i: any) => i.PMID)).toEqual(expected);
    expect(expected).toHaveLength(8);
    for (const item of csl.body) expect(item).toMatchObject({ type: 'article-journal', id: `pmid:${item.PMID}` });
  });
});

describe('GET /v1/citations', () => {
  it('keeps the requested order and drops duplicates', async () => {
    const res = await getJson(app, '/v1/citations/csl-json?pmids=22699609,29097493,22699609');
    expect(res.status).toBe(200);
    expect(res.body.map((i: any) => i.PMID)).toEqual(['22699609', '29097493']);
    expect(res.body[0].author).toEqual([{ literal: 'Human Microbiome Project Consortium' }]);
    expect(res.body[1].DOI).toBe('10.1126/science.aan4236');
  });

  it('lists unknown PMIDs in a 404 problem instead of returning a short list, in both families', async () => {
    for (const url of ['/v1/citations?pmids=29097493,123,456', '/v1/citations/csl-json?pmids=29097493,123,456']) {
      const res = await getJson(app, url);
      expect(res.status, url).toBe(404);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body).toMatchObject({ code: 'citations.unknown_pmids', missing: ['123', '456'] });
    }
  });

  it('keeps old links to format=csl-json working: a 303 to the CSL-JSON operation with the same PMIDs', async () => {
    const res = await app.inject('/v1/citations?pmids=22699609,29097493&format=csl-json');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/v1/citations/csl-json?pmids=22699609%2C29097493');
    const followed = await getJson(app, res.headers.location as string);
    expect(followed.body.map((i: any) => i.PMID)).toEqual(['22699609', '29097493']);
  });

  it('rejects malformed lists and more than 200 PMIDs', async () => {
    const bad = await getJson(app, '/v1/citations?pmids=29097493,abc');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'query.pmids', message: 'not PubMed ids: abc' }]);
    const many = Array.from({ length: 201 }, (_, i) => String(10_000_000 + i)).join(',');
    const tooMany = await getJson(app, `/v1/citations?pmids=${many}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toContain('at most 200');
    const missingParam = await getJson(app, '/v1/citations');
    expect(missingParam.status).toBe(400);
    expect(missingParam.body.errors[0].path).toBe('query.pmids');
  });
});

describe('citations of imported PubMed records', () => {
  const FIXTURES = new URL('./fixtures/pubmed/', import.meta.url).pathname;
  let imported: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    imported = await testApp({ seed: false });
    await importPubmedFiles(imported.db, [`${FIXTURES}rct-29768149.xml`, `${FIXTURES}observational-inline-markup.xml`]);
  });
  afterAll(async () => {
    await imported.app.close();
  });

  it.each([
    [
      '29768149',
      'vancouver',
      "O'Byrne PM, FitzGerald JM, Bateman ED, Barnes PJ, Zhong N, Keen C, et al. Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma. N Engl J Med. 2018;378(20):1865-76. doi: 10.1056/NEJMoa1715274. PMID: 29768149.",
    ],
    [
      '29768149',
      'ama',
      "O'Byrne PM, FitzGerald JM, Bateman ED, et al. Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma. N Engl J Med. 2018;378(20):1865-1876. doi:10.1056/NEJMoa1715274",
    ],
    [
      '29768149',
      'apa',
      "O'Byrne, P. M., FitzGerald, J. M., Bateman, E. D., Barnes, P. J., Zhong, N., Keen, C., Jorup, C., Lamarca, R., Ivanov, S., & Reddel, H. K. (2018). Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma. The New England Journal of Medicine, 378(20), 1865–1876. https://doi.org/10.1056/NEJMoa1715274",
    ],
    [
      '27797938',
      'ama',
      'Bao Y, Prescott J, Yuan C, et al. Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer. Gut. 2017;66(6):1116-1122. doi:10.1136/gutjnl-2016-312510',
    ],
    [
      '27797938',
      'apa',
      'Bao, Y., Prescott, J., Yuan, C., Zhang, M., Kraft, P., Babic, A., Morales-Oyarvide, V., Qian, Z. R., Buring, J. E., Cochrane, B. B., Gaziano, J. M., Giovannucci, E. L., Manson, J. E., Ng, K., Ogino, S., Rohan, T. E., Sesso, H. D., Stampfer, M. J., Fuchs, C. S., . . . Wolpin, B. M. (2017). Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer. Gut, 66(6), 1116–1122. https://doi.org/10.1136/gutjnl-2016-312510',
    ],
  ])('cites PMID %s in %s exactly', async (pmid, format, expected) => {
    const res = await imported.app.inject(`/v1/studies/${pmid}/citation?format=${format}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(expected);
  });

  it('round-trips the RCT through RIS and BibTeX with an independent parser', async () => {
    for (const format of ['ris', 'bibtex']) {
      const res = await imported.app.inject(`/v1/studies/29768149/citation?format=${format}`);
      const [item] = new core.Cite(res.body).data as any[];
      // PubMed's trailing period is left for the reader's style to add (no "..").
      expect(item.title).toBe('Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma');
      expect(item.DOI).toBe('10.1056/NEJMoa1715274');
      expect(item.issued['date-parts'][0][0]).toBe(2018);
      expect(item.author).toHaveLength(10);
      expect(item.author[0]).toMatchObject({ family: "O'Byrne" });
      expect(item.author[9]).toMatchObject({ family: 'Reddel' });
      expect(res.body).toContain('29768149');
    }
  });
});
