// Derived facts about studies and claims: how complete a study's metadata is, and a claim's evidence summary.
import { DESIGN_STRENGTH, type StudyDesign } from './vocabulary.js';

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
