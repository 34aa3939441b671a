// GET /v1/claims/{id}/fhir and /v1/topics/{slug}/fhir (and Accept: application/fhir+json on a claim): FHIR R5 Bundles.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evidenceExtrasOf } from '../../fhir/fhir.extras.js';
import type { ClaimFhirInput, ClaimJson, OntologyCodes, StudyJson, TopicJson } from '../../fhir/fhir.inputs.js';
import { type Bundle, claimBundle, topicBundle } from '../../fhir/fhir.map.js';
import { ClaimId, notFoundProblem, Slug } from '../../http/api-schemas.js';
import { type Caller, callerOf, internalGet } from '../../http/internal-request.js';
import { badRequest } from '../../http/problem.js';

export const FHIR_JSON = 'application/fhir+json';

const FhirBundleSchema = z
  .looseObject({
    resourceType: z.literal('Bundle'),
    type: z.literal('collection'),
    timestamp: z.string(),
    link: z.array(z.object({ relation: z.string(), url: z.string() })),
    entry: z.array(
      z.object({
        fullUrl: z.string().describe('`urn:uuid:<id>`; references inside the Bundle use it.'),
        resource: z.looseObject({ resourceType: z.string(), id: z.string() }),
      }),
    ),
  })
  .describe('A FHIR R5 Bundle of type collection (see the README for the mapping table).');

const fhirResponse = (description: string) => ({
  description,
  content: { [FHIR_JSON]: { schema: FhirBundleSchema } },
});

/**
 * Whether `Accept` prefers FHIR JSON over plain JSON: the first acceptable range by q-value (ties keep the client's
 * order) among application/fhir+json, application/json, application/* and * / * decides.
 */
export function prefersFhir(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { type: type.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.weight > 0 && [FHIR_JSON, 'application/json', 'application/*', '*/*'].includes(r.type))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranges[0]?.type === FHIR_JSON;
}

/** The public base of this request's URLs, e.g. `https://evidence.example.org`. */
export const baseUrlOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

async function studiesByPmid(app: FastifyInstance, caller: Caller, claims: ClaimJson[]) {
  const pmids = [...new Set(claims.flatMap((claim) => claim.studies.map((s) => s.key)))];
  const studies = await Promise.all(
    pmids.map((pmid) => internalGet(app, caller, `/v1/studies/${pmid}`) as Promise<StudyJson>),
  );
  return Object.fromEntries(studies.map((study) => [study.key, study]));
}

async function conditionCodes(app: FastifyInstance, caller: Caller, claims: ClaimJson[]) {
  const slugs = [...new Set(claims.flatMap((claim) => (claim.condition ? [claim.condition.slug] : [])))];
  const conditions = await Promise.all(
    slugs.map(
      (slug) => internalGet(app, caller, `/v1/conditions/${slug}`) as Promise<{ slug: string; codes: OntologyCodes }>,
    ),
  );
  return Object.fromEntries(conditions.map((c) => [c.slug, c.codes]));
}

/**
 * The FHIR input of one claim, read through the API's own routes as `caller` (so auth, 404s and as_of behave as
 * they do there); `query` is the claim's query string (`?as_of=...`) as the client sent it. Errors: the routes'
 * problems, unchanged.
 */
export async function claimFhirInput(
  app: FastifyInstance,
  caller: Caller,
  id: string,
  query = '',
): Promise<ClaimFhirInput> {
  const claim = (await internalGet(app, caller, `/v1/claims/${id}${query}`)) as ClaimJson;
  const [studies, codes] = await Promise.all([
    studiesByPmid(app, caller, [claim]),
    conditionCodes(app, caller, [claim]),
  ]);
  return {
    claim,
    studies,
    condition_codes: claim.condition ? codes[claim.condition.slug] : null,
    extras: evidenceExtrasOf(claim, studies),
  };
}

function sendBundle(reply: FastifyReply, bundle: Bundle) {
  return reply.type(`${FHIR_JSON}; charset=utf-8`).send(JSON.stringify(bundle));
}

async function sendClaimBundle(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, id: string) {
  const q = request.url.indexOf('?');
  const input = await claimFhirInput(app, callerOf(request), id, q === -1 ? '' : request.url.slice(q));
  return sendBundle(reply, claimBundle(input, { baseUrl: baseUrlOf(request) }));
}

export const fhirRoutes = fp(
  async (root) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get('/v1/claims/:id/fhir', {
      schema: {
        operationId: 'getClaimFhir',
        tags: ['claims'],
        summary: 'Get a claim as FHIR R5',
        description:
          'The claim as a FHIR R5 Bundle (type collection): an Evidence with the statement (assertion), the plain summary (description), the GRADE certainty with a subcomponent per assessed domain, SEVCO study designs, sample size, effect estimates and PICO variables; an ArtifactAssessment with direction, status and caveats; an EvidenceVariable per condition (MeSH, DOID) and intervention; and per study an Evidence (design, sample size, finding, effect estimates, risk of bias) citing a Citation (PMID, DOI, title, authors, journal, dates, retraction). Unknown facts are absent. `GET /v1/claims/{id}` with `Accept: application/fhir+json` returns the same.',
        params: z.object({ id: ClaimId }),
        querystring: z
          .object({
            as_of: z.iso
              .datetime({ offset: true })
              .optional()
              .describe('Export the claim as it was at this moment (ISO 8601), from its revision history.'),
          })
          .strict(),
        response: { 200: fhirResponse('The claim as a FHIR R5 Bundle.'), 404: notFoundProblem('claims') },
      },
      handler: async (request, reply) => sendClaimBundle(app, request, reply, request.params.id),
    });

    app.get('/v1/topics/:slug/fhir', {
      schema: {
        operationId: 'getTopicFhir',
        tags: ['topics'],
        summary: 'Get a topic as FHIR R5',
        description:
          "The topic as a FHIR R5 Bundle (type collection): an EvidenceReport with the question, bottom line, evidence summary, its overall certainty (a Certainty-of-Evidence section), the claims in curated order and the references, then every claim's resources as in `GET /v1/claims/{id}/fhir`, shared studies and variables once.",
        params: z.object({ slug: Slug.describe('Topic slug.').meta({ example: 'gut-microbiome-and-skin' }) }),
        response: { 200: fhirResponse('The topic as a FHIR R5 Bundle.'), 404: notFoundProblem('topics') },
      },
      handler: async (request, reply) => {
        const caller = callerOf(request);
        const topic = (await internalGet(app, caller, `/v1/topics/${request.params.slug}`)) as TopicJson;
        const [studies, condition_codes] = await Promise.all([
          studiesByPmid(app, caller, topic.claims),
          conditionCodes(app, caller, topic.claims),
        ]);
        const extras = Object.fromEntries(topic.claims.map((claim) => [claim.id, evidenceExtrasOf(claim, studies)]));
        const { level, explanation } = topic.overall_certainty;
        const overall_certainty = level === null ? null : { level, rationale: explanation };
        return sendBundle(
          reply,
          topicBundle({ topic, studies, condition_codes, extras, overall_certainty }, { baseUrl: baseUrlOf(request) }),
        );
      },
    });

    // Content negotiation on the claim itself, without touching its route: a client that prefers FHIR JSON gets
    // the Bundle. Runs after auth, rate limit and caching (registered after them), before validation.
    app.addHook('preValidation', async (request, reply) => {
      if (request.method !== 'GET' || request.routeOptions.url !== '/v1/claims/:id') return;
      if (!prefersFhir(request.headers.accept)) return;
      const { id } = request.params as { id: string };
      if (!ClaimId.safeParse(id).success)
        throw badRequest('params.id', 'must be a claim id: lower-case letters, digits and hyphens');
      await sendClaimBundle(app, request, reply, id);
      return reply;
    });
  },
  { name: 'fhir-routes' },
);
