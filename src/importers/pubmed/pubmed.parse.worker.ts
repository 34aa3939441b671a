// The worker thread that parses one PubMed file (efetch XML or MEDLINE) off the server's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { MalformedFileError } from './pubmed.fields.js';
import { parsePubmedFile } from './pubmed.parse.js';

// Pure JavaScript only: no database module is loaded here (a worker terminated inside better-sqlite3 aborts the
// process; see store/integrity.ts).
try {
  parentPort?.postMessage({ ok: true, result: parsePubmedFile(workerData as string) });
} catch (error) {
  parentPort?.postMessage({
    ok: false,
    malformed: error instanceof MalformedFileError,
    message: error instanceof Error ? error.message : String(error),
  });
}
