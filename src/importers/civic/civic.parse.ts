// Reads a CIViC ClinicalEvidenceSummaries TSV by header name (2018 and later column names) into evidence rows.
import { basename } from 'node:path';

/** One CIViC evidence item, with the columns this service uses, whatever the release called them. */
export interface CivicEvidence {
  line: number;
  evidence_id: string;
  biomarker: string | null;
  disease: string | null;
  doid: string | null;
  therapies: string[];
  evidence_type: string;
  evidence_direction: string;
  evidence_level: string;
  significance: string;
  statement: string;
  pmid: string | null;
  citation: string | null;
  rating: number | null;
  status: string;
  url: string | null;
}

export interface CivicProblem {
  line: number;
  evidence_id: string | null;
  reason: string;
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
  evidence_type: ['evidence_type'],
  evidence_direction: ['evidence_direction'],
  evidence_level: ['evidence_level'],
  significance: ['significance', 'clinical_significance'],
  statement: ['evidence_statement', 'description'],
  pmid: ['pubmed_id', 'citation_id'],
  source_type: ['source_type'],
  citation: ['citation'],
  rating: ['rating', 'evidence_rating'],
  status: ['evidence_status'],
  url: ['evidence_civic_url'],
} as const;
type Field = keyof typeof COLUMNS;

const REQUIRED: Field[] = ['evidence_id', 'evidence_type', 'evidence_level', 'statement'];

/**
 * Plain TSV: one record per line, fields split on tabs only. A `"` is an ordinary character (CIViC statements
 * contain them), so no CSV quoting rules apply.
 */
export function parseCivicTsv(text: string): { rows: CivicEvidence[]; skipped: CivicProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const index = {} as Record<Field, number>;
  for (const field of Object.keys(COLUMNS) as Field[]) {
    index[field] = COLUMNS[field].map((name) => header.indexOf(name)).find((i) => i >= 0) ?? -1;
  }
  const missing = REQUIRED.filter((f) => index[f] < 0);
  if (index.molecular_profile < 0 && (index.gene < 0 || index.variant < 0)) missing.push('molecular_profile');
  if (missing.length > 0)
    throw new CivicFileError(
      `not a CIViC ClinicalEvidenceSummaries file: no column for ${missing.map((f) => COLUMNS[f as Field]?.join('/') ?? f).join(', ')}`,
    );

  const rows: CivicEvidence[] = [];
  const skipped: CivicProblem[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const cells = raw.split('\t');
    const get = (field: Field) => {
      const at = index[field];
      const value = at < 0 ? '' : (cells[at] ?? '').trim();
      return value === '' ? null : value;
    };
    const line = i + 1;
    const evidenceId = get('evidence_id');
    const problem = (reason: string) => skipped.push({ line, evidence_id: evidenceId, reason });
    if (cells.length < header.length - 1) {
      problem(`has ${cells.length} fields, the header has ${header.length}`);
      continue;
    }
    if (!evidenceId || !/^\d+$/.test(evidenceId)) {
      problem(`evidence_id ${JSON.stringify(evidenceId)} is not a number`);
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
    const sourceType = get('source_type');
    const pmidText = sourceType === null || /pubmed/i.test(sourceType) ? get('pmid') : null;
    if (pmidText !== null && !/^[1-9]\d{0,8}$/.test(pmidText)) {
      problem(`PubMed id ${JSON.stringify(pmidText)} is not a PMID`);
      continue;
    }
    const ratingText = get('rating');
    const rating = ratingText === null ? null : Number(ratingText);
    if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
      problem(`rating ${JSON.stringify(ratingText)} is not 1-5`);
      continue;
    }
    const doid = get('doid');
    const gene = get('gene');
    const variant = get('variant');
    rows.push({
      line,
      evidence_id: evidenceId,
      biomarker: get('molecular_profile') ?? ([gene, variant].filter(Boolean).join(' ') || null),
      disease: get('disease'),
      doid: doid && /^\d+$/.test(doid) ? `DOID:${doid}` : null,
      therapies: splitTherapies(get('therapies') ?? ''),
      evidence_type: get('evidence_type') ?? '',
      evidence_direction: get('evidence_direction') ?? '',
      evidence_level: level,
      significance: get('significance') ?? '',
      statement,
      pmid: pmidText,
      citation: get('citation'),
      rating,
      status: (get('status') ?? 'accepted').toLowerCase(),
      url: get('url'),
    });
  }
  return { rows, skipped };
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

/** The release a file is, from its name: "01-Oct-2018-ClinicalEvidenceSummaries.tsv". */
export function releaseName(path: string): string {
  return basename(path);
}
