// Where a study's retraction comes from and which notice names it: pure rules over the study record, no I/O.

import type { RelatedNotice, StudyBibliography } from './study-record.js';

/**
 * How a study is known to be retracted, strongest evidence first:
 * - `retraction_in`: PubMed links a retraction notice (CommentsCorrections RetractionIn or RetractedandRepublishedIn;
 *   MEDLINE RIN/RRI), which names the notice;
 * - `publication_type`: PubMed types the record "Retracted Publication" but links no notice;
 * - `curator`: a curator flagged it; PubMed says nothing (yet).
 * Source: NLM fact sheet "Errata, Retractions, and Other Linked Citations in PubMed".
 */
export const RETRACTION_SOURCES = ['retraction_in', 'publication_type', 'curator'] as const;
export type RetractionSource = (typeof RETRACTION_SOURCES)[number];

/** What the database keeps about a retraction: its source and, when PubMed links one, the notice. */
export interface Retraction {
  source: RetractionSource;
  /** PMID of the retraction notice, digits only; null when PubMed gives none. */
  notice_pmid: string | null;
  /** NLM's short citation of the notice (RefSource), e.g. "Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8". */
  notice_citation: string | null;
}

/** What a retraction is read from; an absent field is unknown (no signal). */
export type RetractionSignals = Partial<Pick<StudyBibliography, 'publication_types' | 'notices' | 'retracted'>>;

/** The notice types that retract the whole article (a partial retraction or an expression of concern does not). */
export const RETRACTING_NOTICES: ReadonlySet<string> = new Set(['RetractionIn', 'RetractedandRepublishedIn']);

/** The first notice that retracts the record, in PubMed's order; undefined when none. */
export function retractionNotice(notices: readonly RelatedNotice[] | undefined): RelatedNotice | undefined {
  return (notices ?? []).find((n) => RETRACTING_NOTICES.has(n.type));
}

const typedRetracted = (types: readonly string[] | undefined) =>
  (types ?? []).some((t) => t.trim().toLowerCase() === 'retracted publication');

/**
 * The retraction a record's own signals show (notice, then publication type), then the stored flag as a curator's:
 * null when the record is not retracted. Pure; the same rule `isRetracted` (study-record.ts) reads.
 */
export function retractionOf(study: RetractionSignals): Retraction | null {
  const notice = retractionNotice(study.notices);
  if (notice) return { source: 'retraction_in', notice_pmid: notice.pmid, notice_citation: notice.ref_source };
  if (typedRetracted(study.publication_types))
    return { source: 'publication_type', notice_pmid: null, notice_citation: null };
  if (study.retracted === true) return { source: 'curator', notice_pmid: null, notice_citation: null };
  return null;
}

/** Whether PubMed itself (type or notice, not a curator) marks the record retracted. */
export function pubmedRetracts(study: RetractionSignals): boolean {
  return retractionNotice(study.notices) !== undefined || typedRetracted(study.publication_types);
}

/**
 * A notice list after PubMed sends a new one: PubMed's list replaces the stored one (an empty list is "not given"
 * and keeps it), but a stored retraction notice PubMed's list lacks is kept at the end: PubMed keeps a retraction
 * link on the record once made, so a file without it is taken to be older than the one that had it, and a retraction
 * is never dropped silently.
 */
export function mergeNotices(stored: readonly RelatedNotice[], incoming: readonly RelatedNotice[]): RelatedNotice[] {
  if (incoming.length === 0) return [...stored];
  const same = (a: RelatedNotice, b: RelatedNotice) =>
    a.type === b.type && (a.pmid !== null || b.pmid !== null ? a.pmid === b.pmid : a.ref_source === b.ref_source);
  const kept = stored.filter((n) => RETRACTING_NOTICES.has(n.type) && !incoming.some((m) => same(m, n)));
  return [...incoming, ...kept];
}
