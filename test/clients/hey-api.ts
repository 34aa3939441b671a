// @hey-api/openapi-ts SDK against the live server: list, pages, one claim, a 304, citations.

import { baseUrl, check, MELANOMA_AMA, MELANOMA_CLAIM, MELANOMA_PMID, PUBLISHED_CLAIMS } from './expectations.js';
import { client } from './generated/hey-api/client.gen.js';
import { getClaim, getStudyCitation, getStudyCitationCslJson, listClaims } from './generated/hey-api/sdk.gen.js';
import type { Claim, CslItem } from './generated/hey-api/types.gen.js';

const NAME = '@hey-api/openapi-ts';
client.setConfig({ baseUrl: baseUrl() });

const melanoma = await listClaims({ query: { condition: 'melanoma' } });
if (!melanoma.data) throw new Error(`${NAME}: list by condition: ${melanoma.response.status}`);
const items: Claim[] = melanoma.data.items;
check(
  NAME,
  'list by condition',
  items.map((c) => c.id),
  [MELANOMA_CLAIM],
);

const own = await listClaims({ query: { condition: 'skin-cancer', include_descendants: false } });
check(NAME, 'include_descendants: false', own.data?.items.length, 0);

let cursor: string | undefined;
let seen = 0;
let pages = 0;
do {
  const page = await listClaims({ query: { limit: 4, cursor } });
  if (!page.data) throw new Error(`${NAME}: page ${pages + 1}: ${page.response.status}`);
  seen += page.data.items.length;
  pages++;
  cursor = page.data.next_cursor ?? undefined;
} while (cursor !== undefined);
check(NAME, 'follows next_cursor to the end', [seen, pages], [PUBLISHED_CLAIMS, 3]);

const one = await getClaim({ path: { id: MELANOMA_CLAIM } });
check(NAME, 'one claim', one.data?.studies[0]?.sample_size, 112);
const etag = one.response.headers.get('etag') ?? '';
const again = await getClaim({ path: { id: MELANOMA_CLAIM }, headers: { 'If-None-Match': etag } });
check(NAME, '304 on If-None-Match', again.response.status, 304);

// No hand-written parse option: the SDK reads text/plain as text and CSL-JSON as JSON from the Content-Type.
const ama = await getStudyCitation({ path: { pmid: MELANOMA_PMID }, query: { format: 'ama' } });
const text: string | undefined = ama.data;
check(NAME, 'AMA citation as text', text, MELANOMA_AMA);
const csl = await getStudyCitationCslJson({ path: { pmid: MELANOMA_PMID } });
const item: CslItem | undefined = csl.data?.[0];
check(NAME, 'CSL-JSON item', [item?.PMID, item?.DOI], [MELANOMA_PMID, '10.1126/science.aan4236']);
