// FHIR R5 export: the Bundles validate against the R5 definitions, carry grade, design and sample size, and read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { RISK_OF_BIAS_TOOL_SPECS } from '../src/evidence/risk-of-bias.js';
import { SYSTEMS } from '../src/fhir/fhir.codes.js';
import { evidenceExtrasOf } from '../src/fhir/fhir.extras.js';
import type { ClaimFhirInput, ClaimJson, StudyJson } from '../src/fhir/fhir.inputs.js';
import { type Bundle, claimBundle, type FhirResource, topicBundle } from '../src/fhir/fhir.map.js';
import { citationFields, claimFromBundle } from '../src/fhir/fhir.read.js';
import { prefersFhir } from '../src/resources/fhir/fhir.routes.js';
import {
  cardinalityErrors,
  codeErrors,
  codeSystem,
  codingsIn,
  meshSystemUri,
  schemaErrors,
} from './fhir-conformance.js';
import { type App, freshDatabase, getJson, testApp, walkPages } from './helpers.js';

/** RoB 2's domains, in the tool's order. */
const ROB_2_DOMAINS = RISK_OF_BIAS_TOOL_SPECS.rob_2.domains.map((d) => d.id);

const MELANOMA = 'melanoma-microbiome-immunotherapy-response';
const BASE = 'https://evidence.example.org';
const FHIR_TYPE = 'application/fhir+json; charset=utf-8';
/** Systems outside the R5 and THO CodeSystems: identifiers, ontologies, and this API's own vocabularies. */
const OTHER_SYSTEMS = new Set([
  SYSTEMS.mesh,
  SYSTEMS.doid,
  SYSTEMS.apiStudyDesign,
  SYSTEMS.apiDirection,
  SYSTEMS.apiClaimStatus,
  SYSTEMS.apiCaveat,
  SYSTEMS.apiStudyRelation,
  SYSTEMS.apiCivicLevel,
  SYSTEMS.apiRiskOfBias,
  'http://snomed.info/sct',
]);

let app: App;
let melanoma: ClaimFhirInput;

beforeAll(async () => {
  ({ app } = await testApp());
  melanoma = await inputFor(MELANOMA);
});
afterAll(() => app.close());

/** The mapper's input for a claim, read from an app's own JSON routes, with its extras as the routes build them. */
async function inputFor(id: string, from: App = app): Promise<ClaimFhirInput> {
  const claim = (await getJson<ClaimJson>(from, `/v1/claims/${id}`)).body;
  const studies: Record<string, StudyJson> = {};
  for (const { key } of claim.studies) studies[key] = (await getJson<StudyJson>(from, `/v1/studies/${key}`)).body;
  const condition = claim.condition ? (await getJson(from, `/v1/conditions/${claim.condition.slug}`)).body.codes : null;
  return { claim, studies, condition_codes: condition, extras: evidenceExtrasOf(claim, studies) };
}

/** What a claim's JSON says that its Bundle carries back (see ClaimFields in src/fhir/fhir.read.ts). */
function carried(input: ClaimFhirInput) {
  const { claim } = input;
  const pico = claim.pico;
  return {
    id: claim.id,
    statement: claim.statement,
    plain_summary: claim.plain_summary,
    condition: claim.condition,
    interventions: claim.interventions.map(({ slug, name }) => ({ slug, name })),
    outcome: claim.outcome,
    direction: claim.direction,
    biomarker: claim.biomarker,
    status: claim.status,
    caveats: claim.caveats,
    grade: {
      scheme: claim.grade.scheme,
      level: claim.grade.level,
      rationale: claim.grade.rationale,
      upgrade_rationale: claim.grade.upgrade_rationale,
      domains: Object.fromEntries(Object.entries(claim.grade.domains ?? {}).filter(([, judged]) => judged !== null)),
    },
    pico:
      pico === null
        ? null
        : {
            population: { description: pico.population.description, age_groups: pico.population.age_groups },
            intervention: pico.intervention,
            comparator: pico.comparator,
            outcome: pico.outcome,
          },
    source: {
      name: claim.source.name,
      id: claim.source.id,
      url: claim.source.url,
      release: claim.source.release,
      imported_at: claim.source.imported_at,
    },
    studies: claim.studies.map((s) => {
      const study = input.studies[s.key] as StudyJson;
      return {
        pmid: s.pmid,
        title: s.title,
        journal: study.journal ?? study.journal_iso,
        year: s.year,
        design: s.design,
        sample_size: s.sample_size,
        sample_size_note: s.sample_size_note,
        retracted: s.retracted,
        relation: s.relation,
        finding: s.finding,
        subgroup_sample_size: s.subgroup_sample_size,
        effect_estimates: s.effect_estimates.map((e) => ({
          measure: e.measure,
          value: e.value,
          units: e.units,
          ci: e.ci,
          p_value: e.p_value,
          p_value_comparator: e.p_value_comparator,
          participants_analysed: e.participants_analysed,
        })),
        risk_of_bias: study.risk_of_bias.map((a) => ({ tool: a.tool, overall: a.overall })),
      };
    }),
  };
}

const resources = (bundle: Bundle, type: string) =>
  bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
const claimEvidence = (bundle: Bundle) => resources(bundle, 'Evidence').find((r) => r.url) as any;

/** Every conformance error of a Bundle: JSON schema (whole and per resource), cardinality, codes, required codes. */
function conformanceErrors(bundle: Bundle): string[] {
  const errors = [...schemaErrors(bundle, 'Bundle'), ...codeErrors(bundle, OTHER_SYSTEMS)];
  for (const { resource } of bundle.entry)
    errors.push(...schemaErrors(resource, resource.resourceType), ...cardinalityErrors(resource));
  const codeOf = (system: string, code: unknown) =>
    codeSystem(system)?.has(String(code)) ? [] : [`${system}#${code}`];
  for (const resource of bundle.entry.map((e) => e.resource) as any[]) {
    errors.push(...codeOf('http://hl7.org/fhir/publication-status', resource.status ?? 'active'));
    for (const link of resource.relatedArtifact ?? [])
      errors.push(...codeOf('http://hl7.org/fhir/related-artifact-type', link.type));
    for (const content of resource.content ?? [])
      errors.push(...codeOf('http://hl7.org/fhir/artifactassessment-information-type', content.informationType));
  }
  const urls = new Set(bundle.entry.map((e) => e.fullUrl));
  for (const { reference } of referencesIn(bundle))
    if (!reference.startsWith('#') && !urls.has(reference)) errors.push(`unresolved reference ${reference}`);
  return errors;
}

function referencesIn(value: unknown): { reference: string }[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (!value || typeof value !== 'object') return [];
  const node = value as Record<string, unknown>;
  const own = typeof node.reference === 'string' ? [{ reference: node.reference }] : [];
  return [...own, ...Object.values(node).flatMap(referencesIn)];
}

describe('FHIR R5 mapping (src/fhir)', () => {
  it('the melanoma claim Bundle validates against the R5 JSON schema, StructureDefinitions and CodeSystems', () => {
    const bundle = claimBundle(melanoma, { baseUrl: BASE });
    expect(conformanceErrors(bundle)).toEqual([]);
    // The condition, three interventions, then the four PICO elements (population, intervention, comparator, outcome).
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual([
      'Evidence',
      'Citation',
      'Evidence',
      ...Array(8).fill('EvidenceVariable'),
      'ArtifactAssessment',
    ]);
  });

  it('the conformance checks catch a misspelt element, a missing required element and a wrong code', () => {
    const bundle = structuredClone(claimBundle(melanoma, { baseUrl: BASE }));
    const evidence = claimEvidence(bundle);
    evidence.certainty[0].ratting = evidence.certainty[0].rating;
    delete evidence.status;
    evidence.studyDesign[1].coding[0].code = 'SEVCO:09999';
    const errors = conformanceErrors(bundle).join('\n');
    expect(errors).toContain('additionalProperty":"ratting"');
    expect(errors).toContain('Evidence.status: required (min 1), missing');
    expect(errors).toContain('http://hl7.org/fhir/study-design has no code SEVCO:09999');
  });

  it('carries the melanoma claim’s statement, GRADE very low with its domain ratings, cohort design and n=112', () => {
    const bundle = claimBundle(melanoma, { baseUrl: BASE });
    const evidence = claimEvidence(bundle);
    expect(evidence.url).toBe(`${BASE}/v1/claims/${MELANOMA}`);
    expect(evidence.assertion).toBe(melanoma.claim.statement);
    expect(evidence.description).toBe(melanoma.claim.plain_summary);
    expect(evidence.certainty).toEqual([
      {
        description: melanoma.claim.grade.rationale,
        type: {
          coding: [{ system: 'http://hl7.org/fhir/certainty-type', code: 'Overall', display: 'Overall certainty' }],
        },
        rating: {
          coding: [{ system: 'http://hl7.org/fhir/certainty-rating', code: 'very-low', display: 'Very low quality' }],
        },
        // Issue 16: the seed's domain judgements, in GRADE's order (unassessed domains have none).
        subcomponent: [
          {
            description: melanoma.claim.grade.domains?.indirectness?.rationale,
            type: {
              coding: [{ system: 'http://hl7.org/fhir/certainty-type', code: 'Indirectness', display: 'Indirectness' }],
            },
            rating: {
              coding: [
                { system: 'http://hl7.org/fhir/certainty-rating', code: 'no-concern', display: 'no serious concern' },
              ],
            },
          },
          {
            description: melanoma.claim.grade.domains?.imprecision?.rationale,
            type: {
              coding: [{ system: 'http://hl7.org/fhir/certainty-type', code: 'Imprecision', display: 'Imprecision' }],
            },
            rating: {
              coding: [
                { system: 'http://hl7.org/fhir/certainty-rating', code: 'serious-concern', display: 'serious concern' },
              ],
            },
          },
        ],
      },
    ]);
    expect(evidence.certainty[0].subcomponent[1].description).toContain(
      '"faecal samples from 43 (30 responders, 13 non-responders)"',
    );
    expect(evidence.studyDesign.flatMap((c: any) => c.coding.map((x: any) => x.code))).toEqual([
      'cohort',
      'SEVCO:01002',
      'SEVCO:01028',
    ]);
    expect(evidence.statistic[0].sampleSize).toEqual({ numberOfStudies: 1, numberOfParticipants: 112 });
    const study = resources(bundle, 'Evidence').find((r) => !r.url) as any;
    expect(study.statistic[0].sampleSize).toEqual({
      numberOfStudies: 1,
      numberOfParticipants: 112,
      knownDataCount: 43,
      description:
        'oral and gut microbiome profiled in 112 patients; faecal samples from 43 (30 responders, 13 non-responders)',
    });
    expect(study.citeAsReference.display).toBe('PMID 29097493');
    expect(study.variableDefinition[0].description).toBe('melanoma patients receiving anti-PD-1 immunotherapy');
  });

  it('cites PMID 29097493 with its DOI, PMCID, title, authors, journal, volume, pages and year', () => {
    const citation = resources(claimBundle(melanoma, { baseUrl: BASE }), 'Citation')[0] as any;
    expect(citation.url).toBe(`${BASE}/v1/studies/29097493`);
    expect(citation.citedArtifact.identifier).toEqual([
      { system: 'https://pubmed.ncbi.nlm.nih.gov', value: '29097493' },
      { system: 'https://doi.org', value: '10.1126/science.aan4236' },
      { system: 'https://www.ncbi.nlm.nih.gov/pmc', value: 'PMC5827966' },
    ]);
    expect(citation.citedArtifact.title).toEqual([
      { text: 'Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients' },
    ]);
    expect(citation.citedArtifact.publicationForm).toEqual([
      {
        publishedIn: { title: 'Science' },
        volume: '359',
        issue: '6371',
        publicationDateText: '2018',
        pageString: '97-103',
        firstPage: '97',
        lastPage: '103',
      },
    ]);
    expect(citation.citedArtifact.contributorship.complete).toBe(false);
    expect(citation.citedArtifact.contributorship.entry[0]).toEqual({
      contributor: { reference: '#author-1' },
      forenameInitials: 'V',
      rankingOrder: 1,
    });
    expect(citation.contained[0]).toEqual({
      resourceType: 'Practitioner',
      id: 'author-1',
      name: [{ family: 'Gopalakrishnan' }],
    });
    expect(citation.summary[0].text).toMatch(
      /^Gopalakrishnan V, Spencer CN, Nezi L, Reuben A, Andrews MC, Karpinets TV, et al\./,
    );
    expect(citation.citedArtifact.currentState).toBeUndefined();
  });

  it('codes the condition with MeSH and DOID under their standard system URIs', () => {
    const bundle = claimBundle(melanoma, { baseUrl: BASE });
    const condition = resources(bundle, 'EvidenceVariable').find((v) =>
      String(v.url).endsWith('/conditions/melanoma'),
    ) as any;
    expect(SYSTEMS.mesh).toBe(meshSystemUri());
    expect(condition.title).toBe('Melanoma');
    expect(condition.characteristic[0].definitionCodeableConcept.coding).toEqual(
      [
        melanoma.condition_codes?.mesh ? { system: SYSTEMS.mesh, code: melanoma.condition_codes.mesh } : null,
        melanoma.condition_codes?.doid ? { system: SYSTEMS.doid, code: melanoma.condition_codes.doid } : null,
      ].filter(Boolean),
    );
    expect(codingsIn(condition).length).toBeGreaterThan(0);
  });

  it('leaves unknown facts absent: no nulls, no empty lists, participants only when every size is known', async () => {
    const input = await inputFor('gut-flora-skin-health-overall');
    const bundle = claimBundle(input, { baseUrl: BASE });
    expect(conformanceErrors(bundle)).toEqual([]);
    const text = JSON.stringify(bundle);
    expect(text).not.toContain('null');
    expect(text).not.toContain('[]');
    // The body of evidence is the three supporting reviews, none with a known size (issue 16: context studies do not
    // count).
    expect(claimEvidence(bundle).statistic[0].sampleSize).toEqual({
      numberOfStudies: 3,
      description: 'Sample size known for 0 of 3 studies.',
    });
    const unknownDesign = input.claim.studies.find((s) => s.design === null && s.sample_size === null);
    expect(unknownDesign).toBeDefined();
    const study = resources(bundle, 'Evidence').find(
      (r: any) => r.citeAsReference?.display === `PMID ${unknownDesign?.pmid}`,
    ) as any;
    expect(study.studyDesign).toBeUndefined();
    expect(study.statistic[0].sampleSize).toEqual({ numberOfStudies: 1 });
  });

  it('reads every seeded claim back from its Bundle with nothing FHIR can carry lost', async () => {
    const { items } = await walkPages<ClaimJson>(app, '/v1/claims?limit=50');
    expect(items.length).toBeGreaterThanOrEqual(10);
    for (const listed of items) {
      const input = await inputFor(listed.id);
      const read = claimFromBundle(claimBundle(input, { baseUrl: BASE }));
      expect(read, input.claim.id).toEqual(carried(input));
    }
    const melanomaRead = claimFromBundle(claimBundle(melanoma, { baseUrl: BASE }));
    expect(melanomaRead.grade.domains).toEqual({
      indirectness: { judgement: 'not_serious', rationale: melanoma.claim.grade.domains?.indirectness?.rationale },
      imprecision: { judgement: 'serious', rationale: melanoma.claim.grade.domains?.imprecision?.rationale },
    });
    expect(melanomaRead.pico?.population.description).toBe('melanoma patients receiving anti-PD-1 immunotherapy');
  });

  it('reads every seeded study back from its Citation with its bibliographic fields', async () => {
    const { items } = await walkPages<StudyJson>(app, '/v1/studies?limit=50');
    for (const listed of items) {
      const study = (await getJson<StudyJson>(app, `/v1/studies/${listed.key}`)).body;
      const claim = {
        ...melanoma.claim,
        studies: [{ ...melanoma.claim.studies[0]!, key: study.key, pmid: study.pmid }],
      };
      const bundle = claimBundle({ claim, studies: { [study.key]: study } }, { baseUrl: BASE });
      expect(conformanceErrors(bundle), study.key).toEqual([]);
      const last = study.authors_complete || study.author_count === null ? null : study.last_author;
      expect(citationFields(resources(bundle, 'Citation')[0] as FhirResource), study.key).toEqual({
        pmid: study.pmid,
        doi: study.doi,
        pmcid: study.pmcid,
        title: study.title,
        authors: study.authors,
        authors_complete: study.authors_complete,
        last_author: last,
        journal: study.journal ?? study.journal_iso,
        year: study.year,
        month: study.month,
        day: study.day,
        date_text: study.date_text,
        volume: study.volume,
        issue: study.issue,
        pages: study.pages,
        publication_types: study.publication_types,
        retracted: study.retracted,
      });
    }
  });
});

describe('FHIR R5 mapping of fields the API does not have yet (hand-built inputs)', () => {
  it('flags a retracted study on its Citation, its Evidence and the claim (hand-built: the seed has none)', () => {
    const claim = structuredClone(melanoma.claim);
    claim.studies[0]!.retracted = true;
    const study = { ...(melanoma.studies['29097493'] as StudyJson), retracted: true };
    const bundle = claimBundle(
      {
        claim,
        studies: { 29097493: study },
        extras: {
          publications: {
            29097493: {
              status: 'ppublish',
              retraction_notice: { pmid: '99999999', citation: 'Retraction notice (hand-built).' },
            },
          },
        },
      },
      { baseUrl: BASE },
    );
    expect(conformanceErrors(bundle)).toEqual([]);
    const citation = resources(bundle, 'Citation')[0] as any;
    expect(citation.citedArtifact.currentState).toEqual([
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/citation-status-type',
            code: 'pubmed-publication-status-ppublish',
            display: 'PubMed PublicationStatus of ppublish',
          },
        ],
      },
      {
        coding: [{ system: 'http://hl7.org/fhir/cited-artifact-status-type', code: 'retracted', display: 'Retracted' }],
      },
    ]);
    expect(citation.citedArtifact.relatesTo).toEqual([
      { type: 'retracted-by', label: 'PMID 99999999', citation: 'Retraction notice (hand-built).' },
    ]);
    const studyEvidence = resources(bundle, 'Evidence').find((r) => !r.url) as any;
    expect(studyEvidence.status).toBe('retired');
    expect(studyEvidence.note).toEqual([{ text: 'This publication has been retracted.' }]);
    expect(claimEvidence(bundle).note[0].text).toBe(
      'Retracted publication among the linked studies: PMID 29097493 (Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients).',
    );
  });

  it('maps GRADE domain ratings, effect estimates with CI and p-value, PICO and RoB 2 (hand-built inputs)', () => {
    const bundle = claimBundle(
      {
        ...melanoma,
        extras: {
          grade_domains: [
            { domain: 'risk_of_bias', judgement: 'serious_concern', rationale: 'Hand-built: no blinding.' },
            { domain: 'large_effect', judgement: 'absent' },
          ],
          effect_estimates: [
            {
              measure: 'odds_ratio',
              value: 2.5,
              ci: { level: 0.95, low: 1.2, high: 5.1 },
              p_value: { value: 0.01, comparator: '<' },
              description: 'Hand-built: response, high vs low diversity.',
              pmid: '29097493',
              sample_size: 43,
            },
            { measure: 'risk_difference', value: 0.2 },
          ],
          pico: {
            population: {
              description: 'Adults with metastatic melanoma',
              codes: [{ system: SYSTEMS.mesh, code: 'D008545' }],
            },
            comparator: { description: 'Low gut microbiome diversity' },
          },
          risk_of_bias: [
            {
              pmid: '29097493',
              tool: 'RoB 2',
              overall: 'some_concerns',
              domains: [{ name: 'Bias arising from the randomization process', judgement: 'low' }],
            },
          ],
        },
      },
      { baseUrl: BASE },
    );
    expect(conformanceErrors(bundle)).toEqual([]);
    const evidence = claimEvidence(bundle);
    expect(evidence.certainty[0].subcomponent).toEqual([
      {
        description: 'Hand-built: no blinding.',
        type: {
          coding: [{ system: 'http://hl7.org/fhir/certainty-type', code: 'RiskOfBias', display: 'Risk of bias' }],
        },
        rating: {
          coding: [
            { system: 'http://hl7.org/fhir/certainty-rating', code: 'serious-concern', display: 'serious concern' },
          ],
        },
      },
      {
        type: {
          coding: [{ system: 'http://hl7.org/fhir/certainty-type', code: 'LargeEffect', display: 'Large effect' }],
        },
        rating: { coding: [{ system: 'http://hl7.org/fhir/certainty-rating', code: 'absent', display: 'absent' }] },
      },
    ]);
    expect(evidence.statistic[1]).toEqual({
      statisticType: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/statistic-type',
            code: '0000424',
            display: 'Risk Difference',
          },
        ],
      },
      quantity: { value: 0.2 },
    });
    // PICO adds its elements after the claim's own condition, interventions and outcome (which keep their variables).
    expect(evidence.variableDefinition.map((v: any) => [v.variableRole.coding[0].code, v.description])).toEqual([
      ['population', 'Melanoma'],
      ['population', 'Adults with metastatic melanoma'],
      ['exposure', 'Gut microbiome diversity'],
      ['exposure', 'Ruminococcaceae abundance'],
      ['exposure', 'Anti-PD-1 immunotherapy'],
      ['referenceExposure', 'Low gut microbiome diversity'],
      ['measuredVariable', 'response to anti-PD-1 immunotherapy'],
    ]);
    const study = resources(bundle, 'Evidence').find((r) => !r.url) as any;
    expect(study.statistic[1]).toEqual({
      description: 'Hand-built: response, high vs low diversity.',
      statisticType: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/statistic-type', code: 'C16932', display: 'Odds Ratio' },
        ],
      },
      quantity: { value: 2.5 },
      sampleSize: { numberOfParticipants: 43 },
      attributeEstimate: [
        {
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/attribute-estimate-type',
                code: 'C53324',
                display: 'Confidence interval',
              },
            ],
          },
          level: 0.95,
          range: { low: { value: 1.2 }, high: { value: 5.1 } },
        },
        {
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/attribute-estimate-type',
                code: 'C44185',
                display: 'P-value',
              },
            ],
          },
          quantity: { value: 0.01, comparator: '<' },
        },
      ],
    });
    expect(study.certainty[0].rating).toEqual({
      coding: [{ system: SYSTEMS.apiRiskOfBias, code: 'some_concerns' }],
      text: 'some concerns',
    });
    expect(study.certainty[0].note).toEqual([{ text: 'Assessed with RoB 2.' }]);
  });

  it('keeps a CIViC level as CIViC’s own rating, never as a GRADE rating (hand-built: the seed is GRADE only)', () => {
    const claim = structuredClone(melanoma.claim);
    claim.grade = { ...claim.grade, scheme: 'civic', level: 'B', certainty: 3 };
    const carried = {
      name: 'civic',
      id: 'EID1409',
      url: 'https://civicdb.org/links/evidence/1409',
      release: '01-Oct-2018',
      imported_at: '2026-11-01T00:00:00.000Z',
    };
    // CIViC's own direction, significance and review date are not carried by the Bundle (fhir.read.ts).
    claim.source = { ...carried, evidence_direction: 'Supports', significance: 'Resistance', reviewed_at: null };
    const bundle = claimBundle({ ...melanoma, claim }, { baseUrl: BASE });
    expect(conformanceErrors(bundle)).toEqual([]);
    const certainty = claimEvidence(bundle).certainty[0];
    expect(certainty.rating).toEqual({
      coding: [{ system: SYSTEMS.apiCivicLevel, code: 'B' }],
      text: 'CIViC evidence level B',
    });
    expect(certainty.rater).toBe('CIViC');
    const read = claimFromBundle(bundle);
    expect(read.grade).toMatchObject({ scheme: 'civic', level: 'B' });
    expect(read.source).toEqual(carried);
  });

  it('puts a topic’s overall certainty in its report only when one is given', async () => {
    const topic = (await getJson(app, '/v1/topics/gut-microbiome-and-skin')).body;
    const input = { topic, studies: {} as Record<string, StudyJson> };
    const without = resources(topicBundle(input, { baseUrl: BASE }), 'EvidenceReport')[0] as any;
    expect(without.section.map((s: any) => s.title)).toEqual([
      'Bottom line',
      'Evidence summary',
      'Claims',
      'References',
    ]);
    const rated = topicBundle(
      { ...input, overall_certainty: { level: 'low', rationale: 'Hand-built.' } },
      { baseUrl: BASE },
    );
    expect(conformanceErrors(rated)).toEqual([]);
    const section = (resources(rated, 'EvidenceReport')[0] as any).section[2];
    expect(section.title).toBe('Overall certainty');
    expect(section.entryClassifier).toEqual([
      { coding: [{ system: 'http://hl7.org/fhir/certainty-rating', code: 'low', display: 'Low quality' }] },
    ]);
  });
});

describe('GET /v1/claims/{id}/fhir and /v1/topics/{slug}/fhir', () => {
  it('serves the claim Bundle as application/fhir+json, with URLs on the request’s host', async () => {
    const res = await app.inject(`/v1/claims/${MELANOMA}/fhir`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(FHIR_TYPE);
    const bundle = res.json() as Bundle;
    expect(conformanceErrors(bundle)).toEqual([]);
    expect(bundle.link).toEqual([{ relation: 'self', url: `http://localhost:80/v1/claims/${MELANOMA}/fhir` }]);
    expect(claimEvidence(bundle).certainty[0].rating.coding[0].code).toBe('very-low');
    expect(claimEvidence(bundle).certainty[0].subcomponent.map((c: any) => c.type.coding[0].code)).toEqual([
      'Indirectness',
      'Imprecision',
    ]);
  });

  it('serves the same Bundle on GET /v1/claims/{id} with Accept: application/fhir+json, and JSON otherwise', async () => {
    const fhir = await app.inject({ url: `/v1/claims/${MELANOMA}`, headers: { accept: 'application/fhir+json' } });
    expect(fhir.statusCode).toBe(200);
    expect(fhir.headers['content-type']).toBe(FHIR_TYPE);
    expect(fhir.body).toBe((await app.inject(`/v1/claims/${MELANOMA}/fhir`)).body);
    const json = await app.inject({
      url: `/v1/claims/${MELANOMA}`,
      headers: { accept: 'application/json, application/fhir+json' },
    });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json().id).toBe(MELANOMA);
  });

  it('chooses FHIR JSON only when Accept ranks it first', () => {
    expect(prefersFhir('application/fhir+json')).toBe(true);
    expect(prefersFhir('application/json;q=0.5, application/fhir+json')).toBe(true);
    expect(prefersFhir('application/json, application/fhir+json')).toBe(false);
    expect(prefersFhir('*/*')).toBe(false);
    expect(prefersFhir(undefined)).toBe(false);
  });

  it('answers an unknown claim or topic with the routes’ own 404 problem', async () => {
    const claim = await getJson(app, '/v1/claims/no-such-claim/fhir');
    expect(claim.status).toBe(404);
    expect(claim.body).toMatchObject({ code: 'claims.not_found', detail: "No claim has id 'no-such-claim'." });
    const topic = await getJson(app, '/v1/topics/no-such-topic/fhir', { accept: 'application/fhir+json' });
    expect(topic.body).toMatchObject({ status: 404, code: 'topics.not_found' });
    const bad = await getJson(app, '/v1/claims/Not_An_Id', { accept: 'application/fhir+json' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'params.id', message: 'must be a claim id: lower-case letters, digits and hyphens' },
    ]);
  });

  it('serves the topic as an EvidenceReport with its claims in curated order, every resource valid', async () => {
    const topic = (await getJson(app, '/v1/topics/gut-microbiome-and-skin')).body;
    const res = await app.inject('/v1/topics/gut-microbiome-and-skin/fhir');
    expect(res.headers['content-type']).toBe(FHIR_TYPE);
    const bundle = res.json() as Bundle;
    expect(conformanceErrors(bundle)).toEqual([]);
    const report = resources(bundle, 'EvidenceReport')[0] as any;
    expect(report.subject.note).toEqual([{ text: topic.question }]);
    expect(report.section[0].text.div).toContain(topic.bottom_line.replace(/&/g, '&amp;'));
    const claims = report.section.find((s: any) => s.title === 'Claims').entryReference.map((r: any) => r.display);
    expect(claims).toEqual(topic.claims.map((c: any) => c.statement));
    const pmids = new Set(topic.claims.flatMap((c: any) => c.studies.map((s: any) => s.pmid)));
    expect(resources(bundle, 'Citation')).toHaveLength(pmids.size);
    // Issue 16: the topic's overall certainty (very low: the lowest among its critical claims), with its explanation.
    const overall = report.section.find((s: any) => s.title === 'Overall certainty');
    expect(overall.entryClassifier).toEqual([
      { coding: [{ system: 'http://hl7.org/fhir/certainty-rating', code: 'very-low', display: 'Very low quality' }] },
    ]);
    expect(overall.text.div).toContain('Very low: the lowest certainty among its 7 critical claim(s)');
  });

  it('exports and reads back a written claim’s effect estimate, PICO codes, domains and its study’s RoB 2', async () => {
    const ctx = await testApp();
    const { key } = await createApiKey(ctx.db, {
      name: 'curator',
      scope: 'write',
      secret: await resolveKeySecret(ctx.db),
    });
    const post = async (url: string, payload: object) => {
      const res = await ctx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    // A made-up trial and claim: only the fields the export carries.
    await post('/v1/studies', {
      pmid: '31000099',
      design: 'rct',
      sample_size: 120,
      risk_of_bias: [
        {
          tool: 'rob_2',
          domains: ROB_2_DOMAINS.map((domain, i) => ({
            domain,
            judgement: i === 2 ? 'some_concerns' : 'low',
            support: 'Made up.',
          })),
          overall: 'some_concerns',
          source: { kind: 'curator' },
          assessor: 'curator',
          assessed_on: '2026-02-01',
        },
      ],
    });
    await post('/v1/claims', {
      id: 'probiotic-x-eczema-flares',
      statement: 'Probiotic X probably reduces eczema flares in children.',
      plain_summary: 'Probiotic X probably means fewer flares.',
      condition: 'eczema',
      interventions: ['oral-probiotics'],
      outcome: 'eczema flares',
      direction: 'benefit',
      grade: {
        scheme: 'GRADE',
        level: 'moderate',
        rationale: 'One trial, rated down for imprecision.',
        domains: { imprecision: { judgement: 'serious', rationale: '120 children, 41 events.' } },
      },
      pico: {
        population: { description: 'Children with eczema', age_groups: ['child_preschool', 'child'], sex: 'any' },
        intervention: 'Probiotic X daily for 12 weeks',
        comparator: 'Placebo',
        outcome: {
          description: 'Eczema flares',
          code: { system: 'MeSH', code: 'D003876', display: 'Dermatitis, Atopic' },
        },
        timeframe: '12 weeks',
      },
      studies: [
        {
          pmid: '31000099',
          relation: 'supports',
          effect_estimates: [
            {
              measure: 'risk_ratio',
              value: 0.62,
              ci: { low: 0.45, high: 0.85 },
              p_value: 0.003,
              participants_analysed: 118,
              outcome: 'flares',
              timepoint: '12 weeks',
              benefit_direction: 'lower',
              source: { location: 'table', label: 'Table 2' },
            },
          ],
        },
      ],
    });
    const input = await inputFor('probiotic-x-eczema-flares', ctx.app);
    const bundle = claimBundle(input, { baseUrl: BASE });
    expect(conformanceErrors(bundle)).toEqual([]);
    const read = claimFromBundle(bundle);
    expect(read).toEqual(carried(input));
    expect(read.studies[0]?.effect_estimates).toEqual([
      {
        measure: 'risk_ratio',
        value: 0.62,
        units: null,
        ci: { low: 0.45, high: 0.85, level: 0.95 },
        p_value: 0.003,
        p_value_comparator: '=',
        participants_analysed: 118,
      },
    ]);
    expect(read.studies[0]?.risk_of_bias).toEqual([{ tool: 'rob_2', overall: 'some_concerns' }]);
    expect(read.pico?.population.age_groups).toEqual(['child_preschool', 'child']);
    const study = resources(bundle, 'Evidence').find((r) => !r.url) as any;
    expect(study.statistic[1].description).toBe('flares, 12 weeks');
    expect(study.certainty[0].subcomponent[2]).toMatchObject({
      type: { text: 'Bias due to missing outcome data' },
      rating: { text: 'some concerns' },
    });
    await ctx.app.close();
  });

  it('counts one FHIR export once against the rate limit, however many reads it makes', async () => {
    const limited = await buildApp({ db: await freshDatabase(), config: { RATE_LIMIT_MAX: 5 } });
    await limited.ready();
    const first = await limited.inject('/v1/topics/gut-microbiome-and-skin/fhir');
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    expect((await limited.inject('/v1/claims')).headers['x-ratelimit-remaining']).toBe('3');
    await limited.close();
  });

  it('needs a key when reads require one, and passes the caller’s key through to every read', async () => {
    const db = await freshDatabase();
    const secret = 'fhir-test-secret-fhir-test-secret-0123';
    const keyed = await buildApp({ db, config: { READS_REQUIRE_KEY: true, API_KEY_SECRET: secret } });
    await keyed.ready();
    const { key } = await createApiKey(db, { name: 'reader', scope: 'write', secret });
    expect((await keyed.inject(`/v1/claims/${MELANOMA}/fhir`)).statusCode).toBe(401);
    const ok = await keyed.inject({ url: `/v1/claims/${MELANOMA}/fhir`, headers: { authorization: `Bearer ${key}` } });
    expect(ok.statusCode).toBe(200);
    expect(claimEvidence(ok.json()).assertion).toBe(melanoma.claim.statement);
    await keyed.close();
  });
});
