// Import time per engine: the Disease Ontology cancer slim and the CIViC sample into a new seeded database, on SQLite
// and, given `--postgres URL` of an empty database, on PostgreSQL. `npx tsx bench/import-engines.ts [--postgres URL]`
// prints milliseconds per import (the migration and seed before them are not counted).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedIfEmpty } from '../src/curation/seed.js';
import { importCivicText } from '../src/importers/civic/civic.import.js';
import { importOntologyText } from '../src/importers/ontology/ontology.import.js';
import { type Database, openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';

const { values } = parseArgs({ options: { postgres: { type: 'string' } } });
const FIXTURES = new URL('../test/fixtures/', import.meta.url).pathname;
const ontology = readFileSync(`${FIXTURES}ontology/DO_cancer_slim.obo`, 'utf8');
const civic = readFileSync(`${FIXTURES}civic/sample-ClinicalEvidenceSummaries.tsv`, 'utf8');

async function measure(engine: string, db: Database): Promise<void> {
  await migrateDatabase(db);
  await seedIfEmpty(db);
  let started = performance.now();
  const terms = (await importOntologyText(db, ontology, 'DO_cancer_slim.obo')).terms;
  const ontologyMs = Math.round(performance.now() - started);
  started = performance.now();
  const rows = (await importCivicText(db, civic, 'sample-ClinicalEvidenceSummaries.tsv')).rows;
  const civicMs = Math.round(performance.now() - started);
  console.log(
    `${engine.padEnd(10)} ontology ${terms} terms ${String(ontologyMs).padStart(6)} ms   civic ${rows} rows ${String(civicMs).padStart(6)} ms`,
  );
  await db.close();
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-import-engines-'));
try {
  await measure('sqlite', openDatabase(join(scratch, 'bench.db')));
  if (values.postgres) await measure('postgres', openDatabase(values.postgres, { poolSize: 2 }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
