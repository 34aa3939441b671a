// PubMed import of whole files: read and parse everything first, then write in one commit (or in batches, each one
// commit, with a summary of exactly what committed when a later batch cannot).
import { readFileSync } from 'node:fs';
import { commit, type DeletionOutcome } from '../../curation/commit.js';
import type { Database } from '../../store/client.js';
import { OFF_THREAD_MIN_BYTES, parsePubmedFileOffThread } from './pubmed.off-thread.js';
import { MalformedFileError, type PubmedRecord, parsePubmedFile } from './pubmed.parse.js';
import { type ImportOutcome, STORABLE_PMID } from './pubmed.queries.js';
import { collapseRepeats, type RepeatedPmid } from './pubmed.repeats.js';

export type { RepeatedPmid };

/** A record that was not imported, and why. */
export interface SkippedRecord {
  /** The file (or fetched batch) it came from. */
  file: string;
  /** 1-based index of the record in that file. */
  position: number;
  pmid: string | null;
  reason: string;
}

/** A PMID PubMed withdrew (`<DeleteCitation>`), and what the import did about it. */
export interface DeletedCitation {
  /** The file (or fetched batch) that listed it. */
  file: string;
  pmid: string;
  /** `marked`: the study is now marked deleted by PubMed; `already_marked`: an earlier import did it; `not_in_database`: no such study here. */
  outcome: DeletionOutcome;
}

export interface ImportSummary {
  files: number;
  /**
   * Distinct PMIDs written: a PMID that occurs more than once in one import counts once; its last occurrence supplies
   * the fields, and the notices and retraction of every occurrence are kept (pubmed.repeats.ts).
   */
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: SkippedRecord[];
  /** Every `<DeleteCitation>` PMID, in file order (each once), applied after the records, in the last commit. */
  deleted: DeletedCitation[];
  /** PMIDs that occurred in more than one record of this import, in order of first occurrence; empty when none. */
  duplicates: RepeatedPmid[];
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportOptions {
  overwrite?: boolean;
  /** Records per commit; default all of them: the import commits whole or not at all. */
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
  /** PMIDs listed in `<DeleteCitation>`, digits only. */
  deleted: string[];
}

/**
 * A batch could not be written after earlier ones committed: `committed` says exactly what is in the database (its
 * counts cover the committed records only), `remaining` how many records were not written. Importing the same input
 * again finishes the job: committed records come back `unchanged`.
 */
export class PartialImportError extends Error {
  override name = 'PartialImportError';
  constructor(
    readonly committed: ImportSummary,
    readonly remaining: number,
    override readonly cause: unknown,
  ) {
    super(
      `${committed.records} of ${committed.records + remaining} records committed (inserted ${committed.inserted}, updated ${committed.updated}, unchanged ${committed.unchanged}); ${remaining} not written: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
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
    return parsedSource(name, parsed);
  });
}

/**
 * One source as `parsePubmedSources` reads it, parsed in a worker thread when it is `OFF_THREAD_MIN_BYTES` or more
 * (pubmed.off-thread.ts), so a large request body does not hold the server's event loop. Same result and errors.
 */
export async function parsePubmedSourceOffThread({ name, text }: PubmedSource): Promise<ParsedSource> {
  if (Buffer.byteLength(text) < OFF_THREAD_MIN_BYTES) return parsePubmedSources([{ name, text }])[0] as ParsedSource;
  try {
    return parsedSource(name, await parsePubmedFileOffThread(text));
  } catch (error) {
    if (error instanceof MalformedFileError) throw new PubmedImportError(name, error.message);
    throw error;
  }
}

/** A parsed file as the importer takes it: records with storable PMIDs, the others skipped, in file position order. */
function parsedSource(name: string, parsed: ReturnType<typeof parsePubmedFile>): ParsedSource {
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
  // A DeleteCitation PMID that no study could have (not storable) can only be "not in the database".
  return { name, records, skipped, deleted: parsed.deleted };
}

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

/**
 * Parses efetch responses (see pubmed.fetch.ts) like files named `efetch response i/n (PMIDs a…b)`, keeping only the
 * records of the PMIDs each request asked for: a record nobody asked for is skipped with the reason, never written
 * (a server that answers with other records, by mistake or not, must not overwrite a curated study). Throws
 * PubmedImportError naming a malformed response.
 */
export function parseEfetchBatches(batches: readonly { pmids: readonly string[]; xml: string }[]): ParsedSource[] {
  const parsed = parsePubmedSources(
    batches.map((b, i) => ({
      name: `efetch response ${i + 1}/${batches.length} (PMIDs ${b.pmids[0]}…${b.pmids[b.pmids.length - 1]})`,
      text: b.xml,
    })),
  );
  return parsed.map((source, i) => {
    const asked = new Set(batches[i]?.pmids);
    const unasked = source.records.filter((r) => !asked.has(r.pmid));
    if (unasked.length === 0) return source;
    const positions = new Map(source.records.map((r, p) => [r, p + 1]));
    return {
      ...source,
      records: source.records.filter((r) => asked.has(r.pmid)),
      skipped: [
        ...source.skipped,
        ...unasked.map((r) => ({
          file: source.name,
          position: positions.get(r) ?? 0,
          pmid: r.pmid,
          reason: `PMID ${r.pmid} was not asked for; a record efetch returns unrequested is never imported`,
        })),
      ].sort((a, b) => a.position - b.position),
    };
  });
}

/**
 * Writes parsed sources through curation's commit (actor `import:pubmed` unless given): one commit for everything
 * by default, or one per `batchSize` records. Every study created or changed gets a revision; each commit bumps the
 * data version at most once. Throws StoreBusyError when nothing could be written, PartialImportError when some
 * batches committed and a later one could not.
 */
export async function writePubmedImport(
  db: Database,
  parsed: readonly ParsedSource[],
  { overwrite = false, batchSize, onProgress, actor = 'import:pubmed' }: ImportOptions = {},
): Promise<ImportSummary> {
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1))
    throw new RangeError(`batchSize must be a positive integer`);
  // A later occurrence replaces an earlier one (re-exported files append corrected records), but never drops a notice
  // or a retraction an earlier one carried.
  const { records, duplicates } = collapseRepeats(parsed.flatMap((source) => source.records));
  const size = batchSize ?? Math.max(records.length, 1);

  // PubMed lists deletions after the records of an update file: they apply after every record, whatever the file.
  const deletions = new Map<string, string>();
  for (const source of parsed)
    for (const pmid of source.deleted) if (!deletions.has(pmid)) deletions.set(pmid, source.name);
  const deleted: DeletedCitation[] = [];

  const counts: Record<ImportOutcome, number> = { inserted: 0, updated: 0, unchanged: 0 };
  const summary = (written: number): ImportSummary => ({
    files: parsed.length,
    records: written,
    ...counts,
    skipped: parsed.flatMap((source) => source.skipped),
    deleted,
    duplicates,
  });
  onProgress?.({ done: 0, total: records.length });
  // At least one commit when there are deletions to apply, even with no records.
  const last = Math.max(records.length, deletions.size > 0 ? 1 : 0);
  for (let start = 0; start < last; start += size) {
    const batch = records.slice(start, start + size);
    const final = start + size >= last;
    let outcomes: { records: ImportOutcome[]; deleted: DeletedCitation[] };
    try {
      outcomes = await commit(db, { actor }, async (changes) => {
        const done: ImportOutcome[] = [];
        for (const record of batch) done.push(await changes.mergePubmedStudy(record, overwrite));
        const marked: DeletedCitation[] = [];
        if (final)
          for (const [pmid, file] of deletions)
            marked.push({
              file,
              pmid,
              outcome: STORABLE_PMID.test(pmid)
                ? await changes.markDeletedByPubmed(pmid, { reason: `PubMed DeleteCitation (${file})` })
                : 'not_in_database',
            });
        return { records: done, deleted: marked };
      });
    } catch (error) {
      if (start === 0) throw error;
      throw new PartialImportError(summary(start), records.length - start, error);
    }
    for (const outcome of outcomes.records) counts[outcome]++;
    deleted.push(...outcomes.deleted);
    onProgress?.({ done: start + batch.length, total: records.length });
  }
  return summary(records.length);
}

/** `npm run import -- pubmed FILE...`: a malformed or unreadable file throws before any row is written. */
export async function importPubmedFiles(
  db: Database,
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return writePubmedImport(db, readPubmedFiles(paths), options);
}
