// Derived facts about studies and claims: how complete a study's metadata is, and a claim's or topic's evidence summary.
import { DESIGN_STRENGTH, type StudyDesign, type StudyRelation } from './vocabulary.js';

export type MetadataStatus = 'complete' | 'partial' | 'unknown';

export function metadataStatus(s: {
  title: string | null;
  author_total: number;
  authors_complete: boolean | number;
  journal: string | null;
  year: number | null;
}): MetadataStatus {
  if (s.title === null && s.author_total === 0 && s.journal === null && s.year === null) return 'unknown';
  if (s.title !== null && s.author_total > 0 && s.authors_complete && s.journal !== null && s.year !== null)
    return 'complete';
  return 'partial';
}

export interface SummarisableStudy {
  design: StudyDesign | null;
  sample_size: number | null;
}

export interface EvidenceSummary {
  study_count: number;
  studies_by_design: { design: StudyDesign | null; count: number }[];
  total_participants: number | null;
  studies_with_unknown_sample_size: number;
  strongest_design: StudyDesign | null;
  has_rct: boolean;
  has_systematic_review: boolean;
}

const strength = (design: StudyDesign | null) =>
  design === null ? DESIGN_STRENGTH.length : DESIGN_STRENGTH.indexOf(design);

export function summariseEvidence(studies: readonly SummarisableStudy[]): EvidenceSummary {
  const counts = new Map<StudyDesign | null, number>();
  let total: number | null = null;
  let unknownSize = 0;
  for (const s of studies) {
    counts.set(s.design, (counts.get(s.design) ?? 0) + 1);
    if (s.sample_size === null) unknownSize++;
    else total = (total ?? 0) + s.sample_size;
  }
  const byDesign = [...counts.entries()]
    .sort((a, b) => strength(a[0]) - strength(b[0]))
    .map(([design, count]) => ({ design, count }));
  return {
    study_count: studies.length,
    studies_by_design: byDesign,
    total_participants: total,
    studies_with_unknown_sample_size: unknownSize,
    strongest_design: byDesign.find((d) => d.design !== null)?.design ?? null,
    has_rct: counts.has('rct'),
    has_systematic_review: counts.has('systematic_review') || counts.has('meta_analysis'),
  };
}

/** A claim-study link as the summary needs it: the study's design and size, and how it bears on the claim. */
export interface SummarisableLink extends SummarisableStudy {
  /** The study's key: its PMID, or `asco:...` for a source without one. */
  key: string;
  relation: StudyRelation;
}

/** A claim's evidence summary over its supporting studies, with contradicting and context studies counted apart. */
export interface SupportingEvidenceSummary extends EvidenceSummary {
  /** Largest known sample size among the supporting studies: what `min_sample_size` and `sort=-sample_size` use. */
  sample_size: number | null;
  contradicting_study_count: number;
  /** Sum of the known sample sizes of the contradicting studies; null when none is known. */
  contradicting_participants: number | null;
  context_study_count: number;
}

/**
 * The evidence summary of a claim counted from its *supporting* studies only: `study_count`, `studies_by_design`,
 * `total_participants`, `strongest_design`, `has_rct` and `has_systematic_review` describe the studies linked as
 * `supports`, and `sample_size` is the largest known n among them (null when none is known). Contradicting and context
 * studies are counted apart, so a survey linked only for context can no longer lend a claim its n or its design
 * (issue 16: the overall skin claim showed n=242 and "cohort" from context links). A study linked twice with the same
 * relation counts once. Sizes are participants as stored on the study.
 */
export function summariseSupportingEvidence(links: readonly SummarisableLink[]): SupportingEvidenceSummary {
  const distinct = (relation: StudyRelation) => [
    ...new Map(links.filter((l) => l.relation === relation).map((l) => [l.key, l])).values(),
  ];
  const supporting = distinct('supports');
  const contradicting = summariseEvidence(distinct('contradicts'));
  const sizes = supporting.map((s) => s.sample_size).filter((n): n is number => n !== null);
  return {
    ...summariseEvidence(supporting),
    sample_size: sizes.length === 0 ? null : Math.max(...sizes),
    contradicting_study_count: contradicting.study_count,
    contradicting_participants: contradicting.total_participants,
    context_study_count: distinct('context').length,
  };
}

/**
 * A topic's evidence overview over the distinct studies of its claims: a study supports the topic when it supports
 * any of its claims, contradicts when it contradicts any, and is context only when it does neither for every claim.
 */
export function summariseTopicEvidence(claims: readonly { studies: readonly SummarisableLink[] }[]) {
  const links = claims.flatMap((c) => c.studies);
  const bearing = new Set(links.filter((l) => l.relation !== 'context').map((l) => l.key));
  return summariseSupportingEvidence(links.filter((l) => l.relation !== 'context' || !bearing.has(l.key)));
}
