// The curated clinical abbreviations in seeds/condition-abbreviations.tsv: zod schema, reading, and grouping by abbreviation.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';

export const CONDITION_ABBREVIATIONS_FILE = fileURLToPath(
  new URL('../../../seeds/condition-abbreviations.tsv', import.meta.url),
);

/** One row of the file: one abbreviation → one Disease Ontology term, with the source that gives it. */
export const ConditionAbbreviationRow = z
  .object({
    abbreviation: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{1,11}$/)
      .describe('The abbreviation as clinicians write it: "AML", "T-ALL".'),
    doid: z
      .string()
      .regex(/^DOID:\d+$/)
      .describe('Disease Ontology id of the condition it stands for.'),
    name: z.string().min(1).describe("The Disease Ontology's name of that term."),
    source: z.string().min(10).describe('Where the abbreviation is given for this condition, with the words it uses.'),
    ambiguous_because: z
      .string()
      .transform((s) => (s.trim() === '' ? null : s.trim()))
      .describe(
        'Why a lookup by this abbreviation should list candidates instead of choosing; empty when unambiguous.',
      ),
  })
  .strict();
export type ConditionAbbreviationRow = z.output<typeof ConditionAbbreviationRow>;

/** An abbreviation with its candidate conditions; `ambiguous` when it has several, or one that is flagged. */
export interface ConditionAbbreviation {
  abbreviation: string;
  ambiguous: boolean;
  /** The reason given in the file when ambiguous, else null. */
  reason: string | null;
  candidates: { doid: string; name: string; source: string }[];
}

export class ConditionAbbreviationsError extends Error {}

const HEADER = ['abbreviation', 'doid', 'name', 'source', 'ambiguous_because'];

/**
 * Reads the TSV (`#` lines are comments; header as in HEADER), validates each row with ConditionAbbreviationRow and
 * the file's own rules: no abbreviation + DOID twice, and every row of an abbreviation with several candidates gives
 * `ambiguous_because`. Returns one entry per abbreviation (matching is case-insensitive, keyed by upper case), in
 * file order. Throws ConditionAbbreviationsError naming the line and the problem.
 */
export function parseConditionAbbreviations(text: string): ConditionAbbreviation[] {
  const records = parseCsv(text, {
    delimiter: '\t',
    quote: false,
    comment: '#',
    comment_no_infix: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [header, ...rows] = records;
  if (!header || header.record.join('\t') !== HEADER.join('\t'))
    throw new ConditionAbbreviationsError(`header must be: ${HEADER.join(', ')}`);
  const byAbbreviation = new Map<string, ConditionAbbreviation>();
  const pairs = new Set<string>();
  const unflagged = new Map<string, number>();
  for (const { record, info } of rows) {
    const parsed = ConditionAbbreviationRow.safeParse(Object.fromEntries(HEADER.map((h, i) => [h, record[i] ?? ''])));
    if (!parsed.success || record.length !== HEADER.length)
      throw new ConditionAbbreviationsError(
        `line ${info.lines}: ${parsed.success ? `has ${record.length} fields, not ${HEADER.length}` : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const row = parsed.data;
    const key = row.abbreviation.toUpperCase();
    if (pairs.has(`${key}|${row.doid}`))
      throw new ConditionAbbreviationsError(`line ${info.lines}: ${row.abbreviation} → ${row.doid} is listed twice`);
    pairs.add(`${key}|${row.doid}`);
    const entry = byAbbreviation.get(key) ?? {
      abbreviation: row.abbreviation,
      ambiguous: false,
      reason: null,
      candidates: [],
    };
    entry.candidates.push({ doid: row.doid, name: row.name, source: row.source });
    const flagged = (unflagged.get(key) ?? 0) + (row.ambiguous_because === null ? 1 : 0);
    unflagged.set(key, flagged);
    if (row.ambiguous_because !== null) {
      entry.ambiguous = true;
      entry.reason = row.ambiguous_because;
    }
    if (entry.candidates.length > 1 && flagged > 0)
      throw new ConditionAbbreviationsError(
        `line ${info.lines}: ${row.abbreviation} has several candidates, so every row needs ambiguous_because`,
      );
    byAbbreviation.set(key, entry);
  }
  return [...byAbbreviation.values()];
}

/** The committed file, parsed. */
export function readConditionAbbreviations(path = CONDITION_ABBREVIATIONS_FILE): ConditionAbbreviation[] {
  return parseConditionAbbreviations(readFileSync(path, 'utf8'));
}
