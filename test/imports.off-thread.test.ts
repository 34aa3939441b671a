// Large PubMed bodies are parsed off the request thread (issue 10, "bounded work"): a worker thread reads a body of
// OFF_THREAD_MIN_BYTES or more, with exactly the result and errors of the request thread's parse.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PubmedImportError,
  parsePubmedSourceOffThread,
  parsePubmedSources,
} from '../src/importers/pubmed/pubmed.import.js';
import { OFF_THREAD_MIN_BYTES, parsePubmedFileOffThread } from '../src/importers/pubmed/pubmed.off-thread.js';
import { parsePubmedFile } from '../src/importers/pubmed/pubmed.parse.js';
import { type App, curatorApp } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/pubmed/${name}`, import.meta.url), 'utf8');
const MEDLINE = fixture('medline-4-records.nbib');

/** The 4-record MEDLINE file repeated past the threshold, as one file (records separated by a blank line). */
const LARGE_MEDLINE = Array.from({ length: Math.ceil(OFF_THREAD_MIN_BYTES / MEDLINE.length) + 1 }, () =>
  MEDLINE.trim(),
).join('\n\n');

describe('parsing a PubMed file in a worker thread', () => {
  it('gives the records, skipped records and DeleteCitation PMIDs the request thread gives', async () => {
    for (const name of ['rct-29768149.xml', 'delete-citation.xml', 'medline-4-records.nbib']) {
      const text = fixture(name);
      expect(await parsePubmedFileOffThread(text), name).toEqual(parsePubmedFile(text));
    }
  });

  it('reads a body over the threshold there, with the same result as parsePubmedSources', async () => {
    expect(Buffer.byteLength(LARGE_MEDLINE)).toBeGreaterThanOrEqual(OFF_THREAD_MIN_BYTES);
    const source = { name: 'request body', text: LARGE_MEDLINE };
    const offThread = await parsePubmedSourceOffThread(source);
    expect(offThread).toEqual(parsePubmedSources([source])[0]);
    expect(offThread.records.length).toBeGreaterThan(4);
  });

  it('refuses a large malformed XML body with the message the request thread gives', async () => {
    const text = `<PubmedArticleSet>${'<PubmedArticle>'.repeat(OFF_THREAD_MIN_BYTES / 8)}`;
    const inThread = (() => {
      try {
        parsePubmedSources([{ name: 'request body', text }]);
      } catch (error) {
        return error as PubmedImportError;
      }
    })();
    expect(inThread).toBeInstanceOf(PubmedImportError);
    await expect(parsePubmedSourceOffThread({ name: 'request body', text })).rejects.toThrow(
      (inThread as PubmedImportError).message,
    );
  });
});

describe('POST /v1/import/pubmed with a body over the threshold', () => {
  let app: App;
  let key: string;
  beforeAll(async () => {
    ({ app, key } = await curatorApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('imports the records the worker read, in one commit, and says so in the summary', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/import/pubmed',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
      payload: LARGE_MEDLINE,
    });
    expect(res.statusCode, res.body).toBe(200);
    const pmids = new Set(parsePubmedFile(MEDLINE).records.map((r) => r.pmid));
    expect(res.json()).toMatchObject({ files: 1, records: pmids.size, skipped: [] });
    for (const pmid of pmids) expect((await app.inject(`/v1/studies/${pmid}`)).statusCode).toBe(200);
  });
});
