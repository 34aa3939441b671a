// CIViC evidence → claims: conditions by DOID or name, therapies as drugs, PMIDs as studies, grades on the civic scale.
import { readFileSync } from 'node:fs';
import { type Changes, commit } from '../../curation/commit.js';
import type { Direction } from '../../evidence/vocabulary.js';
import type { ClaimRecord } from '../../resources/claims/claims.queries.js';
import type { Database, Reader } from '../../store/client.js';
import { resolveLookup } from '../../store/lookup.queries.js';
import { lookupKey } from '../../store/normalize.js';
import { type CivicEvidence, CivicFileError, type CivicProblem, parseCivicTsv, releaseName } from './civic.parse.js';
import { civicClaimsAbsentFrom, slugById, slugTaken } from './civic.queries.js';

export { CivicFileError };

export const CIVIC_LEVELS: Record<string, string> = {
  A: 'validated',
  B: 'clinical',
  C: 'case study',
  D: 'preclinical',
  E: 'inferential',
};

/** What each evidence level implies about the evidence itself, by CIViC's own definitions. */
const LEVEL_CAVEATS: Record<string, string[]> = {
  A: [],
  B: [],
  C: ['small_sample'],
  D: ['indirect_evidence', 'preliminary'],
  E: ['indirect_evidence'],
};

/**
 * Direction from CIViC's evidence direction and clinical significance. "Does Not Support" means the evidence
 * argues against the significance, so no effect was shown; a predictive Resistance means the therapy does not work
 * for that biomarker. Prognostic, diagnostic and predisposing evidence describe associations, not effects.
 */
export function civicDirection(evidenceDirection: string, evidenceType: string, significance: string): Direction {
  if (/^does not support$/i.test(evidenceDirection)) return 'no_effect';
  if (!/^supports$/i.test(evidenceDirection)) return 'unclear';
  const sig = significance.toLowerCase();
  if (sig.includes('uncertain')) return 'unclear';
  if (/^predictive$/i.test(evidenceType)) {
    if (sig.startsWith('sensitivity')) return 'benefit';
    if (sig === 'resistance') return 'no_effect';
    if (sig.includes('reduced sensitivity')) return 'mixed';
    if (sig.includes('adverse')) return 'harm';
  }
  return 'association';
}

const STATUS: Record<string, string> = { accepted: 'published', submitted: 'draft', rejected: 'withdrawn' };

export interface CivicImportSummary {
  file: string;
  release: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  skipped: CivicProblem[];
  created: { conditions: number; interventions: number; studies: number };
}

export interface CivicImportOptions {
  /** Mark CIViC claims absent from this file as withdrawn (default true: a monthly release is complete). */
  withdrawMissing?: boolean;
  /** Rows written so far; called inside the import's one transaction, so nothing is committed until the end. */
  onProgress?: (done: number, total: number) => void;
  now?: () => string;
}

export function slugify(text: string): string {
  return (
    lookupKey(text)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100)
      .replace(/-+$/, '') || 'unnamed'
  );
}

async function freeSlug(h: Reader, table: 'conditions' | 'interventions', base: string): Promise<string> {
  let slug = base;
  for (let n = 2; await slugTaken(h, table, slug); n++) slug = `${base}-${n}`;
  return slug;
}

/**
 * Imports one ClinicalEvidenceSummaries file in one commit (actor `import:civic`): every claim, condition,
 * intervention and study it creates or changes gets a revision, and either all of it commits or none of it. A file
 * that is not a release throws CivicFileError and changes nothing; so does StoreBusyError (the server held the
 * database longer than the bound).
 */
export async function importCivicFile(
  db: Database,
  path: string,
  options: CivicImportOptions = {},
): Promise<CivicImportSummary> {
  const text = readFileSync(path, 'utf8');
  return importCivicText(db, text, releaseName(path), options);
}

export async function importCivicText(
  db: Database,
  text: string,
  release: string,
  { withdrawMissing = true, onProgress, now = () => new Date().toISOString() }: CivicImportOptions = {},
): Promise<CivicImportSummary> {
  const { rows, skipped } = parseCivicTsv(text);
  const summary: CivicImportSummary = {
    file: release,
    release,
    rows: rows.length + skipped.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    withdrawn: 0,
    skipped,
    created: { conditions: 0, interventions: 0, studies: 0 },
  };
  const conditionSlugs = new Map<string, string | null>();
  const interventionSlugs = new Map<string, string>();
  const importedAt = now();

  const conditionFor = async (changes: Changes, row: CivicEvidence): Promise<string | null> => {
    if (!row.disease) return null;
    const cacheKey = `${row.doid ?? ''}|${lookupKey(row.disease)}`;
    const cached = conditionSlugs.get(cacheKey);
    if (cached !== undefined) return cached;
    const id =
      (row.doid ? await resolveLookup(changes.read, 'condition', row.doid) : undefined) ??
      (await resolveLookup(changes.read, 'condition', row.disease));
    let slug: string;
    if (id !== undefined) slug = await slugById(changes.read, 'conditions', id);
    else {
      slug = await freeSlug(changes.read, 'conditions', slugify(row.disease));
      await changes.upsertCondition({
        slug,
        name: row.disease,
        description: null,
        synonyms: [],
        mesh_id: null,
        doid: row.doid,
        parent: null,
      });
      summary.created.conditions++;
    }
    conditionSlugs.set(cacheKey, slug);
    return slug;
  };

  const interventionFor = async (changes: Changes, name: string): Promise<string> => {
    const key = lookupKey(name);
    const cached = interventionSlugs.get(key);
    if (cached !== undefined) return cached;
    const id = await resolveLookup(changes.read, 'intervention', name);
    let slug: string;
    if (id !== undefined) slug = await slugById(changes.read, 'interventions', id);
    else {
      slug = await freeSlug(changes.read, 'interventions', slugify(name));
      await changes.upsertIntervention({ slug, name, kind: 'drug', description: null, synonyms: [] });
      summary.created.interventions++;
    }
    interventionSlugs.set(key, slug);
    return slug;
  };

  const toRecord = (row: CivicEvidence, condition: string | null, interventions: string[]): ClaimRecord => {
    const direction = civicDirection(row.evidence_direction, row.evidence_type, row.significance);
    return {
      id: `civic-eid-${row.evidence_id}`,
      statement: row.statement,
      plain_summary: null,
      condition,
      interventions,
      outcome: [row.evidence_type, row.significance].filter(Boolean).join(': ') || null,
      direction,
      biomarker: row.biomarker,
      grade: {
        scheme: 'civic',
        level: row.evidence_level,
        rationale: `CIViC evidence level ${row.evidence_level} (${CIVIC_LEVELS[row.evidence_level]})${row.rating === null ? '' : `, rated ${row.rating} of 5 by CIViC curators`}.`,
        upgrade_rationale: null,
        rating: row.rating,
        // GRADE domains do not apply to a CIViC level.
        domains: null,
        synthesis_of: null,
        override_reason: null,
      },
      caveats: { codes: LEVEL_CAVEATS[row.evidence_level] ?? [], notes: null },
      status: STATUS[row.status] ?? 'draft',
      pico: null,
      studies:
        row.pmid === null
          ? []
          : [
              {
                pmid: row.pmid,
                relation: /^does not support$/i.test(row.evidence_direction) ? 'contradicts' : 'supports',
                finding: null,
                subgroup_sample_size: null,
                effect_estimates: [],
              },
            ],
      source: { name: 'civic', id: row.evidence_id, url: row.url, release },
    };
  };

  // A later row with the same evidence id replaces an earlier one, as a release never repeats an id.
  const unique = [...new Map(rows.map((r) => [r.evidence_id, r])).values()];
  const PROGRESS_EVERY = 1000;
  await commit(db, { actor: 'import:civic', reason: `CIViC release ${release}` }, async (changes) => {
    for (const [index, row] of unique.entries()) {
      if (row.pmid !== null && (await changes.citeStudy(row.pmid, row.citation)) === 'inserted')
        summary.created.studies++;
      const condition = await conditionFor(changes, row);
      const interventions: string[] = [];
      for (const therapy of row.therapies) interventions.push(await interventionFor(changes, therapy));
      const record = toRecord(row, condition, [...new Set(interventions)]);
      summary[await changes.upsertClaim(record, { importedAt })]++;
      if ((index + 1) % PROGRESS_EVERY === 0 || index + 1 === unique.length) onProgress?.(index + 1, unique.length);
    }
    if (withdrawMissing && unique.length > 0) {
      const reason = `absent from CIViC release ${release}`;
      for (const id of await civicClaimsAbsentFrom(
        changes.read,
        unique.map((r) => r.evidence_id),
      ))
        if (await changes.setClaimStatus(id, 'withdrawn', 'update', { reason })) summary.withdrawn++;
    }
  });
  return summary;
}
