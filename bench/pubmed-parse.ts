// Parser scaling: MEDLINE and PubMed XML bodies at 1x, 10x and 100x a base size, parsed in turn; prints ms per size
// and the ratio to 1x, which stays near the size ratio for a linear parser (issue 10: a 400 KB MEDLINE body took 35 s).
// `npx tsx bench/pubmed-parse.ts [--base 40000]` (base = bytes of the 1x body, roughly).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseMedline, parsePubmedXml } from '../src/importers/pubmed/pubmed.parse.js';

const { values } = parseArgs({ options: { base: { type: 'string', default: '40000' } } });
const base = Number(values.base);
const FIXTURES = new URL('../test/fixtures/', import.meta.url);

/** One MEDLINE record whose abstract is `bytes` long over 70-character continuation lines (the quadratic case). */
function medlineBody(bytes: number): string {
  const lines = Math.max(1, Math.round(bytes / 77));
  return [
    'PMID- 1',
    'TI  - Long abstract.',
    'AB  - Start.',
    ...Array.from({ length: lines }, () => `      ${'x'.repeat(70)}`),
  ].join('\n');
}

/** The real efetch record repeated with new PMIDs until `bytes` is reached. */
function xmlBody(bytes: number): string {
  const one = readFileSync(new URL('pubmed/rct-29768149.xml', FIXTURES), 'utf8');
  const article = /<PubmedArticle>[\s\S]*<\/PubmedArticle>/.exec(one)?.[0] ?? '';
  const copies = Math.max(1, Math.round(bytes / article.length));
  const body = Array.from({ length: copies }, (_, i) =>
    article.replace(/<PMID Version="1">29768149</, `<PMID Version="1">${1_000_000 + i}<`),
  );
  return `<?xml version="1.0"?>\n<PubmedArticleSet>${body.join('\n')}</PubmedArticleSet>`;
}

function time(parse: () => unknown): number {
  parse(); // warm-up
  const start = performance.now();
  parse();
  return performance.now() - start;
}

for (const [name, make, parse] of [
  ['MEDLINE, one long field', medlineBody, parseMedline],
  ['PubMed XML, repeated records', xmlBody, parsePubmedXml],
] as const) {
  let first = 0;
  for (const factor of [1, 10, 100]) {
    const body = make(base * factor);
    const ms = time(() => parse(body));
    if (factor === 1) first = ms;
    const kb = (body.length / 1024).toFixed(0).padStart(6);
    console.log(
      `${name.padEnd(30)} ${String(factor).padStart(3)}x ${kb} KB ${ms.toFixed(1).padStart(8)} ms  ×${(ms / first).toFixed(1)}`,
    );
  }
}
