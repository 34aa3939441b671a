// NCBI E-utilities efetch client: batches of PMIDs, NCBI's rate limit, retries with backoff (p-retry) on errors and
// stalls, no redirect off the configured host, a cap on response size; clock injectable.
import pRetry, { AbortError } from 'p-retry';

export const DEFAULT_EUTILS_BASE_URL = 'https://eutils.ncbi.nlm.nih.gov/entrez/eutils';
/** NCBI asks for at most 200 ids per GET request. */
export const EFETCH_MAX_IDS = 200;
const TOOL_NAME = 'evidence-api';
const BACKOFF_BASE_MS = 500;
// A server asking for more than a minute is better answered by running the import again later.
const RETRY_AFTER_CAP_MS = 60_000;
/**
 * Largest efetch response accepted: 200 full PubMed records are 2-10 MB of XML; a response 5x the largest of those is
 * not PubMed's (an unbounded body once took the importer to 1 GB of memory at 300 MB, and crashed it at 700 MB).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/** A response that sends nothing for this long is abandoned and asked for again. */
const DEFAULT_STALL_TIMEOUT_MS = 20_000;
/** Same-host redirects followed per request (NCBI moves paths now and then); any to another host is refused. */
const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

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
  /** Longest a whole request may take, headers and body, before it is abandoned and retried. */
  timeoutMs?: number;
  /** Longest the body may send nothing before the request is abandoned and retried. */
  stallTimeoutMs?: number;
  /** Responses larger than this fail the fetch (never retried): see DEFAULT_MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
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

/** One attempt failed in a way worth another attempt (network error, stall, 429, 5xx). */
class RetryableAttempt extends Error {
  constructor(
    message: string,
    /** What the server asked for with Retry-After, when it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
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
 *
 * Distrusts the server: a redirect to another host than `baseUrl`'s is refused (same-host ones are followed, at most
 * 3); a body over `maxResponseBytes` fails the fetch; a request that stalls (no byte for `stallTimeoutMs`) or takes
 * longer than `timeoutMs` is retried like a network error, 429 or 5xx: up to `maxRetries` times, waiting 500 ms
 * doubling each time, or what Retry-After asks (capped at 60 s). Which records come back is checked by the import
 * (parseEfetchBatches keeps only the PMIDs asked for).
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
    stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
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
  const trustedHost = new URL(endpoint).host;

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
    let attempts = 0;
    try {
      return await pRetry(
        async () => {
          attempts++;
          await waitTurn();
          return await attempt(url, what);
        },
        {
          retries: maxRetries,
          // The wait happens in onFailedAttempt, on the injected clock, so that Retry-After can set it.
          minTimeout: 0,
          maxTimeout: 0,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft > 0)
              await sleep((error as RetryableAttempt).retryAfterMs ?? BACKOFF_BASE_MS * 2 ** (attemptNumber - 1));
          },
        },
      );
    } catch (error) {
      if (error instanceof PubmedFetchError) throw error;
      throw new PubmedFetchError(`efetch for ${what} failed after ${attempts} attempts: ${(error as Error).message}`);
    }
  }

  /** One request: redirects checked, body read within the size cap and the stall bound. */
  async function attempt(url: string, what: string): Promise<string> {
    const controller = new AbortController();
    const giveUp = (reason: string) => controller.abort(new RetryableAttempt(reason));
    const overall = setTimeout(() => giveUp(`no complete answer within ${timeoutMs} ms`), timeoutMs);
    try {
      let response: Response;
      let current = url;
      for (let redirects = 0; ; redirects++) {
        try {
          response = await fetchImpl(current, { signal: controller.signal, redirect: 'manual' });
        } catch (error) {
          throw failedAttempt(error, controller);
        }
        if (!REDIRECTS.has(response.status)) break;
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get('location');
        const next = location === null ? undefined : safeUrl(location, current);
        if (next === undefined || next.host !== trustedHost || !/^https?:$/.test(next.protocol))
          throw new AbortError(
            new PubmedFetchError(
              `efetch for ${what} failed: the server redirected to ${next?.origin ?? JSON.stringify(location)}, which is not ${trustedHost}; refused`,
            ),
          );
        if (redirects >= MAX_REDIRECTS)
          throw new AbortError(new PubmedFetchError(`efetch for ${what} failed: more than ${MAX_REDIRECTS} redirects`));
        current = next.href;
      }
      if (!response.ok) {
        const body = (await readCapped(response, controller, 64 * 1024, stallTimeoutMs).catch(() => ''))
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 200);
        const problem = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${body ? `: ${body}` : ''}`;
        if (response.status === 429 || response.status >= 500)
          throw new RetryableAttempt(problem, retryAfterMs(response.headers.get('retry-after')));
        throw new AbortError(new PubmedFetchError(`efetch for ${what} failed: ${problem}`));
      }
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > maxResponseBytes) {
        await response.body?.cancel().catch(() => {});
        throw new AbortError(new PubmedFetchError(tooLarge(what, `${declared} bytes declared`)));
      }
      return await readCapped(response, controller, maxResponseBytes, stallTimeoutMs, what);
    } finally {
      clearTimeout(overall);
    }
  }

  function tooLarge(what: string, seen: string): string {
    return `efetch for ${what} failed: the response is larger than ${maxResponseBytes} bytes (${seen}); refused`;
  }

  /**
   * The body as text, read chunk by chunk: past `cap` bytes it is abandoned (PubmedFetchError when `what` names the
   * request, else the text so far); no chunk for `stallMs` aborts the request (retried).
   */
  async function readCapped(
    response: Response,
    controller: AbortController,
    cap: number,
    stallMs: number,
    what?: string,
  ): Promise<string> {
    if (!response.body) return '';
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let bytes = 0;
    let stall: ReturnType<typeof setTimeout> | undefined;
    const armStall = () => {
      clearTimeout(stall);
      stall = setTimeout(
        () => controller.abort(new RetryableAttempt(`the response stalled (nothing for ${stallMs} ms)`)),
        stallMs,
      );
    };
    try {
      armStall();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw failedAttempt(error, controller);
        }
        if (chunk.done) break;
        armStall();
        bytes += chunk.value.byteLength;
        if (bytes > cap) {
          await reader.cancel().catch(() => {});
          if (what === undefined) break;
          throw new AbortError(new PubmedFetchError(tooLarge(what, `over ${bytes} bytes received`)));
        }
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text + decoder.decode();
    } finally {
      clearTimeout(stall);
    }
  }
}

/** A failed request as a retryable attempt: our own stall or time bound, or a network error by its code. */
function failedAttempt(error: unknown, controller: AbortController): RetryableAttempt {
  if (controller.signal.aborted && controller.signal.reason instanceof RetryableAttempt)
    return controller.signal.reason;
  // The URL is left out of messages: it may carry the API key.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new RetryableAttempt(`network error: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
}

function safeUrl(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
