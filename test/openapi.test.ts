// The OpenAPI document: committed copy matches the code, it validates, and every route is fully described.
import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi, OPENAPI_PATH } from '../src/cli/openapi.js';
import { captureExamples, EXAMPLE_SOURCES, EXAMPLES_PATH } from '../src/cli/openapi-examples.js';
import { testApp } from './helpers.js';

let generated: string;
let doc: any;

beforeAll(async () => {
  generated = await generateOpenApi();
  doc = JSON.parse(generated);
});

describe('openapi/openapi.json', () => {
  it('matches what the code generates (run `npm run openapi` after changing a route)', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(generated);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(doc));
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('gives every operation an id, tags, summary, description and documented responses', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
      Object.entries(item).map(([method, op]: [string, any]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(13);
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.tags?.length, where).toBeGreaterThan(0);
      expect(op.summary, where).toBeTruthy();
      expect(op.description, where).toBeTruthy();
      expect(
        Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)),
        where,
      ).toBe(true);
      for (const p of op.parameters ?? [])
        expect(p.description ?? p.schema?.description, `${where} ${p.name}`).toBeTruthy();
    }
  });

  it('documents errors as application/problem+json with the Problem schema', () => {
    const claims = doc.paths['/v1/claims'].get.responses;
    expect(claims['400'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(doc.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance']),
    );
  });

  it('names the component schemas clients generate types from, and keeps none unused', () => {
    for (const name of [
      'Claim',
      'ClaimList',
      'Study',
      'StudyDetail',
      'Condition',
      'Intervention',
      'Topic',
      'Problem',
      'Grade',
    ]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    const text = JSON.stringify(doc.paths) + JSON.stringify(doc.components.schemas);
    for (const name of Object.keys(doc.components.schemas)) expect(text).toContain(`#/components/schemas/${name}"`);
  });

  it('documents every media type a citation can be returned in', () => {
    for (const path of [
      '/v1/studies/{pmid}/citation',
      '/v1/claims/{id}/citations',
      '/v1/topics/{slug}/citations',
      '/v1/citations',
    ]) {
      expect(Object.keys(doc.paths[path].get.responses['200'].content).sort(), path).toEqual([
        'application/vnd.citationstyles.csl+json',
        'application/x-bibtex',
        'application/x-research-info-systems',
        'text/plain',
      ]);
      expect(doc.paths[path].get.responses['406'].content['application/problem+json']).toBeDefined();
    }
  });

  it('illustrates the main response schemas with real responses of the seeded app, kept current', async () => {
    const committed = JSON.parse(readFileSync(EXAMPLES_PATH, 'utf8'));
    expect(committed).toEqual(await captureExamples());
    for (const name of Object.keys(EXAMPLE_SOURCES))
      expect(doc.components.schemas[name].examples, name).toEqual([committed[name]]);
    expect(doc.components.schemas.Claim.examples[0].studies[0]).toMatchObject({ pmid: '29097493', sample_size: 112 });
  });

  it('has examples on the parameters people start with', () => {
    const params = doc.paths['/v1/claims'].get.parameters;
    expect(params.find((p: any) => p.name === 'condition').schema.example).toBe('melanoma');
    expect(doc.paths['/v1/studies/{pmid}'].get.parameters[0].schema.example).toBe('29097493');
  });

  it('documents every route the app serves, and serves every documented path', async () => {
    const { app } = await testApp({ seed: false });
    const served = app.registeredRoutes
      .filter((r) => !r.hidden && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]: [string, any]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(served).toEqual(documented);
    const res = await app.inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(doc);
    await app.close();
  });
});
