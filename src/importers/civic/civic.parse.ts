// Reads a CIViC ClinicalEvidenceSummaries TSV (every release since 2018, both quoting dialects) into typed evidence rows.
import { basename } from 'node:path';
import { type Options as CsvOptions, parse as parseCsv } from 'csv-parse/sync';
import { INTERVENTION_RELATIONS, VARIANT_ORIGINS } from '../../evidence/vocabulary.js';
import { CIVIC_EVIDENCE_ID, civicEvidenceUrl, isCivicEvidenceUrl, rowLimitProblem } from './civic.limits.js';

/**
 * How a release writes a field that contains `"`.
 * - `plain`: releases before December 2024. Fields are joined with tabs and nothing is quoted, so `"` is a literal
 *   character (41 lines of the October 2018 release contain one).
 * - `quoted`: releases since December 2024, written with Ruby's `CSV.generate_line(row, col_sep: "\t",
 *   quote_empty: false)` after squishing whitespace (CIViC commit "use actual csv library to ensure correct quoting",
 *   2024-12-04): a field containing `"` is wrapped in quotes and its inner quotes are doubled.
 */
export const CIVIC_DIALECTS = ['plain', 'quoted'] as const;
export type CivicDialect = (typeof CIVIC_DIALECTS)[number];

/**
 * CIViC's therapy interaction types (`drug_interaction_type` from November 2018, `therapy_interaction_type` later):
 * the vocabulary's INTERVENTION_RELATIONS, which are named after them.
 */
export const CIVIC_INTERACTION_TYPES = INTERVENTION_RELATIONS;
export type CivicInteractionType = (typeof CIVIC_INTERACTION_TYPES)[number];

/**
 * Variant origin, normalised across CIViC's renames. CIViC relabelled its enum in place (commit 7ffa79dd, 2019-09):
 * "Somatic Mutation" → Somatic, "Germline Mutation" → Rare Germline, "Germline Polymorphism" → Common Germline;
 * "Germline or Somatic" (2018) became "Mixed" and, in 2023, "Combined"; "Mixed" returned in 2025 with its own meaning
 * ("a mixture of Somatic and Germline"), which is what "Germline or Somatic" meant, so both map to `mixed`.
 */
export const CIVIC_VARIANT_ORIGINS = VARIANT_ORIGINS;
export type CivicVariantOrigin = (typeof CIVIC_VARIANT_ORIGINS)[number];

const VARIANT_ORIGIN_NAMES: Record<string, CivicVariantOrigin> = {
  somatic: 'somatic',
  'somatic mutation': 'somatic',
  'rare germline': 'rare_germline',
  'germline mutation': 'rare_germline',
  'common germline': 'common_germline',
  'germline polymorphism': 'common_germline',
  'germline or somatic': 'mixed',
  mixed: 'mixed',
  combined: 'combined',
  unknown: 'unknown',
  'n/a': 'not_applicable',
  na: 'not_applicable',
};

/** One therapy name split into CIViC's name and the aliases it wrote in parentheses. */
export interface CivicTherapy {
  /** The name outside the parentheses: "Rapamycin" for "Rapamycin (Sirolimus)". */
  name: string;
  /** Aliases from a trailing parenthesis, comma-separated inside it: ["NVP-BEZ235", "Dactolisib"]. */
  synonyms: string[];
  /** The name exactly as the release wrote it. */
  written: string;
}

/**
 * The single source an evidence item rests on. CIViC accepts three source types (Source model in civic-v2:
 * `enum :source_type, ["PubMed", "ASCO", "ASH"]`); `citation_id` is a PMID, an ASCO web id or an ASH DOI.
 * `url` follows CIViC's own `Source.url_for`. `year` is read from the citation ("Levine et al., 2005, Blood").
 */
export type CivicSource =
  | { kind: 'pubmed'; pmid: string; citation: string | null; year: number | null; url: string }
  | {
      kind: 'asco';
      /** The ASCO web id (CIViC's `citation_id` for ASCO sources), e.g. "160900". */
      web_id: string;
      /** The abstract number in the meeting (`asco_abstract_id`), e.g. "9056"; null when not given. */
      abstract_number: string | null;
      citation: string | null;
      year: number | null;
      url: string;
    }
  | { kind: 'ash'; doi: string; citation: string | null; year: number | null; url: string }
  | {
      kind: 'other';
      /** The `source_type` exactly as written, for a type CIViC did not have when this was written. */
      source_type: string;
      citation_id: string;
      citation: string | null;
      year: number | null;
      url: null;
    };

/** One CIViC evidence item, with the columns this service uses, whatever the release called them. */
export interface CivicEvidence {
  /** 1-based line of the file the row was read from. */
  line: number;
  evidence_id: string;
  /** Molecular profile, or gene + variant without repeating a gene the variant already names (see biomarkerName). */
  biomarker: string | null;
  disease: string | null;
  /** "DOID:3908", from CIViC's bare number. */
  doid: string | null;
  /** Therapy names as written (see `therapy_terms` for name + synonyms). */
  therapies: string[];
  therapy_terms: CivicTherapy[];
  /** How several therapies were given; null with one therapy, or when the release has no such column (before November 2018). */
  therapy_interaction_type: CivicInteractionType | null;
  /** As written: "Predictive", "Diagnostic", ... (civic.semantics.ts interprets it). */
  evidence_type: string;
  /** As written: "Supports", "Does Not Support", "N/A" or "". */
  evidence_direction: string;
  evidence_level: string;
  /** As written, under `clinical_significance` (to 2022) or `significance`. */
  significance: string;
  statement: string;
  source: CivicSource;
  /** The PMID when the source is a PubMed article, else null (kept for callers that only know PubMed). */
  pmid: string | null;
  citation: string | null;
  /** CIViC's 1-5 star rating (trust rating), or null. */
  rating: number | null;
  status: string;
  /** CIViC's link for the item: `evidence_civic_url` when it is the link for this id on a CIViC host, else built from the id. */
  url: string;
  variant_origin: CivicVariantOrigin | null;
  /** ClinicalTrials.gov ids linked to the source ("NCT01585805"). */
  nct_ids: string[];
  /** When CIViC last changed the item, ISO 8601 in UTC ("2018-07-06T14:36:50Z"); null when absent. */
  last_review_date: string | null;
  /** CIViC's `is_flagged` (a curator raised a problem with the item); null when the release has no such column. */
  is_flagged: boolean | null;
  /** Values the row had that were dropped or could not be read, each a sentence naming the column. */
  warnings: string[];
}

export interface CivicProblem {
  line: number;
  evidence_id: string | null;
  reason: string;
}

export interface CivicParseResult {
  rows: CivicEvidence[];
  skipped: CivicProblem[];
  /** The dialect the file was read in (given, or detected by detectCivicDialect). */
  dialect: CivicDialect;
}

export interface CivicParseOptions {
  /** Read the file in this dialect instead of detecting it (the CLI's `--dialect`). */
  dialect?: CivicDialect;
}

export class CivicFileError extends Error {}

/** Each field: the header names it has had across releases, newest first. */
const COLUMNS = {
  evidence_id: ['evidence_id'],
  molecular_profile: ['molecular_profile'],
  gene: ['gene'],
  variant: ['variant'],
  disease: ['disease'],
  doid: ['doid'],
  therapies: ['therapies', 'drugs'],
  therapy_interaction_type: ['therapy_interaction_type', 'drug_interaction_type'],
  evidence_type: ['evidence_type'],
  evidence_direction: ['evidence_direction'],
  evidence_level: ['evidence_level'],
  significance: ['significance', 'clinical_significance'],
  statement: ['evidence_statement', 'description'],
  citation_id: ['citation_id', 'pubmed_id'],
  source_type: ['source_type'],
  asco_abstract_id: ['asco_abstract_id'],
  citation: ['citation'],
  nct_ids: ['nct_ids'],
  rating: ['rating', 'evidence_rating'],
  status: ['evidence_status'],
  variant_origin: ['variant_origin'],
  last_review_date: ['last_review_date'],
  url: ['evidence_civic_url'],
  is_flagged: ['is_flagged'],
} as const;
type Field = keyof typeof COLUMNS;

const REQUIRED: Field[] = ['evidence_id', 'evidence_type', 'evidence_level', 'statement'];

/** A field the quoted dialect wrote: quotes around it, inner quotes doubled (RFC 4180, section 2, rules 5-7). */
const QUOTED_FIELD = /^"(?:[^"]|"")*"$/;

/**
 * Which dialect a release is in, from the fields that contain `"`: if any of them is not a complete CSV-quoted field
 * (`"..."` with inner quotes doubled) the file cannot be in the quoted dialect, so it is `plain`; if all of them are,
 * it is `quoted`. A file without a `"` reads the same either way and is reported as `plain`. The one ambiguous case,
 * a plain file whose only quote-bearing fields are each wholly wrapped in quotes, needs the explicit option.
 */
export function detectCivicDialect(text: string): CivicDialect {
  let quotedFields = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.includes('"')) continue;
    for (const cell of line.split('\t')) {
      if (!cell.includes('"')) continue;
      if (!QUOTED_FIELD.test(cell.trim())) return 'plain';
      quotedFields++;
    }
  }
  return quotedFields > 0 ? 'quoted' : 'plain';
}

interface RawRecord {
  line: number;
  cells: string[];
}

function csvOptions(dialect: CivicDialect): CsvOptions {
  return {
    delimiter: '\t',
    record_delimiter: ['\r\n', '\n'],
    quote: dialect === 'quoted' ? '"' : false,
    escape: '"',
    relax_column_count: true,
    bom: true,
    info: true,
  };
}

/**
 * The file's physical records, by csv-parse. In the quoted dialect a malformed record makes csv-parse lose its place,
 * so on an error the file is read again line by line (CIViC squishes every field, so a record is one line) and each
 * bad line becomes a problem instead of stopping the import.
 */
function readRecords(text: string, dialect: CivicDialect): { records: RawRecord[]; problems: CivicProblem[] } {
  type Parsed = { record: string[]; info: { lines: number } };
  try {
    const parsed = parseCsv(text, csvOptions(dialect)) as unknown as Parsed[];
    return { records: parsed.map((p) => ({ line: p.info.lines, cells: p.record })), problems: [] };
  } catch {
    const records: RawRecord[] = [];
    const problems: CivicProblem[] = [];
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    lines.forEach((raw, i) => {
      if (raw === '') return;
      try {
        const [first] = parseCsv(raw, csvOptions(dialect)) as unknown as Parsed[];
        if (first) records.push({ line: i + 1, cells: first.record });
      } catch (error) {
        const reason = (error as Error).message.replace(/ at line \d+/, '');
        problems.push({ line: i + 1, evidence_id: null, reason: `is not valid in the quoted dialect: ${reason}` });
      }
    });
    return { records, problems };
  }
}

/**
 * Biomarker name from a 2018-style gene + variant pair, without doubling a gene the variant already names. Read off
 * the October 2018 release: 67 rows have a variant that starts with its gene ("ALK" + "ALK FUSIONS", "PDGFRB" +
 * "PDGFRB FUSIONS") and 175 a fusion whose first word names the gene as a partner ("ALK" + "EML4-ALK E6;A20",
 * "SSX1" + "SS18-SSX1"); both keep the variant alone. Whitespace runs collapse to one space, as CIViC's later
 * exporter does. Later releases give `molecular_profile`, which is used as written.
 */
export function biomarkerName(gene: string | null, variant: string | null): string | null {
  const g = squish(gene ?? '');
  const v = squish(variant ?? '');
  if (v === '') return g || null;
  if (g === '') return v;
  const firstWord = (v.split(' ')[0] as string).toUpperCase();
  const partners = firstWord.split(/::|-/);
  return partners.includes(g.toUpperCase()) ? v : `${g} ${v}`;
}

/** "BEZ235 (NVP-BEZ235, Dactolisib),Selumetinib (AZD6244)" → two therapies: commas inside parentheses are synonyms. */
export function splitTherapies(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * "Rapamycin (Sirolimus)" → { name: "Rapamycin", synonyms: ["Sirolimus"] }. Only a parenthesis that ends the name is
 * read as aliases (CIViC writes NCIt synonyms that way); its commas separate several aliases. A name whose parentheses
 * are anywhere else, or that would be empty outside them, is kept whole.
 */
export function parseTherapyName(written: string): CivicTherapy {
  const text = squish(written);
  const match = /^(.*?\S)\s*\(([^()]+)\)$/.exec(text);
  if (!match) return { name: text, synonyms: [], written };
  const synonyms = (match[2] as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { name: match[1] as string, synonyms, written };
}

/** The release a file is, from its name: "01-Oct-2018-ClinicalEvidenceSummaries.tsv". */
export function releaseName(path: string): string {
  return basename(path);
}

function squish(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const CITATION_YEAR = /,\s*((?:19|20)\d\d)\s*(?:,|$)/;

/** Source from CIViC's `source_type` + `citation_id` (+ `asco_abstract_id`), or the reason the row has none. */
function readSource(
  sourceType: string | null,
  citationId: string | null,
  ascoAbstract: string | null,
  citation: string | null,
  idColumn: string,
): CivicSource | string {
  const yearMatch = citation ? CITATION_YEAR.exec(citation) : null;
  const year = yearMatch ? Number(yearMatch[1]) : null;
  const type = (sourceType ?? 'PubMed').toLowerCase();
  if (citationId === null)
    return `has no source: ${idColumn} is empty${sourceType ? ` (source_type ${sourceType})` : ''}`;
  if (type === 'pubmed') {
    if (!/^[1-9]\d{0,8}$/.test(citationId)) return `PubMed id ${JSON.stringify(citationId)} is not a PMID`;
    return { kind: 'pubmed', pmid: citationId, citation, year, url: `https://pubmed.ncbi.nlm.nih.gov/${citationId}/` };
  }
  if (type === 'asco') {
    if (!/^\d+$/.test(citationId)) return `ASCO web id ${JSON.stringify(citationId)} is not a number`;
    return {
      kind: 'asco',
      web_id: citationId,
      abstract_number: ascoAbstract,
      citation,
      year,
      url: `https://www.asco.org/abstracts-presentations/${citationId}`,
    };
  }
  if (type === 'ash') {
    // CIViC's own check for ASH sources (Source#citation_id_format_matches_source_type).
    if (!/^10\.1182\/blood[-._;()/:A-Z0-9]+$/i.test(citationId))
      return `ASH DOI ${JSON.stringify(citationId)} is not a Blood DOI (10.1182/blood...)`;
    return { kind: 'ash', doi: citationId, citation, year, url: `https://doi.org/${citationId}` };
  }
  return { kind: 'other', source_type: sourceType as string, citation_id: citationId, citation, year, url: null };
}

/** "2015-06-21 16:49:38 UTC" (Ruby's Time#to_s, as CIViC writes `updated_at`) → "2015-06-21T16:49:38Z". */
function isoTimestamp(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(?:UTC|Z|\+00:?00)?$/.exec(text);
  if (m) return `${m[1]}T${m[2]}Z`;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
}

/**
 * The file as a table before any CIViC rule is applied: the dialect, the lower-cased header and each record's cells
 * with its line number, plus lines csv-parse rejected. For diagnostics and for tests of the dialects.
 */
export function readCivicTable(
  text: string,
  options: CivicParseOptions = {},
): { dialect: CivicDialect; header: string[]; records: { line: number; cells: string[] }[]; problems: CivicProblem[] } {
  const dialect = options.dialect ?? detectCivicDialect(text);
  const { records, problems } = readRecords(text, dialect);
  const [first, ...rest] = records;
  return { dialect, header: (first?.cells ?? []).map((h) => h.trim().toLowerCase()), records: rest, problems };
}

/**
 * Parses a ClinicalEvidenceSummaries file of any release since 2018. Columns are found by header name (2018 names and
 * later ones). Returns the rows it could read and, for each row it could not, the line and the reason; a row without a
 * usable source (no PMID, ASCO web id or ASH DOI) is skipped with that reason, never turned into a claim with no study.
 * Throws CivicFileError when the header lacks a required column (the file is not a release at all).
 */
export function parseCivicTsv(text: string, options: CivicParseOptions = {}): CivicParseResult {
  const { dialect, header, records: body, problems } = readCivicTable(text, options);
  // A repeated column would be read from its first occurrence only, silently: which one CIViC meant is unknowable.
  const repeated = header.filter((name, i) => name !== '' && header.indexOf(name) !== i);
  if (repeated.length > 0)
    throw new CivicFileError(
      `the header names ${[...new Set(repeated)].map((n) => `"${n}"`).join(', ')} more than once: each column must be named once`,
    );
  const index = {} as Record<Field, number>;
  const found = {} as Record<Field, string>;
  for (const field of Object.keys(COLUMNS) as Field[]) {
    const name = COLUMNS[field].find((n) => header.includes(n));
    index[field] = name === undefined ? -1 : header.indexOf(name);
    found[field] = name ?? COLUMNS[field][0];
  }
  const missing: string[] = REQUIRED.filter((f) => index[f] < 0);
  if (index.molecular_profile < 0 && (index.gene < 0 || index.variant < 0)) missing.push('molecular_profile');
  if (missing.length > 0)
    throw new CivicFileError(
      `not a CIViC ClinicalEvidenceSummaries file: no column for ${missing.map((f) => COLUMNS[f as Field]?.join('/') ?? f).join(', ')}`,
    );

  const rows: CivicEvidence[] = [];
  const skipped: CivicProblem[] = [...problems];
  for (const { line, cells } of body) {
    if (cells.every((c) => c.trim() === '')) continue;
    const get = (field: Field) => {
      const at = index[field];
      const value = at < 0 ? '' : (cells[at] ?? '').trim();
      return value === '' ? null : value;
    };
    const evidenceId = get('evidence_id');
    const problem = (reason: string) => skipped.push({ line, evidence_id: evidenceId, reason });
    // One field short is a release that dropped an empty last field; a field more than the header names has no
    // column, so the row's fields cannot be trusted to be where the header says.
    if (cells.length < header.length - 1 || cells.slice(header.length).some((c) => c.trim() !== '')) {
      problem(`has ${cells.length} fields, the header has ${header.length}`);
      continue;
    }
    if (!evidenceId || !CIVIC_EVIDENCE_ID.test(evidenceId)) {
      problem(`evidence_id ${JSON.stringify(evidenceId)} is not a CIViC evidence id (a number of 1 to 9 digits)`);
      continue;
    }
    const level = get('evidence_level');
    if (!level || !/^[A-E]$/.test(level)) {
      problem(`evidence_level ${JSON.stringify(level)} is not A-E`);
      continue;
    }
    const statement = get('statement');
    if (!statement) {
      problem('has no evidence statement');
      continue;
    }
    const citation = get('citation');
    const source = readSource(
      get('source_type'),
      get('citation_id'),
      get('asco_abstract_id'),
      citation,
      found.citation_id,
    );
    if (typeof source === 'string') {
      problem(source);
      continue;
    }
    const ratingText = get('rating');
    const rating = ratingText === null ? null : Number(ratingText);
    if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
      problem(`rating ${JSON.stringify(ratingText)} is not 1-5`);
      continue;
    }

    const warnings: string[] = [];
    const therapies = splitTherapies(get('therapies') ?? '');
    const interactionText = get('therapy_interaction_type');
    let interaction: CivicInteractionType | null = null;
    if (interactionText !== null) {
      const key = interactionText.toLowerCase() as CivicInteractionType;
      if (CIVIC_INTERACTION_TYPES.includes(key)) interaction = key;
      else warnings.push(`${found.therapy_interaction_type} ${JSON.stringify(interactionText)} is not one CIViC uses`);
    }
    const originText = get('variant_origin');
    const variantOrigin = originText === null ? null : (VARIANT_ORIGIN_NAMES[originText.toLowerCase()] ?? null);
    if (originText !== null && variantOrigin === null)
      warnings.push(`variant_origin ${JSON.stringify(originText)} is not one CIViC uses`);
    const nctIds: string[] = [];
    // Commas separate ids in CIViC's export; a few curated values use semicolons.
    for (const token of (get('nct_ids') ?? '').split(/[,;]/).map((t) => t.trim())) {
      if (token === '') continue;
      if (/^NCT\d{8}$/i.test(token)) nctIds.push(token.toUpperCase());
      else warnings.push(`nct_ids ${JSON.stringify(token)} is not a ClinicalTrials.gov id`);
    }
    const reviewText = get('last_review_date');
    const reviewed = reviewText === null ? null : isoTimestamp(reviewText);
    if (reviewText !== null && reviewed === null)
      warnings.push(`last_review_date ${JSON.stringify(reviewText)} is not a date`);
    // A file's URL is copied only when it is CIViC's link for this very item; otherwise the link is built from the id.
    const givenUrl = get('url');
    const urlFits = givenUrl !== null && isCivicEvidenceUrl(givenUrl, evidenceId);
    if (givenUrl !== null && !urlFits)
      warnings.push(
        `${found.url} ${JSON.stringify(givenUrl.slice(0, 200))} is not CIViC's link for evidence item ${evidenceId}; the claim links ${civicEvidenceUrl(evidenceId)}`,
      );
    const flagged = get('is_flagged');
    const doid = get('doid');
    if (doid !== null && !/^\d+$/.test(doid)) warnings.push(`doid ${JSON.stringify(doid)} is not a number`);

    const row: CivicEvidence = {
      line,
      evidence_id: evidenceId,
      biomarker: get('molecular_profile') ?? biomarkerName(get('gene'), get('variant')),
      disease: get('disease'),
      doid: doid && /^\d+$/.test(doid) ? `DOID:${doid}` : null,
      therapies,
      therapy_terms: therapies.map(parseTherapyName),
      therapy_interaction_type: therapies.length > 1 ? interaction : null,
      evidence_type: get('evidence_type') ?? '',
      evidence_direction: get('evidence_direction') ?? '',
      evidence_level: level,
      significance: get('significance') ?? '',
      statement,
      source,
      pmid: source.kind === 'pubmed' ? source.pmid : null,
      citation,
      rating,
      status: (get('status') ?? 'accepted').toLowerCase(),
      url: urlFits ? givenUrl : civicEvidenceUrl(evidenceId),
      variant_origin: variantOrigin,
      nct_ids: nctIds,
      last_review_date: reviewed,
      is_flagged: flagged === null ? null : flagged.toLowerCase() === 'true',
      warnings,
    };
    const tooBig = rowLimitProblem(row, {
      statement: found.statement,
      therapies: found.therapies,
      disease: found.disease,
      nct_ids: found.nct_ids,
    });
    if (tooBig !== null) {
      problem(tooBig);
      continue;
    }
    rows.push(row);
  }
  skipped.sort((a, b) => a.line - b.line);
  return { rows, skipped, dialect };
}
