// Evidence consistency rules checked on every curated write; a violation is a 422 naming the rule.

import { unprocessable, unprocessableViolation } from '../http/writes.js';
import { type ClaimRecord, claimRecordOf } from '../resources/claims/claims.queries.js';
import { retractedStudyKeys } from '../resources/claims/claims.retractions.js';
import type { Reader } from '../store/client.js';
import {
  claimIdsSupportedBy,
  descendantSlugs,
  designsOf,
  doidHolder,
  missingKeys,
  topicClaimGrades,
  topicsListing,
} from '../store/evidence.queries.js';
import { lookupKey } from '../store/normalize.js';
import { duplicateViolation, type ListEntry } from './duplicates.js';
import { checkEstimateDirection, validateEffectEstimate } from './effect-estimates.js';
import { assessClaimGrade } from './grade-assessment.js';
import type { GradeLevel } from './grade-domains.js';
import { pubmedRetracts, retractionOf } from './retraction.js';
import { type RiskOfBias, validateRiskOfBias } from './risk-of-bias.js';
import type { StudyBibliography, StudyDesign } from './study-record.js';
import { type ClaimImportance, checkBottomLine, topicOverallCertainty } from './topic-certainty.js';
import { type RuleViolation, violationOf } from './violations.js';
import type { Direction, StudyRelation } from './vocabulary.js';

const PMID = /^[1-9][0-9]{0,8}$/;

export function checkStudyRules(
  study: {
    pmid: string;
    sample_size?: number | null;
    design?: string | null;
    risk_of_bias?: readonly RiskOfBias[];
  } & Partial<Pick<StudyBibliography, 'publication_types' | 'notices' | 'retracted'>>,
  /** Where the PMID is in the request body, when it is not the study's own `pmid` (a claim's `studies[i]`). */
  path?: string,
): void {
  // A curated record cannot deny the retraction its own publication types or notices state (NLM's two signals).
  if (study.retracted === false && pubmedRetracts(study)) {
    const retraction = retractionOf(study);
    throw unprocessable(
      'study.retraction_signals',
      `Study ${study.pmid} is retracted by its own record (${retraction?.source === 'retraction_in' ? `RetractionIn notice${retraction.notice_pmid ? ` PMID ${retraction.notice_pmid}` : ''}` : 'publication type "Retracted Publication"'}): \`retracted\` must be true.`,
      'retracted',
    );
  }
  if (!PMID.test(study.pmid))
    throw unprocessable(
      'study.pmid_digits',
      `PMID '${study.pmid}' must be 1 to 9 digits with no leading zero.`,
      path ?? 'pmid',
    );
  if (study.sample_size != null && study.sample_size < 0)
    throw unprocessable(
      'study.sample_size_non_negative',
      `A sample size cannot be negative (got ${study.sample_size}).`,
      'sample_size',
    );
  // Each assessment follows its tool: its domains, its judgements, the overall its algorithm allows.
  for (const [i, assessment] of (study.risk_of_bias ?? []).entries()) {
    const violation = violationOf(
      validateRiskOfBias(assessment, (study.design ?? null) as StudyDesign | null),
      `risk_of_bias[${i}]`,
    );
    if (violation) throw unprocessableViolation(violation);
  }
}

/**
 * Every rule a curated claim write must pass, in order: links, references, effect estimates, grade, supporting study,
 * and (for a published claim, unless `topics: false`) the bottom lines of the topics listing it. The seed checks
 * its topics itself after writing them, so a re-seed that lowers a grade and rewords the bottom line passes.
 */
export async function checkClaimRules(
  h: Reader,
  claim: ClaimRecord,
  options: { topics?: boolean; publishing?: boolean } = {},
): Promise<void> {
  if (claim.studies.length === 0)
    throw unprocessable('claim.needs_study', 'A claim needs at least one linked study.', 'studies');
  checkClaimLists(claim);
  for (const [i, link] of claim.studies.entries()) {
    if (!/^[a-z][a-z0-9]*:/.test(link.key)) checkStudyRules({ pmid: link.key }, `studies[${i}]`);
    if (link.subgroup_sample_size != null && link.subgroup_sample_size < 0)
      throw unprocessable(
        'study.sample_size_non_negative',
        'A subgroup sample size cannot be negative.',
        `studies[${i}].subgroup_sample_size`,
      );
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
      'studies',
    );
  if (claim.condition !== null && (await missingKeys(h, 'conditions', [claim.condition])).length > 0)
    throw unprocessable('claim.condition_exists', `No condition has slug '${claim.condition}'.`, 'condition');
  const unknownInterventions = await missingKeys(h, 'interventions', claim.interventions);
  if (unknownInterventions.length > 0)
    throw unprocessable(
      'claim.interventions_exist',
      `No intervention has slug ${unknownInterventions.join(', ')}.`,
      'interventions',
    );
  checkEffectEstimates(claim);
  // Only supporting studies can lift a grade: a contradicting or context trial says nothing for the claim.
  const supporting = claim.studies.filter((s) => s.relation === 'supports').map((s) => s.key);
  const grade = checkClaimGrade(claim, (await designsOf(h, supporting)) as (StudyDesign | null)[]);
  if (grade) throw unprocessableViolation(grade);
  const support = checkPublishedClaimSupport(claim);
  if (support)
    throw unprocessableViolation({
      ...support,
      errors: [{ path: 'studies', message: 'no study is linked as supports' }],
    });
  if (options.publishing) {
    const retracted = await checkRetractedSupport(h, claim);
    if (retracted) throw unprocessableViolation(retracted);
  }
  if (claim.status === 'published' && options.topics !== false) await checkTopicsOfClaim(h, claim);
}

const studyLabel = (key: string) => (/^\d+$/.test(key) ? `PMID ${key}` : `study '${key}'`);

/**
 * A claim links each study and each intervention once, and names each PICO age group once (rules
 * `claim.studies_unique`, `claim.interventions_unique`, `claim.age_groups_unique`): a repeat is a 422 naming it and
 * both places, never a silent merge (which link's relation and finding would win?) nor a 500.
 */
export function checkClaimLists(claim: Pick<ClaimRecord, 'studies' | 'interventions' | 'pico'>): void {
  const violation =
    duplicateViolation(
      'claim.studies_unique',
      claim.studies.map((s, i) => ({ key: s.key, path: `studies[${i}]`, label: studyLabel(s.key) })),
      'a claim links each study once, with one relation',
    ) ??
    duplicateViolation(
      'claim.interventions_unique',
      claim.interventions.map((slug, i) => ({ key: slug, path: `interventions[${i}]`, label: `'${slug}'` })),
      'a claim names each intervention once',
    ) ??
    duplicateViolation(
      'claim.age_groups_unique',
      (claim.pico?.population.age_groups ?? []).map((group, i) => ({
        key: group,
        path: `pico.population.age_groups[${i}]`,
        label: `'${group}'`,
      })),
      'a population names each age group once',
    );
  if (violation) throw unprocessableViolation(violation);
}

/** Synonyms compare as lookups do (case, accents and spacing ignored): two that find the same thing are one. */
const synonymEntries = (synonyms: readonly string[]): ListEntry[] =>
  synonyms.map((synonym, i) => ({ key: lookupKey(synonym), path: `synonyms[${i}]`, label: `'${synonym}'` }));

/** An intervention's synonyms are distinct as lookups see them (rule `intervention.synonyms_unique`). */
export async function checkInterventionRules(_h: Reader, intervention: { synonyms: readonly string[] }) {
  const violation = duplicateViolation(
    'intervention.synonyms_unique',
    synonymEntries(intervention.synonyms),
    'synonyms that differ only in case, accents or spacing find the same intervention; give it once',
  );
  if (violation) throw unprocessableViolation(violation);
}

/**
 * A claim cannot be created, published or cleared by a review while every study linked as `supports` is retracted:
 * a retracted study's findings cannot be relied on (COPE Retraction Guidelines, 2019), so such a
 * claim rests on nothing. A claim with at least one unretracted supporting study keeps the `retracted_evidence` caveat
 * instead. Rule `claim.rests_on_retracted_studies`, naming each retracted link (`studies[i]`), or null.
 */
export async function checkRetractedSupport(
  h: Reader,
  claim: Pick<ClaimRecord, 'studies'>,
): Promise<RuleViolation | null> {
  const supporting = claim.studies.flatMap((s, i) => (s.relation === 'supports' ? [{ key: s.key, i }] : []));
  if (supporting.length === 0) return null;
  const retracted = new Set(
    await retractedStudyKeys(
      h,
      supporting.map((s) => s.key),
    ),
  );
  if (supporting.some((s) => !retracted.has(s.key))) return null;
  const named = [...retracted].map((k) => (/^\d+$/.test(k) ? `PMID ${k}` : k)).join(', ');
  return {
    rule: 'claim.rests_on_retracted_studies',
    detail: `Every study this claim rests on (linked as supports) is retracted: ${named}. Link a study that is not retracted as supports, or retract the claim.`,
    errors: supporting.map((s) => ({
      path: `studies[${s.i}]`,
      message: `${/^\d+$/.test(s.key) ? `PMID ${s.key}` : s.key} is retracted`,
    })),
    extensions: { retracted_studies: [...retracted] },
  };
}

/**
 * Every effect estimate on every link: its numbers (`validateEffectEstimate`: a CI that does not contain its estimate,
 * a ratio at or below 0, a p-value outside 0-1 ...) and its side against the link's relation and the claim's
 * direction (`checkEstimateDirection`: a reversed direction is harm). 422 naming `studies[i].effect_estimates[j]...`.
 */
export function checkEffectEstimates(claim: Pick<ClaimRecord, 'direction' | 'studies'>): void {
  for (const [i, link] of claim.studies.entries())
    for (const [j, estimate] of link.effect_estimates.entries()) {
      const path = `studies[${i}].effect_estimates[${j}]`;
      const invalid = violationOf(validateEffectEstimate(estimate), path);
      if (invalid) throw unprocessableViolation(invalid);
      const reversed = checkEstimateDirection(link.relation as StudyRelation, claim.direction as Direction, estimate);
      if (reversed)
        throw unprocessableViolation({
          ...reversed,
          detail: `${path}: ${reversed.detail}`,
          errors: [{ path, message: reversed.detail }],
        });
    }
}

/**
 * The claim's GRADE level against its supporting designs and domains (`assessClaimGrade`). With domains, the level
 * must be what they give, or carry `override_reason` (rule `grade.level_matches_domains`, with `grade_arithmetic`).
 * Without, moderate and high need a supporting trial or review, or a reason in words (`upgrade_rationale` or
 * `override_reason`); a reader then sees the grade flagged as overridden. Null when the grade stands.
 */
export function checkClaimGrade(
  claim: Pick<ClaimRecord, 'grade'>,
  supportingDesigns: readonly (StudyDesign | null)[],
): RuleViolation | null {
  const { grade } = claim;
  const words = grade.upgrade_rationale?.trim() ? grade.upgrade_rationale : grade.override_reason;
  const { violation } = assessClaimGrade({ ...grade, upgrade_rationale: words }, supportingDesigns);
  if (violation === null) return null;
  return violation.errors?.length
    ? violation
    : { ...violation, errors: [{ path: 'grade.level', message: violation.detail }] };
}

/**
 * A published claim's grade moves the overall certainty of the topics that list it: none of their bottom lines may
 * then claim more than it allows (rule `topic.bottom_line_within_certainty`, naming the topic). Retracting or
 * unpublishing a claim is never refused for this.
 */
export async function checkTopicsOfClaim(h: Reader, claim: Pick<ClaimRecord, 'id' | 'status' | 'grade'>) {
  for (const topic of await topicsListing(h, claim.id)) {
    const claims = (await topicClaimGrades(h, topic.claims)).map((c) =>
      c.id === claim.id ? { ...c, status: claim.status, grade: claim.grade } : c,
    );
    const overall = topicOverallCertainty(
      claims.map((c) => ({ ...c, importance: topic.importance[c.id] ?? null })),
    ).level;
    const violation = checkBottomLine(topic.bottom_line, overall);
    if (violation)
      throw unprocessableViolation({
        ...violation,
        detail: `Topic '${topic.slug}' lists this claim, and with this grade its bottom line would claim too much. ${violation.detail}`,
        errors: [{ path: 'grade.level', message: `topic '${topic.slug}': ${violation.detail}` }],
      });
  }
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

/**
 * A topic lists existing claims once each, rates the importance only of claims it lists, and its bottom line claims
 * no more than its overall certainty allows (GRADE: the lowest certainty among its critical claims; see
 * topic-certainty.ts). 422 naming the rule.
 */
export async function checkTopicRules(
  h: Reader,
  topic: { bottom_line: string; claims: string[]; claim_importance?: Record<string, ClaimImportance> },
): Promise<void> {
  const repeated = duplicateViolation(
    'topic.claims_unique',
    topic.claims.map((id, i) => ({ key: id, path: `claims[${i}]`, label: `claim '${id}'` })),
    'a claim appears only once in a topic',
  );
  if (repeated) throw unprocessableViolation(repeated);
  const unknown = await missingKeys(h, 'claims', topic.claims);
  if (unknown.length > 0) throw unprocessable('topic.claims_exist', `No claim has id ${unknown.join(', ')}.`, 'claims');
  const importance = topic.claim_importance ?? {};
  const unlisted = Object.keys(importance).filter((id) => !topic.claims.includes(id));
  if (unlisted.length > 0)
    throw unprocessableViolation({
      rule: 'topic.importance_of_listed_claims',
      detail: `claim_importance rates claims the topic does not list: ${unlisted.join(', ')}.`,
      errors: unlisted.map((id) => ({ path: `claim_importance.${id}`, message: 'not in claims' })),
    });
  const overall: GradeLevel | null = topicOverallCertainty(
    (await topicClaimGrades(h, topic.claims)).map((c) => ({ ...c, importance: importance[c.id] ?? null })),
  ).level;
  const violation = checkBottomLine(topic.bottom_line, overall);
  if (violation)
    throw unprocessableViolation({ ...violation, errors: [{ path: 'bottom_line', message: violation.detail }] });
}

/**
 * A condition's curated parents (`parent`, then `parents`) are named once each (rule `condition.parents_unique`), exist
 * and close no cycle through the whole hierarchy, ontology links included (the hierarchy is a DAG); its synonyms are
 * distinct as lookups see them (`condition.synonyms_unique`); a DOID names one condition (the ontology term it is
 * attached to).
 */
export async function checkConditionRules(
  h: Reader,
  condition: { slug: string; parent: string | null; parents?: string[]; synonyms?: string[]; doid?: string | null },
): Promise<void> {
  const repeated =
    duplicateViolation(
      'condition.parents_unique',
      [
        ...(condition.parent === null
          ? []
          : [{ key: condition.parent, path: 'parent', label: `'${condition.parent}'` }]),
        ...(condition.parents ?? []).map((slug, i) => ({ key: slug, path: `parents[${i}]`, label: `'${slug}'` })),
      ],
      'a condition names each parent once (`parent` is the first, `parents` the others)',
    ) ??
    duplicateViolation(
      'condition.synonyms_unique',
      synonymEntries(condition.synonyms ?? []),
      'synonyms that differ only in case, accents or spacing find the same condition; give it once',
    );
  if (repeated) throw unprocessableViolation(repeated);
  const parents = [
    ...new Set([...(condition.parent === null ? [] : [condition.parent]), ...(condition.parents ?? [])]),
  ];
  const missing = await missingKeys(h, 'conditions', parents);
  if (missing.length > 0)
    throw unprocessable(
      'condition.parent_exists',
      `No condition has slug ${missing.map((m) => `'${m}'`).join(', ')}.`,
      missing.includes(condition.parent ?? '') ? 'parent' : 'parents',
    );
  const below = parents.length === 0 ? [] : await descendantSlugs(h, condition.slug);
  for (const parent of parents)
    if (parent === condition.slug || below.includes(parent))
      throw unprocessable(
        'condition.parent_acyclic',
        `'${parent}' is '${condition.slug}' or one of its descendants.`,
        parent === condition.parent ? 'parent' : 'parents',
      );
  if (condition.doid) {
    const holder = await doidHolder(h, condition.doid, condition.slug);
    if (holder !== undefined)
      throw unprocessable(
        'condition.doid_unique',
        `${condition.doid} is already the ontology term of condition '${holder}'; change that condition instead.`,
        'doid',
      );
  }
}

/**
 * A study's design starts the GRADE level of the claims it supports: a new design may not leave one of them with a
 * level its domains no longer give (e.g. a trial re-read as a cohort under a claim graded high). 422 with rule
 * `grade.level_matches_domains` (or the design rule's), naming the claim and showing its arithmetic.
 */
export async function checkStudyDesignForClaims(
  h: Reader,
  study: { pmid: string; design: string | null },
): Promise<void> {
  // The study API writes PubMed records, whose key is the PMID.
  for (const claimId of await claimIdsSupportedBy(h, study.pmid)) {
    const claim = await claimRecordOf(h, claimId);
    if (claim?.grade.scheme !== 'GRADE') continue;
    const others = claim.studies.filter((s) => s.relation === 'supports' && s.key !== study.pmid).map((s) => s.key);
    const designs = [...(await designsOf(h, others)), study.design] as (StudyDesign | null)[];
    const violation = checkClaimGrade(claim, designs);
    if (violation)
      throw unprocessableViolation({
        ...violation,
        detail: `Claim '${claimId}' rests on this study: with design ${study.design ?? 'unknown'} its grade no longer holds. ${violation.detail}`,
        errors: [{ path: 'design', message: `claim '${claimId}': ${violation.detail}` }],
      });
  }
}
