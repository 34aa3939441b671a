// The order of claims within one certainty level, as one stored string (claims.rank_key) that an index can walk.
import { DESIGN_STRENGTH } from '../../evidence/vocabulary.js';
import type { Engine, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import type { RowOf } from '../../store/rows.js';

const designCases = DESIGN_STRENGTH.map((d, i) => `WHEN '${d}' THEN ${i}`).join(' ');

/**
 * SQL for a claim's rank key, over the row `claims` (so it works in `UPDATE claims SET rank_key = ...`):
 *
 *   `<5 - CIViC rating>|<rank of the strongest linked design, 2 digits>|<10^12 - sample size, 13 digits>|
 *    <99999999 - newest linked publication date as YYYYMMDD>|<id>`
 *
 * Ascending order of the key is: higher rating (1-5 stars; none = 0) first, then the strongest design of the linked
 * studies (DESIGN_STRENGTH in evidence/vocabulary.ts, meta-analysis first; unknown last), then the larger sample size
 * (the claim's stored `sample_size`, from its supporting studies only; unknown last), then the more recent
 * publication (year, month, day of the newest linked study whose date is known; a missing month or day counts as 0;
 * unknown last), then the id. It is the order of compareWithinCertainty in importers/civic/civic.semantics.ts, with
 * the stored values this database has.
 * The migration that added rank_key repeats this expression literally (test/migration.test.ts keeps them equal).
 */
export const CLAIM_RANK_KEY_SQL = rankKeySql('claims.sample_size');

/** CLAIM_RANK_KEY_SQL with another expression for the claim's sample size (the writers' fresh value). */
function rankKeySql(sampleSize: string, engine: Engine = 'sqlite'): string {
  if (engine === 'postgres') return rankKeySqlPostgres(sampleSize);
  return `printf('%d|%02d|%013d|%08d|%s',
  5 - max(0, min(5, coalesce(claims.grade_rating, 0))),
  coalesce((SELECT min(CASE s.design ${designCases} END) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id), ${DESIGN_STRENGTH.length}),
  1000000000000 - coalesce(${sampleSize}, -1),
  99999999 - coalesce((SELECT max(s.year * 10000 + coalesce(s.month, 0) * 100 + coalesce(s.day, 0))
    FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = claims.id AND s.year IS NOT NULL), 0),
  claims.id)`;
}

/**
 * The largest known sample size among the studies linked to a claim as `supports` (the stored `claims.sample_size`;
 * issue 16: a context or contradicting study never lends a claim its n, so it never lifts the claim's rank either).
 */
const LARGEST_SAMPLE_SQL = `(SELECT max(s.sample_size) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id AND cs.relation = 'supports')`;
const FRESH_RANK_KEY_SQL = {
  sqlite: rankKeySql(LARGEST_SAMPLE_SQL),
  postgres: rankKeySql(LARGEST_SAMPLE_SQL, 'postgres'),
};

/**
 * The same key on PostgreSQL, which has no printf: every part is a non-negative integer (the rating is clamped to
 * 0-5, a design rank is at most DESIGN_STRENGTH.length, a sample size below 10^12, a date below 10^8), so
 * zero-padding each to its width gives the same text.
 */
function rankKeySqlPostgres(sampleSize: string): string {
  const d = dialectOf({ engine: 'postgres' });
  const pad = moreOf({ engine: 'postgres' }).zeroPad;
  return `concat_ws('|',
  5 - ${d.greatest('0', d.least('5', 'coalesce(claims.grade_rating, 0)'))},
  ${pad(
    `coalesce((SELECT min(CASE s.design ${designCases} END) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id), ${DESIGN_STRENGTH.length})`,
    2,
  )},
  ${pad(`1000000000000 - coalesce(${sampleSize}, -1)`, 13)},
  ${pad(
    `99999999 - coalesce((SELECT max(s.year * 10000 + coalesce(s.month, 0) * 100 + coalesce(s.day, 0))
    FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = claims.id AND s.year IS NOT NULL), 0)`,
    8,
  )},
  claims.id)`;
}

/**
 * Recomputes the stored sample size (largest among the supporting studies) and rank key of the given claims; returns
 * the ids whose row changed. Called whenever a claim's links, rating or a linked study's design, size or date move.
 */
export async function refreshClaimDerived(tx: Transaction, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  // One statement, so a claim whose size and key both move is updated (and its version bumped) once.
  const fresh = FRESH_RANK_KEY_SQL[tx.engine];
  return (
    await tx.all<RowOf<'claims', 'id'>>(
      `UPDATE claims SET sample_size = ${LARGEST_SAMPLE_SQL}, rank_key = ${fresh}
       WHERE id IN (SELECT value FROM ${dialectOf(tx).jsonValues('@ids')})
         AND (sample_size IS DISTINCT FROM ${LARGEST_SAMPLE_SQL} OR rank_key IS DISTINCT FROM ${fresh})
       RETURNING id`,
      { ids: JSON.stringify(ids) },
    )
  )
    .map((r) => r.id)
    .sort();
}
