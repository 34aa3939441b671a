// openapi-typescript types + openapi-fetch against the live server: list, pages, one claim, a 304, citations.
import createClient from 'openapi-fetch';
import { baseUrl, check, MELANOMA_AMA, MELANOMA_CLAIM, MELANOMA_PMID, PUBLISHED_CLAIMS } from './expectations.js';
import type { components, paths } from './generated/openapi-typescript/schema.js';

const NAME = 'openapi-fetch';
const client = createClient<paths>({ baseUrl: baseUrl() });

const melanoma = await client.GET('/v1/claims', { params: { query: { condition: 'melanoma' } } });
if (!melanoma.data) throw new Error(`${NAME}: list by condition: ${melanoma.response.status}`);
const items: components['schemas']['Claim'][] = melanoma.data.items;
check(
  NAME,
  'list by condition',
  items.map((c) => c.id),
  [MELANOMA_CLAIM],
);

// A boolean flag is a boolean: skin cancer without its sub-conditions has no claim of its own.
const own = await client.GET('/v1/claims', {
  params: { query: { condition: 'skin-cancer', include_descendants: false } },
});
check(NAME, 'include_descendants: false', own.data?.items.length, 0);

let cursor: string | undefined;
let seen = 0;
let pages = 0;
do {
  const page = await client.GET('/v1/claims', { params: { query: { limit: 4, cursor } } });
  if (!page.data) throw new Error(`${NAME}: page ${pages + 1}: ${page.response.status}`);
  seen += page.data.items.length;
  pages++;
  cursor = page.data.next_cursor ?? undefined;
} while (cursor !== undefined);
check(NAME, 'follows next_cursor to the end', [seen, pages], [PUBLISHED_CLAIMS, 3]);

const one = await client.GET('/v1/claims/{id}', { params: { path: { id: MELANOMA_CLAIM } } });
check(NAME, 'one claim', one.data?.studies[0]?.sample_size, 112);
const etag = one.response.headers.get('etag') ?? '';
const again = await client.GET('/v1/claims/{id}', {
  params: { path: { id: MELANOMA_CLAIM }, header: { 'If-None-Match': etag } },
});
// openapi-fetch reads a 304 as neither data nor error: the status says the copy held is current.
check(NAME, '304 on If-None-Match', [again.response.status, again.data], [304, undefined]);

// Text citations are strings: openapi-fetch parses JSON unless told, so text operations take parseAs: 'text'.
const ama = await client.GET('/v1/studies/{pmid}/citation', {
  params: { path: { pmid: MELANOMA_PMID }, query: { format: 'ama' } },
  parseAs: 'text',
});
const text: string | undefined = ama.data;
check(NAME, 'AMA citation as text', text, MELANOMA_AMA);
const csl = await client.GET('/v1/studies/{pmid}/citation/csl-json', { params: { path: { pmid: MELANOMA_PMID } } });
const item: components['schemas']['CslItem'] | undefined = csl.data?.[0];
check(NAME, 'CSL-JSON item', [item?.PMID, item?.DOI], [MELANOMA_PMID, '10.1126/science.aan4236']);
