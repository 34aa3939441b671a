// A claim snapshot from the revision history as the API serves it today: fields added since it was recorded are
// filled in (from the snapshot itself where they are derived), never guessed.
import { claimGradeAssessment } from '../../evidence/grade-assessment.js';
import type { StudyDesign } from '../../evidence/study-record.js';
import { type SummarisableLink, summariseSupportingEvidence } from '../../evidence/summary.js';
import type { Claim } from './claims.queries.js';

type Snapshot = Record<string, unknown>;

/**
 * Fills what a snapshot recorded before issue 16 lacks: `pico`, the grade's `domains`, `synthesis_of`,
 * `override_reason` (null: none was recorded), its `assessment` and the supporting-only `evidence_summary` (derived
 * from the snapshot's own studies and grade), and each study's `effect_estimates` and `risk_of_bias` (none recorded)
 * and, before study keys, its `key` (the PMID).
 * The snapshot's own `sample_size` is kept as it was served then. Snapshots that have the fields are returned as is.
 */
export function servedClaimSnapshot(snapshot: Snapshot): Claim {
  // A snapshot from before study keys names its studies by PMID only; every such study was keyed by its PMID
  // (migration 0007), and the supporting-only summary counts distinct studies by key.
  const studies = ((snapshot.studies ?? []) as Snapshot[]).map(
    (s): Snapshot => ({ effect_estimates: [], risk_of_bias: [], ...s, key: s.key ?? s.pmid }),
  );
  const recorded = (snapshot.grade ?? {}) as Snapshot;
  const grade = { domains: null, synthesis_of: null, override_reason: null, ...recorded } as Claim['grade'];
  const summary = snapshot.evidence_summary as Snapshot | undefined;
  return {
    pico: null,
    ...snapshot,
    grade: {
      ...grade,
      assessment:
        'assessment' in recorded
          ? grade.assessment
          : claimGradeAssessment(
              grade,
              studies.filter((s) => s.relation === 'supports').map((s) => (s.design ?? null) as StudyDesign | null),
            ),
    },
    studies,
    evidence_summary:
      summary && 'context_study_count' in summary
        ? summary
        : summariseSupportingEvidence(studies as unknown as SummarisableLink[]),
  } as unknown as Claim;
}
