// The MCP tools: one per read of the API, each a GET of the app's own route with the route's own zod input schema.
import { z } from 'zod';
import { ClaimId, Pmid, Slug } from '../http/api-schemas.js';
import { MAX_CITATION_PMIDS } from '../resources/citations/citations.routes.js';
import { FormatParam } from '../resources/citations/citations.schemas.js';
import { ClaimListQuery } from '../resources/claims/claims.schemas.js';
import { SearchQuery } from '../resources/search/search.schemas.js';
import { TopicListQuery } from '../resources/topics/topics.schemas.js';

type Json = Record<string, unknown>;

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  /** The route's own schema (or one built from the same parts), so the tool accepts what the route accepts. */
  inputSchema: z.ZodObject;
  /** The API path (with query string) for validated arguments. */
  path: (args: Json) => string;
  /** `text` for citation formats; JSON otherwise. */
  as?: 'text';
  /** Adds absolute `url`s to the resources in a JSON result, so an assistant can link what it cites. */
  link?: (body: Json, base: string) => Json;
}

/** A query string from validated arguments; booleans and numbers as the route's query parser expects them. */
export function queryString(args: Json, skip: string[] = []): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(args))
    if (value !== undefined && value !== null && !skip.includes(name)) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const claimUrl = (base: string, id: unknown) => `${base}/v1/claims/${id}`;
const withUrl = (item: Json, url: string): Json => ({ ...item, url });
const items = (body: Json) => (Array.isArray(body.items) ? (body.items as Json[]) : []);

export const TOOLS: ToolDefinition[] = [
  {
    name: 'find_claims',
    title: 'Find evidence claims',
    description:
      'Find graded health-evidence claims. Filter by condition (name, synonym or code such as DOID:1909; includes sub-conditions), intervention, exact GRADE level (`grade`) or minimum (`min_grade`), study design, sample size, direction, PMID, biomarker or words (`q`). Each claim comes with its GRADE level and rationale, caveats, and its studies (PMID, design, sample size), plus `url` to link it. Pass `next_cursor` back as `cursor` for more.',
    inputSchema: ClaimListQuery,
    path: (args) => `/v1/claims${queryString(args)}`,
    link: (body, base) => ({ ...body, items: items(body).map((c) => withUrl(c, claimUrl(base, c.id))) }),
  },
  {
    name: 'get_claim',
    title: 'Get a claim with its studies',
    description:
      'One claim by id: the statement for clinicians and the plain summary, its GRADE level with rationale, caveats, condition, interventions, and every linked study (PMID, title, journal, year, design, sample size, how it bears on the claim), with an evidence summary and `url`.',
    inputSchema: z.object({ id: ClaimId }).strict(),
    path: (args) => `/v1/claims/${args.id}`,
    link: (body, base) => withUrl(body, claimUrl(base, body.id)),
  },
  {
    name: 'get_study',
    title: 'Get a study by PMID',
    description:
      'One study by PubMed id: its bibliographic record (null where not known, never guessed), design, sample size, retraction flag, and the claims it bears on (each with `url`).',
    inputSchema: z.object({ pmid: Pmid }).strict(),
    path: (args) => `/v1/studies/${args.pmid}`,
    link: (body, base) => ({
      ...withUrl(body, `${base}/v1/studies/${body.pmid}`),
      claims: (Array.isArray(body.claims) ? (body.claims as Json[]) : []).map((c) => withUrl(c, claimUrl(base, c.id))),
    }),
  },
  {
    name: 'list_topics',
    title: 'List topics',
    description:
      'Consumer questions this service answers (e.g. "Does a healthy gut microbiome lead to better skin?"), each with its bottom line, its overall GRADE certainty and `slug` for get_topic. Filter by `condition` (includes sub-conditions) to find the answer cards about it.',
    inputSchema: TopicListQuery,
    path: (args) => `/v1/topics${queryString(args)}`,
    link: (body, base) => ({ ...body, items: items(body).map((t) => withUrl(t, `${base}/v1/topics/${t.slug}`)) }),
  },
  {
    name: 'get_topic',
    title: "Get a topic's answer card",
    description:
      "A topic's answer card: the question, the plain-language bottom line, what the evidence base is and lacks, and its published claims with grades, caveats and studies (each with `url`).",
    inputSchema: z.object({ slug: Slug.describe('Topic slug, from list_topics.') }).strict(),
    path: (args) => `/v1/topics/${args.slug}`,
    link: (body, base) => ({
      ...withUrl(body, `${base}/v1/topics/${body.slug}`),
      claims: (Array.isArray(body.claims) ? (body.claims as Json[]) : []).map((c) => withUrl(c, claimUrl(base, c.id))),
    }),
  },
  {
    name: 'search',
    title: 'Search everything',
    description:
      'Full-text search across claims, conditions, interventions, studies and topics; every word must match (the last as a prefix). Each hit has its type, id, title, a snippet and `url`.',
    inputSchema: SearchQuery,
    path: (args) => `/v1/search${queryString(args)}`,
    link: (body, base) => ({ ...body, items: items(body).map((hit) => ({ ...hit, url: `${base}${hit.url}` })) }),
  },
  {
    name: 'cite_studies',
    title: 'Cite studies',
    description: `Citations for up to ${MAX_CITATION_PMIDS} PubMed ids, in the order given: Vancouver (default), AMA, APA, RIS, BibTeX or CSL-JSON. Fields PubMed has not given are left out, never invented; an unknown PMID is an error naming it.`,
    inputSchema: z
      .object({
        pmids: z.array(Pmid).min(1).max(MAX_CITATION_PMIDS).describe('PubMed ids to cite, in order.'),
        format: FormatParam.default('vancouver'),
      })
      .strict(),
    path: (args) => `/v1/citations?pmids=${(args.pmids as string[]).join(',')}&format=${args.format}`,
    as: 'text',
  },
];
