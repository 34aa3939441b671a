// orval's default axios client against the live server: list, pages, one claim, a 304, citations.
import axios from 'axios';
import { baseUrl, check, MELANOMA_AMA, MELANOMA_CLAIM, MELANOMA_PMID, PUBLISHED_CLAIMS } from './expectations.js';
import { type Claim, type CslItem, getEvidenceAPI } from './generated/orval/api.js';

const NAME = 'orval';
axios.defaults.baseURL = baseUrl();
const api = getEvidenceAPI();

const melanoma = await api.listClaims({ condition: 'melanoma' });
const items: Claim[] = melanoma.data.items;
check(
  NAME,
  'list by condition',
  items.map((c) => c.id),
  [MELANOMA_CLAIM],
);

const own = await api.listClaims({ condition: 'skin-cancer', include_descendants: false });
check(NAME, 'include_descendants: false', own.data.items.length, 0);

let cursor: string | undefined;
let seen = 0;
let pages = 0;
do {
  const page = await api.listClaims({ limit: 4, cursor });
  seen += page.data.items.length;
  pages++;
  cursor = page.data.next_cursor ?? undefined;
} while (cursor !== undefined);
check(NAME, 'follows next_cursor to the end', [seen, pages], [PUBLISHED_CLAIMS, 3]);

const one = await api.getClaim(MELANOMA_CLAIM);
check(NAME, 'one claim', one.data.studies[0]?.sample_size, 112);
const etag = String(one.headers.etag);
// axios rejects non-2xx unless told: a 304 is an expected answer here.
const again = await api.getClaim(MELANOMA_CLAIM, undefined, {
  headers: { 'If-None-Match': etag },
  validateStatus: (status) => status === 200 || status === 304,
});
check(NAME, '304 on If-None-Match', again.status, 304);

// orval asks axios for text on a string response, and parses the CSL-JSON operation as JSON.
const ama = await api.getStudyCitation(MELANOMA_PMID, { format: 'ama' });
const text: string = ama.data;
check(NAME, 'AMA citation as text', text, MELANOMA_AMA);
const csl = await api.getStudyCitationCslJson(MELANOMA_PMID);
const item: CslItem | undefined = csl.data[0];
check(NAME, 'CSL-JSON item', [item?.PMID, item?.DOI], [MELANOMA_PMID, '10.1126/science.aan4236']);
