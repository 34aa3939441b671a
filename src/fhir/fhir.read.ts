// FHIR R5 Bundle → the claim's fields again: the round trip that proves the export loses nothing FHIR can carry.
import type { GradeDomain } from '../evidence/grade-domains.js';
import type { AgeGroup, OutcomeCodeSystem } from '../evidence/pico.js';
import { RISK_OF_BIAS_TOOL_SPECS, type RiskOfBiasTool } from '../evidence/risk-of-bias.js';
import type { StudyDesign } from '../evidence/vocabulary.js';
import {
  AGE_GROUP_MESH,
  EFFECT_MEASURES,
  GRADE_DOMAINS,
  OUTCOME_CODE_SYSTEM_URIS,
  SYSTEMS,
  TEXT_ONLY_MEASURES,
} from './fhir.codes.js';
import { DOMAIN_TO_FHIR, MEASURE_TO_FHIR } from './fhir.extras.js';
import type { ClaimJson, StudyJson } from './fhir.inputs.js';
import { type Bundle, type FhirObject, type FhirResource, MONTHS } from './fhir.map.js';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON as read back; every access below is optional-chained and defaulted.
type Node = Record<string, any>;

/**
 * The claim fields a Bundle of `claimBundle` carries. Not carried (see the README): intervention kinds, study
 * species and metadata status, CIViC star ratings, timestamps other than `updated_at`; `sample_size` and the
 * evidence summary are derived from the studies and are not read back.
 */
export type ClaimFields = Pick<
  ClaimJson,
  'id' | 'statement' | 'plain_summary' | 'outcome' | 'direction' | 'biomarker' | 'status' | 'caveats'
> & {
  condition: { slug: string; name: string } | null;
  interventions: { slug: string; name: string }[];
  grade: Pick<ClaimJson['grade'], 'scheme' | 'level' | 'rationale' | 'upgrade_rationale'> & {
    /** The assessed GRADE domains only (an unassessed domain has no subcomponent). */
    domains: Partial<Record<GradeDomain, { judgement: string; rationale: string | null }>>;
  };
  /** PICO as FHIR carries it: not its sex, setting or timeframe. */
  pico: {
    population: { description: string; age_groups: AgeGroup[] };
    intervention: string;
    comparator: string | null;
    outcome: { description: string; code: { system: OutcomeCodeSystem; code: string; display: string | null } | null };
  } | null;
  /** CIViC's own evidence direction, significance and review date are not carried. */
  source: Pick<ClaimJson['source'], 'name' | 'id' | 'url' | 'release' | 'imported_at'>;
  studies: (Pick<
    ClaimJson['studies'][number],
    | 'pmid'
    | 'title'
    | 'journal'
    | 'year'
    | 'design'
    | 'sample_size'
    | 'sample_size_note'
    | 'retracted'
    | 'relation'
    | 'finding'
    | 'subgroup_sample_size'
  > & {
    /** The numbers of each estimate: not its groups, side of benefit, adjustment or place in the study. */
    effect_estimates: Pick<
      ClaimJson['studies'][number]['effect_estimates'][number],
      'measure' | 'value' | 'units' | 'ci' | 'p_value' | 'p_value_comparator' | 'participants_analysed'
    >[];
    /** Tool and overall judgement of each assessment of the study. */
    risk_of_bias: { tool: string; overall: string }[];
  })[];
};

const invert = <K extends string, V extends string>(map: Record<K, V>) =>
  new Map<string, K>(Object.entries(map).map(([k, v]) => [v as string, k as K]));
const DOMAIN_OF_TYPE = new Map<string, GradeDomain>(
  Object.entries(DOMAIN_TO_FHIR).map(([ours, theirs]) => [GRADE_DOMAINS[theirs][0], ours as GradeDomain]),
);
const JUDGEMENT_OF_RATING: Record<string, string> = {
  'no-concern': 'not_serious',
  'serious-concern': 'serious',
  'very-serious-concern': 'very_serious',
  upcode1: 'large',
  upcode2: 'very_large',
  'no-change': 'none',
  present: 'present',
  absent: 'absent',
};
const MEASURE_OF_FHIR = invert(MEASURE_TO_FHIR);
const MEASURE_OF_CODE = new Map<string, string>(Object.entries(EFFECT_MEASURES).map(([name, [code]]) => [code, name]));
const AGE_GROUP_OF_MESH = new Map<string, AgeGroup>(
  Object.entries(AGE_GROUP_MESH).map(([group, [code]]) => [code, group as AgeGroup]),
);
const OUTCOME_SYSTEM_OF_URI = invert(OUTCOME_CODE_SYSTEM_URIS);
const TOOL_OF_NAME = new Map<string, RiskOfBiasTool>(
  Object.entries(RISK_OF_BIAS_TOOL_SPECS).map(([tool, spec]) => [spec.name, tool as RiskOfBiasTool]),
);

/** One `Evidence.statistic` back into an estimate's numbers; undefined for a statistic that is no effect estimate. */
function estimateOf(statistic: Node) {
  const code = statistic.statisticType?.coding?.[0]?.code;
  const text = statistic.statisticType?.text;
  const fhirMeasure = code
    ? MEASURE_OF_CODE.get(code)
    : Object.entries(TEXT_ONLY_MEASURES).find(([, t]) => t === text)?.[0];
  const measure = fhirMeasure === undefined ? undefined : MEASURE_OF_FHIR.get(fhirMeasure);
  if (measure === undefined) return undefined;
  const attribute = (code: string) =>
    (statistic.attributeEstimate ?? []).find((a: Node) => codeIn(a.type, SYSTEMS.attributeEstimateType) === code);
  const ci = attribute('C53324');
  const p = attribute('C44185');
  return {
    measure,
    value: statistic.quantity?.value,
    units: statistic.quantity?.unit ?? null,
    ci: ci ? { low: ci.range?.low?.value, high: ci.range?.high?.value, level: ci.level } : null,
    p_value: p?.quantity?.value ?? null,
    p_value_comparator: p?.quantity?.comparator ?? '=',
    participants_analysed: statistic.sampleSize?.numberOfParticipants ?? null,
  } as ClaimFields['studies'][number]['effect_estimates'][number];
}

/** The bibliographic fields a Citation carries (the journal is the full title, or the abbreviation when alone). */
export type CitationFields = Pick<
  StudyJson,
  | 'pmid'
  | 'doi'
  | 'pmcid'
  | 'title'
  | 'authors'
  | 'authors_complete'
  | 'last_author'
  | 'year'
  | 'month'
  | 'day'
  | 'date_text'
  | 'volume'
  | 'issue'
  | 'pages'
  | 'publication_types'
  | 'retracted'
> & { journal: string | null };

const codeIn = (concept: Node | undefined, system: string): string | undefined =>
  concept?.coding?.find((c: Node) => c.system === system)?.code;

const lastSegment = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/**
 * Reads a claim Bundle back. Throws an Error when the Bundle has no claim Evidence (an Evidence with a `url`).
 * The first Evidence with a `url` is the claim; references are resolved by `fullUrl`.
 */
export function claimFromBundle(bundle: Bundle): ClaimFields {
  const byUrl = new Map<string, FhirResource>(bundle.entry.map((e) => [e.fullUrl, e.resource]));
  const resolve = (reference: Node | undefined): Node | undefined =>
    reference?.reference ? byUrl.get(reference.reference) : undefined;
  const evidence = bundle.entry.find((e) => e.resource.resourceType === 'Evidence' && e.resource.url)?.resource as
    | Node
    | undefined;
  if (!evidence) throw new Error('The Bundle has no claim Evidence.');
  const evidenceUrl = bundle.entry.find((e) => e.resource === evidence)?.fullUrl;
  const assessment = bundle.entry.find(
    (e) =>
      e.resource.resourceType === 'ArtifactAssessment' &&
      (e.resource.artifactReference as Node)?.reference === evidenceUrl,
  )?.resource as Node | undefined;
  const classifier = (system: string) =>
    (assessment?.content ?? []).flatMap((c: Node) => c.classifier ?? []).find((c: Node) => codeIn(c, system));
  const caveats = (assessment?.content ?? []).find((c: Node) => c.type?.text === 'Caveats');

  const variables = (evidence.variableDefinition ?? []) as Node[];
  const ofRole = (role: string) => variables.filter((v) => codeIn(v.variableRole, SYSTEMS.variableRole) === role);
  const population = ofRole('population')[0];
  const conditionVariable = resolve(population?.observed);
  const certainty = (evidence.certainty ?? []).find((c: Node) => codeIn(c.type, SYSTEMS.certaintyType) === 'Overall');
  const gradeCode = codeIn(certainty?.rating, SYSTEMS.certaintyRating);
  // PICO variables are the observed variables of no API resource (no url): the condition's and interventions' have one.
  const picoOf = (role: string) =>
    ofRole(role)
      .map((v) => resolve(v.observed))
      .find((v) => v !== undefined && v.url === undefined);
  const codesOf = (variable: Node | undefined) =>
    (variable?.characteristic?.[0]?.definitionCodeableConcept?.coding ?? []) as Node[];
  const picoPopulation = picoOf('population');
  const outcomeVariable = picoOf('measuredVariable');
  const outcomeCode = codesOf(outcomeVariable)[0];
  const comparator = picoOf('referenceExposure');
  const source = (evidence.relatedArtifact ?? []).find((r: Node) => r.type === 'derived-from');

  return {
    id: lastSegment(String(evidence.url)),
    statement: evidence.assertion,
    plain_summary: evidence.description ?? null,
    condition: conditionVariable?.url
      ? { slug: lastSegment(conditionVariable.url), name: conditionVariable.title }
      : null,
    interventions: ofRole('exposure')
      .map((v) => resolve(v.observed))
      .filter((v): v is Node => v?.url !== undefined)
      .map((v) => ({ slug: lastSegment(v.url), name: v.title })),
    outcome: ofRole('measuredVariable').find((v) => v.observed === undefined)?.description ?? null,
    biomarker: ofRole('subpopulation')[0]?.description ?? null,
    direction: codeIn(classifier(SYSTEMS.apiDirection), SYSTEMS.apiDirection) as ClaimJson['direction'],
    status: codeIn(classifier(SYSTEMS.apiClaimStatus), SYSTEMS.apiClaimStatus) as ClaimJson['status'],
    caveats: {
      codes: (caveats?.classifier ?? []).map((c: Node) => codeIn(c, SYSTEMS.apiCaveat)),
      notes: caveats?.summary ?? null,
    },
    grade: {
      scheme: gradeCode ? 'GRADE' : 'civic',
      level: gradeCode ? gradeCode.replace('-', '_') : (codeIn(certainty?.rating, SYSTEMS.apiCivicLevel) ?? ''),
      rationale: certainty?.description ?? null,
      upgrade_rationale: certainty?.note?.[0]?.text ?? null,
      domains: Object.fromEntries(
        (certainty?.subcomponent ?? []).map((c: Node) => [
          DOMAIN_OF_TYPE.get(codeIn(c.type, SYSTEMS.certaintyType) ?? ''),
          {
            judgement: JUDGEMENT_OF_RATING[codeIn(c.rating, SYSTEMS.certaintyRating) ?? ''],
            rationale: c.description ?? null,
          },
        ]),
      ),
    },
    pico: picoPopulation
      ? {
          population: {
            description: picoPopulation.title,
            age_groups: codesOf(picoPopulation).flatMap((c) => AGE_GROUP_OF_MESH.get(c.code) ?? []),
          },
          intervention: picoOf('exposure')?.title,
          comparator: comparator?.title ?? null,
          outcome: {
            description: outcomeVariable?.title,
            code: outcomeCode
              ? {
                  system: OUTCOME_SYSTEM_OF_URI.get(outcomeCode.system) as OutcomeCodeSystem,
                  code: outcomeCode.code,
                  display: outcomeCode.display ?? null,
                }
              : null,
          },
        }
      : null,
    source: source
      ? {
          name: source.display === 'CIViC' ? 'civic' : source.display,
          id: source.label ?? null,
          url: source.document?.url ?? null,
          release: source.document?.title ?? null,
          imported_at: source.document?.creation ?? null,
        }
      : { name: 'curated', id: null, url: null, release: null, imported_at: null },
    studies: (evidence.relatedArtifact ?? [])
      .filter((r: Node) => r.type === 'composed-of')
      .map((link: Node) => {
        const study = resolve(link.resourceReference) as Node;
        const citation = resolve(study.citeAsReference) as Node;
        const fields = citationFields(citation);
        const size = study.statistic?.[0]?.sampleSize ?? {};
        return {
          pmid: fields.pmid ?? null,
          title: fields.title,
          journal: fields.journal,
          year: fields.year,
          design: (codeIn(study.studyDesign?.[0], SYSTEMS.apiStudyDesign) ?? null) as StudyDesign | null,
          sample_size: size.numberOfParticipants ?? null,
          sample_size_note: size.description ?? null,
          retracted: fields.retracted,
          relation: codeIn(link.classifier?.[0], SYSTEMS.apiStudyRelation) as ClaimJson['studies'][number]['relation'],
          finding: study.description ?? null,
          subgroup_sample_size: size.knownDataCount ?? null,
          effect_estimates: (study.statistic ?? []).slice(1).flatMap((x: Node) => estimateOf(x) ?? []),
          risk_of_bias: (study.certainty ?? [])
            .filter((c: Node) => codeIn(c.type, SYSTEMS.certaintyType) === 'RiskOfBias')
            .map((c: Node) => ({
              tool: TOOL_OF_NAME.get(/^Assessed with (.+)\.$/.exec(c.note?.[0]?.text ?? '')?.[1] ?? '') ?? '',
              overall: codeIn(c.rating, SYSTEMS.apiRiskOfBias) ?? '',
            })),
        };
      }),
  };
}

/** Reads one Citation back into bibliographic fields; authors from its contained Practitioners and Organizations. */
export function citationFields(citation: FhirObject): CitationFields {
  const c = citation as Node;
  const artifact = c.citedArtifact ?? {};
  const identifier = (system: string) =>
    (artifact.identifier ?? []).find((i: Node) => i.system === system)?.value ?? null;
  const form = artifact.publicationForm?.[0] ?? {};
  const contained = new Map<string, Node>((c.contained ?? []).map((r: Node) => [`#${r.id}`, r]));
  const entries = (artifact.contributorship?.entry ?? []) as Node[];
  // Listed authors rank 1, 2, 3 …; an entry after a gap is the last author of an incomplete list.
  const gap = entries.findIndex((entry, index) => entry.rankingOrder !== index + 1);
  const listed = gap === -1 ? entries : entries.slice(0, gap);
  const author = (entry: Node) => {
    const who = contained.get(entry.contributor?.reference) ?? {};
    return who.resourceType === 'Organization'
      ? { family: null, given: null, initials: null, collective: who.name, suffix: null }
      : {
          family: who.name?.[0]?.family ?? null,
          given: who.name?.[0]?.given?.[0] ?? null,
          initials: entry.forenameInitials ?? null,
          collective: null,
          suffix: who.name?.[0]?.suffix?.[0] ?? null,
        };
  };
  const date = /^(\d{4})(?: (\w{3})(?: (\d{1,2}))?)?$/.exec(form.publicationDateText ?? '');
  const month = date?.[2] ? MONTHS.indexOf(date[2]) + 1 : 0;
  return {
    pmid: identifier(SYSTEMS.pubmed),
    doi: identifier(SYSTEMS.doi),
    pmcid: identifier(SYSTEMS.pmc),
    title: artifact.title?.[0]?.text ?? null,
    authors: listed.map(author),
    authors_complete: artifact.contributorship?.complete ?? false,
    last_author: gap === -1 || !entries[gap] ? null : author(entries[gap]),
    journal: form.publishedIn?.title ?? null,
    year: date
      ? Number(date[1])
      : /\d{4}/.test(form.publicationDateText ?? '')
        ? Number(/\d{4}/.exec(form.publicationDateText)?.[0])
        : null,
    month: month > 0 ? month : null,
    day: date?.[3] ? Number(date[3]) : null,
    date_text: form.publicationDateSeason ?? (form.publicationDateText && !date ? form.publicationDateText : null),
    volume: form.volume ?? null,
    issue: form.issue ?? null,
    pages: form.pageString ?? null,
    publication_types: (artifact.classification ?? [])
      .filter((k: Node) => k.type?.coding?.[0]?.code === 'publication-type')
      .flatMap((k: Node) => (k.classifier ?? []).map((x: Node) => x.text)),
    retracted: (artifact.currentState ?? []).some(
      (s: Node) => codeIn(s, SYSTEMS.citedArtifactStatusType) === 'retracted',
    ),
  };
}
