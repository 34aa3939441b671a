// API shapes for citations: the format parameter, content negotiation, and every media type a citation can take.
import { z } from 'zod';
import { CITATION_FORMATS, type CitationFormat, type TextCitationFormat } from '../../citations/citations.format.js';
import { problem } from '../../http/api-schemas.js';

/** The formats of the text family: one string each, served as `text/plain` when asked for by `format`. */
export const TEXT_CITATION_FORMATS = CITATION_FORMATS.filter(
  (f): f is TextCitationFormat => f !== 'csl-json',
) as TextCitationFormat[];

export const FormatParam = z
  .enum(CITATION_FORMATS)
  .optional()
  .describe(
    'Citation format: `vancouver` (default), `ama`, `apa` (one citation per line, numbered for Vancouver and AMA), `ris` or `bibtex`, all as `text/plain`. Without it the `Accept` header decides: `application/x-research-info-systems` → RIS and `application/x-bibtex` → BibTeX, with those media types; anything else → Vancouver. CSL-JSON has its own operation (`.../csl-json`).',
  )
  // `csl-json` is still accepted here and answered with a 303 to the CSL-JSON operation, so old links keep working;
  // the document lists only the text formats, so a generated client never expects JSON from this operation.
  .meta({ enum: [...TEXT_CITATION_FORMATS], example: 'ama' });

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

const CITATION_HEADERS = {
  'Content-Disposition': {
    type: 'string',
    description: '`attachment; filename="<name>.ris"` or `.bib` for RIS and BibTeX, so a browser saves the file.',
  },
};

/**
 * The text family's 200: strings only, so every generated client reads it as text. `text/plain` is what `format`
 * gives; the RIS and BibTeX media types are served only to an `Accept` that asks for them.
 */
export const citationResponse = (what: string) => ({
  description: `${what}, as text in the requested format.`,
  headers: CITATION_HEADERS,
  content: {
    'text/plain': {
      schema: z
        .string()
        .describe('Vancouver, AMA or APA text, one citation per line; or RIS or BibTeX when asked for by `format`.')
        .meta({ example: VANCOUVER_EXAMPLE }),
    },
    'application/x-research-info-systems': {
      schema: z
        .string()
        .describe('RIS (UTF-8, CRLF line endings), when `Accept` asks for this media type.')
        .meta({ example: 'TY  - JOUR\r\nAN  - 29097493\r\nER  - \r\n' }),
    },
    'application/x-bibtex': {
      schema: z
        .string()
        .describe('BibTeX entries keyed `pmid<PMID>`, when `Accept` asks for this media type.')
        .meta({ example: '@article{pmid29097493,\n  eprint = {29097493},\n  eprinttype = {pubmed}\n}' }),
    },
  },
});

/** The CSL-JSON family's 200: one media type, one schema. */
export const cslResponse = (what: string) => ({
  description: `${what}, as CSL-JSON items.`,
  content: { 'application/vnd.citationstyles.csl+json': { schema: z.array(CslItemSchema) } },
});

/** Where the text operations send a request for CSL-JSON (`Accept` preferring it, or the retired `format=csl-json`). */
export const seeCslJson = z
  .null()
  .describe(
    'See Other: `Accept` prefers CSL-JSON (or the retired `format=csl-json` was given); `Location` is the CSL-JSON operation for the same studies.',
  );

/** Accept media type → format. */
const MEDIA_FORMATS: [string, CitationFormat][] = [
  ['application/x-research-info-systems', 'ris'],
  ['application/x-bibtex', 'bibtex'],
  ['text/x-bibtex', 'bibtex'],
  ['application/vnd.citationstyles.csl+json', 'csl-json'],
  ['application/json', 'csl-json'],
  ['text/plain', 'vancouver'],
];

/**
 * Picks the format from `Accept`: the citation media type with the highest q-value, ties in the client's order,
 * except that CSL-JSON (another operation) loses a tie to any text type: axios sends
 * `application/json, text/plain, *\/*` by default and means "anything". A header naming no citation type (a
 * browser's `text/html`, `*\/*`) gets Vancouver, as the documentation promises, rather than a 406.
 */
export function negotiateFormat(accept: string | undefined): CitationFormat {
  if (!accept || accept.trim() === '') return 'vancouver';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      const format = MEDIA_FORMATS.find(([media]) => media === type.trim())?.[1];
      return { format, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter(
      (r): r is { format: CitationFormat; weight: number; index: number } => r.format !== undefined && r.weight > 0,
    );
  const best = Math.max(...ranges.map((r) => r.weight));
  const top = ranges.filter((r) => r.weight === best);
  return (top.find((r) => r.format !== 'csl-json') ?? top[0])?.format ?? 'vancouver';
}

/** The all-or-nothing answer of the PMID-list operations. */
export const unknownPmids = problem('Some PMIDs are not in the database; `missing` lists them.', {
  name: 'UnknownPmids',
  example: {
    code: 'citations.unknown_pmids',
    detail: '2 of 3 PMIDs are not in the database: 123, 456.',
    missing: ['123', '456'],
  },
});
