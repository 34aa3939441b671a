// What a reference manager shows for our CSL-JSON: citeproc-js with the official NLM, AMA and APA styles
// (test/fixtures/csl, CC BY-SA 3.0). Incomplete author lists must never render as complete lists.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type CslItem, formatCitation, toCslItem } from '../src/citations/citations.format.js';
import type { StudyBibliography } from '../src/evidence/study-record.js';
import { parsePubmedFile } from '../src/importers/pubmed/pubmed.parse.js';
import { nlm, study } from './study-builders.js';

interface CiteprocEngine {
  setOutputFormat(format: 'text'): void;
  updateItems(ids: string[]): void;
  makeBibliography(): [unknown, string[]];
}
interface CiteprocModule {
  Engine: new (
    sys: { retrieveLocale: (lang: string) => string; retrieveItem: (id: string) => CslItem | undefined },
    style: string,
  ) => CiteprocEngine;
}
const CSL = createRequire(import.meta.url)('citeproc') as CiteprocModule;

const fixture = (path: string): string => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
const locale = fixture('csl/locales-en-US.xml');
const STYLES = {
  nlm: fixture('csl/nlm-citation-sequence.csl'),
  ama: fixture('csl/american-medical-association.csl'),
  apa: fixture('csl/apa.csl'),
};

/** The bibliography entries citeproc renders for the items, in the style's own order, as plain text. */
function render(style: keyof typeof STYLES, items: CslItem[]): string[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const engine = new CSL.Engine({ retrieveLocale: () => locale, retrieveItem: (id) => byId.get(id) }, STYLES[style]);
  engine.setOutputFormat('text');
  engine.updateItems(items.map((i) => i.id));
  return engine.makeBibliography()[1].map((entry) => entry.trim());
}

const base = (pmid: string, fields: Partial<StudyBibliography>): StudyBibliography =>
  study(pmid, { title: 'T', journal_iso: 'J', year: 2021, volume: '1', pages: '1-9', ...fields });

// 29097493 as pmids.json knows it: six authors and the last, the list incomplete.
const SIX_AND_LAST = base('29097493', {
  authors: ['Gopalakrishnan V', 'Spencer CN', 'Nezi L', 'Reuben A', 'Andrews MC', 'Karpinets TV'].map(nlm),
  authors_complete: false,
  last_author: nlm('Wargo JA'),
});
// 34785010: only the first author known.
const FIRST_ONLY = base('34785010', { authors: [nlm('Sinha S')], authors_complete: false });
const SIX_COMPLETE = base('1', { authors: ['Aa A', 'Bb B', 'Cc C', 'Dd D', 'Ee E', 'Ff F'].map(nlm) });

describe('citeproc-js renders incomplete author lists as incomplete, with "et al." never a person', () => {
  it('NLM: six known authors then "et al.", never a seventh name', () => {
    const [entry] = render('nlm', [toCslItem(SIX_AND_LAST)]);
    expect(entry).toBe(
      '1. Gopalakrishnan V, Spencer CN, Nezi L, Reuben A, Andrews MC, Karpinets TV et al. T. J. 2021;1:1–9. PubMed PMID: 29097493.',
    );
  });

  it('AMA: the six known names then "et al."', () => {
    expect(render('ama', [toCslItem(SIX_AND_LAST)])[0]).toBe(
      '1. Gopalakrishnan V, Spencer CN, Nezi L, Reuben A, Andrews MC, Karpinets TV et al. T. J. 2021;1:1-9. https://pubmed.ncbi.nlm.nih.gov/29097493/',
    );
  });

  it('APA: the known names then ", et al.", no "&" before it and never the last author as if seventh', () => {
    const [entry] = render('apa', [toCslItem(SIX_AND_LAST)]);
    expect(entry).toBe(
      'Gopalakrishnan, V., Spencer, C. N., Nezi, L., Reuben, A., Andrews, M. C., & Karpinets, T. V., et al. (2021). T. J, 1, 1–9. https://pubmed.ncbi.nlm.nih.gov/29097493/',
    );
    expect(entry).not.toContain('& et al.');
    expect(entry).not.toContain('Wargo');
  });

  it('one known author: APA renders exactly our own APA author text, "Sinha, S., et al."', () => {
    const item = toCslItem(FIRST_ONLY);
    expect(item.author).toEqual([{ family: 'Sinha', given: 'S.', suffix: 'et al.' }]);
    const apa = render('apa', [item])[0];
    expect(apa).toBe('Sinha, S., et al. (2021). T. J, 1, 1–9. https://pubmed.ncbi.nlm.nih.gov/34785010/');
    expect(formatCitation(FIRST_ONLY, 'apa').startsWith('Sinha, S., et al. (2021).')).toBe(true);
    expect(render('nlm', [item])[0]).toBe('1. Sinha S et al. T. J. 2021;1:1–9. PubMed PMID: 34785010.');
    expect(render('ama', [item])[0]).toBe(
      '1. Sinha S et al. T. J. 2021;1:1-9. https://pubmed.ncbi.nlm.nih.gov/34785010/',
    );
  });

  it('a complete list of six renders all six, with no "et al."', () => {
    expect(render('nlm', [toCslItem(SIX_COMPLETE)])[0]).toBe(
      '1. Aa A, Bb B, Cc C, Dd D, Ee E, Ff F. T. J. 2021;1:1–9. PubMed PMID: 1.',
    );
  });
});

describe('citeproc-js renders the field reports’ kinds', () => {
  const items = [
    '04-arxiv-preprint.xml',
    '05-retracted-publication.xml',
    '06-suffix-xml.xml',
    '08-iso-abbreviation-with-periods.xml',
    '17-medline-book-chapter.nbib',
  ].map((name) => {
    const [record] = parsePubmedFile(fixture(`field-reports/${name}`)).records;
    return toCslItem(record as StudyBibliography);
  });
  const nlmEntries = render('nlm', items);
  const apaEntries = render('apa', items);

  it('a suffix: "Camargo CA Jr" (NLM), "Camargo, C. A., Jr" (APA)', () => {
    expect(nlmEntries[2]).toContain('Mueller EL, Camargo CA Jr, Pallin DJ.');
    expect(apaEntries.find((e) => e.startsWith('Baugh'))).toContain('Camargo, C. A., Jr, & Pallin, D. J. (2019).');
  });

  it('a book chapter: "In: editors. Book [Internet]. Place: Publisher; Year." in NLM', () => {
    expect(nlmEntries[4]).toBe(
      '5. Riegert-Johnson D, Gleeson FC, Westra W, Hefferon T, Wong Kee Song LM, Spurck L, et al. Peutz-Jeghers Syndrome. ' +
        'In: Riegert-Johnson DL, Boardman LA, Hefferon T, Roberts M, editors. Cancer Syndromes [Internet]. Bethesda (MD): ' +
        'National Center for Biotechnology Information (US); 2009. Available from: https://pubmed.ncbi.nlm.nih.gov/21249755/ ' +
        'PubMed PMID: 21249755.',
    );
  });

  it('APA shows the retraction, the advance online publication and the preprint with its id', () => {
    expect(
      apaEntries.find((e) => e.startsWith('Gullis'))?.endsWith('https://pubmed.ncbi.nlm.nih.gov/993/ (Retracted)'),
    ).toBe(true);
    expect(apaEntries.find((e) => e.startsWith('Van Ginckel'))).toContain(
      'Osteoarthritis and Cartilage, S1063-4584(19)30981-1. https://doi.org/10.1016/j.joca.2019.05.004 (Advance online publication)',
    );
    expect(apaEntries.find((e) => e.startsWith('Dutta'))).toContain(
      'Self-organized intracellular twisters (Preprint arXiv:2304.02112v2). ArXiv.',
    );
  });

  it('NLM and AMA print the NLM abbreviation, never the ISO form with periods', () => {
    expect(nlmEntries[3]).toContain('Osteoarthritis Cartilage. 2019 May 20');
    expect(render('ama', items)[3]).toContain('Osteoarthritis Cartilage. Published online May 20, 2019');
    expect(nlmEntries.join('\n')).not.toContain('Osteoarthr.');
  });
});

describe('titles keep exactly one terminal mark in every format', () => {
  const titled = (title: string) =>
    base('2', { title, authors: [nlm('Aa A'), nlm('Bb B')], authors_complete: true, journal_iso: 'J' });
  const plain = titled('Probiotics for eczema in children.');
  const question = titled('Do probiotics prevent eczema?');

  it('RIS, BibTeX and CSL-JSON drop PubMed\'s trailing period and keep "?"', () => {
    expect(formatCitation(plain, 'ris')).toContain('\r\nTI  - Probiotics for eczema in children\r\n');
    expect(formatCitation(plain, 'bibtex')).toContain('  title = {{Probiotics for eczema in children}},');
    expect(toCslItem(plain).title).toBe('Probiotics for eczema in children');
    expect(formatCitation(question, 'ris')).toContain('\r\nTI  - Do probiotics prevent eczema?\r\n');
    expect(formatCitation(question, 'bibtex')).toContain('  title = {{Do probiotics prevent eczema?}},');
    expect(toCslItem(question).title).toBe('Do probiotics prevent eczema?');
  });

  it("our Vancouver, AMA and APA text and citeproc's NLM, AMA and APA print one mark after the title", () => {
    for (const [s, title] of [
      [plain, 'Probiotics for eczema in children.'],
      [question, 'Do probiotics prevent eczema?'],
    ] as const) {
      for (const format of ['vancouver', 'ama', 'apa'] as const) {
        const text = formatCitation(s, format);
        expect(text, format).toContain(` ${title} J`);
        expect(text, format).not.toMatch(/[.?!]\./);
      }
      for (const style of ['nlm', 'ama', 'apa'] as const) {
        const [entry] = render(style, [toCslItem(s)]);
        expect(entry, style).toContain(` ${title} J`);
        expect(entry, style).not.toMatch(/[.?!]\./);
      }
    }
  });
});
