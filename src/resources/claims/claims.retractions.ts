// Claims resting on retracted studies: the caveat, the flag the filters read, and the review a curator must give.
// The write path (curation/commit.ts) calls these in the commit that retracts a study or links one.

import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Retraction } from '../../evidence/retraction.js';
import { type CaveatCode, RETRACTED_EVIDENCE } from '../../evidence/vocabulary.js';
import type { Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';

/** Why a claim awaits review; one reason today. */
export const REVIEW_REASONS = [RETRACTED_EVIDENCE.code] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/** The statement's time in the stored format, on the handle's engine. */
const nowOf = (h: Reader) => sql.raw(`(${dialectOf(h).now})`);

/**
 * The keys among `keys` (study keys: a PubMed article's is its PMID) whose study is retracted, in the order given.
 * Only PubMed articles are ever retracted, so each key returned is a PMID.
 */
export async function retractedStudyKeys(h: Reader, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const { studies } = h.tables;
  const rows = await h.orm
    .select({ key: studies.key })
    .from(studies)
    .where(and(inArray(studies.key, [...new Set(keys)]), eq(studies.retracted, true)));
  const retracted = new Set(rows.map((r) => r.key));
  return keys.filter((k) => retracted.has(k));
}

/** Caveat codes with `retracted_evidence` present exactly when the claim rests on a retracted study. */
export function withRetractionCaveat(codes: readonly string[], hasRetracted: boolean): string[] {
  const others = codes.filter((c) => c !== RETRACTED_EVIDENCE.code);
  if (!hasRetracted) return others;
  return codes.includes(RETRACTED_EVIDENCE.code) ? [...codes] : [...others, RETRACTED_EVIDENCE.code];
}

/**
 * Brings one claim's retraction state in line with its linked studies: the caveat, `has_retracted_evidence`, and
 * the review request. `requestReview` (a study just became retracted, or a retracted one was just linked) asks for
 * a review unless the claim is already retracted by a curator; with no retracted study left, a pending
 * retracted-evidence review is withdrawn. Returns whether the row changed (the caller records the revision).
 */
export async function syncClaimRetraction(
  tx: Transaction,
  claimId: string,
  { requestReview }: { requestReview: boolean },
): Promise<boolean> {
  const { claims, claim_studies, studies } = tx.tables;
  const NOW = nowOf(tx);
  const [claim] = await tx.orm
    .select({
      caveat_codes: claims.caveat_codes,
      status: claims.status,
      has_retracted_evidence: claims.has_retracted_evidence,
      review_reason: claims.review_reason,
    })
    .from(claims)
    .where(eq(claims.id, claimId));
  if (!claim) return false;
  const [linked] = await tx.orm
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(claim_studies)
    .innerJoin(studies, eq(studies.id, claim_studies.study_id))
    .where(and(eq(claim_studies.claim_id, claimId), eq(studies.retracted, true)));
  const has = (linked?.n ?? 0) > 0;
  const codes = withRetractionCaveat(claim.caveat_codes, has);
  const pending = claim.review_reason;
  const ask = has && requestReview && claim.status !== 'retracted' && pending === null;
  const withdraw = !has && pending === RETRACTED_EVIDENCE.code;
  const codesMoved = JSON.stringify(codes) !== JSON.stringify(claim.caveat_codes);
  if (!codesMoved && has === claim.has_retracted_evidence && !ask && !withdraw) return false;
  await tx.orm
    .update(claims)
    .set({
      caveat_codes: codes as CaveatCode[],
      has_retracted_evidence: has,
      ...(ask ? { review_reason: RETRACTED_EVIDENCE.code, review_requested_at: NOW } : {}),
      ...(withdraw ? { review_reason: null, review_requested_at: null } : {}),
      updated_at: NOW,
    })
    .where(eq(claims.id, claimId));
  return true;
}

/**
 * A curator's review of a claim that awaited one: the request is cleared and the review (when, who, note) kept, so
 * the claim counts in `min_grade` filters again. False, and nothing written, when no review was pending.
 */
export async function recordClaimReview(tx: Transaction, claimId: string, by: string, note: string): Promise<boolean> {
  const { claims } = tx.tables;
  const NOW = nowOf(tx);
  const done = await tx.orm
    .update(claims)
    .set({
      review_reason: null,
      review_requested_at: null,
      reviewed_at: NOW,
      reviewed_by: by,
      review_note: note,
      updated_at: NOW,
    })
    .where(and(eq(claims.id, claimId), sql`${claims.review_reason} IS NOT NULL`))
    .returning({ id: claims.id });
  return done.length > 0;
}

/** The revision reason of a claim changed because a study it rests on was retracted (or no longer is). */
export function retractionReason(pmid: string, retraction: Retraction | null): string {
  if (retraction === null) return `Study PMID ${pmid} is no longer marked retracted.`;
  const by =
    retraction.source === 'retraction_in'
      ? `RetractionIn${retraction.notice_pmid ? ` PMID ${retraction.notice_pmid}` : ''}${retraction.notice_citation ? `: ${retraction.notice_citation}` : ''}`
      : retraction.source === 'publication_type'
        ? 'PubMed publication type "Retracted Publication"'
        : "a curator's flag";
  return `Study PMID ${pmid} is retracted (${by}).`;
}
