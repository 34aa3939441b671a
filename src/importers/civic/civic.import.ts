// CIViC evidence → claims: meaning from the mapping table, conditions by DOID or name, therapies with their aliases
// and interaction, every source (PubMed or abstract) as a study, agreement between items, curators' edits kept.
import { readFileSync } from 'node:fs';
import { type Changes, commit } from '../../curation/commit.js';
import type { EvidenceType, InterventionRelation, VariantOrigin } from '../../evidence/vocabulary.js';
import { type ClaimRecord, claimImportStateOf, claimRecordOf } from '../../resources/claims/claims.queries.js';
import type { Database, Reader } from '../../store/client.js';
import { LOOKUP_RANK, lookupBest, resolveLookup } from '../../store/lookup.queries.js';
import { lookupKey } from '../../store/normalize.js';
import {
  type CivicDialect,
  type CivicEvidence,
  CivicFileError,
  type CivicProblem,
  type CivicSource,
  type CivicTherapy,
  parseCivicTsv,
  releaseName,
} from './civic.parse.js';
import {
  type CitedStudy,
  civicClaimsAbsentFrom,
  civicCurrentCount,
  interventionById,
  isBareStudy,
  slugById,
  slugTaken,
} from './civic.queries.js';
import { civicConcordance, civicMeaning, civicPlainSummary } from './civic.semantics.js';

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

const STATUS: Record<string, string> = { accepted: 'published', submitted: 'draft', rejected: 'withdrawn' };

/** A field a curator changed that this release would have changed too: the curator's value was kept. */
export interface CivicConflict {
  claim: string;
  /** The claim field, as the API names it (`statement`, `grade.level`, `studies`, ...). */
  field: string;
  curator_value: unknown;
  import_value: unknown;
}

export interface CivicImportSummary {
  file: string;
  release: string;
  /** The exporter dialect the file was read in (detected unless given). */
  dialect: CivicDialect;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  /** Rows not imported, with the line and the reason (e.g. a row with no usable source). */
  skipped: CivicProblem[];
  /** Values a row had that were dropped (an unknown variant origin, a malformed NCT id), by line. */
  warnings: { line: number; evidence_id: string; message: string }[];
  /** Fields curators changed that the release differs on: kept as the curator wrote them. */
  conflicts: CivicConflict[];
  created: { conditions: number; interventions: number; studies: number };
}

/**
 * The share of current CIViC claims one release may withdraw before the import refuses. A monthly release drops a few
 * items; a file that would withdraw more than a quarter of them is far more likely a partial, filtered or different
 * file than a release, and withdrawing on its word would hide most of the CIViC evidence. `allowMassWithdrawal`
 * (`--allow-withdraw`) says the file is a complete release all the same.
 */
export const MASS_WITHDRAWAL_SHARE = 0.25;

export interface CivicImportOptions {
  /** Mark CIViC claims absent from this file as withdrawn (default true: a monthly release is complete). */
  withdrawMissing?: boolean;
  /** Withdraw even when that is more than MASS_WITHDRAWAL_SHARE of the current CIViC claims (default false). */
  allowMassWithdrawal?: boolean;
  /** Read the file in this exporter dialect instead of detecting it (`--dialect`). */
  dialect?: CivicDialect;
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

/** The study a CIViC source is, keyed by PMID or (for a source without one) by `<type>:<id>`. */
export function citedStudyOf(source: CivicSource): CitedStudy {
  const common = { citation: source.citation, citation_source: 'CIViC', abstract_number: null };
  switch (source.kind) {
    case 'pubmed':
      return {
        ...common,
        key: source.pmid,
        pmid: source.pmid,
        source_type: 'pubmed',
        source_id: null,
        source_url: null,
      };
    case 'asco':
      return {
        ...common,
        key: `asco:${source.web_id}`,
        pmid: null,
        source_type: 'asco',
        source_id: source.web_id,
        abstract_number: source.abstract_number,
        source_url: source.url,
      };
    case 'ash':
      return {
        ...common,
        key: `ash:${source.doi}`,
        pmid: null,
        source_type: 'ash',
        source_id: source.doi,
        source_url: source.url,
      };
    default:
      return {
        ...common,
        key: `other:${slugify(source.source_type)}:${source.citation_id}`,
        pmid: null,
        source_type: 'other',
        source_id: source.citation_id,
        source_url: null,
      };
  }
}

/**
 * The fields of an imported claim that a curator may change, read and written by path. A re-import compares each
 * with what the last import wrote (claim_import_state): a field that differs was changed by a curator and is kept.
 */
const CURATED_FIELDS: { name: string; get: (r: ClaimRecord) => unknown; set: (r: ClaimRecord, v: unknown) => void }[] =
  [
    { name: 'statement', get: (r) => r.statement, set: (r, v) => (r.statement = v as string) },
    {
      name: 'plain_summary',
      get: (r) => r.plain_summary,
      set: (r, v) => {
        r.plain_summary = v as string | null;
      },
    },
    { name: 'condition', get: (r) => r.condition, set: (r, v) => (r.condition = v as string | null) },
    { name: 'interventions', get: (r) => r.interventions, set: (r, v) => (r.interventions = v as string[]) },
    {
      name: 'intervention_relation',
      get: (r) => r.intervention_relation,
      set: (r, v) => (r.intervention_relation = v as InterventionRelation | null),
    },
    { name: 'outcome', get: (r) => r.outcome, set: (r, v) => (r.outcome = v as string | null) },
    { name: 'direction', get: (r) => r.direction, set: (r, v) => (r.direction = v as string) },
    { name: 'evidence_type', get: (r) => r.evidence_type, set: (r, v) => (r.evidence_type = v as EvidenceType | null) },
    { name: 'biomarker', get: (r) => r.biomarker, set: (r, v) => (r.biomarker = v as string | null) },
    {
      name: 'variant_origin',
      get: (r) => r.variant_origin,
      set: (r, v) => (r.variant_origin = v as VariantOrigin | null),
    },
    { name: 'nct_ids', get: (r) => r.nct_ids, set: (r, v) => (r.nct_ids = v as string[]) },
    { name: 'grade.level', get: (r) => r.grade.level, set: (r, v) => (r.grade.level = v as string) },
    { name: 'grade.rationale', get: (r) => r.grade.rationale, set: (r, v) => (r.grade.rationale = v as string | null) },
    { name: 'caveats', get: (r) => r.caveats, set: (r, v) => (r.caveats = v as ClaimRecord['caveats']) },
    { name: 'status', get: (r) => r.status, set: (r, v) => (r.status = v as string) },
    { name: 'studies', get: (r) => r.studies, set: (r, v) => (r.studies = v as ClaimRecord['studies']) },
  ];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What to write for an item that exists: the release's values, except in fields a curator changed since the last
 * import (their value differs from what that import wrote), which keep the curator's value; each such field whose
 * release value differs from the curator's is a conflict. A claim imported before imports were remembered counts
 * only a summary a person wrote (plain_summary_source curated) as curated.
 */
export function keepCuratorEdits(
  incoming: ClaimRecord,
  existing: ClaimRecord | undefined,
  lastImported: Record<string, unknown> | undefined,
): { record: ClaimRecord; conflicts: CivicConflict[]; imported: Record<string, unknown> } {
  const imported = Object.fromEntries(CURATED_FIELDS.map((f) => [f.name, f.get(incoming)]));
  if (!existing) return { record: incoming, conflicts: [], imported };
  const record: ClaimRecord = structuredClone(incoming);
  const conflicts: CivicConflict[] = [];
  for (const field of CURATED_FIELDS) {
    const current = field.get(existing);
    const curated = lastImported
      ? !same(current, lastImported[field.name])
      : field.name === 'plain_summary' && current !== null && existing.plain_summary_source === 'curated';
    if (!curated) continue;
    field.set(record, structuredClone(current));
    if (field.name === 'plain_summary') record.plain_summary_source = existing.plain_summary_source;
    if (!same(current, field.get(incoming)))
      conflicts.push({
        claim: incoming.id,
        field: field.name,
        curator_value: current,
        import_value: field.get(incoming),
      });
  }
  return { record, conflicts, imported };
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
  {
    withdrawMissing = true,
    allowMassWithdrawal = false,
    dialect,
    onProgress,
    now = () => new Date().toISOString(),
  }: CivicImportOptions = {},
): Promise<CivicImportSummary> {
  const parsed = parseCivicTsv(text, dialect ? { dialect } : {});
  const { rows, skipped } = parsed;
  const summary: CivicImportSummary = {
    file: release,
    release,
    dialect: parsed.dialect,
    rows: rows.length + skipped.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    withdrawn: 0,
    skipped,
    warnings: rows.flatMap((r) => r.warnings.map((message) => ({ line: r.line, evidence_id: r.evidence_id, message }))),
    conflicts: [],
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
    // The ontology term by DOID (its id, an alt_id or an obsolete id it replaces), then an exact name or synonym.
    const byDoid = row.doid ? await lookupBest(changes.read, 'condition', row.doid) : undefined;
    const byName = byDoid ? undefined : await lookupBest(changes.read, 'condition', row.disease);
    const id = byDoid?.ids[0] ?? (byName && byName.rank >= LOOKUP_RANK.synonym ? byName.ids[0] : undefined);
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
        parents: [],
      });
      summary.created.conditions++;
    }
    conditionSlugs.set(cacheKey, slug);
    return slug;
  };

  /**
   * A therapy by its name, else one of its aliases; an intervention an earlier import named with the alias in
   * parentheses ("Rapamycin (Sirolimus)") becomes name + synonyms; a new one is created as a drug with its aliases.
   */
  const interventionFor = async (changes: Changes, therapy: CivicTherapy): Promise<string> => {
    const key = lookupKey(therapy.written);
    const cached = interventionSlugs.get(key);
    if (cached !== undefined) return cached;
    let id: number | undefined;
    for (const name of [therapy.name, ...therapy.synonyms]) {
      id = await resolveLookup(changes.read, 'intervention', name);
      if (id !== undefined) break;
    }
    const legacy = id === undefined && therapy.written !== therapy.name;
    if (legacy) id = await resolveLookup(changes.read, 'intervention', therapy.written);
    let slug: string;
    if (id !== undefined) {
      const found = await interventionById(changes.read, id);
      slug = found.slug;
      if (legacy && found.name === therapy.written)
        await changes.upsertIntervention({
          slug,
          name: therapy.name,
          kind: found.kind as 'drug',
          description: found.description,
          synonyms: [...new Set([...found.synonyms, ...therapy.synonyms])],
        });
    } else {
      slug = await freeSlug(changes.read, 'interventions', slugify(therapy.name));
      await changes.upsertIntervention({
        slug,
        name: therapy.name,
        kind: 'drug',
        description: null,
        synonyms: therapy.synonyms,
      });
      summary.created.interventions++;
    }
    interventionSlugs.set(key, slug);
    return slug;
  };

  // A later row with the same evidence id replaces an earlier one, as a release never repeats an id.
  const unique = [...new Map(rows.map((r) => [r.evidence_id, r])).values()];
  // Agreement is between items CIViC has accepted: a submitted or rejected item neither agrees nor disagrees.
  const concordance = civicConcordance(unique.filter((r) => r.status === 'accepted'));
  const claimId = (evidenceId: string) => `civic-eid-${evidenceId}`;

  const toRecord = (
    given: CivicEvidence,
    condition: string | null,
    interventions: string[],
    bare: boolean,
    knownRelation: CivicEvidence['therapy_interaction_type'],
  ): ClaimRecord => {
    // A release without the interaction column (before November 2018) says nothing about how the therapies were
    // given: a relation a later release or a curator recorded for the same therapies stands, and the summary uses it.
    const row =
      given.therapy_interaction_type === null && interventions.length > 1 && knownRelation !== null
        ? { ...given, therapy_interaction_type: knownRelation }
        : given;
    const meaning = civicMeaning(row);
    const study = citedStudyOf(row.source);
    const related = concordance.get(row.evidence_id) ?? { agrees: [], disagrees: [] };
    return {
      id: claimId(row.evidence_id),
      statement: row.statement,
      plain_summary: civicPlainSummary(row),
      plain_summary_source: 'generated',
      condition,
      interventions,
      intervention_relation: interventions.length > 1 ? row.therapy_interaction_type : null,
      outcome: [row.evidence_type, row.significance].filter(Boolean).join(': ') || null,
      direction: meaning.direction,
      evidence_type: meaning.evidence_type,
      biomarker: row.biomarker,
      variant_origin: row.variant_origin,
      nct_ids: row.nct_ids,
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
      // A PMID with no imported PubMed record is unverified here, as the seed marks its own (caveat unverified_sources).
      caveats: {
        codes: [...(LEVEL_CAVEATS[row.evidence_level] ?? []), ...(bare ? ['unverified_sources'] : [])],
        notes: null,
      },
      status: STATUS[row.status] ?? 'draft',
      pico: null,
      studies: [
        { key: study.key, relation: meaning.relation, finding: null, subgroup_sample_size: null, effect_estimates: [] },
      ],
      related: { agrees: related.agrees.map(claimId), disagrees: related.disagrees.map(claimId) },
      source: {
        name: 'civic',
        id: row.evidence_id,
        url: row.url,
        release,
        evidence_direction: row.evidence_direction || null,
        significance: row.significance || null,
        reviewed_at: row.last_review_date,
      },
    };
  };

  const PROGRESS_EVERY = 1000;
  await commit(db, { actor: 'import:civic', reason: `CIViC release ${release}` }, async (changes) => {
    for (const [index, row] of unique.entries()) {
      const cited = citedStudyOf(row.source);
      if ((await changes.citeSource(cited)) === 'inserted') summary.created.studies++;
      const bare = cited.pmid !== null && (await isBareStudy(changes.read, cited.key));
      const condition = await conditionFor(changes, row);
      const interventions: string[] = [];
      for (const therapy of row.therapy_terms) interventions.push(await interventionFor(changes, therapy));
      const linked = [...new Set(interventions)];
      const existing = await claimRecordOf(changes.read, claimId(row.evidence_id));
      const sameTherapies =
        existing !== undefined &&
        existing !== null &&
        [...existing.interventions].sort().join() === [...linked].sort().join();
      const incoming = toRecord(
        row,
        condition,
        linked,
        bare,
        sameTherapies ? (existing.intervention_relation as CivicEvidence['therapy_interaction_type']) : null,
      );
      const state = await claimImportStateOf(changes.read, incoming.id);
      const { record, conflicts, imported } = keepCuratorEdits(incoming, existing, state?.values);
      summary.conflicts.push(...conflicts);
      summary[await changes.upsertClaim(record, { importedAt, importState: { release, values: imported } })]++;
      if ((index + 1) % PROGRESS_EVERY === 0 || index + 1 === unique.length) onProgress?.(index + 1, unique.length);
    }
    if (withdrawMissing && unique.length > 0) {
      const reason = `absent from CIViC release ${release}`;
      const withdrawing: string[] = [];
      for (const id of await civicClaimsAbsentFrom(
        changes.read,
        unique.map((r) => r.evidence_id),
      )) {
        // A status a curator set (a retraction, a publication) is theirs: the release does not withdraw over it.
        const state = await claimImportStateOf(changes.read, id);
        const current = await claimRecordOf(changes.read, id);
        if (state && current && !same(current.status, state.values.status)) continue;
        withdrawing.push(id);
      }
      const currentCount = await civicCurrentCount(changes.read);
      if (!allowMassWithdrawal && withdrawing.length > MASS_WITHDRAWAL_SHARE * currentCount)
        throw new CivicFileError(
          `${release} would withdraw ${withdrawing.length} of the ${currentCount} current CIViC claims (${Math.round((100 * withdrawing.length) / currentCount)}%, more than ${100 * MASS_WITHDRAWAL_SHARE}%): nothing was changed. If it is a partial file, import it with --no-withdraw; if it is a complete release, with --allow-withdraw.`,
        );
      for (const id of withdrawing)
        if (await changes.setClaimStatus(id, 'withdrawn', 'update', { reason, byImport: true })) summary.withdrawn++;
    }
  });
  return summary;
}
