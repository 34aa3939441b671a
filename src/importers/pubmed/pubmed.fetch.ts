// NCBI E-utilities efetch client: batches of PMIDs, NCBI's rate limit, retries with backoff; clock injectable.

export const DEFAULT_EUTILS_BASE_URL = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils';
/** NCBI asks for at most 200 ids per GET request. */
export const EFETCH_MAX_IDS = 200;
const TOOL_NAME = 'evidence-api';
const BACKOFF_BASE_MS = 500;
// A server asking for more than a minute is better answered by running the import again later.
const RETRY_AFTER_CAP_MS = 60_000;

export interface FetchPubmedOptions {
  baseUrl?: string;
  /** NCBI_API_KEY: raises the limit from 3 to 10 requests per second. */
  apiKey?: string | undefined;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds on any monotonic clock; only differences are used. */
  now?: () => number;
  /** Retries after the first attempt of each request, on 429, 5xx and network errors. */
  maxRetries?: number;
  /** Ids per request, at most EFETCH_MAX_IDS. */
  batchSize?: number;
  timeoutMs?: number;
  onBatch?: (progress: { done: number; total: number }) => void;
}

/** One efetch response: the PMIDs asked for and the XML text returned. */
export interface EfetchBatch {
  pmids: string[];
  xml: string;
}

/** efetch could not deliver a batch; nothing should be written. */
export class PubmedFetchError extends Error {
  override name = 'PubmedFetchError';
}

export class InvalidPmidError extends RangeError {
  override name = 'InvalidPmidError';
  constructor(readonly pmids: string[]) {
    super(`Not a PMID (digits only): ${pmids.map((p) => JSON.stringify(p)).join(', ')}`);
  }
}

export function invalidPmids(pmids: readonly string[]): string[] {
  return pmids.filter((p) => !/^\d+$/.test(p));
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Spaces request starts at least `intervalMs` apart on the injected clock. */
function rateLimiter(intervalMs: number, now: () => number, sleep: (ms: number) => Promise<void>) {
  let lastStart: number | undefined;
  return async (): Promise<void> => {
    if (lastStart !== undefined) {
      const wait = lastStart + intervalMs - now();
      if (wait > 0) await sleep(wait);
    }
    lastStart = now();
  };
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return undefined;
  return Math.min(Number(header) * 1000, RETRY_AFTER_CAP_MS);
}

const describeBatch = (pmids: readonly string[]): string =>
  pmids.length === 1 ? `PMID ${pmids[0]}` : `${pmids.length} PMIDs (${pmids[0]} … ${pmids[pmids.length - 1]})`;

/**
 * Fetches PubMed XML for the PMIDs, in order, one request per batch. Validates every PMID before any request;
 * throws InvalidPmidError or PubmedFetchError, never returns a partial result.
 */
export async function fetchPubmedXml(
  pmids: readonly string[],
  options: FetchPubmedOptions = {},
): Promise<EfetchBatch[]> {
  const {
    baseUrl = DEFAULT_EUTILS_BASE_URL,
    apiKey,
    fetchImpl = fetch,
    sleep = realSleep,
    now = () => performance.now(),
    maxRetries = 4,
    batchSize = EFETCH_MAX_IDS,
    timeoutMs = 60_000,
    onBatch,
  } = options;
  const bad = invalidPmids(pmids);
  if (bad.length > 0) throw new InvalidPmidError(bad);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > EFETCH_MAX_IDS)
    throw new RangeError(`batchSize must be 1 to ${EFETCH_MAX_IDS}`);

  const unique = [...new Set(pmids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += batchSize) batches.push(unique.slice(i, i + batchSize));

  // NCBI: 3 requests per second without a key, 10 with one; ceil keeps us on the safe side of the limit.
  const waitTurn = rateLimiter(Math.ceil(1000 / (apiKey ? 10 : 3)), now, sleep);
  const endpoint = `${baseUrl.replace(/\/+$/, '')}/efetch.fcgi`;

  const results: EfetchBatch[] = [];
  for (const batch of batches) {
    const query = new URLSearchParams({ db: 'pubmed', id: batch.join(','), retmode: 'xml', tool: TOOL_NAME });
    if (apiKey) query.set('api_key', apiKey);
    const url = `${endpoint}?${query.toString().replaceAll('%2C', ',')}`;
    results.push({ pmids: batch, xml: await fetchWithRetries(url, describeBatch(batch)) });
    onBatch?.({ done: results.length, total: batches.length });
  }
  return results;

  async function fetchWithRetries(url: string, what: string): Promise<string> {
    let lastProblem = '';
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      await waitTurn();
      let response: Response;
      try {
        response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        // The URL is left out of messages: it may carry the API key.
        lastProblem = `network error: ${(error as Error).message}`;
        if (attempt < maxRetries) await sleep(BACKOFF_BASE_MS * 2 ** attempt);
        continue;
      }
      if (response.ok) return await response.text();
      const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
      lastProblem = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${body ? `: ${body}` : ''}`;
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable) throw new PubmedFetchError(`efetch for ${what} failed: ${lastProblem}`);
      if (attempt < maxRetries) {
        await sleep(retryAfterMs(response.headers.get('retry-after')) ?? BACKOFF_BASE_MS * 2 ** attempt);
      }
    }
    throw new PubmedFetchError(`efetch for ${what} failed after ${maxRetries + 1} attempts: ${lastProblem}`);
  }
}
