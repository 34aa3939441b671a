// SQL for topics: keyset pages by slug, and a topic with its ordered claims.

import { asc, eq } from 'drizzle-orm';
import { summariseTopicEvidence } from '../../evidence/summary.js';
import { type ClaimImportance, topicOverallCertainty } from '../../evidence/topic-certainty.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import type { Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import { type FilterSql, whereClauses } from '../../store/filters.js';
import { touch } from '../../store/lookup.queries.js';
import type { Narrow, RowOf } from '../../store/rows.js';
import { CLAIM_FILTER_SQL, getClaimsByIds } from '../claims/claims.queries.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import type { TopicInput } from './topics.schemas.js';

/** A topic as TOPIC_SELECT reads it: its columns and the number of its published claims. */
type TopicRow = RowOf<
  'topics',
  'id' | 'slug' | 'question' | 'bottom_line' | 'evidence_summary' | 'created_at' | 'updated_at'
> & { claim_count: number };

const TOPIC_SELECT = `SELECT t.id, t.slug, t.question, t.bottom_line, t.evidence_summary,
  (SELECT count(*) FROM topic_claims tc CROSS JOIN claims c ON c.id = tc.claim_id
    WHERE tc.topic_id = t.id AND c.status = 'published') AS claim_count, t.created_at, t.updated_at
  FROM topics t`;

type Certainty = ReturnType<typeof topicOverallCertainty>;

function toTopic(r: TopicRow, overall: Certainty) {
  const { id: _id, ...topic } = r;
  const { created_at, updated_at, ...rest } = topic;
  return { ...rest, overall_certainty: overall, created_at, updated_at };
}

type TopicClaimGradeRow = Narrow<
  RowOf<'topic_claims', 'topic_id' | 'claim_id' | 'importance'>,
  { importance: ClaimImportance | null }
> &
  RowOf<'claims', 'status' | 'grade_scheme' | 'grade_level'>;

/**
 * The overall certainty of each topic in `ids` (GRADE: the lowest among its critical claims), one statement for the
 * page (the ids as one JSON parameter, like the claims' hydration).
 */
async function overallCertainties(h: Reader, ids: readonly number[]): Promise<Map<number, Certainty>> {
  const rows = await h.all<TopicClaimGradeRow>(
    moreOf(h).hints(`SELECT tc.topic_id, tc.claim_id, tc.importance, c.status, c.grade_scheme, c.grade_level
     FROM topic_claims tc CROSS JOIN claims c ON c.id = tc.claim_id
     WHERE tc.topic_id IN (SELECT CAST(value AS INTEGER) FROM ${dialectOf(h).jsonValues('?')}) ORDER BY tc.topic_id, tc.position`),
    [JSON.stringify(ids)],
  );
  return new Map(
    ids.map((id) => [
      id,
      topicOverallCertainty(
        rows
          .filter((r) => r.topic_id === id)
          .map((r) => ({
            id: r.claim_id,
            status: r.status,
            importance: r.importance,
            grade: { scheme: r.grade_scheme, level: r.grade_level },
          })),
      ),
    ]),
  );
}

export interface TopicFilters {
  /** Topics with a published claim about this condition or a descendant (the claims' own tree filter). */
  condition_tree?: number;
  /** Topics with a published claim about exactly this condition. */
  condition_id?: number;
}

// A topic lists a handful of claims: testing each topic's claims against the condition set is cheaper than reading
// every claim of a big condition tree, and reuses the claims' own condition filter (`c.condition_id IN ...`).
const claimOfTopic = (filter: string) =>
  `EXISTS (SELECT 1 FROM topic_claims tc CROSS JOIN claims c ON c.id = tc.claim_id
    WHERE tc.topic_id = t.id AND c.status = 'published' AND ${filter})`;
const TOPIC_FILTER_SQL: FilterSql<TopicFilters> = {
  condition_tree: claimOfTopic(CLAIM_FILTER_SQL.condition_tree as string),
  condition_id: claimOfTopic(CLAIM_FILTER_SQL.condition_id as string),
};

export async function listTopics(h: Reader, filters: TopicFilters, limit: number, cursor: string | undefined) {
  const { where, params } = whereClauses(filters, TOPIC_FILTER_SQL);
  params.limit = limit + 1;
  if (cursor !== undefined) {
    params.after = decodeCursor(cursor, 'topics', ['text'])[0];
    where.push('t.slug > @after');
  }
  const rows = await h.all<TopicRow>(
    moreOf(h).hints(
      `${TOPIC_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.slug LIMIT @limit`,
    ),
    params,
  );
  const result = paginate(rows, limit, 'topics', (r) => [r.slug]);
  const overall = await overallCertainties(
    h,
    result.items.map((r) => r.id),
  );
  return {
    items: result.items.map((r) => toTopic(r, overall.get(r.id) as Certainty)),
    next_cursor: result.next_cursor,
  };
}

/** How many topics a condition's detail lists; `GET /v1/topics?condition=` pages through all of them. */
export const CONDITION_TOPICS_SHOWN = 100;

/** The answer cards about a condition or its sub-conditions, in slug order, for the condition's detail. */
export async function topicRefsForCondition(h: Reader, conditionId: number) {
  const { items } = await listTopics(h, { condition_tree: conditionId }, CONDITION_TOPICS_SHOWN, undefined);
  return items.map((t) => ({ slug: t.slug, question: t.question, overall_certainty: t.overall_certainty.level }));
}

/** Published claims only: a retracted or draft claim never shows on an answer card. */
export async function getTopic(h: Reader, slug: string) {
  const m = moreOf(h);
  const row = await h.get<TopicRow>(m.hints(`${TOPIC_SELECT} WHERE t.slug = ?`), [slug]);
  if (!row) return undefined;
  const listed = await h.all<
    Narrow<RowOf<'topic_claims', 'claim_id' | 'importance'>, { importance: ClaimImportance | null }>
  >(
    m.hints(`SELECT tc.claim_id, tc.importance FROM topic_claims tc CROSS JOIN claims c ON c.id = tc.claim_id
     WHERE tc.topic_id = ? AND c.status = 'published' ORDER BY tc.position`),
    [row.id],
  );
  const claims = await getClaimsByIds(
    h,
    listed.map((r) => r.claim_id),
  );
  const importance = Object.fromEntries(
    listed.filter((r) => r.importance !== null).map((r) => [r.claim_id, r.importance as ClaimImportance]),
  );
  // Only published claims show on the card, and only they count: the same set as the rule the writes check.
  const overall = topicOverallCertainty(
    claims.map((c) => ({ id: c.id, status: c.status, importance: importance[c.id] ?? null, grade: c.grade })),
  );
  return {
    ...toTopic(row, overall),
    claim_count: claims.length,
    claims,
    claim_importance: importance,
    evidence_overview: summariseTopicEvidence(claims),
  };
}

/** Inserts or updates a topic by slug with its ordered claims; touches updated_at only on a real change. */
export async function upsertTopic(tx: Transaction, input: TopicInput): Promise<WriteOutcome> {
  const existing = await tx.get<RowOf<'topics', 'id'>>('SELECT id FROM topics WHERE slug = ?', [input.slug]);
  // RETURNING: the new row's id, and a row only when the insert or the update happened (the changes).
  const written = await tx.all<RowOf<'topics', 'id'>>(
    `INSERT INTO topics (slug, question, bottom_line, evidence_summary) VALUES (@slug, @question, @bottom_line, @evidence_summary)
     ON CONFLICT (slug) DO UPDATE SET question = excluded.question, bottom_line = excluded.bottom_line,
       evidence_summary = excluded.evidence_summary, updated_at = ${dialectOf(tx).now}
     WHERE topics.question IS DISTINCT FROM excluded.question OR topics.bottom_line IS DISTINCT FROM excluded.bottom_line
       OR topics.evidence_summary IS DISTINCT FROM excluded.evidence_summary
     RETURNING id`,
    {
      slug: input.slug,
      question: input.question,
      bottom_line: input.bottom_line,
      evidence_summary: input.evidence_summary,
    },
  );
  const result = { changes: written.length };
  const id = existing?.id ?? written[0]?.id;
  if (id === undefined) throw new Error(`topic ${input.slug}: the insert returned no id`);
  const current = await tx.all<RowOf<'topic_claims', 'claim_id' | 'importance'>>(
    'SELECT claim_id, importance FROM topic_claims WHERE topic_id = ? ORDER BY position',
    [id],
  );
  const importance = input.claim_importance ?? {};
  const wanted = input.claims.map((claimId) => ({ claim_id: claimId, importance: importance[claimId] ?? null }));
  const claimsChanged = JSON.stringify(current) !== JSON.stringify(wanted);
  if (claimsChanged) {
    await tx.run('DELETE FROM topic_claims WHERE topic_id = ?', [id]);
    for (const [position, claim] of wanted.entries())
      await tx.run('INSERT INTO topic_claims (topic_id, claim_id, position, importance) VALUES (?, ?, ?, ?)', [
        id,
        claim.claim_id,
        position,
        claim.importance,
      ]);
  }
  if (!existing) return 'inserted';
  if (result.changes === 0 && !claimsChanged) return 'unchanged';
  if (result.changes === 0) await touch(tx, 'topics', id);
  return 'updated';
}

/** The topic as a curator would write it, for PATCH merges and history. */
export async function topicInputOf(h: Reader, slug: string): Promise<(TopicInput & { version: number }) | undefined> {
  const m = moreOf(h);
  const row = await h.get<
    RowOf<'topics', 'slug' | 'question' | 'bottom_line' | 'evidence_summary' | 'version'> & {
      /** JSON text: [claim_id, importance] in the topic's order. */
      claims: string;
    }
  >(
    `SELECT t.slug, t.question, t.bottom_line, t.evidence_summary, t.version,
       ${m.jsonRows(m.jsonTuple('claim_id', 'importance'), 'topic_claims WHERE topic_id = t.id', 'position')} AS claims
     FROM topics t WHERE t.slug = ?`,
    [slug],
  );
  if (!row) return undefined;
  const listed = JSON.parse(row.claims) as [string, ClaimImportance | null][];
  return {
    ...row,
    claims: listed.map(([id]) => id),
    claim_importance: Object.fromEntries(listed.filter(([, i]) => i !== null)) as Record<string, ClaimImportance>,
  };
}

export async function deleteTopic(tx: Transaction, slug: string): Promise<boolean> {
  const t = tx.tables.topics;
  return (await tx.orm.delete(t).where(eq(t.slug, slug)).returning({ id: t.id })).length > 0;
}

/** The slugs of the topics that list a claim. */
export async function topicSlugsWithClaim(h: Reader, claimId: string): Promise<string[]> {
  const { topics: t, topic_claims: tc } = h.tables;
  const rows = await h.orm
    .select({ slug: t.slug })
    .from(tc)
    .innerJoin(t, eq(t.id, tc.topic_id))
    .where(eq(tc.claim_id, claimId))
    .orderBy(asc(t.slug));
  return rows.map((r) => r.slug);
}
