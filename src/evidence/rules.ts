// Evidence consistency rules checked on every curated write; a violation is a 422 naming the rule.

import { unprocessable } from '../http/writes.js';
import type { ClaimRecord } from '../resources/claims/claims.queries.js';
import type { Reader } from '../store/client.js';
import { descendantSlugs, designsOf, doidHolder, missingKeys } from '../store/evidence.queries.js';
import { checkGradeStart } from './grade-domains.js';
import { pubmedRetracts, retractionOf } from './retraction.js';
import type { StudyBibliography } from './study-record.js';
import type { RuleViolation } from './violations.js';

const PMID = /^[1-9][0-9]{0,8}$/;

export function checkStudyRules(
  study: { pmid: string; sample_size?: number | null } & Partial<
    Pick<StudyBibliography, 'publication_types' | 'notices' | 'retracted'>
  >,
): void {
  // A curated record cannot deny the retraction its own publication types or notices state (NLM's two signals).
  if (study.retracted === false && pubmedRetracts(study)) {
    const retraction = retractionOf(study);
    throw unprocessable(
      'study.retraction_signals',
      `Study ${study.pmid} is retracted by its own record (${retraction?.source === 'retraction_in' ? `RetractionIn notice${retraction.notice_pmid ? ` PMID ${retraction.notice_pmid}` : ''}` : 'publication type "Retracted Publication"'}): \`retracted\` must be true.`,
    );
  }
  if (!PMID.test(study.pmid))
    throw unprocessable('study.pmid_digits', `PMID '${study.pmid}' must be 1 to 9 digits with no leading zero.`);
  if (study.sample_size != null && study.sample_size < 0)
    throw unprocessable(
      'study.sample_size_non_negative',
      `A sample size cannot be negative (got ${study.sample_size}).`,
    );
}

export async function checkClaimRules(h: Reader, claim: ClaimRecord): Promise<void> {
  if (claim.studies.length === 0) throw unprocessable('claim.needs_study', 'A claim needs at least one linked study.');
  for (const link of claim.studies) {
    if (!/^[a-z][a-z0-9]*:/.test(link.key)) checkStudyRules({ pmid: link.key });
    if (link.subgroup_sample_size != null && link.subgroup_sample_size < 0)
      throw unprocessable('study.sample_size_non_negative', 'A subgroup sample size cannot be negative.');
  }
  const unknownStudies = await missingKeys(
    h,
    'studies',
    claim.studies.map((s) => s.key),
  );
  if (unknownStudies.length > 0)
    throw unprocessable(
      'claim.studies_exist',
      `Create these studies first: ${[
        unknownStudies.some((k) => /^\d+$/.test(k))
          ? `PMID ${unknownStudies.filter((k) => /^\d+$/.test(k)).join(', ')}`
          : null,
        ...unknownStudies.filter((k) => !/^\d+$/.test(k)),
      ]
        .filter(Boolean)
        .join(', ')}.`,
    );
  if (claim.condition !== null && (await missingKeys(h, 'conditions', [claim.condition])).length > 0)
    throw unprocessable('claim.condition_exists', `No condition has slug '${claim.condition}'.`);
  const unknownInterventions = await missingKeys(h, 'interventions', claim.interventions);
  if (unknownInterventions.length > 0)
    throw unprocessable('claim.interventions_exist', `No intervention has slug ${unknownInterventions.join(', ')}.`);
  // Only supporting studies can lift a grade: a contradicting or context trial says nothing for the claim.
  const supporting = claim.studies.filter((s) => s.relation === 'supports').map((s) => s.key);
  const liftsGrade =
    claim.grade.scheme === 'GRADE' && (claim.grade.level === 'high' || claim.grade.level === 'moderate');
  const violation = checkGradeStart(claim.grade, liftsGrade ? await designsOf(h, supporting) : []);
  if (violation) throw unprocessable(violation.rule, violation.detail);
}

/**
 * A published claim rests on at least one study linked as `supports`: context and contradicting studies cannot carry
 * it (a draft may be incomplete). Pure; rule `claim.needs_supporting_study`, or null.
 */
export function checkPublishedClaimSupport(claim: {
  status: string;
  studies: readonly { relation: string }[];
}): RuleViolation | null {
  if (claim.status !== 'published' || claim.studies.some((s) => s.relation === 'supports')) return null;
  const relations = [...new Set(claim.studies.map((s) => s.relation))].join(' and ') || 'no';
  return {
    rule: 'claim.needs_supporting_study',
    detail: `A published claim needs at least one study linked as supports; this one has only ${relations} studies. Link the study that supports it, or keep the claim as a draft.`,
  };
}

export async function checkTopicRules(h: Reader, topic: { claims: string[] }): Promise<void> {
  const unknown = await missingKeys(h, 'claims', topic.claims);
  if (unknown.length > 0) throw unprocessable('topic.claims_exist', `No claim has id ${unknown.join(', ')}.`);
  if (new Set(topic.claims).size !== topic.claims.length)
    throw unprocessable('topic.claims_unique', 'A claim can appear only once in a topic.');
}

/**
 * A condition's curated parents (`parent`, then `parents`) exist and close no cycle through the whole hierarchy,
 * ontology links included (the hierarchy is a DAG); a DOID names one condition (the ontology term it is attached to).
 */
export async function checkConditionRules(
  h: Reader,
  condition: { slug: string; parent: string | null; parents?: string[]; doid?: string | null },
): Promise<void> {
  const parents = [
    ...new Set([...(condition.parent === null ? [] : [condition.parent]), ...(condition.parents ?? [])]),
  ];
  const missing = await missingKeys(h, 'conditions', parents);
  if (missing.length > 0)
    throw unprocessable('condition.parent_exists', `No condition has slug ${missing.map((m) => `'${m}'`).join(', ')}.`);
  const below = parents.length === 0 ? [] : await descendantSlugs(h, condition.slug);
  for (const parent of parents)
    if (parent === condition.slug || below.includes(parent))
      throw unprocessable('condition.parent_acyclic', `'${parent}' is '${condition.slug}' or one of its descendants.`);
  if (condition.doid) {
    const holder = await doidHolder(h, condition.doid, condition.slug);
    if (holder !== undefined)
      throw unprocessable(
        'condition.doid_unique',
        `${condition.doid} is already the ontology term of condition '${holder}'; change that condition instead.`,
      );
  }
}
