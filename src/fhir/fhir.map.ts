// Claim and topic JSON → FHIR R5 Bundles (Evidence, Citation, EvidenceVariable, ArtifactAssessment, EvidenceReport).

import { v5 as uuidv5 } from 'uuid';
import { expandPageRange, formatCitation } from '../citations/citations.format.js';
import { citableStudy } from '../citations/source-citation.js';
import type { StudyDesign } from '../evidence/vocabulary.js';
import {
  ATTRIBUTE_ESTIMATES,
  CLAIM_STATUS_TO_PUBLICATION,
  type CodeableConcept,
  concept,
  DESIGN_SEVCO,
  DOMAIN_JUDGEMENTS,
  EFFECT_MEASURES,
  GRADE_DOMAINS,
  GRADE_RATING,
  PUBLICATION_STATUSES,
  SEVCO,
  SYSTEMS,
  TEXT_ONLY_MEASURES,
  VARIABLE_ROLES,
  type VariableRole,
} from './fhir.codes.js';
import type {
  ClaimFhirInput,
  ClaimJson,
  EffectEstimate,
  EvidenceExtras,
  FhirContext,
  OntologyCodes,
  PicoElement,
  RiskOfBiasAssessment,
  StudyJson,
  TopicFhirInput,
} from './fhir.inputs.js';

/**
 * FHIR JSON, typed loosely on purpose: no maintained package has complete R5 types (checked: @types/fhir stops at R4;
 * @smile-cdr/fhirts's R5 models lack CodeableConcept.text and Annotation.text). The suite validates every Bundle
 * against the official R5 JSON schema and StructureDefinitions instead (test/fhir.test.ts).
 */
export type FhirObject = { [element: string]: unknown };
export interface FhirResource extends FhirObject {
  resourceType: string;
  id: string;
}
export interface Reference {
  reference: string;
  display?: string;
}
export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
}
export interface Bundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  link: { relation: string; url: string }[];
  entry: BundleEntry[];
}
type ClaimStudy = ClaimJson['studies'][number];

/** Month abbreviations as PubMed prints dates ("2018 Jan 5"). */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const SEASONS = new Set(['Spring', 'Summer', 'Autumn', 'Fall', 'Winter']);

const UUID_NAMESPACE = uuidv5('urn:evidence-api:fhir', uuidv5.URL);

/**
 * The id of a resource derived from an API path, the same on every host and every export: a UUID v5 (RFC 9562) of
 * the resource type and path. Bundle entries use it as `urn:uuid:<id>`, so references resolve inside the Bundle.
 */
export function resourceId(resourceType: string, apiPath: string): string {
  return uuidv5(`${resourceType} ${apiPath}`, UUID_NAMESPACE);
}

const fullUrl = (resource: FhirResource) => `urn:uuid:${resource.id}`;
const ref = (resource: FhirResource, display?: string): Reference =>
  display === undefined ? { reference: fullUrl(resource) } : { reference: fullUrl(resource), display };

/** Drops undefined members and empty arrays, so an unknown fact is absent rather than null or []. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

class BundleBuilder {
  private readonly entries = new Map<string, BundleEntry>();
  add<T extends FhirResource>(resource: T): T {
    const url = fullUrl(resource);
    if (!this.entries.has(url)) this.entries.set(url, { fullUrl: url, resource });
    return resource;
  }
  build(selfUrl: string, timestamp: string): Bundle {
    return {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp,
      link: [{ relation: 'self', url: selfUrl }],
      entry: [...this.entries.values()],
    } as Bundle;
  }
}

/**
 * The Bundle (type `collection`) for one claim: an Evidence for the claim, an ArtifactAssessment with the curation
 * facts FHIR has no element for (direction, exact status, caveats), an EvidenceVariable per condition and
 * intervention, and per linked study an Evidence (design, sample size, finding) citing a Citation (PMID, DOI, title,
 * authors, journal, dates, retraction). Element names and codes: ../shared/reference/evidence-standards.md §5; the
 * mapping table is in the README. Unknown facts are absent. `timestamp` is the claim's `updated_at`, so the same
 * data always gives the same Bundle.
 */
export function claimBundle(input: ClaimFhirInput, context: FhirContext): Bundle {
  const builder = new BundleBuilder();
  addClaim(builder, input, context);
  const { claim } = input;
  return builder.build(`${context.baseUrl}/v1/claims/${claim.id}/fhir`, claim.updated_at);
}

/**
 * The Bundle for a topic: an EvidenceReport (question, bottom line, evidence summary, the claims in curated order,
 * the references, and the overall certainty when one is given), then each claim's resources as in `claimBundle`,
 * shared Citations and variables once. The topic JSON carries no overall grade, so without `overall_certainty`
 * the report has no certainty section: each claim's Evidence carries its own.
 */
export function topicBundle(input: TopicFhirInput, context: FhirContext): Bundle {
  const { topic } = input;
  const builder = new BundleBuilder();
  const path = `/v1/topics/${topic.slug}`;
  const report: FhirResource = {
    resourceType: 'EvidenceReport',
    id: resourceId('EvidenceReport', path),
    url: `${context.baseUrl}${path}`,
    status: 'active',
    subject: { note: [{ text: topic.question }] },
  };
  builder.add(report);
  const claimEvidence: Reference[] = [];
  const citations = new Map<string, Reference>();
  for (const claim of topic.claims) {
    const added = addClaim(
      builder,
      {
        claim,
        studies: input.studies,
        condition_codes: claim.condition ? input.condition_codes?.[claim.condition.slug] : undefined,
        extras: input.extras?.[claim.id],
      },
      context,
    );
    claimEvidence.push(ref(added.evidence, claim.statement));
    for (const citation of added.citations) citations.set(citation.reference ?? '', citation);
  }
  const overall = input.overall_certainty ? GRADE_RATING[input.overall_certainty.level] : undefined;
  report.section = [
    section('Text-Summary', 'Text Summary', 'Bottom line', { text: narrative(topic.bottom_line) }),
    section('SummaryOfBodyOfEvidenceFindings', 'Summary of Body of Evidence Findings', 'Evidence summary', {
      text: narrative(topic.evidence_summary),
    }),
    ...(overall && input.overall_certainty
      ? [
          section('Certainty-of-Evidence', 'Certainty of Evidence', 'Overall certainty', {
            entryClassifier: [concept(SYSTEMS.certaintyRating, overall[0], overall[1])],
            ...(input.overall_certainty.rationale ? { text: narrative(input.overall_certainty.rationale) } : {}),
          }),
        ]
      : []),
    section('Evidence', 'Evidence Results', 'Claims', { entryReference: claimEvidence }),
    section('References', 'References', 'References', { entryReference: [...citations.values()] }),
  ].map(compact);
  return builder.build(`${context.baseUrl}${path}/fhir`, topic.updated_at);
}

function section(code: string, display: string, title: string, content: Partial<FhirObject>) {
  return {
    title,
    focus: concept('http://hl7.org/fhir/evidence-report-section', code, display),
    ...content,
  };
}

/** Plain text as a FHIR Narrative: one XHTML paragraph, the text escaped. */
function narrative(text: string): FhirObject {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escaped}</p></div>` };
}

function addClaim(builder: BundleBuilder, input: ClaimFhirInput, context: FhirContext) {
  const { claim } = input;
  const extras: EvidenceExtras = input.extras ?? {};
  const path = `/v1/claims/${claim.id}`;
  const evidence: FhirResource = {
    resourceType: 'Evidence',
    id: resourceId('Evidence', path),
    url: `${context.baseUrl}${path}`,
    status: CLAIM_STATUS_TO_PUBLICATION[claim.status] ?? 'unknown',
  };
  builder.add(evidence);

  const studyLinks: FhirObject[] = [];
  const citations: Reference[] = [];
  const designs: CodeableConcept[] = [];
  const retracted: string[] = [];
  for (const link of claim.studies) {
    const study = input.studies[link.key];
    const citation = builder.add(citationOf(link, study, extras, context));
    citations.push(ref(citation, studyLabel(link)));
    const studyEvidence = builder.add(studyEvidenceOf(claim, link, study, citation, extras));
    studyLinks.push(
      compact({
        type: 'composed-of',
        classifier: [concept(SYSTEMS.apiStudyRelation, link.relation)],
        label: studyLabel(link),
        display: orUndefined(link.title),
        resourceReference: ref(studyEvidence),
      }),
    );
    for (const design of designConcepts(link.design))
      if (!designs.some((d) => d.coding?.[0]?.code === design.coding?.[0]?.code)) designs.push(design);
    if (link.retracted) retracted.push(`${studyLabel(link)}${link.title ? ` (${link.title})` : ''}`);
  }

  Object.assign(
    evidence,
    compact({
      date: claim.updated_at,
      relatedArtifact: [...studyLinks, ...sourceLink(claim)],
      description: orUndefined(claim.plain_summary),
      assertion: claim.statement,
      note: retracted.map((study) => ({ text: `Retracted publication among the linked studies: ${study}.` })),
      variableDefinition: variableDefinitions(builder, input, context),
      studyDesign: designs,
      statistic: [
        claimSampleSize(claim),
        ...(extras.effect_estimates ?? []).filter((e) => !e.pmid).map(effectStatistic),
      ],
      certainty: [overallCertainty(claim, extras)],
    }),
  );

  builder.add(curationAssessment(claim, evidence));
  return { evidence, citations };
}

/** Our design as a concept of its own (lossless), then its SEVCO characteristics (§5.2). */
function designConcepts(design: StudyDesign | null): CodeableConcept[] {
  if (design === null) return [];
  return [
    { coding: [{ system: SYSTEMS.apiStudyDesign, code: design }], text: design.replace(/_/g, ' ') },
    ...DESIGN_SEVCO[design].map((key) => concept(SYSTEMS.studyDesign, SEVCO[key][0], SEVCO[key][1])),
  ];
}

function role(name: VariableRole): CodeableConcept {
  const [code, display] = VARIABLE_ROLES[name];
  return concept(SYSTEMS.variableRole, code, display);
}

function variableDefinitions(builder: BundleBuilder, input: ClaimFhirInput, context: FhirContext) {
  const { claim } = input;
  const pico = input.extras?.pico ?? {};
  const definitions: FhirObject[] = [];
  const fromPico = (element: PicoElement, name: VariableRole, key: string) => {
    const variable = builder.add(picoVariable(element, `${claim.id}/${key}`));
    definitions.push({ description: element.description, variableRole: role(name), observed: ref(variable) });
  };

  // The claim's own condition, interventions and outcome come first, each PICO element after its kind: PICO adds the
  // question's wording and codes, and the condition and interventions keep their variables (and URLs).
  if (claim.condition) {
    const variable = builder.add(conditionVariable(claim.condition, input.condition_codes, context));
    definitions.push({ description: claim.condition.name, variableRole: role('population'), observed: ref(variable) });
  }
  if (pico.population) fromPico(pico.population, 'population', 'population');
  if (!claim.condition && !pico.population) definitions.push({ variableRole: role('population') });

  if (claim.biomarker) definitions.push({ description: claim.biomarker, variableRole: role('subpopulation') });

  for (const intervention of claim.interventions) {
    const variable = builder.add(interventionVariable(intervention, context));
    definitions.push({ description: intervention.name, variableRole: role('exposure'), observed: ref(variable) });
  }
  if (pico.intervention) fromPico(pico.intervention, 'exposure', 'intervention');

  if (pico.comparator) fromPico(pico.comparator, 'referenceExposure', 'comparator');

  if (claim.outcome) definitions.push({ description: claim.outcome, variableRole: role('measuredVariable') });
  if (pico.outcome) fromPico(pico.outcome, 'measuredVariable', 'outcome');
  return definitions;
}

function conditionVariable(
  condition: NonNullable<ClaimJson['condition']>,
  codes: OntologyCodes | null | undefined,
  context: FhirContext,
): FhirResource {
  const path = `/v1/conditions/${condition.slug}`;
  const codings = [
    ...(codes?.mesh ? [{ system: SYSTEMS.mesh, code: codes.mesh }] : []),
    ...(codes?.doid ? [{ system: SYSTEMS.doid, code: codes.doid }] : []),
  ];
  return compact({
    resourceType: 'EvidenceVariable',
    id: resourceId('EvidenceVariable', path),
    url: `${context.baseUrl}${path}`,
    status: 'active',
    title: condition.name,
    characteristic:
      codings.length > 0 ? [{ definitionCodeableConcept: { coding: codings, text: condition.name } }] : undefined,
  });
}

function interventionVariable(intervention: ClaimJson['interventions'][number], context: FhirContext) {
  const path = `/v1/interventions/${intervention.slug}`;
  return {
    resourceType: 'EvidenceVariable',
    id: resourceId('EvidenceVariable', path),
    url: `${context.baseUrl}${path}`,
    status: 'active',
    title: intervention.name,
  };
}

function picoVariable(element: PicoElement, key: string): FhirResource {
  return compact({
    resourceType: 'EvidenceVariable',
    id: resourceId('EvidenceVariable', `pico:${key}`),
    status: 'active',
    title: element.description,
    characteristic: element.codes?.length
      ? [
          {
            definitionCodeableConcept: {
              coding: element.codes.map((c) => compact({ system: c.system, code: c.code, display: c.display })),
              text: element.description,
            },
          },
        ]
      : undefined,
  });
}

/**
 * The claim's sample size: studies linked, and participants only when every study's size is known (a sum over some
 * studies would understate the evidence base); otherwise the description says how many are known.
 */
function claimSampleSize(claim: ClaimJson): FhirObject {
  const summary = claim.evidence_summary;
  const allKnown = summary.studies_with_unknown_sample_size === 0 && summary.total_participants !== null;
  return {
    description: 'Sample size of the body of evidence behind this claim.',
    sampleSize: compact({
      numberOfStudies: summary.study_count,
      numberOfParticipants: allKnown ? orUndefined(summary.total_participants) : undefined,
      description: allKnown
        ? undefined
        : `Sample size known for ${summary.study_count - summary.studies_with_unknown_sample_size} of ${summary.study_count} studies${summary.total_participants === null ? '' : ` (${summary.total_participants} participants)`}.`,
    }),
  };
}

function effectStatistic(estimate: EffectEstimate): FhirObject {
  const measure = estimate.measure;
  const attributes: FhirObject[] = [];
  if (estimate.ci)
    attributes.push({
      type: concept(SYSTEMS.attributeEstimateType, ATTRIBUTE_ESTIMATES.confidenceInterval),
      level: estimate.ci.level,
      range: { low: { value: estimate.ci.low }, high: { value: estimate.ci.high } },
    });
  if (estimate.p_value)
    attributes.push({
      type: concept(SYSTEMS.attributeEstimateType, ATTRIBUTE_ESTIMATES.pValue),
      quantity: compact({ value: estimate.p_value.value, comparator: estimate.p_value.comparator }),
    });
  return compact({
    description: orUndefined(estimate.description),
    statisticType:
      measure in TEXT_ONLY_MEASURES
        ? { text: TEXT_ONLY_MEASURES[measure as keyof typeof TEXT_ONLY_MEASURES] }
        : concept(SYSTEMS.statisticType, EFFECT_MEASURES[measure as keyof typeof EFFECT_MEASURES]),
    quantity: compact({ value: estimate.value, unit: orUndefined(estimate.unit) }),
    sampleSize: estimate.sample_size == null ? undefined : { numberOfParticipants: estimate.sample_size },
    attributeEstimate: attributes,
  });
}

/**
 * GRADE → certainty {type Overall, rating high|moderate|low|very-low}, with the rationale as its description, the
 * upgrade rationale as a note and domain judgements as subcomponents. A CIViC level is no GRADE rating: its rating
 * is the level in this API's own system, rated by CIViC.
 */
function overallCertainty(claim: ClaimJson, extras: EvidenceExtras): FhirObject {
  const { grade } = claim;
  const gradeRating = grade.scheme === 'GRADE' ? GRADE_RATING[grade.level] : undefined;
  const rating: CodeableConcept = gradeRating
    ? concept(SYSTEMS.certaintyRating, gradeRating[0], gradeRating[1])
    : { coding: [{ system: SYSTEMS.apiCivicLevel, code: grade.level }], text: `CIViC evidence level ${grade.level}` };
  return compact({
    description: orUndefined(grade.rationale),
    note: grade.upgrade_rationale ? [{ text: grade.upgrade_rationale }] : undefined,
    type: concept(SYSTEMS.certaintyType, 'Overall', 'Overall certainty'),
    rating,
    rater: grade.scheme === 'civic' ? 'CIViC' : undefined,
    subcomponent: (extras.grade_domains ?? []).map((d) =>
      compact({
        description: orUndefined(d.rationale),
        type: concept(SYSTEMS.certaintyType, GRADE_DOMAINS[d.domain]),
        rating: concept(SYSTEMS.certaintyRating, DOMAIN_JUDGEMENTS[d.judgement]),
      }),
    ),
  });
}

function riskOfBiasCertainty(assessment: RiskOfBiasAssessment): FhirObject {
  const judgement = (value: string) => ({
    coding: [{ system: SYSTEMS.apiRiskOfBias, code: value }],
    text: value.replace(/_/g, ' '),
  });
  return compact({
    description: orUndefined(assessment.rationale),
    note: [{ text: `Assessed with ${assessment.tool}.` }],
    type: concept(SYSTEMS.certaintyType, GRADE_DOMAINS.risk_of_bias),
    rating: judgement(assessment.overall),
    subcomponent: (assessment.domains ?? []).map((d) =>
      compact({ description: orUndefined(d.rationale), type: { text: d.name }, rating: judgement(d.judgement) }),
    ),
  });
}

/** How a study is named in labels: `PMID 29097493`, or its key for a source without a PMID (`asco:160900`). */
const studyLabel = (link: Pick<ClaimStudy, 'key' | 'pmid'>) => (link.pmid ? `PMID ${link.pmid}` : link.key);

/** One study's evidence for the claim: design, sample size (the finding's subgroup as knownDataCount), finding. */
function studyEvidenceOf(
  claim: ClaimJson,
  link: ClaimStudy,
  study: StudyJson | undefined,
  citation: FhirResource,
  extras: EvidenceExtras,
): FhirResource {
  const path = `/v1/claims/${claim.id}/studies/${link.key}`;
  return compact({
    resourceType: 'Evidence',
    id: resourceId('Evidence', path),
    citeAsReference: ref(citation, studyLabel(link)),
    status: link.retracted ? 'retired' : 'active',
    description: orUndefined(link.finding),
    note: link.retracted ? [{ text: 'This publication has been retracted.' }] : undefined,
    variableDefinition: [compact({ description: orUndefined(study?.population), variableRole: role('population') })],
    studyDesign: designConcepts(link.design),
    statistic: [
      {
        description: 'Sample size of the study; knownDataCount is the subgroup behind this finding.',
        sampleSize: compact({
          numberOfStudies: 1,
          numberOfParticipants: orUndefined(link.sample_size),
          knownDataCount: orUndefined(link.subgroup_sample_size),
          description: orUndefined(link.sample_size_note),
        }),
      },
      ...(extras.effect_estimates ?? []).filter((e) => e.pmid === link.key).map(effectStatistic),
    ],
    certainty: (extras.risk_of_bias ?? []).filter((r) => r.pmid === link.key).map(riskOfBiasCertainty),
  });
}

function sourceLink(claim: ClaimJson): FhirObject[] {
  const { source } = claim;
  if (source.name === 'curated') return [];
  const document = compact({
    url: orUndefined(source.url),
    title: orUndefined(source.release),
    creation: orUndefined(source.imported_at),
  });
  return [
    compact({
      type: 'derived-from',
      label: orUndefined(source.id),
      display: source.name === 'civic' ? 'CIViC' : source.name,
      document: Object.keys(document).length > 0 ? document : undefined,
    }),
  ];
}

/** The curation facts FHIR has no element for, as classifiers on the claim's Evidence. */
function curationAssessment(claim: ClaimJson, evidence: FhirResource): FhirResource {
  const content: FhirObject[] = [
    {
      informationType: 'classifier',
      type: { text: 'Direction of effect' },
      classifier: [concept(SYSTEMS.apiDirection, claim.direction)],
    },
    {
      informationType: 'classifier',
      type: { text: 'Claim status' },
      classifier: [concept(SYSTEMS.apiClaimStatus, claim.status)],
    },
  ];
  if (claim.caveats.codes.length > 0 || claim.caveats.notes)
    content.push(
      compact({
        informationType: 'comment',
        type: { text: 'Caveats' },
        summary: orUndefined(claim.caveats.notes),
        classifier: claim.caveats.codes.map((code) => concept(SYSTEMS.apiCaveat, code)),
      }),
    );
  return {
    resourceType: 'ArtifactAssessment',
    id: resourceId('ArtifactAssessment', `/v1/claims/${claim.id}`),
    artifactReference: ref(evidence),
    date: claim.updated_at,
    content,
  };
}

/** NLM-style publication date text: "2018", "2018 Mar", "2018 Mar 5". */
function dateText(study: Pick<StudyJson, 'year' | 'month' | 'day'>): string | undefined {
  if (study.year === null) return undefined;
  const month = study.month === null ? undefined : MONTHS[study.month - 1];
  return [study.year, month, month === undefined ? undefined : orUndefined(study.day)]
    .filter((part) => part !== undefined)
    .join(' ');
}

function pageFields(pages: string | null) {
  if (!pages) return {};
  const range = /^([A-Za-z]?\d+)-([A-Za-z]?\d+)$/.exec(pages);
  if (!range) return { pageString: pages };
  const [first, last] = expandPageRange(pages).split('-');
  return { pageString: pages, firstPage: first, lastPage: last };
}

/**
 * A Citation for one study (§5.3): identifiers PMID, DOI and PMCID; title; journal, volume, issue, date and pages
 * as a publication form; authors as contributorship entries (contained Practitioner/Organization, since `contributor`
 * is a required Reference); PubMed publication types; retraction as the cited artifact's current state; the
 * Vancouver citation as summary. Without a study record, the claim's own study fields give PMID, title and journal.
 */
function citationOf(
  link: ClaimStudy,
  study: StudyJson | undefined,
  extras: EvidenceExtras,
  context: FhirContext,
): FhirResource {
  const path = `/v1/studies/${link.key}`;
  const facts = extras.publications?.[link.key];
  const retracted = study?.retracted ?? link.retracted;
  const journal = study ? (study.journal ?? study.journal_iso) : link.journal;
  const seasonal = study?.date_text && SEASONS.has(study.date_text) ? study.date_text : undefined;
  const form = compact({
    publishedIn: journal ? { title: journal } : undefined,
    volume: orUndefined(study?.volume),
    issue: orUndefined(study?.issue),
    publicationDateText:
      study?.date_text && !seasonal ? study.date_text : study ? dateText(study) : orUndefined(link.year?.toString()),
    publicationDateSeason: seasonal,
    ...pageFields(study?.pages ?? null),
  });
  const contained: FhirObject[] = [];
  const entries: FhirObject[] = [];
  const addAuthor = (author: StudyJson['authors'][number], rank: number | undefined) => {
    const id = `author-${contained.length + 1}`;
    contained.push(
      author.collective
        ? { resourceType: 'Organization', id, name: author.collective }
        : {
            resourceType: 'Practitioner',
            id,
            name: [
              compact({
                family: orUndefined(author.family),
                given: author.given ? [author.given] : undefined,
                suffix: author.suffix ? [author.suffix] : undefined,
              }),
            ],
          },
    );
    entries.push(
      compact({
        contributor: { reference: `#${id}` },
        forenameInitials: orUndefined(author.initials),
        rankingOrder: rank,
      }),
    );
  };
  study?.authors.forEach((author, index) => {
    addAuthor(author, index + 1);
  });
  // The last author's place is known only with the author count; without it, a rank would be a guess.
  if (study && !study.authors_complete && study.last_author && study.author_count !== null)
    addAuthor(study.last_author, study.author_count);

  const states: CodeableConcept[] = [];
  if (facts?.status) states.push(concept(SYSTEMS.citationStatusType, PUBLICATION_STATUSES[facts.status]));
  if (retracted) states.push(concept(SYSTEMS.citedArtifactStatusType, 'retracted', 'Retracted'));
  const notice = facts?.retraction_notice;

  const citedArtifact = compact({
    identifier: [
      ...(link.pmid ? [{ system: SYSTEMS.pubmed, value: link.pmid }] : []),
      ...(study?.doi ? [{ system: SYSTEMS.doi, value: study.doi }] : []),
      ...(study?.pmcid ? [{ system: SYSTEMS.pmc, value: study.pmcid }] : []),
    ],
    title: (study ? study.title : link.title) ? [{ text: study ? study.title : link.title }] : undefined,
    currentState: states,
    relatesTo: notice
      ? [
          compact({
            type: 'retracted-by',
            label: notice.pmid ? `PMID ${notice.pmid}` : undefined,
            citation: orUndefined(notice.citation),
            document: notice.doi ? { url: `https://doi.org/${notice.doi}` } : undefined,
          }),
        ]
      : undefined,
    publicationForm: Object.keys(form).length > 0 ? [form] : undefined,
    webLocation: [
      {
        classifier: [concept(SYSTEMS.artifactUrlClassifier, 'abstract', 'Abstract')],
        url:
          study?.pubmed_url ??
          study?.source_url ??
          (link.pmid ? `https://pubmed.ncbi.nlm.nih.gov/${link.pmid}/` : `/v1/studies/${link.key}`),
      },
      ...(study?.doi
        ? [
            {
              classifier: [concept(SYSTEMS.artifactUrlClassifier, 'doi-based', 'DOI Based')],
              url: `https://doi.org/${study.doi}`,
            },
          ]
        : []),
    ],
    classification: study?.publication_types.length
      ? [
          {
            type: concept(SYSTEMS.citedArtifactClassificationType, 'publication-type', 'Publication type'),
            classifier: study.publication_types.map((text) => ({ text })),
          },
        ]
      : undefined,
    contributorship:
      entries.length > 0 || study?.authors_complete === false
        ? compact({ complete: study?.authors_complete ?? false, entry: entries })
        : undefined,
  });

  return compact({
    resourceType: 'Citation',
    id: resourceId('Citation', path),
    url: `${context.baseUrl}${path}`,
    contained,
    status: 'active',
    date: orUndefined(study?.updated_at),
    summary: study
      ? [
          {
            style: concept(SYSTEMS.citationSummaryStyle, 'vancouver', 'Vancouver style'),
            text: formatCitation(citableStudy(study), 'vancouver'),
          },
        ]
      : undefined,
    citedArtifact,
  });
}
