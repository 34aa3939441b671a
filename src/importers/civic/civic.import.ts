// CIViC evidence → claims: conditions by DOID or name, therapies as drugs, PMIDs as studies, grades on the civic scale.
import { readFileSync } from 'node:fs';
import { recordChange } from '../../curation/snapshots.js';
import type { Direction } from '../../evidence/vocabulary.js';
import { type ClaimRecord, upsertClaim } from '../../resources/claims/claims.queries.js';
import { upsertCondition, type WriteOutcome } from '../../resources/conditions/conditions.queries.js';
import { upsertIntervention } from '../../resources/interventions/interventions.queries.js';
import type { AppDatabase } from '../../store/client.js';
import { bumpDataVersion } from '../../store/data-version.queries.js';
import { resolveLookup } from '../../store/lookup.queries.js';
import { lookupKey } from '../../store/normalize.js';
import { type CivicEvidence, CivicFileError, type CivicProblem, parseCivicTsv, releaseName } from './civic.parse.js';
import { ensureCitedStudy, slugById, slugTaken, withdrawMissingCivicClaims } from './civic.queries.js';

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
  batchSize?: number;
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

function freeSlug(db: AppDatabase, table: 'conditions' | 'interventions', base: string): string {
  let slug = base;
  for (let n = 2; slugTaken(db.sqlite, table, slug); n++) slug = `${base}-${n}`;
  return slug;
}

/** Imports one ClinicalEvidenceSummaries file. A file that is not one throws CivicFileError and changes nothing. */
export function importCivicFile(db: AppDatabase, path: string, options: CivicImportOptions = {}): CivicImportSummary {
  const text = readFileSync(path, 'utf8');
  return importCivicText(db, text, releaseName(path), options);
}

export function importCivicText(
  db: AppDatabase,
  text: string,
  release: string,
  {
    withdrawMissing = true,
    batchSize = 1000,
    onProgress,
    now = () => new Date().toISOString(),
  }: CivicImportOptions = {},
): CivicImportSummary {
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
  const sqlite = db.sqlite;
  const conditionSlugs = new Map<string, string | null>();
  const interventionSlugs = new Map<string, string>();
  const importedAt = now();

  const conditionFor = (row: CivicEvidence): string | null => {
    if (!row.disease) return null;
    const cacheKey = `${row.doid ?? ''}|${lookupKey(row.disease)}`;
    const cached = conditionSlugs.get(cacheKey);
    if (cached !== undefined) return cached;
    const id =
      (row.doid ? resolveLookup(sqlite, 'condition', row.doid) : undefined) ??
      resolveLookup(sqlite, 'condition', row.disease);
    let slug: string;
    if (id !== undefined) slug = slugById(sqlite, 'conditions', id);
    else {
      slug = freeSlug(db, 'conditions', slugify(row.disease));
      upsertCondition(sqlite, {
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

  const interventionFor = (name: string): string => {
    const key = lookupKey(name);
    const cached = interventionSlugs.get(key);
    if (cached !== undefined) return cached;
    const id = resolveLookup(sqlite, 'intervention', name);
    let slug: string;
    if (id !== undefined) slug = slugById(sqlite, 'interventions', id);
    else {
      slug = freeSlug(db, 'interventions', slugify(name));
      upsertIntervention(sqlite, { slug, name, kind: 'drug', description: null, synonyms: [] });
      summary.created.interventions++;
    }
    interventionSlugs.set(key, slug);
    return slug;
  };

  const toRecord = (row: CivicEvidence): ClaimRecord => {
    const direction = civicDirection(row.evidence_direction, row.evidence_type, row.significance);
    return {
      id: `civic-eid-${row.evidence_id}`,
      statement: row.statement,
      plain_summary: null,
      condition: conditionFor(row),
      interventions: [...new Set(row.therapies.map(interventionFor))],
      outcome: [row.evidence_type, row.significance].filter(Boolean).join(': ') || null,
      direction,
      biomarker: row.biomarker,
      grade: {
        scheme: 'civic',
        level: row.evidence_level,
        rationale: `CIViC evidence level ${row.evidence_level} (${CIVIC_LEVELS[row.evidence_level]})${row.rating === null ? '' : `, rated ${row.rating} of 5 by CIViC curators`}.`,
        upgrade_rationale: null,
        rating: row.rating,
      },
      caveats: { codes: LEVEL_CAVEATS[row.evidence_level] ?? [], notes: null },
      status: STATUS[row.status] ?? 'draft',
      studies:
        row.pmid === null
          ? []
          : [
              {
                pmid: row.pmid,
                relation: /^does not support$/i.test(row.evidence_direction) ? 'contradicts' : 'supports',
                finding: null,
                subgroup_sample_size: null,
              },
            ],
      source: { name: 'civic', id: row.evidence_id, url: row.url, release },
    };
  };

  const writeBatch = sqlite.transaction((batch: CivicEvidence[]) => {
    let changed = false;
    for (const row of batch) {
      if (row.pmid !== null && ensureCitedStudy(sqlite, row.pmid, row.citation) === 'inserted') {
        summary.created.studies++;
        changed = true;
      }
      const record = toRecord(row);
      const outcome: WriteOutcome = upsertClaim(sqlite, record, importedAt);
      summary[outcome]++;
      if (outcome !== 'unchanged') {
        changed = true;
        recordChange(sqlite, {
          entity: 'claim',
          key: record.id,
          action: outcome === 'inserted' ? 'create' : 'update',
          actor: 'import:civic',
          reason: `CIViC release ${release}`,
        });
      }
    }
    if (changed) bumpDataVersion(sqlite);
  });

  // A later row with the same evidence id replaces an earlier one, as a release never repeats an id.
  const unique = [...new Map(rows.map((r) => [r.evidence_id, r])).values()];
  for (let start = 0; start < unique.length; start += batchSize) {
    writeBatch(unique.slice(start, start + batchSize));
    onProgress?.(Math.min(start + batchSize, unique.length), unique.length);
  }
  if (withdrawMissing && unique.length > 0) {
    sqlite.transaction(() => {
      const withdrawn = withdrawMissingCivicClaims(
        sqlite,
        unique.map((r) => r.evidence_id),
      );
      for (const id of withdrawn)
        recordChange(sqlite, {
          entity: 'claim',
          key: id,
          action: 'update',
          actor: 'import:civic',
          reason: `absent from CIViC release ${release}`,
        });
      summary.withdrawn = withdrawn.length;
      if (summary.withdrawn > 0) bumpDataVersion(sqlite);
    })();
  }
  return summary;
}
