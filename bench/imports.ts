// Import throughput: a CIViC release and a PubMed efetch file scaled up from the real fixtures (new ids per copy).
// `npx tsx bench/imports.ts [--rows 3000] [--records 5000]` prints rows/s and records/s.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedIfEmpty } from '../src/curation/seed.js';
import { importCivicText } from '../src/importers/civic/civic.import.js';
import { parsePubmedSources, writePubmedImport } from '../src/importers/pubmed/pubmed.import.js';
import { openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '3000' }, records: { type: 'string', default: '5000' } },
});
const FIXTURES = new URL('../test/fixtures/', import.meta.url).pathname;

const scratch = mkdtempSync(join(tmpdir(), 'bench-imports-'));
let databases = 0;
async function freshDb() {
  const db = openDatabase(join(scratch, `bench-${++databases}.db`), { temporary: true });
  await migrateDatabase(db);
  await seedIfEmpty(db);
  return db;
}

// CIViC: repeat the 50 sample rows with new evidence ids until the requested size.
const sample = readFileSync(`${FIXTURES}civic/sample-ClinicalEvidenceSummaries.tsv`, 'utf8').trimEnd().split('\n');
const [header = '', ...rows] = sample;
const idColumn = header.split('\t').indexOf('evidence_id');
const wantRows = Number(values.rows);
const civicLines = Array.from({ length: wantRows }, (_, i) => {
  const cells = (rows[i % rows.length] as string).split('\t');
  cells[idColumn] = String(100_000 + i);
  return cells.join('\t');
});
const civicText = `${header}\n${civicLines.join('\n')}\n`;
{
  const db = await freshDb();
  const start = performance.now();
  const summary = await importCivicText(db, civicText, 'bench.tsv');
  const seconds = (performance.now() - start) / 1000;
  const again = performance.now();
  await importCivicText(db, civicText, 'bench.tsv');
  const repeatSeconds = (performance.now() - again) / 1000;
  console.log(
    `CIViC: ${summary.inserted} rows inserted in ${seconds.toFixed(2)} s = ${Math.round(wantRows / seconds)} rows/s; ` +
      `re-import (all unchanged) ${repeatSeconds.toFixed(2)} s = ${Math.round(wantRows / repeatSeconds)} rows/s`,
  );
  await db.close();
}

// PubMed: repeat the fixture articles with new PMIDs.
const xml = readFileSync(`${FIXTURES}pubmed/rct-29768149.xml`, 'utf8');
const article = /<PubmedArticle>[\s\S]*<\/PubmedArticle>/.exec(xml)?.[0] ?? '';
const wantRecords = Number(values.records);
const articles = Array.from({ length: wantRecords }, (_, i) =>
  article.replace(/<PMID Version="1">29768149<\/PMID>/, `<PMID Version="1">${40_000_000 + i}</PMID>`),
);
const pubmedText = `<?xml version="1.0"?>\n<PubmedArticleSet>${articles.join('\n')}</PubmedArticleSet>`;
{
  const db = await freshDb();
  const start = performance.now();
  const parsed = parsePubmedSources([{ name: 'bench.xml', text: pubmedText }]);
  const parseSeconds = (performance.now() - start) / 1000;
  const summary = await writePubmedImport(db, parsed, { overwrite: false });
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `PubMed: ${summary.inserted} records in ${seconds.toFixed(2)} s (parse ${parseSeconds.toFixed(2)} s) = ${Math.round(wantRecords / seconds)} records/s`,
  );
  await db.close();
}
