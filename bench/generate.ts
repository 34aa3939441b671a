// Synthetic benchmark database: a realistic, seed-deterministic evidence corpus written through the real migrations.
//
// npm run bench:data -- --claims N --out FILE [--seed S] [--check]
//
// Speed (1M claims in a few minutes): the load runs with synchronous=OFF, journal_mode=MEMORY, foreign keys off, the
// search triggers and the secondary indexes of the big tables dropped. At the end the indexes and triggers are
// re-created from the exact SQL the migrations wrote (read back from sqlite_master), and the search index is filled
// with one INSERT ... SELECT per search_*_docs view: the same rows the triggers would have written (`--check`
// proves it on a small size by comparing with a load that keeps the triggers). Timestamps and the database id come
// from the seeded PRNG, so a seed always gives the same content.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { certaintyOf, type GradeScheme } from '../src/evidence/grades.js';
import { CAVEAT_CODES, type DIRECTIONS } from '../src/evidence/vocabulary.js';
import { CLAIM_RANK_KEY_SQL } from '../src/resources/claims/claims.rank.js';
import { type Database, openDatabase, type Sqlite, sqliteReader, type Transaction } from '../src/store/client.js';
import { LOOKUP_RANK, writeLookupKeys } from '../src/store/lookup.queries.js';
import { MIGRATIONS_FOLDER } from '../src/store/migrate.js';
import * as V from './vocabulary.js';

export interface GenerateOptions {
  claims: number;
  seed?: number;
  /** A file, or ':memory:' (the caller then uses the returned handle). */
  path: string;
  log?: (line: string) => void;
  /** Keep the search triggers and indexes during the load (slow; for proving the fast path equivalent). */
  useTriggers?: boolean;
}

export interface GenerateStats {
  conditions: number;
  interventions: number;
  studies: number;
  claims: number;
  claimStudies: number;
  claimInterventions: number;
  topics: number;
  lookupKeys: number;
  searchDocs: number;
  elapsedMs: number;
  phases: Record<string, number>;
}

/** Small, fast, seedable PRNG (mulberry32): the whole dataset follows from one 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Skewed pick: low indexes are much more likely (density ~ x^(1/power - 1)). */
  skewed<T>(items: readonly T[], power = 2): T {
    return items[Math.floor(items.length * this.next() ** power)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return (table[table.length - 1] as readonly [T, number])[0];
  }
  /** Log-normal with the given median; sigma in natural-log units. */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

const slugify = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;
const EPOCH_2019 = Date.UTC(2019, 0, 1);
const EPOCH_2025 = Date.UTC(2025, 5, 30);

/** Study designs with their share of the literature behind evidence claims; null is "not yet known". */
const DESIGN_MIX: readonly (readonly [string | null, number])[] = [
  ['cohort', 22],
  ['cross_sectional', 14],
  ['narrative_review', 10],
  ['case_control', 9],
  ['rct', 8],
  ['systematic_review', 5],
  ['meta_analysis', 4],
  ['case_series', 4],
  ['case_report', 4],
  ['animal', 5],
  ['in_vitro', 3],
  ['non_randomised_trial', 3],
  ['expert_opinion', 1],
  ['other', 2],
  [null, 6],
];
const DESIGN_CODES = DESIGN_MIX.map(([d]) => d);
const DESIGN_INDEX_MIX = DESIGN_MIX.map(([, w], i) => [i, w] as const);
/** Median participants per design (null: the design has no participants to count). */
const DESIGN_SIZE: Record<string, [number, number] | null> = {
  cohort: [1800, 1.6],
  cross_sectional: [800, 1.4],
  case_control: [400, 1.1],
  rct: [120, 1.0],
  non_randomised_trial: [60, 0.9],
  systematic_review: [4000, 1.3],
  meta_analysis: [9000, 1.3],
  case_series: [14, 0.7],
  case_report: [1, 0],
  animal: [24, 0.6],
  other: [200, 1.2],
  narrative_review: null,
  in_vitro: null,
  expert_opinion: null,
};
const OBSERVATIONAL = new Set(['cohort', 'case_control', 'cross_sectional', 'case_series', 'case_report']);
const RANDOMISED = new Set(['rct', 'meta_analysis', 'systematic_review']);

const DIRECTION_MIX: readonly (readonly [(typeof DIRECTIONS)[number], number])[] = [
  ['benefit', 35],
  ['association', 20],
  ['unclear', 15],
  ['no_effect', 12],
  ['mixed', 10],
  ['harm', 8],
];
const VERBS: Record<string, string[]> = {
  benefit: ['reduces', 'improves', 'lowers', 'lessens'],
  harm: ['worsens', 'increases', 'aggravates'],
  no_effect: ['does not change', 'has no clear effect on'],
  association: ['is associated with changes in', 'is linked to'],
  mixed: ['has mixed effects on', 'inconsistently affects'],
  unclear: ['may affect', 'might influence'],
};
const PLAIN_VERBS: Record<string, string[]> = {
  benefit: ['may help with', 'seems to ease'],
  harm: ['may make worse', 'could worsen'],
  no_effect: ['does not seem to change', 'probably makes little difference to'],
  association: ['goes together with', 'is linked with'],
  mixed: ['sometimes helps and sometimes not with', 'has mixed results for'],
  unclear: ['might affect', 'has unclear effects on'],
};
/** CIViC's evidence types in about the proportions of a release. */
const EVIDENCE_TYPE_MIX: readonly (readonly [string, number])[] = [
  ['predictive', 60],
  ['prognostic', 15],
  ['diagnostic', 10],
  ['predisposing', 10],
  ['oncogenic', 3],
  ['functional', 2],
];
const CIVIC_VERBS = ['predicts sensitivity of', 'predicts resistance of', 'is prognostic for', 'predicts response of'];

/**
 * Generates into the file `options.path` on a connection of its own (a bulk load, outside the service's write path),
 * then opens it as the service does. `temporary` deletes the file when the returned database closes.
 */
export async function generateDatabase(options: GenerateOptions & { temporary?: boolean }): Promise<{
  db: Database;
  stats: GenerateStats;
}> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 1;
  const n = Math.max(10, Math.floor(options.claims));
  const rnd = new Random(seed);
  const phases: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - phaseStart);
    log(`  ${name}: ${(phases[name] / 1000).toFixed(1)} s (total ${((now - started) / 1000).toFixed(1)} s)`);
    phaseStart = now;
  };

  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${options.path}${suffix}`, { force: true });
  const sqlite: Sqlite = new BetterSqlite3(options.path);
  migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_FOLDER });
  sqlite
    .prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', 'generated'), ('data_version', '0')")
    .run();
  // The lookup-key writer is the service's own; here it runs inside the loader's own transactions.
  const load: Transaction = { ...sqliteReader(sqlite), writable: true };
  const fast = !options.useTriggers;

  // Load-only settings; restored at the end.
  sqlite.pragma('foreign_keys = OFF');
  // better-sqlite3 runs SQLite in defensive mode, which refuses journal_mode=OFF; MEMORY is the next best. WAL must
  // be left through DELETE first.
  sqlite.pragma('journal_mode = DELETE');
  const mode = sqlite.pragma('journal_mode = MEMORY', { simple: true });
  if (mode !== 'memory') log(`  warning: journal_mode is ${String(mode)} during the load`);
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -524288');
  sqlite.pragma('temp_store = MEMORY');

  const dropped = fast ? dropForLoad(sqlite) : { indexes: [], triggers: [] };

  // ---- conditions: a 3-level hierarchy (roots from ROOT_CONDITIONS, then variants by qualifier and site) ----
  const conditionCount = Math.max(8, Math.round(n / 50));
  const rootCount = Math.min(V.ROOT_CONDITIONS.length, Math.max(3, Math.round(Math.sqrt(conditionCount) / 2)));
  const level2Count = Math.max(rootCount * 2, Math.round(conditionCount * 0.15));
  interface Condition {
    id: number;
    slug: string;
    name: string;
    level: number;
    parent: number | null;
    root: number;
    stem: string;
    cancer: boolean;
  }
  const conditions: Condition[] = [];
  const names = new Set<string>();
  const unique = (name: string) => {
    let candidate = name;
    for (let k = 2; names.has(candidate.toLowerCase()); k++) candidate = `${name} type ${k}`;
    names.add(candidate.toLowerCase());
    return candidate;
  };
  for (let i = 0; i < rootCount; i++) {
    const root = V.ROOT_CONDITIONS[i] as (typeof V.ROOT_CONDITIONS)[number];
    conditions.push({
      id: i + 1,
      slug: '',
      name: unique(root.name),
      level: 1,
      parent: null,
      root: i,
      stem: root.stems[0] as string,
      cancer: root.cancer,
    });
  }
  for (let i = 0; i < level2Count; i++) {
    const root = i % rootCount;
    const spec = V.ROOT_CONDITIONS[root] as (typeof V.ROOT_CONDITIONS)[number];
    const stem = spec.stems[Math.floor(i / rootCount) % spec.stems.length] as string;
    const round = Math.floor(i / (rootCount * spec.stems.length));
    const name = round === 0 ? capitalise(stem) : `${capitalise(rnd.pick(V.CONDITION_QUALIFIERS))} ${stem}`;
    conditions.push({
      id: conditions.length + 1,
      slug: '',
      name: unique(name),
      level: 2,
      parent: root + 1,
      root,
      stem,
      cancer: spec.cancer,
    });
  }
  while (conditions.length < conditionCount) {
    const parent = conditions[rootCount + rnd.int(0, level2Count - 1)] as Condition;
    const name = rnd.chance(0.5)
      ? `${capitalise(rnd.pick(V.CONDITION_QUALIFIERS))} ${parent.name.toLowerCase()}`
      : `${capitalise(rnd.pick(V.CONDITION_SITES))} ${parent.name.toLowerCase()}`;
    conditions.push({
      id: conditions.length + 1,
      slug: '',
      name: unique(name),
      level: 3,
      parent: parent.id,
      root: parent.root,
      stem: parent.stem,
      cancer: parent.cancer,
    });
  }
  for (const c of conditions) c.slug = slugify(c.name);
  const doids = uniqueNumbers(rnd, conditions.length, 1000, 9_999_999);
  const meshes = uniqueNumbers(rnd, conditions.length, 100_000, 999_999);

  const insertCondition = sqlite.prepare(
    `INSERT INTO conditions (id, slug, name, description, mesh_id, doid, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The hierarchy as the writers keep it: one curated link per parent, and the closure (each condition its own
  // descendant, then every ancestor up the 3-level tree).
  const insertParent = sqlite.prepare(
    "INSERT INTO condition_parents (condition_id, parent_id, source, position) VALUES (?, ?, 'curated', 0)",
  );
  const insertClosure = sqlite.prepare('INSERT INTO condition_descendants (ancestor_id, descendant_id) VALUES (?, ?)');
  const insertConditionSynonym = sqlite.prepare(
    'INSERT INTO condition_synonyms (condition_id, synonym, position) VALUES (?, ?, ?)',
  );
  // Async (the lookup-key writer awaits its statements), so BEGIN/COMMIT by hand rather than sqlite.transaction.
  sqlite.exec('BEGIN');
  for (const [i, c] of conditions.entries()) {
    const doid = rnd.chance(0.85) ? `DOID:${doids[i]}` : null;
    const mesh = rnd.chance(0.7) ? `D${String(meshes[i]).padStart(6, '0')}` : null;
    const description = rnd.chance(0.8)
      ? `${capitalise(c.stem)} ${rnd.pick(['affecting', 'involving', 'of'])} ${words(rnd, 8)}.`
      : null;
    const created = timestamp(rnd);
    insertCondition.run(c.id, c.slug, c.name, description, mesh, doid, iso(created), iso(created));
    if (c.parent !== null) insertParent.run(c.id, c.parent);
    for (let up: Condition | undefined = c; up; up = up.parent === null ? undefined : conditions[up.parent - 1])
      insertClosure.run(up.id, c.id);
    const synonyms = conditionSynonyms(rnd, c.name, c.stem);
    for (const [position, synonym] of synonyms.entries()) insertConditionSynonym.run(c.id, synonym, position);
    // The same spellings upsertCondition writes, at its ranks: slug, name and codes (MeSH also with its prefix),
    // then synonyms.
    const codes = [doid, mesh, mesh && `MeSH:${mesh}`].filter((code): code is string => !!code);
    await writeLookupKeys(load, 'condition', c.id, [
      ...[c.slug, c.name, ...codes].map((text) => ({ text, rank: LOOKUP_RANK.primary })),
      ...synonyms.map((text) => ({ text, rank: LOOKUP_RANK.synonym })),
    ]);
  }
  sqlite.exec('COMMIT');
  phase(`conditions (${conditions.length})`);

  // ---- interventions: every kind, with synonyms (brand names, abbreviations, spelling variants) ----
  const interventionCount = Math.max(8, Math.round(n / 20));
  interface Intervention {
    id: number;
    slug: string;
    name: string;
    kind: string;
  }
  const interventions: Intervention[] = [];
  const interventionNames = new Set<string>();
  const insertIntervention = sqlite.prepare(
    `INSERT INTO interventions (id, slug, name, kind, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertInterventionSynonym = sqlite.prepare(
    'INSERT INTO intervention_synonyms (intervention_id, synonym, position) VALUES (?, ?, ?)',
  );
  const kindMix: [string, number][] = [
    ['drug', 40],
    ['probiotic', 12],
    ['diet', 10],
    ['immunotherapy', 10],
    ['lifestyle', 8],
    ['prebiotic', 7],
    ['microbiome_feature', 6],
    ['other', 7],
  ];
  // Async (the lookup-key writer awaits its statements), so BEGIN/COMMIT by hand rather than sqlite.transaction.
  sqlite.exec('BEGIN');
  for (let i = 0; i < interventionCount; i++) {
    // The first eight are one of each kind, so every kind exists even in a tiny database.
    const kind = i < V.INTERVENTION_KINDS.length ? (V.INTERVENTION_KINDS[i] as string) : rnd.weighted(kindMix);
    let name = interventionName(rnd, kind);
    for (let k = 2; interventionNames.has(name.toLowerCase()); k++) name = `${interventionName(rnd, kind)} ${k}`;
    interventionNames.add(name.toLowerCase());
    const iv = { id: i + 1, slug: slugify(name), name, kind };
    interventions.push(iv);
    const created = timestamp(rnd);
    const description = rnd.chance(0.7) ? `${capitalise(kind.replace('_', ' '))}: ${words(rnd, 10)}.` : null;
    insertIntervention.run(iv.id, iv.slug, name, kind, description, iso(created), iso(created));
    const synonyms = interventionSynonyms(rnd, name, kind);
    for (const [position, synonym] of synonyms.entries()) insertInterventionSynonym.run(iv.id, synonym, position);
    await writeLookupKeys(load, 'intervention', iv.id, [iv.slug, name, ...synonyms]);
  }
  sqlite.exec('COMMIT');
  const targeted = interventions.filter((i) => i.kind === 'drug' || i.kind === 'immunotherapy');
  phase(`interventions (${interventions.length})`);

  // ---- studies: unique PMIDs, designs and sample sizes in realistic proportions, some with only a PMID ----
  const studyCount = Math.max(10, Math.round(n / 2));
  const studySize = new Int32Array(studyCount + 1).fill(-1);
  const studyDesign = new Int8Array(studyCount + 1).fill(-1);
  const pmids = uniqueNumbers(rnd, studyCount, 1_000_000, 39_999_999);
  const insertStudy = sqlite.prepare(
    `INSERT INTO studies (id, key, pmid, doi, pmcid, title, authors, authors_complete, last_author, author_count, journal,
       journal_iso, year, month, day, date_text, volume, issue, pages, publication_types, mesh_terms, abstract, design,
       design_source, sample_size, sample_size_note, population, species, retracted, citation_text,
       citation_text_source, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const batch = 50_000;
  for (let from = 1; from <= studyCount; from += batch) {
    sqlite.transaction(() => {
      for (let id = from; id < Math.min(from + batch, studyCount + 1); id++) {
        const designCode = rnd.weighted(DESIGN_INDEX_MIX);
        const design = DESIGN_CODES[designCode] ?? null;
        studyDesign[id] = designCode;
        const sizeSpec: [number, number] | null | undefined = design === null ? [600, 1.5] : DESIGN_SIZE[design];
        const size =
          sizeSpec && rnd.chance(0.88) ? Math.max(1, Math.round(rnd.logNormal(sizeSpec[0], sizeSpec[1]))) : null;
        studySize[id] = size ?? -1;
        const bare = rnd.chance(0.05); // only the PMID is known (metadata_status unknown)
        const year = bare ? null : Math.min(2025, Math.round(2025 - Math.abs(rnd.logNormal(6, 0.8)) + 1));
        const journal = bare ? null : rnd.skewed(V.JOURNALS, 1.6);
        const authorTotal = bare ? 0 : Math.max(1, Math.round(rnd.logNormal(6, 0.7)));
        const complete = !bare && rnd.chance(0.85);
        const shown = complete ? authorTotal : Math.min(authorTotal, rnd.int(1, 6));
        const authors = [];
        for (let a = 0; a < shown; a++) authors.push(author(rnd));
        const species =
          design === 'animal' ? 'animal' : design === 'in_vitro' ? 'in_vitro' : rnd.chance(0.95) ? 'human' : null;
        const created = timestamp(rnd);
        const condition = rnd.pick(conditions);
        const citation =
          rnd.chance(0.04) && authors[0]
            ? `${authors[0].family} et al., ${year ?? 2020}, ${journal?.[1] ?? 'J'}`
            : null;
        insertStudy.run(
          id,
          String(pmids[id - 1]),
          String(pmids[id - 1]),
          bare || rnd.chance(0.15) ? null : `10.${rnd.int(1000, 99999)}/${slugify(journal?.[1] ?? 'j')}.${year}.${id}`,
          bare || rnd.chance(0.7) ? null : `PMC${rnd.int(1_000_000, 11_999_999)}`,
          bare ? null : studyTitle(rnd, design, condition.name),
          JSON.stringify(authors),
          complete ? 1 : 0,
          complete || bare ? null : JSON.stringify(author(rnd)),
          complete ? authorTotal : bare || rnd.chance(0.3) ? null : authorTotal,
          journal?.[0] ?? null,
          journal === null || rnd.chance(0.05) ? null : journal[1],
          year,
          bare || rnd.chance(0.2) ? null : rnd.int(1, 12),
          bare || rnd.chance(0.4) ? null : rnd.int(1, 28),
          null,
          bare ? null : String(rnd.int(1, 400)),
          bare || rnd.chance(0.2) ? null : String(rnd.int(1, 24)),
          bare ? null : pages(rnd),
          JSON.stringify(bare ? [] : (V.PUBLICATION_TYPES[design ?? 'other'] ?? ['Journal Article'])),
          JSON.stringify(bare ? [] : meshTerms(rnd)),
          bare || rnd.chance(0.35) ? null : abstract(rnd, condition.stem),
          design,
          design === null ? null : rnd.chance(0.9) ? 'pubmed' : 'curated',
          size,
          size !== null && rnd.chance(0.05) ? 'Participants randomised; analysed per protocol.' : null,
          rnd.chance(0.3) ? `${rnd.pick(V.POPULATIONS)} with ${condition.name.toLowerCase()}` : null,
          species,
          rnd.chance(0.003) ? 1 : 0,
          citation,
          citation === null ? null : 'CIViC',
          iso(created),
          iso(created + rnd.int(0, 200) * DAY),
        );
      }
    })();
    log(`    studies ${Math.min(from + batch - 1, studyCount)}/${studyCount}`);
  }
  phase(`studies (${studyCount})`);

  // ---- claims with their interventions and study links ----
  const conditionOrder = rnd.shuffle(conditions.map((c) => c.id)); // popularity order, spread across the tree
  const cancerConditions = conditions.filter((c) => c.cancer).map((c) => c.id);
  rnd.shuffle(cancerConditions);
  const studiesPerCondition = studyCount / conditions.length;
  const wordOrder = rnd.shuffle([...V.MEDICAL_WORDS]);
  const biomarkers = Array.from({ length: 400 }, (_, i) =>
    i === 0
      ? 'BRAF V600E'
      : i === 1
        ? 'EGFR L858R'
        : i === 2
          ? 'KRAS G12C'
          : `${rnd.skewed(V.GENES, 1.5)} ${rnd.pick(V.AMINO)}${rnd.int(12, 1200)}${rnd.pick(V.AMINO)}`,
  );
  const insertClaim = sqlite.prepare(
    `INSERT INTO claims (seq, id, statement, plain_summary, plain_summary_source, condition_id, outcome, direction,
       evidence_type, biomarker, grade_scheme, grade_level, certainty, grade_rationale, grade_rating, caveat_codes,
       caveat_notes, status, sample_size, source, source_id, source_url, source_release, imported_at, created_at,
       updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertClaimIntervention = sqlite.prepare(
    'INSERT INTO claim_interventions (claim_id, intervention_id, position) VALUES (?, ?, ?)',
  );
  const insertClaimStudy = sqlite.prepare(
    `INSERT INTO claim_studies (claim_id, study_id, relation, finding, subgroup_sample_size, position)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  let claimStudies = 0;
  let claimInterventions = 0;
  let civicId = 1000;
  const claimBatch = 100_000;
  for (let from = 1; from <= n; from += claimBatch) {
    const batchStart = performance.now();
    sqlite.transaction(() => {
      for (let seq = from; seq < Math.min(from + claimBatch, n + 1); seq++) {
        const civic = rnd.chance(0.15) && cancerConditions.length > 0;
        const conditionId = civic
          ? rnd.skewed(cancerConditions, 2)
          : rnd.chance(0.02)
            ? null
            : rnd.skewed(conditionOrder, 2);
        const condition = conditionId === null ? undefined : conditions[conditionId - 1];
        // Interventions: 0-3, targeted therapies for CIViC-style items.
        const ivCount = civic
          ? 1
          : rnd.weighted([
              [0, 5],
              [1, 60],
              [2, 28],
              [3, 7],
            ] as const);
        const ivs: Intervention[] = [];
        for (let k = 0; k < ivCount; k++) {
          const iv = civic ? rnd.skewed(targeted, 2) : rnd.skewed(interventions, 2);
          if (iv && !ivs.includes(iv)) ivs.push(iv);
        }
        // Studies: mostly from the condition's neighbourhood of the literature, some landmark papers from anywhere.
        const studyTotal = rnd.weighted([
          [1, 20],
          [2, 20],
          [3, 25],
          [4, 15],
          [5, 10],
          [6, 5],
          [7, 3],
          [8, 2],
        ] as const);
        const base = condition ? Math.floor((condition.id - 1) * studiesPerCondition) : 0;
        const links: number[] = [];
        for (let k = 0; k < studyTotal; k++) {
          const sid = rnd.chance(0.7)
            ? Math.min(studyCount, base + 1 + Math.floor(rnd.next() * Math.max(1, studiesPerCondition * 2)))
            : 1 + Math.floor(studyCount * rnd.next() ** 1.5);
          if (!links.includes(sid)) links.push(sid);
        }
        const relations = links.map(() =>
          rnd.weighted([
            ['supports', 75],
            ['context', 15],
            ['contradicts', 10],
          ] as const),
        );
        // A claim's sample size, and the designs that lift its grade, come from its supporting studies only.
        let maxSize = -1;
        let anyRandomised = false;
        let allObservational = true;
        let anyAnimal = false;
        for (const [k, sid] of links.entries()) {
          const supports = relations[k] === 'supports';
          if (supports) maxSize = Math.max(maxSize, studySize[sid] as number);
          const d = DESIGN_CODES[studyDesign[sid] as number] ?? null;
          if (supports && d !== null && RANDOMISED.has(d)) anyRandomised = true;
          if (d === null || !OBSERVATIONAL.has(d)) allObservational = false;
          if (d === 'animal' || d === 'in_vitro') anyAnimal = true;
        }
        const direction = civic
          ? rnd.weighted([
              ['benefit', 50],
              ['harm', 20],
              ['association', 30],
            ] as const)
          : rnd.weighted(DIRECTION_MIX);
        const scheme: GradeScheme = civic ? 'civic' : 'GRADE';
        const level = civic
          ? rnd.weighted([
              ['A', 5],
              ['B', 35],
              ['C', 30],
              ['D', 25],
              ['E', 5],
            ] as const)
          : anyRandomised
            ? rnd.weighted([
                ['high', 15],
                ['moderate', 40],
                ['low', 30],
                ['very_low', 15],
              ] as const)
            : rnd.weighted([
                ['moderate', 4],
                ['low', 52],
                ['very_low', 44],
              ] as const);
        const certainty = certaintyOf(scheme, level) as number;
        const caveats = new Set<string>();
        if (!civic) {
          if (!anyRandomised) caveats.add('no_rcts');
          if (allObservational) caveats.add('observational_only');
          if (allObservational && direction !== 'no_effect') caveats.add('causality_not_established');
          if (maxSize >= 0 && maxSize < 100) caveats.add('small_sample');
          if (anyAnimal) caveats.add('animal_data');
          if (rnd.chance(0.1)) caveats.add('heterogeneous_findings');
          if (rnd.chance(0.05)) caveats.add('population_specific');
          if (links.length <= 2 && rnd.chance(0.2)) caveats.add('preliminary');
        } else if (rnd.chance(0.1)) caveats.add('unverified_sources');
        const codes = CAVEAT_CODES.filter((code) => caveats.has(code));
        const status = rnd.weighted(
          civic
            ? ([
                ['published', 92],
                ['draft', 3],
                ['retracted', 2],
                ['withdrawn', 3],
              ] as const)
            : ([
                ['published', 93],
                ['draft', 5],
                ['retracted', 2],
              ] as const),
        );
        const outcome = civic
          ? rnd.pick(['response to therapy', 'treatment resistance', 'overall survival', 'progression-free survival'])
          : rnd.pick(V.OUTCOMES);
        const biomarker = civic ? rnd.skewed(biomarkers, 2) : rnd.chance(0.04) ? rnd.skewed(biomarkers, 2) : null;
        const population = rnd.pick(V.POPULATIONS);
        const conditionText = condition ? condition.name.toLowerCase() : 'good health';
        const first = ivs[0];
        const subject = first ? first.name : rnd.pick(['Dietary pattern', 'Gut microbiome composition']);
        const statement = civic
          ? `${biomarker} ${rnd.pick(CIVIC_VERBS)} ${conditionText} to ${subject} in ${population} with ${conditionText}, with ${outcome} ${textWords(rnd, wordOrder, rnd.int(8, 13))}.`
          : `${capitalise(subject)} ${rnd.pick(VERBS[direction] as string[])} ${outcome} in ${population} with ${conditionText} compared with ${rnd.pick(V.COMPARATORS)}, with ${textWords(rnd, wordOrder, rnd.int(7, 12))}.`;
        const plain = civic
          ? null
          : `For ${population} with ${conditionText}, ${subject.toLowerCase()} ${rnd.pick(PLAIN_VERBS[direction] as string[])} ${outcome}; ${textWords(rnd, wordOrder, rnd.int(6, 10))}.`;
        const idParts = [
          condition ? condition.slug.split('-').slice(0, 3).join('-') : 'health',
          first ? first.slug.split('-').slice(0, 2).join('-') : 'general',
          slugify(outcome),
          seq.toString(36),
        ];
        const id = idParts.join('-');
        const created = timestamp(rnd);
        const updated = rnd.chance(0.6) ? created : Math.min(EPOCH_2025, created + rnd.int(1, 400) * DAY);
        if (civic) civicId += rnd.int(1, 3);
        insertClaim.run(
          seq,
          id,
          statement,
          plain,
          plain === null ? null : 'curated',
          conditionId,
          outcome,
          direction,
          civic ? rnd.weighted(EVIDENCE_TYPE_MIX) : null,
          biomarker,
          scheme,
          level,
          certainty,
          civic ? null : rnd.pick(V.GRADE_RATIONALES[level] as string[]),
          civic ? rnd.int(1, 5) : null,
          JSON.stringify(codes),
          !civic && rnd.chance(0.2) ? rnd.pick(V.CAVEAT_NOTES) : null,
          status,
          maxSize < 0 ? null : maxSize,
          civic ? 'civic' : 'curated',
          civic ? String(civicId) : null,
          civic ? `https://civicdb.org/evidence/${civicId}` : null,
          civic ? '01-Jun-2025-ClinicalEvidenceSummaries.tsv' : null,
          civic ? iso(EPOCH_2025 - rnd.int(0, 30) * DAY) : null,
          iso(created),
          iso(updated),
        );
        for (const [position, iv] of ivs.entries()) insertClaimIntervention.run(id, iv.id, position);
        claimInterventions += ivs.length;
        for (const [position, sid] of links.entries()) {
          const size = studySize[sid] as number;
          insertClaimStudy.run(
            id,
            sid,
            relations[position],
            rnd.chance(0.3) ? `${capitalise(textWords(rnd, wordOrder, rnd.int(6, 12)))}.` : null,
            size > 20 && rnd.chance(0.05) ? rnd.int(10, size - 1) : null,
            position,
          );
        }
        claimStudies += links.length;
      }
    })();
    const done = Math.min(from + claimBatch - 1, n);
    log(
      `    claims ${done}/${n} (${Math.round((done - from + 1) / ((performance.now() - batchStart) / 1000)).toLocaleString('en')}/s)`,
    );
  }
  phase(`claims (${n}, ${claimStudies} study links, ${claimInterventions} intervention links)`);
  // The order within a certainty level, as the writers keep it (claims.rank.ts), in one pass over the loaded links.
  sqlite.exec(`UPDATE claims SET rank_key = ${CLAIM_RANK_KEY_SQL}`);
  phase('rank keys');

  // ---- retracted evidence: what the write path gives a claim resting on a retracted study ----
  sqlite.exec(`UPDATE studies SET retraction_source = 'publication_type' WHERE retracted = 1`);
  const flagged = sqlite
    .prepare(
      `UPDATE claims SET has_retracted_evidence = 1,
         caveat_codes = json_insert(caveat_codes, '$[#]', 'retracted_evidence'),
         review_reason = CASE WHEN seq % 3 = 0 OR status = 'retracted' THEN NULL ELSE 'retracted_evidence' END,
         review_requested_at = CASE WHEN seq % 3 = 0 OR status = 'retracted' THEN NULL ELSE updated_at END,
         reviewed_at = CASE WHEN seq % 3 = 0 AND status <> 'retracted' THEN updated_at END,
         reviewed_by = CASE WHEN seq % 3 = 0 AND status <> 'retracted' THEN 'key:curator' END,
         review_note = CASE WHEN seq % 3 = 0 AND status <> 'retracted' THEN 'Other studies carry the claim.' END
       WHERE id IN (SELECT cs.claim_id FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE s.retracted = 1)`,
    )
    .run().changes;
  phase(`retracted evidence (${flagged} claims)`);

  if (fast) {
    for (const { sql } of dropped.indexes) sqlite.exec(sql);
    phase(`indexes (${dropped.indexes.length})`);
    // What the *_search_ai triggers would have written, one view at a time.
    // (Topics come later, with the triggers in place: search_topic_docs needs no pass here.)
    for (const view of ['search_condition_docs', 'search_intervention_docs', 'search_study_docs', 'search_claim_docs'])
      sqlite.exec(
        `INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM ${view}`,
      );
    for (const { sql } of dropped.triggers) sqlite.exec(sql);
    phase('search index');
  }

  // ---- topics: answer cards over one condition's published claims, strongest first ----
  const topicCount = Math.min(50, Math.max(5, Math.round(n / 5000)));
  const popular = sqlite
    .prepare(
      `SELECT condition_id AS id, count(*) AS n FROM claims WHERE status = 'published' AND condition_id IS NOT NULL
       GROUP BY condition_id HAVING count(*) >= 4 ORDER BY n DESC, condition_id LIMIT ?`,
    )
    .all(topicCount * 4) as { id: number; n: number }[];
  const topicClaims = sqlite.prepare(
    `SELECT id FROM claims WHERE condition_id = ? AND status = 'published' ORDER BY certainty DESC, id LIMIT ?`,
  );
  const insertTopic = sqlite.prepare(
    `INSERT INTO topics (slug, question, bottom_line, evidence_summary, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertTopicClaim = sqlite.prepare('INSERT INTO topic_claims (topic_id, claim_id, position) VALUES (?, ?, ?)');
  let topics = 0;
  sqlite.transaction(() => {
    const slugs = new Set<string>();
    for (const row of rnd.shuffle(popular).slice(0, topicCount)) {
      const condition = conditions[row.id - 1] as Condition;
      const question = rnd.pick([
        `What helps with ${condition.name.toLowerCase()}?`,
        `Does diet affect ${condition.name.toLowerCase()}?`,
        `Can the gut microbiome change ${condition.name.toLowerCase()}?`,
        `Which treatments work for ${condition.name.toLowerCase()}?`,
      ]);
      let slug = slugify(question).slice(0, 100).replace(/-+$/, '');
      while (slugs.has(slug)) slug = `${slug}-${slugs.size}`;
      slugs.add(slug);
      const created = timestamp(rnd);
      const result = insertTopic.run(
        slug,
        question,
        `Evidence is ${rnd.pick(['limited', 'mixed', 'emerging', 'moderate'])}: ${textWords(rnd, wordOrder, 18)}.`,
        `${capitalise(textWords(rnd, wordOrder, 30))}.`,
        iso(created),
        iso(created),
      );
      const ids = topicClaims.all(row.id, rnd.int(4, 12)) as { id: string }[];
      for (const [position, claim] of ids.entries()) insertTopicClaim.run(result.lastInsertRowid, claim.id, position);
      topics++;
    }
  })();
  phase(`topics (${topics})`);

  // Identity and data version: a deterministic id, and one bump as a real write would leave it.
  const idRandom = new Random(seed ^ 0x5bd1e995 ^ n);
  const hex = Array.from({ length: 32 }, () => Math.floor(idRandom.next() * 16).toString(16)).join('');
  sqlite
    .prepare("UPDATE meta SET value = ? WHERE key = 'database_id'")
    .run(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`);
  sqlite.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'").run();

  // Back to the settings the service runs with.
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('cache_size = -2000');

  const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const stats: GenerateStats = {
    conditions: conditions.length,
    interventions: interventions.length,
    studies: studyCount,
    claims: n,
    claimStudies,
    claimInterventions,
    topics,
    lookupKeys: count('lookup_keys'),
    searchDocs: conditions.length + interventions.length + studyCount + n,
    elapsedMs: Math.round(performance.now() - started),
    phases,
  };
  sqlite.close();
  return { db: openDatabase(options.path, { temporary: options.temporary ?? false }), stats };
}

/** Drops the search triggers and the droppable indexes of the big tables; returns their SQL for re-creation. */
function dropForLoad(sqlite: Sqlite) {
  const triggers = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%search%' ORDER BY rowid")
    .all() as { name: string; sql: string }[];
  // lookup_keys keeps its indexes: writeLookupKeys deletes by (entity, entity_id) for every entity.
  const indexes = sqlite
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('claims', 'studies', 'claim_studies', 'claim_interventions') ORDER BY rowid`,
    )
    .all() as { name: string; sql: string }[];
  for (const t of triggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name}"`);
  return { triggers, indexes };
}

function uniqueNumbers(rnd: Random, count: number, lo: number, hi: number): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < count) {
    const v = rnd.int(lo, hi);
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

function timestamp(rnd: Random): number {
  return EPOCH_2019 + Math.floor(rnd.next() * (EPOCH_2025 - EPOCH_2019));
}

function words(rnd: Random, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(rnd.pick(V.MEDICAL_WORDS));
  return out.join(' ');
}

/** Zipf-like draw from the vocabulary in a seed-shuffled frequency order: a few words are everywhere, most are rare. */
function textWords(rnd: Random, order: readonly string[], count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(order[Math.floor(order.length * rnd.next() ** 2.2)] as string);
  return out.join(' ');
}

function conditionSynonyms(rnd: Random, name: string, stem: string): string[] {
  const lower = name.toLowerCase();
  const options = [
    `${lower} disease`,
    `${lower} disorder`,
    `${stem} (${lower.split(' ')[0]})`,
    lower
      .split(/[\s-]+/)
      .map((w) => w[0])
      .join('')
      .toUpperCase(),
    `${lower} syndrome`,
  ];
  const count = rnd.weighted([
    [0, 30],
    [1, 35],
    [2, 25],
    [3, 10],
  ] as const);
  const out = new Set<string>();
  for (let i = 0; i < count; i++) {
    const s = rnd.pick(options);
    if (s.length >= 2 && s.toLowerCase() !== lower) out.add(s);
  }
  return [...out];
}

function drugName(rnd: Random): string {
  const syllables = rnd.int(2, 3);
  let stem = '';
  for (let i = 0; i < syllables; i++) stem += rnd.pick(V.DRUG_SYLLABLES);
  return `${stem}${rnd.pick(V.DRUG_SUFFIXES)}`;
}

function interventionName(rnd: Random, kind: string): string {
  switch (kind) {
    case 'drug':
      return drugName(rnd);
    case 'immunotherapy':
      return rnd.chance(0.5) ? `anti-${rnd.pick(V.IMMUNOTHERAPY_TARGETS)} ${drugName(rnd)}` : `${drugName(rnd)}mab`;
    case 'probiotic':
      return `${rnd.pick(V.BACTERIA_GENERA)} ${rnd.pick(V.BACTERIA_SPECIES)} ${rnd.pick(['GG', 'BB-12', 'DSM', 'NCFM', 'HN019', 'LA-5', 'Shirota', 'R0011'])}${rnd.chance(0.6) ? ` ${rnd.int(1, 9999)}` : ''}`;
    case 'prebiotic':
      return `${rnd.pick(V.PREBIOTICS).replace('-', ' ')} ${rnd.int(2, 30)} g/day`;
    case 'diet':
      return `${rnd.pick(V.DIETS).replace('-', ' ')} diet${rnd.chance(0.5) ? ` for ${rnd.int(2, 52)} weeks` : ''}`;
    case 'lifestyle':
      return `${rnd.pick(V.LIFESTYLE).replace('-', ' ')}${rnd.chance(0.7) ? ` ${rnd.int(10, 300)} min/week` : ''}`;
    case 'microbiome_feature':
      return `${rnd.pick(['Gut', 'Skin', 'Oral', 'Vaginal'])} ${rnd.pick(V.BACTERIA_GENERA)} ${rnd.pick(V.MICROBIOME_FEATURES).replace('-', ' ')}`;
    default:
      return `${capitalise(rnd.pick(['phototherapy', 'acupuncture', 'balneotherapy', 'wet wrap therapy', 'bleach baths', 'faecal microbiota transplantation', 'cognitive behavioural therapy']))} protocol ${rnd.int(1, 999)}`;
  }
}

function interventionSynonyms(rnd: Random, name: string, kind: string): string[] {
  const count = rnd.weighted([
    [0, 35],
    [1, 40],
    [2, 20],
    [3, 5],
  ] as const);
  const out = new Set<string>();
  for (let i = 0; i < count; i++) {
    const s =
      kind === 'drug' || kind === 'immunotherapy'
        ? `${capitalise(drugName(rnd)).slice(0, 8)}${rnd.pick(['', 'x', 'a', 'on'])}`
        : rnd.chance(0.5)
          ? name
              .split(/[\s/-]+/)
              .map((w) => w[0])
              .join('')
              .toUpperCase()
          : `${name} supplementation`;
    if (s.length >= 2 && s.toLowerCase() !== name.toLowerCase()) out.add(s);
  }
  return [...out];
}

function author(rnd: Random) {
  const given = rnd.pick(V.GIVEN_NAMES);
  const second = rnd.chance(0.3) ? rnd.pick(V.GIVEN_NAMES) : null;
  return {
    family: rnd.skewed(V.FAMILY_NAMES, 1.3),
    given: second ? `${given} ${second}` : given,
    initials: second ? `${given[0]}${second[0]}` : (given[0] as string),
    collective: null,
  };
}

function pages(rnd: Random): string {
  if (rnd.chance(0.2)) return `e${rnd.int(1000, 99999)}`;
  const first = rnd.int(1, 2000);
  return `${first}-${first + rnd.int(3, 15)}`;
}

function meshTerms(rnd: Random): string[] {
  const out = new Set<string>();
  const count = rnd.int(3, 8);
  for (let i = 0; i < count; i++) out.add(rnd.pick(V.MESH_TERMS));
  return [...out];
}

const DESIGN_TITLE: Record<string, string> = {
  meta_analysis: 'a systematic review and meta-analysis',
  systematic_review: 'a systematic review',
  rct: 'a randomised controlled trial',
  non_randomised_trial: 'an open-label trial',
  cohort: 'a prospective cohort study',
  case_control: 'a case-control study',
  cross_sectional: 'a cross-sectional study',
  case_series: 'a case series',
  case_report: 'a case report',
  narrative_review: 'a narrative review',
  animal: 'a murine model',
  in_vitro: 'an in vitro study',
  expert_opinion: 'an expert consensus',
  other: 'a comparative study',
};

function studyTitle(rnd: Random, design: string | null, condition: string): string {
  const topic = `${words(rnd, rnd.int(2, 4))} and ${rnd.pick(V.OUTCOMES)} in ${condition.toLowerCase()}`;
  return `${capitalise(topic)}: ${DESIGN_TITLE[design ?? 'other'] ?? 'a study'} of ${words(rnd, rnd.int(2, 5))}.`;
}

function abstract(rnd: Random, stem: string): string {
  const section = (label: string, count: number) => `${label}: ${capitalise(words(rnd, count))}.`;
  return [
    section('BACKGROUND', rnd.int(20, 40)).replace('.', ` in ${stem}.`),
    section('METHODS', rnd.int(30, 60)),
    section('RESULTS', rnd.int(40, 80)),
    section('CONCLUSIONS', rnd.int(15, 30)),
  ].join('\n\n');
}

/** sha256 over every table's rows in primary-key order, and the search index's stored documents. */
export function contentDigest(sqlite: Sqlite): string {
  const hash = createHash('sha256');
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index%' ORDER BY name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    if (name === 'sqlite_sequence' || name === '__drizzle_migrations') continue;
    hash.update(`#${name}\n`);
    const columns = (sqlite.prepare(`PRAGMA table_info("${name}")`).all() as unknown[]).length;
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    for (const row of sqlite.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).raw().iterate())
      hash.update(`${JSON.stringify(row)}\n`);
  }
  hash.update('#search_index\n');
  for (const row of sqlite
    .prepare('SELECT rowid, kind, ref, title, body FROM search_index ORDER BY rowid')
    .raw()
    .iterate())
    hash.update(`${JSON.stringify(row)}\n`);
  hash.update('#schema\n');
  for (const row of sqlite
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    .raw()
    .iterate())
    hash.update(`${JSON.stringify(row)}\n`);
  return hash.digest('hex');
}

function parseArgs(argv: string[]) {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) continue;
    const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) args[key] = inline;
    else if (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) args[key] = argv[++i] as string;
    else args[key] = 'true';
  }
  return args;
}

/** Generates into `out` (via a temporary name, so an interrupted run never leaves a half database behind). */
export async function generateFile(claims: number, out: string, seed = 1, log: (line: string) => void = console.log) {
  const partial = `${out}.partial`;
  log(`generating ${claims.toLocaleString('en')} claims (seed ${seed}) into ${out}`);
  const { db, stats } = await generateDatabase({ claims, seed, path: partial, log });
  await db.close();
  for (const suffix of ['-wal', '-shm']) rmSync(`${out}${suffix}`, { force: true });
  renameSync(partial, out);
  log(
    `done in ${(stats.elapsedMs / 1000).toFixed(1)} s: ${stats.conditions} conditions, ${stats.interventions} interventions, ` +
      `${stats.studies} studies, ${stats.claims} claims, ${stats.claimStudies} study links, ${stats.topics} topics, ` +
      `${stats.lookupKeys} lookup keys`,
  );
  return stats;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const claims = Number(args.claims ?? 10_000);
  const seed = Number(args.seed ?? 1);
  if (!Number.isInteger(claims) || claims < 10) throw new Error('--claims must be an integer >= 10');
  if (args.check) {
    // The fast load (triggers and indexes dropped, search index rebuilt from the views) must give exactly the
    // database a load through the triggers gives, and the same seed must give the same content twice.
    const small = Math.min(claims, 20_000);
    const dir = mkdtempSync(join(tmpdir(), 'generate-check-'));
    const a = await generateDatabase({ claims: small, seed, path: join(dir, 'a.db'), temporary: true });
    const b = await generateDatabase({
      claims: small,
      seed,
      path: join(dir, 'b.db'),
      useTriggers: true,
      temporary: true,
    });
    const c = await generateDatabase({ claims: small, seed, path: join(dir, 'c.db'), temporary: true });
    a.db.sqlite.prepare("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)").run();
    const [da, db, dc] = [contentDigest(a.db.sqlite), contentDigest(b.db.sqlite), contentDigest(c.db.sqlite)];
    console.log(`fast load        ${da} (${a.stats.elapsedMs} ms)`);
    console.log(`through triggers ${db} (${b.stats.elapsedMs} ms)`);
    console.log(`fast load again  ${dc}`);
    const fk = a.db.sqlite.prepare('PRAGMA foreign_key_check').all();
    console.log(`foreign_key_check: ${fk.length} violations; FTS integrity-check passed`);
    if (da !== db || da !== dc || fk.length > 0) process.exit(1);
    console.log(`check passed at ${small} claims`);
    return;
  }
  const out = args.out;
  if (!out) throw new Error('usage: npm run bench:data -- --claims N --out FILE [--seed S] [--check]');
  if (existsSync(out)) console.log(`replacing ${out}`);
  await generateFile(claims, out, seed);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
