// SQL for topics: keyset pages by slug, and a topic with its ordered claims.

import { summariseEvidence } from '../../evidence/summary.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import type { Reader, Transaction } from '../../store/client.js';
import { touch } from '../../store/lookup.queries.js';
import { prepared } from '../../store/statements.js';
import { getClaimsByIds } from '../claims/claims.queries.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import type { TopicInput } from './topics.schemas.js';

interface TopicRow {
  id: number;
  slug: string;
  question: string;
  bottom_line: string;
  evidence_summary: string;
  claim_count: number;
  created_at: string;
  updated_at: string;
}

const TOPIC_SELECT = `SELECT t.id, t.slug, t.question, t.bottom_line, t.evidence_summary,
  (SELECT count(*) FROM topic_claims tc CROSS JOIN claims c ON c.id = tc.claim_id
    WHERE tc.topic_id = t.id AND c.status = 'published') AS claim_count, t.created_at, t.updated_at
  FROM topics t`;

function toTopic(r: TopicRow) {
  const { id: _id, ...topic } = r;
  return topic;
}

export async function listTopics(h: Reader, limit: number, cursor: string | undefined) {
  const sqlite = h.sqlite;
  const params: Record<string, unknown> = { limit: limit + 1 };
  let where = '';
  if (cursor !== undefined) {
    params.after = decodeCursor(cursor, 'topics', 1)[0];
    where = 'WHERE t.slug > @after';
  }
  const rows = prepared(sqlite, `${TOPIC_SELECT} ${where} ORDER BY t.slug LIMIT @limit`).all(params) as TopicRow[];
  const result = paginate(rows, limit, 'topics', (r) => [r.slug]);
  return { items: result.items.map(toTopic), next_cursor: result.next_cursor };
}

/** Published claims only: a retracted or draft claim never shows on an answer card. */
export async function getTopic(h: Reader, slug: string) {
  const sqlite = h.sqlite;
  const row = prepared(sqlite, `${TOPIC_SELECT} WHERE t.slug = ?`).get(slug) as TopicRow | undefined;
  if (!row) return undefined;
  const ids = (
    prepared(
      sqlite,
      `SELECT tc.claim_id FROM topic_claims tc CROSS JOIN claims c ON c.id = tc.claim_id
       WHERE tc.topic_id = ? AND c.status = 'published' ORDER BY tc.position`,
    ).all(row.id) as { claim_id: string }[]
  ).map((r) => r.claim_id);
  const claims = await getClaimsByIds(h, ids);
  const distinct = new Map(claims.flatMap((c) => c.studies).map((s) => [s.key, s]));
  return {
    ...toTopic(row),
    claim_count: claims.length,
    claims,
    evidence_overview: summariseEvidence([...distinct.values()]),
  };
}

/** Inserts or updates a topic by slug with its ordered claims; touches updated_at only on a real change. */
export async function upsertTopic(tx: Transaction, input: TopicInput): Promise<WriteOutcome> {
  const sqlite = tx.sqlite;
  const existing = prepared(sqlite, 'SELECT id FROM topics WHERE slug = ?').get(input.slug) as
    | { id: number }
    | undefined;
  const result = prepared(
    sqlite,
    `INSERT INTO topics (slug, question, bottom_line, evidence_summary) VALUES (@slug, @question, @bottom_line, @evidence_summary)
     ON CONFLICT (slug) DO UPDATE SET question = excluded.question, bottom_line = excluded.bottom_line,
       evidence_summary = excluded.evidence_summary, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE question IS NOT excluded.question OR bottom_line IS NOT excluded.bottom_line
       OR evidence_summary IS NOT excluded.evidence_summary`,
  ).run({
    slug: input.slug,
    question: input.question,
    bottom_line: input.bottom_line,
    evidence_summary: input.evidence_summary,
  });
  const id = existing?.id ?? Number(result.lastInsertRowid);
  const current = (
    prepared(sqlite, 'SELECT claim_id FROM topic_claims WHERE topic_id = ? ORDER BY position').all(id) as {
      claim_id: string;
    }[]
  ).map((r) => r.claim_id);
  const claimsChanged = current.join('\n') !== input.claims.join('\n');
  if (claimsChanged) {
    prepared(sqlite, 'DELETE FROM topic_claims WHERE topic_id = ?').run(id);
    const insert = prepared(sqlite, 'INSERT INTO topic_claims (topic_id, claim_id, position) VALUES (?, ?, ?)');
    for (const [position, claimId] of input.claims.entries()) insert.run(id, claimId, position);
  }
  if (!existing) return 'inserted';
  if (result.changes === 0 && !claimsChanged) return 'unchanged';
  if (result.changes === 0) touch(tx, 'topics', id);
  return 'updated';
}

/** The topic as a curator would write it, for PATCH merges and history. */
export async function topicInputOf(h: Reader, slug: string): Promise<(TopicInput & { version: number }) | undefined> {
  const sqlite = h.sqlite;
  const row = prepared(
    sqlite,
    `SELECT t.slug, t.question, t.bottom_line, t.evidence_summary, t.version,
       (SELECT json_group_array(claim_id) FROM (SELECT claim_id FROM topic_claims WHERE topic_id = t.id ORDER BY position)) AS claims
     FROM topics t WHERE t.slug = ?`,
  ).get(slug) as (Omit<TopicInput, 'claims'> & { claims: string; version: number }) | undefined;
  return row ? { ...row, claims: JSON.parse(row.claims) as string[] } : undefined;
}

export async function deleteTopic(tx: Transaction, slug: string): Promise<boolean> {
  const sqlite = tx.sqlite;
  return prepared(sqlite, 'DELETE FROM topics WHERE slug = ?').run(slug).changes > 0;
}

/** The slugs of the topics that list a claim. */
export async function topicSlugsWithClaim(h: Reader, claimId: string): Promise<string[]> {
  return (
    prepared(
      h.sqlite,
      'SELECT t.slug FROM topic_claims tc JOIN topics t ON t.id = tc.topic_id WHERE tc.claim_id = ? ORDER BY t.slug',
    ).all(claimId) as { slug: string }[]
  ).map((r) => r.slug);
}
