// API shapes for citations: the format parameter, content negotiation, and every media type a citation can take.
import { z } from 'zod';
import { CITATION_FORMATS, type CitationFormat } from '../../citations/citations.format.js';
import { problem } from '../../http/api-schemas.js';

export const FormatParam = z
  .enum(CITATION_FORMATS)
  .optional()
  .describe(
    'Citation format. Without it the `Accept` header decides: `application/x-research-info-systems` → ris, `application/x-bibtex` → bibtex, `application/vnd.citationstyles.csl+json` or `application/json` → csl-json, `text/plain` or anything else → vancouver.',
  )
  .meta({ example: 'ris' });

export const CitationQuery = z.object({ format: FormatParam }).strict();

const CslNameSchema = z
  .object({ family: z.string().optional(), given: z.string().optional(), literal: z.string().optional() })
  .meta({ id: 'CslName' });

export const CslItemSchema = z
  .object({
    type: z.literal('article-journal'),
    id: z.string().describe('`pmid:<PMID>`.'),
    title: z.string().optional(),
    'container-title': z.string().optional(),
    'container-title-short': z.string().optional(),
    author: z.array(CslNameSchema).optional(),
    issued: z
      .object({
        'date-parts': z.array(z.array(z.number().int())).optional(),
        season: z.string().optional(),
        raw: z.string().optional(),
      })
      .optional(),
    volume: z.string().optional(),
    issue: z.string().optional(),
    page: z.string().optional(),
    DOI: z.string().optional(),
    PMID: z.string().optional(),
    PMCID: z.string().optional(),
    URL: z.string().optional(),
    note: z.string().optional(),
  })
  .meta({
    id: 'CslItem',
    description: 'A CSL-JSON item (citation-style-language csl-data schema); unknown fields are omitted.',
  });

const VANCOUVER_EXAMPLE =
  'Gopalakrishnan V, Spencer CN, Nezi L, Reuben A, Andrews MC, Karpinets TV, et al. Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients. Science. 2018;359(6371):97-103. doi: 10.1126/science.aan4236. PMID: 29097493; PMCID: PMC5827966.';

/** The 200 response: one entry per media type, so generated clients can ask for each format. */
export const citationResponse = (what: string) => ({
  description: `${what}, in the requested format.`,
  content: {
    'text/plain': {
      schema: z
        .string()
        .describe('Vancouver, AMA or APA text, one citation per line.')
        .meta({ example: VANCOUVER_EXAMPLE }),
    },
    'application/x-research-info-systems': {
      schema: z
        .string()
        .describe('RIS (UTF-8, CRLF line endings).')
        .meta({ example: 'TY  - JOUR\r\nAN  - 29097493\r\nER  - \r\n' }),
    },
    'application/x-bibtex': {
      schema: z
        .string()
        .describe('BibTeX entries keyed `pmid<PMID>`.')
        .meta({ example: '@article{pmid29097493,\n  eprint = {29097493},\n  eprinttype = {pubmed}\n}' }),
    },
    'application/vnd.citationstyles.csl+json': {
      schema: z.array(CslItemSchema).describe('CSL-JSON: an array of items.'),
    },
  },
});

export const citationErrors = {
  400: problem('Invalid parameter: the detail and `errors` name it and say why.'),
  404: problem('No such resource, or (for `/v1/citations`) PMIDs that are not in the database, listed in `missing`.'),
  406: problem('The `Accept` header allows none of the citation media types, and no `format` was given.'),
  500: problem('Unexpected server error; the body never contains internals.'),
} as const;

/** Accept media type → format. The first acceptable entry by q-value wins; ties keep the client's order. */
const MEDIA_FORMATS: [string, CitationFormat][] = [
  ['application/x-research-info-systems', 'ris'],
  ['application/x-bibtex', 'bibtex'],
  ['text/x-bibtex', 'bibtex'],
  ['application/vnd.citationstyles.csl+json', 'csl-json'],
  ['application/json', 'csl-json'],
  ['text/plain', 'vancouver'],
  ['text/*', 'vancouver'],
  ['*/*', 'vancouver'],
];

/** Picks the format from `Accept`; undefined when the header rules out every citation media type. */
export function negotiateFormat(accept: string | undefined): CitationFormat | undefined {
  if (!accept || accept.trim() === '') return 'vancouver';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { type: type.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    const match = MEDIA_FORMATS.find(([media]) => media === range.type);
    if (match) return match[1];
  }
  return undefined;
}
