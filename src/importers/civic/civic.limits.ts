// The write API's field limits, applied to a CIViC row before it becomes a claim: an import writes nothing a client could not.
import type { z } from 'zod';
import { ClaimInput } from '../../resources/claims/claims.schemas.js';
import { ConditionInput } from '../../resources/conditions/conditions.schemas.js';
import { InterventionInput } from '../../resources/interventions/interventions.schemas.js';
import type { CivicEvidence } from './civic.parse.js';

/**
 * CIViC evidence ids are the serial ids of its database (about 12,000 in 2025); more than 9 digits is not an id CIViC
 * issued, and would not survive as a number in a client (2^53).
 */
export const CIVIC_EVIDENCE_ID = /^[1-9]\d{0,8}$/;

/** The link CIViC gives an evidence item (the `evidence_civic_url` of every release since 2023). */
export const civicEvidenceUrl = (evidenceId: string): string =>
  `https://civicdb.org/links/evidence_items/${evidenceId}`;

/** Hosts CIViC has served its evidence links from: civicdb.org, and civic.genome.wustl.edu in releases before 2019. */
const CIVIC_LINK = /^https:\/\/(?:www\.)?(?:civicdb\.org|civic\.genome\.wustl\.edu)\/links\/evidence_items\/(\d+)\/?$/;

/** Whether `url` is CIViC's link for this evidence item (on either of its hosts). */
export function isCivicEvidenceUrl(url: string, evidenceId: string): boolean {
  return CIVIC_LINK.exec(url)?.[1] === evidenceId;
}

/** "is 200000 characters, more than the 5000 a claim's statement may have": one zod issue, for a person. */
function tooMuch(schema: z.ZodType, value: unknown, what: string, counted: string): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0];
  if (issue?.code === 'too_big') {
    const size = typeof value === 'string' ? value.length : Array.isArray(value) ? value.length : value;
    return `has ${size} ${counted}, more than the ${issue.maximum} ${what} may have`;
  }
  return `is not valid as ${what}: ${issue?.message ?? 'refused by the write schema'}`;
}

/**
 * The first limit of the write schemas a row breaks, as a skip reason naming the column ("evidence_statement has
 * 200000 characters, more than the 5000 a claim's statement may have"); null when the row fits. The limits are
 * read from ClaimInput, ConditionInput and InterventionInput themselves, so an import and the API never disagree.
 * `columns` gives the header name each field was read from in this release.
 */
export function rowLimitProblem(
  row: CivicEvidence,
  columns: { statement: string; therapies: string; disease: string; nct_ids: string },
): string | null {
  const checks: [string, () => string | null][] = [
    [columns.statement, () => tooMuch(ClaimInput.shape.statement, row.statement, "a claim's statement", 'characters')],
    [
      columns.therapies,
      // Slugs stand in for the therapies: the count is what is checked here, each name below.
      () =>
        tooMuch(
          ClaimInput.shape.interventions,
          row.therapies.map((_, i) => `t${i}`),
          'a claim',
          'therapies',
        ),
    ],
    ...row.therapy_terms.flatMap((t): [string, () => string | null][] => [
      [columns.therapies, () => tooMuch(InterventionInput.shape.name, t.name, "an intervention's name", 'characters')],
      [columns.therapies, () => tooMuch(InterventionInput.shape.synonyms, t.synonyms, 'an intervention', 'aliases')],
      ...t.synonyms.map((s): [string, () => string | null] => [
        columns.therapies,
        () => tooMuch(InterventionInput.shape.name, s, "an intervention's synonym", 'characters'),
      ]),
    ]),
    [
      columns.disease,
      () =>
        row.disease === null
          ? null
          : tooMuch(ConditionInput.shape.name, row.disease, "a condition's name", 'characters'),
    ],
    ['doid', () => tooMuch(ConditionInput.shape.doid, row.doid, "a condition's DOID", 'characters')],
    [columns.nct_ids, () => tooMuch(ClaimInput.shape.nct_ids, row.nct_ids, 'a claim', 'trial ids')],
    [
      'evidence_type/significance',
      () =>
        tooMuch(
          ClaimInput.shape.outcome,
          [row.evidence_type, row.significance].filter(Boolean).join(': ') || null,
          "a claim's outcome",
          'characters',
        ),
    ],
  ];
  for (const [column, check] of checks) {
    const problem = check();
    if (problem !== null) return `${column} ${problem}`;
  }
  return null;
}
