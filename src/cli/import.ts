// `npm run import -- <source> ...`: thin command-line entry over the importers, one entry per source in SUBCOMMANDS.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseLocation, loadConfig } from '../config.js';
import { prepareDatabase } from '../curation/prepare.js';
import { CivicFileError, type CivicImportSummary, importCivicText } from '../importers/civic/civic.import.js';
import { CIVIC_DIALECTS, type CivicDialect } from '../importers/civic/civic.parse.js';
import {
  importOntologyText,
  OntologyFileError,
  type OntologyImportSummary,
} from '../importers/ontology/ontology.import.js';
import {
  DEFAULT_EUTILS_BASE_URL,
  fetchPubmedXml,
  invalidPmids,
  PubmedFetchError,
} from '../importers/pubmed/pubmed.fetch.js';
import {
  type DeletedCitation,
  type ImportSummary,
  type ParsedSource,
  PartialImportError,
  PubmedImportError,
  parseEfetchBatches,
  readPubmedFiles,
  writePubmedImport,
} from '../importers/pubmed/pubmed.import.js';
import { type Database, openDatabase, StoreBusyError } from '../store/client.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Tests swap in a fake E-utilities client. */
  fetchImpl?: typeof fetch;
}

interface Subcommand {
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Bad arguments: exit code 2 with the usage text. */
class UsageError extends Error {}

/** 3: some batches committed and a later one could not; the summary says exactly what is in the database. */
export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;

/** Opens DATABASE_PATH with the same lifecycle as `npm start`: migrated, and seeded when new. */
async function openForImport(io: CliIo): Promise<Database> {
  const config = loadConfig({
    DATABASE_PATH: io.env.DATABASE_PATH,
    DATABASE_URL: io.env.DATABASE_URL,
    WRITE_LOCK_WAIT_MS: io.env.WRITE_LOCK_WAIT_MS,
  });
  const db = openDatabase(databaseLocation(config), { busyWaitMs: config.WRITE_LOCK_WAIT_MS, poolSize: 2 });
  try {
    await prepareDatabase(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

// ---------------------------------------------------------------------------------------------------------------
// Output helpers

/** A one-line progress bar redrawn in place; only ever given a terminal. */
function progressBar(stream: CliIo['stderr'], label: string) {
  let drawn = '';
  return {
    update(done: number, total: number): void {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
      if (line === drawn) return;
      stream.write(`\r${line}`);
      drawn = line;
    },
    end(): void {
      if (drawn) stream.write('\n');
      drawn = '';
    },
  };
}

type PubmedReport = ImportSummary & { not_found?: string[] };

const DELETION_TEXT: Record<DeletedCitation['outcome'], string> = {
  marked: 'study marked deleted by PubMed',
  already_marked: 'already marked by an earlier import',
  not_in_database: 'not in the database',
};

function humanSummary(source: string, report: PubmedReport): string {
  const lines = [
    `${source} import: ${report.records} record${report.records === 1 ? '' : 's'} from ${report.files} ${report.files === 1 ? 'file' : 'files'}`,
    `  inserted   ${report.inserted}`,
    `  updated    ${report.updated}`,
    `  unchanged  ${report.unchanged}`,
    `  skipped    ${report.skipped.length}`,
    ...report.skipped.map((s) => `    ${s.file} record ${s.position} (PMID ${s.pmid ?? 'unknown'}): ${s.reason}`),
  ];
  if (report.deleted.length > 0)
    lines.push(
      `  deleted by PubMed (DeleteCitation) ${report.deleted.length}`,
      ...report.deleted.map((d) => `    PMID ${d.pmid} (${d.file}): ${DELETION_TEXT[d.outcome]}`),
    );
  if (report.duplicates.length > 0)
    lines.push(
      `  repeated PMIDs ${report.duplicates.length} (last record written; notices and retractions of all kept)`,
      ...report.duplicates.map((d) => `    PMID ${d.pmid}: ${d.records} records`),
    );
  if (report.not_found?.length) lines.push(`  not found in PubMed: ${report.not_found.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

const nonEmpty = (value: string | undefined): string | undefined => (value ? value : undefined);

// ---------------------------------------------------------------------------------------------------------------
// pubmed

const PUBMED_USAGE = `Usage:
  npm run import -- pubmed [--json] [--overwrite] FILE...
  npm run import -- pubmed --fetch [--json] [--overwrite] [--base-url URL] PMID...

Imports PubMed records (efetch XML or MEDLINE .nbib) into the studies of DATABASE_PATH (default ./data/evidence.db).
Curated designs win unless --overwrite; sample sizes are never changed. A malformed file changes nothing.

  --fetch         fetch the PMIDs from NCBI E-utilities (NCBI_API_KEY raises the rate limit from 3/s to 10/s)
  --base-url URL  E-utilities base URL (default NCBI_EUTILS_BASE_URL or ${DEFAULT_EUTILS_BASE_URL})
  --overwrite     let PubMed's design replace a curated one
  --json          print the summary as JSON
`;

const PUBMED_OPTIONS = {
  json: { type: 'boolean', default: false },
  overwrite: { type: 'boolean', default: false },
  fetch: { type: 'boolean', default: false },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parsePubmedArgs(args: string[]) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof PUBMED_OPTIONS }>>;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: PUBMED_OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true as const };
  if (positionals.length === 0) throw new UsageError(values.fetch ? 'no PMIDs given' : 'no files given');
  if (values['base-url'] !== undefined && !values.fetch) throw new UsageError('--base-url is only used with --fetch');
  if (values.fetch) {
    const bad = invalidPmids(positionals);
    if (bad.length > 0) throw new UsageError(`not a PMID (digits only): ${bad.join(', ')}`);
  }
  return {
    help: false as const,
    json: values.json,
    overwrite: values.overwrite,
    fetch: values.fetch,
    baseUrl: values['base-url'],
    operands: positionals,
  };
}

function checkBaseUrl(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from}: not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${from}: not an http(s) URL`);
  return value;
}

async function runPubmed(args: string[], io: CliIo): Promise<number> {
  const options = parsePubmedArgs(args);
  if (options.help) {
    io.stdout.write(PUBMED_USAGE);
    return EXIT.ok;
  }
  const tty = io.stderr.isTTY === true;

  // Everything is read, fetched and parsed before the database is opened: a bad input changes nothing at all.
  let parsed: ParsedSource[];
  if (options.fetch) {
    const baseUrl = options.baseUrl
      ? checkBaseUrl(options.baseUrl, '--base-url')
      : checkBaseUrl(nonEmpty(io.env.NCBI_EUTILS_BASE_URL) ?? DEFAULT_EUTILS_BASE_URL, 'NCBI_EUTILS_BASE_URL');
    const bar = tty ? progressBar(io.stderr, 'fetching') : undefined;
    try {
      const batches = await fetchPubmedXml(options.operands, {
        baseUrl,
        apiKey: nonEmpty(io.env.NCBI_API_KEY),
        ...(io.fetchImpl ? { fetchImpl: io.fetchImpl } : {}),
        onBatch: ({ done, total }) => bar?.update(done, total),
      });
      parsed = parseEfetchBatches(batches);
    } finally {
      bar?.end();
    }
  } else {
    parsed = readPubmedFiles(options.operands);
  }

  const db = await openForImport(io);
  let report: PubmedReport;
  const bar = tty ? progressBar(io.stderr, 'importing') : undefined;
  try {
    report = await writePubmedImport(db, parsed, {
      overwrite: options.overwrite,
      onProgress: ({ done, total }) => bar?.update(done, total),
    });
  } catch (error) {
    if (!(error instanceof PartialImportError)) throw error;
    bar?.end();
    io.stdout.write(
      options.json ? `${JSON.stringify(error.committed, null, 2)}\n` : humanSummary('PubMed', error.committed),
    );
    io.stderr.write(
      `import stopped after committing ${error.committed.records} records (above); ${error.remaining} were not written: ${String(error.cause)}. Run the same import again to finish it.\n`,
    );
    return EXIT.partial;
  } finally {
    bar?.end();
    await db.close();
  }
  if (options.fetch) {
    const seen = new Set(parsed.flatMap((s) => [...s.records.map((r) => r.pmid), ...s.skipped.map((k) => k.pmid)]));
    report.not_found = [...new Set(options.operands)].filter((pmid) => !seen.has(pmid));
  }
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : humanSummary('PubMed', report));
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------------------
// civic

const CIVIC_USAGE = `Usage:
  npm run import -- civic [--json] [--no-withdraw | --allow-withdraw] [--dialect plain|quoted] FILE

Imports a CIViC ClinicalEvidenceSummaries TSV release into DATABASE_PATH (default ./data/evidence.db): evidence
items become claims graded on the civic scale, keyed by evidence id (re-importing changes nothing; a newer release
updates what changed). Claims from earlier releases that this file lacks are marked withdrawn, unless --no-withdraw
(use it for partial files). A file that would withdraw more than a quarter of the current CIViC claims is refused,
and nothing is changed, unless --allow-withdraw says it is a complete release all the same. Curated claims are never touched, and a field a curator changed in an imported claim
keeps the curator's value: the summary lists it under conflicts.

  --dialect D     read the file as written by CIViC's exporter before December 2024 (plain: quotes are ordinary
                  characters) or since (quoted: CSV quoting); detected from the file when not given
  --no-withdraw   do not withdraw CIViC claims missing from this file
  --allow-withdraw  withdraw them even when they are more than a quarter of the current CIViC claims
  --json          print the summary as JSON
`;

const CIVIC_OPTIONS = {
  json: { type: 'boolean', default: false },
  'no-withdraw': { type: 'boolean', default: false },
  'allow-withdraw': { type: 'boolean', default: false },
  dialect: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

async function runCivic(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof CIVIC_OPTIONS }>>;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: CIVIC_OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(CIVIC_USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one release file');
  if (values['no-withdraw'] && values['allow-withdraw'])
    throw new UsageError('give --no-withdraw or --allow-withdraw, not both');
  if (values.dialect !== undefined && !CIVIC_DIALECTS.includes(values.dialect as CivicDialect))
    throw new UsageError(`--dialect must be ${CIVIC_DIALECTS.join(' or ')}, not ${values.dialect}`);
  const file = positionals[0] as string;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CivicFileError(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const db = await openForImport(io);
  const bar = io.stderr.isTTY === true ? progressBar(io.stderr, 'importing') : undefined;
  let report: CivicImportSummary;
  try {
    // One commit: the whole release or nothing.
    report = await importCivicText(db, text, basename(file), {
      withdrawMissing: !values['no-withdraw'],
      allowMassWithdrawal: values['allow-withdraw'],
      ...(values.dialect ? { dialect: values.dialect as CivicDialect } : {}),
      onProgress: (done, total) => bar?.update(done, total),
    });
  } finally {
    bar?.end();
    await db.close();
  }
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const lines = [
      `CIViC import of ${report.release} (${report.dialect} dialect): ${report.rows} rows`,
      `  inserted   ${report.inserted}`,
      `  updated    ${report.updated}`,
      `  unchanged  ${report.unchanged}`,
      `  withdrawn  ${report.withdrawn}`,
      `  skipped    ${report.skipped.length}`,
      ...report.skipped.map((s) => `    line ${s.line} (evidence ${s.evidence_id ?? 'unknown'}): ${s.reason}`),
      `  created    ${report.created.conditions} conditions, ${report.created.interventions} interventions, ${report.created.studies} studies`,
      `  conflicts  ${report.conflicts.length} (curators' values kept)`,
      ...report.conflicts.map(
        (c) =>
          `    ${c.claim} ${c.field}: kept ${JSON.stringify(c.curator_value)}, release has ${JSON.stringify(c.import_value)}`,
      ),
      `  warnings   ${report.warnings.length}`,
      ...report.warnings.map((w) => `    line ${w.line} (evidence ${w.evidence_id}): ${w.message}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------------------
// ontology

const ONTOLOGY_USAGE = `Usage:
  npm run import -- ontology [--json] FILE.obo [FILE.obo ...]

Imports OBO 1.2 ontology files (the Disease Ontology, or a subset of it such as DO_cancer_slim.obo) into the conditions
of DATABASE_PATH (default ./data/evidence.db), one commit per file. Each current term becomes a condition, or is
attached to the condition that already has its DOID (or, without one, its exact name or synonym): synonyms with their
scope, cross-references (MeSH, NCI, ICD-10-CM, UMLS, EFO, ...), alt_ids and is_a links (several parents kept). A
second file merges into what is loaded; importing a file again changes nothing. Obsolete terms are not conditions:
their ids lead to their replacement. \`condition=\` then finds every descendant.

  --json          print the summary (one per file) as JSON
`;

const ONTOLOGY_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function ontologySummaryText(r: OntologyImportSummary): string {
  const lines = [
    `Ontology import of ${r.file} (${r.data_version ?? r.ontology ?? 'no data-version'}): ${r.terms} terms, ${r.obsolete} obsolete`,
    `  created    ${r.created}`,
    `  updated    ${r.updated}`,
    `  unchanged  ${r.unchanged}`,
    `  attached   ${r.attached.length} existing condition${r.attached.length === 1 ? '' : 's'}`,
    ...r.attached.map((a) => `    ${a.slug} → ${a.term} (by ${a.by === 'doid' ? 'DOID' : 'name or synonym'})`),
    `  skipped links ${r.skipped_links.length}`,
    ...r.skipped_links.map((l) => `    ${l.term} is_a ${l.parent}: ${l.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function runOntology(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof ONTOLOGY_OPTIONS }>
  >;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: ONTOLOGY_OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(ONTOLOGY_USAGE);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('no files given');
  // Every file is read before the database is opened: a missing file changes nothing.
  const texts = positionals.map((file) => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new OntologyFileError(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  });
  const db = await openForImport(io);
  const reports: OntologyImportSummary[] = [];
  try {
    for (const { file, text } of texts) {
      const bar = io.stderr.isTTY === true ? progressBar(io.stderr, basename(file)) : undefined;
      try {
        reports.push(await importOntologyText(db, text, basename(file), { onProgress: (d, t) => bar?.update(d, t) }));
      } catch (error) {
        if (reports.length === 0) throw error;
        io.stdout.write(
          values.json ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(ontologySummaryText).join(''),
        );
        io.stderr.write(
          `import stopped at ${file} after committing ${reports.length} file(s) (above): ${String(error instanceof Error ? error.message : error)}\n`,
        );
        return EXIT.partial;
      } finally {
        bar?.end();
      }
    }
  } finally {
    await db.close();
  }
  io.stdout.write(values.json ? `${JSON.stringify(reports, null, 2)}\n` : reports.map(ontologySummaryText).join(''));
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------------------
// Entry

/** Sources that can be imported; a new one (e.g. `civic`) is one more entry. */
const SUBCOMMANDS: Record<string, Subcommand> = {
  pubmed: { usage: PUBMED_USAGE, run: runPubmed },
  civic: { usage: CIVIC_USAGE, run: runCivic },
  ontology: { usage: ONTOLOGY_USAGE, run: runOntology },
};

const MAIN_USAGE = `Usage: npm run import -- <source> [options] ...

Sources:
${Object.keys(SUBCOMMANDS)
  .map((name) => `  ${name}`)
  .join('\n')}

Run \`npm run import -- <source> --help\` for a source's options.
`;

/**
 * Runs the command and returns its exit code: 0 done (even with skipped records), 1 failed with nothing changed,
 * 2 bad usage, 3 partly committed (only with batches; the summary says what).
 */
export async function runImportCli(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h') {
    io.stdout.write(MAIN_USAGE);
    return EXIT.ok;
  }
  const subcommand = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!subcommand) {
    io.stderr.write(`${name === undefined ? 'no source given' : `unknown source: ${name}`}\n\n${MAIN_USAGE}`);
    return EXIT.usage;
  }
  try {
    return await subcommand.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${subcommand.usage}`);
      return EXIT.usage;
    }
    // Every import commits whole or not at all (a partial batch import returned EXIT.partial above), so a failure
    // here changed nothing: bad input is found before the database is opened, and a failed commit rolled back.
    const known =
      error instanceof PubmedImportError ||
      error instanceof PubmedFetchError ||
      error instanceof CivicFileError ||
      error instanceof OntologyFileError ||
      error instanceof StoreBusyError;
    io.stderr.write(`import failed, nothing was changed: ${known ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runImportCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
