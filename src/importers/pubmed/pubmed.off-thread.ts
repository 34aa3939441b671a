// Parsing a large PubMed body in a worker thread, so the server keeps answering (/health, reads) while it is read.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MalformedFileError, type ParseResult } from './pubmed.fields.js';

/**
 * Bodies from this size (bytes of UTF-8) are parsed in a worker thread; smaller ones on the request's own thread,
 * where starting a worker (~30-50 ms with the TypeScript loader) would cost more than the parse. The parser is
 * linear (bench/pubmed-parse.ts): 64 KiB is a few milliseconds of event loop.
 */
export const OFF_THREAD_MIN_BYTES = 64 * 1024;

/**
 * The worker's entry. Compiled (`npm start` runs dist/, where this module is .js): pubmed.parse.worker.js beside it.
 * From the TypeScript sources (tsx, vitest): plain JavaScript that loads pubmed.parse.worker.ts through tsx's API, so
 * it runs the same under node, tsx and vitest (a worker's `--import tsx` does not reach its own entry file on Node 20).
 */
const COMPILED = import.meta.url.endsWith('.js');
function workerEntry(): { entry: string | URL; eval: boolean } {
  if (COMPILED) return { entry: new URL('./pubmed.parse.worker.js', import.meta.url), eval: false };
  const tsxApi = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  const source = new URL('./pubmed.parse.worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)})
  .then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)}));`;
  return { entry: bootstrap, eval: true };
}
const WORKER = workerEntry();

/**
 * `parsePubmedFile(text)` in a worker thread: the same records, skipped records and DeleteCitation PMIDs, or the same
 * MalformedFileError (same message) for a file that is not PubMed XML or MEDLINE. Rejects with an Error when the
 * worker itself fails (it then exits; nothing was written).
 */
export function parsePubmedFileOffThread(text: string): Promise<ParseResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER.entry, { eval: WORKER.eval, workerData: text });
    type Answer = { ok: true; result: ParseResult } | { ok: false; malformed: boolean; message: string };
    worker.once('message', (answer: Answer) => {
      if (answer.ok) resolve(answer.result);
      else reject(answer.malformed ? new MalformedFileError(answer.message) : new Error(answer.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the PubMed parser's worker exited with code ${code}`));
    });
  });
}
