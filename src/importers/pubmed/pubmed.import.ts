// PubMed import of whole files: read and parse everything first, then write in batches, one transaction each.
import { readFileSync } from 'node:fs';
import { recordChange } from '../../curation/snapshots.js';
import type { AppDatabase } from '../../store/client.js';
import { MalformedFileError, type PubmedRecord, parsePubmedFile } from './pubmed.parse.js';
import { type ImportOutcome, importPubmedRecords, STORABLE_PMID } from './pubmed.queries.js';

/** A record that was not imported, and why. */
export interface SkippedRecord {
  /** The file (or fetched batch) it came from. */
  file: string;
  /** 1-based index of the record in that file. */
  position: number;
  pmid: string | null;
  reason: string;
}

export interface ImportSummary {
  files: number;
  /** Distinct PMIDs written: a PMID that occurs more than once in one import counts once, its last occurrence wins. */
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: SkippedRecord[];
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportOptions {
  overwrite?: boolean;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Who the revision history names for these changes. */
  actor?: string;
}

/** Text of one PubMed file (efetch XML or MEDLINE), named for messages. */
export interface PubmedSource {
  name: string;
  text: string;
}

export interface ParsedSource {
  name: string;
  records: PubmedRecord[];
  skipped: SkippedRecord[];
}

/** A whole file could not be read or parsed; nothing was written. */
export class PubmedImportError extends Error {
  override name = 'PubmedImportError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Parses every source; throws PubmedImportError naming the first malformed one. */
export function parsePubmedSources(sources: readonly PubmedSource[]): ParsedSource[] {
  return sources.map(({ name, text }) => {
    let parsed: ReturnType<typeof parsePubmedFile>;
    try {
      parsed = parsePubmedFile(text);
    } catch (error) {
      if (error instanceof MalformedFileError) throw new PubmedImportError(name, error.message);
      throw error;
    }
    const skipped: SkippedRecord[] = parsed.skipped.map((p) => ({ file: name, ...p }));
    // The parser reports positions only for skipped records; the others fill the remaining positions in order.
    const skippedPositions = new Set(parsed.skipped.map((p) => p.position));
    const records: PubmedRecord[] = [];
    let position = 0;
    for (const record of parsed.records) {
      position++;
      while (skippedPositions.has(position)) position++;
      if (STORABLE_PMID.test(record.pmid)) records.push(record);
      else
        skipped.push({
          file: name,
          position,
          pmid: record.pmid,
          reason: `PMID "${record.pmid}" is not a PubMed id (1 to 9 digits, no leading zero)`,
        });
    }
    skipped.sort((a, b) => a.position - b.position);
    return { name, records, skipped };
  });
}

/** Reads and parses every file before anything is written; throws PubmedImportError naming a bad file. */
export function readPubmedFiles(paths: readonly string[]): ParsedSource[] {
  const sources = paths.map((path): PubmedSource => {
    try {
      return { name: path, text: readFileSync(path, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
      throw new PubmedImportError(path, `cannot read: ${reason}`);
    }
  });
  return parsePubmedSources(sources);
}

/** Writes parsed sources in batches of `batchSize` records, one transaction and at most one data version bump each. */
export function writePubmedImport(
  db: AppDatabase,
  parsed: readonly ParsedSource[],
  { overwrite = false, batchSize = 500, onProgress, actor = 'import:pubmed' }: ImportOptions = {},
): ImportSummary {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer`);
  // A later occurrence replaces an earlier one: re-exported files append corrected records.
  const byPmid = new Map<string, PubmedRecord>();
  for (const source of parsed) for (const record of source.records) byPmid.set(record.pmid, record);
  const records = [...byPmid.values()];

  const counts: Record<ImportOutcome, number> = { inserted: 0, updated: 0, unchanged: 0 };
  onProgress?.({ done: 0, total: records.length });
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    const afterWrite = (pmid: string, outcome: 'inserted' | 'updated') =>
      recordChange(db.sqlite, {
        entity: 'study',
        key: pmid,
        action: outcome === 'inserted' ? 'create' : 'update',
        actor,
      });
    for (const { outcome } of importPubmedRecords(db.sqlite, batch, { overwrite, afterWrite })) counts[outcome]++;
    onProgress?.({ done: start + batch.length, total: records.length });
  }
  return {
    files: parsed.length,
    records: records.length,
    ...counts,
    skipped: parsed.flatMap((source) => source.skipped),
  };
}

/** `npm run import -- pubmed FILE...`: a malformed or unreadable file throws before any row is written. */
export function importPubmedFiles(
  db: AppDatabase,
  paths: readonly string[],
  options: ImportOptions = {},
): ImportSummary {
  return writePubmedImport(db, readPubmedFiles(paths), options);
}
