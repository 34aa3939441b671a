// Ontology import: OBO terms become conditions (attached to existing ones by DOID, then by name), with synonyms and
// their scope, codes, alt_ids, obsolete terms and several is_a parents; merges a second file; idempotent; the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { commit } from '../src/curation/commit.js';
import { parseObo } from '../src/importers/ontology/obo.parse.js';
import {
  importOntologyText,
  OntologyFileError,
  type OntologyImportSummary,
} from '../src/importers/ontology/ontology.import.js';
import type { Database } from '../src/store/client.js';
import { readDataVersion } from '../src/store/data-version.queries.js';
import { type App, getJson, testApp, walkPages } from './helpers.js';

const SLIM_PATH = new URL('./fixtures/ontology/DO_cancer_slim.obo', import.meta.url).pathname;
const SLIM = readFileSync(SLIM_PATH, 'utf8');
const TERMS = parseObo(SLIM).terms;
const term = (id: string) => TERMS.find((t) => t.id === id) as (typeof TERMS)[number];

/** A second file of the same ontology, written for this test (not Disease Ontology content): one new term under lung
 * cancer, and a second parent for an existing term. */
const SECOND = `format-version: 1.2
ontology: doid/test-extension

[Term]
id: DOID:9990001
name: synthetic lung tumour for tests
synonym: "STLT" EXACT []
is_a: DOID:1324 ! lung cancer

[Term]
id: DOID:3910
name: lung adenocarcinoma
is_a: DOID:9990001 ! synthetic lung tumour for tests

[Term]
id: DOID:9990002
name: obsolete synthetic term for tests
is_obsolete: true
replaced_by: DOID:1324
`;

let app: App;
let db: Database;
let summary: OntologyImportSummary;

beforeAll(async () => {
  // The imports hold the event loop for a moment: no load shedding in this file's app.
  ({ app, db } = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } }));
  summary = await importOntologyText(db, SLIM, 'DO_cancer_slim.obo');
});
afterAll(() => app.close());

describe('importing DO_cancer_slim.obo', () => {
  it('makes each current term a condition, attaching the seeded melanoma by its DOID', () => {
    expect(summary).toMatchObject({
      file: 'DO_cancer_slim.obo',
      ontology: 'doid/subsets/DO_cancer_slim',
      data_version: 'doid/releases/2026-07-31/subsets/DO_cancer_slim.obo',
      terms: 729,
      obsolete: 1,
      created: 728,
      updated: 1,
      unchanged: 0,
      skipped_links: [],
    });
    expect(summary.attached).toEqual([{ slug: 'melanoma', term: 'DOID:1909', by: 'doid' }]);
  });

  it('serves lung cancer with its parent, children, synonyms with scope, xrefs and alt_ids', async () => {
    const res = await getJson(app, '/v1/conditions/lung%20cancer');
    expect(res.status).toBe(200);
    const children = TERMS.filter((t) => t.is_a.includes('DOID:1324'))
      .map((t) => t.name as string)
      .sort();
    expect(res.body).toMatchObject({
      slug: 'lung-cancer',
      name: 'lung cancer',
      description: 'A respiratory system cancer that is located_in the lung.',
      synonyms: [],
      ontology_synonyms: [{ text: 'lung neoplasm', scope: 'RELATED' }],
      parent: { slug: 'cancer', name: 'cancer' },
      parents: [{ slug: 'cancer', name: 'cancer', sources: ['ontology'] }],
    });
    expect(res.body.children.map((c: any) => c.name).sort()).toEqual(children);
    expect(res.body.children.every((c: any) => c.sources.join() === 'ontology')).toBe(true);
    expect(res.body.codes.doid).toBe('DOID:1324');
    expect(res.body.codes.alt_ids).toEqual(['DOID:13075', 'DOID:1322', 'DOID:9881']);
    expect(res.body.codes.xrefs).toEqual(term('DOID:1324').xrefs.map((x) => ({ system: x.system, code: x.code })));
  });

  it('keeps every is_a parent of a term with several (the ontology is a DAG)', async () => {
    const res = await getJson(app, '/v1/conditions/DOID:0060081');
    expect(res.body.name).toBe('triple-negative breast cancer');
    expect(res.body.parents.map((p: any) => p.name).sort()).toEqual(['HER2 negative breast cancer', 'breast cancer']);
  });

  it('keeps the seeded melanoma: its name and curated parent, with the ontology parent and synonyms added', async () => {
    const res = await getJson(app, '/v1/conditions/melanoma');
    expect(res.body).toMatchObject({
      name: 'Melanoma',
      synonyms: ['malignant melanoma', 'cutaneous melanoma'],
      ontology_synonyms: [{ text: 'Naevocarcinoma', scope: 'EXACT' }],
      parents: [
        { slug: 'skin-cancer', name: 'Skin cancer', sources: ['curated'] },
        { slug: 'cancer', name: 'cancer', sources: ['ontology'] },
      ],
    });
  });

  it.each([
    ['an alt_id', 'DOID:267', 'angiosarcoma'],
    ['an NCI cross-reference', 'NCI:C3224', 'Melanoma'],
    ['an EXACT synonym', 'Non-small cell lung cancer', 'lung non-small cell carcinoma'],
    ['an acronym DO lists as EXACT (not the RELATED one of chronic leukemia)', 'CML', 'chronic myeloid leukemia'],
    ['an abbreviation from seeds/condition-abbreviations.tsv', 'AML', 'acute myeloid leukemia'],
    ['another curated abbreviation', 'SCLC', 'lung small cell carcinoma'],
  ])('finds a condition by %s (%s)', async (_how, text, name) => {
    const res = await getJson(app, `/v1/conditions/${encodeURIComponent(text)}`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe(name);
  });

  it('never makes an obsolete term a condition, nor its id a code when its replacement is not loaded', async () => {
    expect((await getJson(app, '/v1/conditions/obsolete%20PTEN%20hamartoma%20tumor%20syndrome')).status).toBe(404);
    // DOID:0080191 is replaced by DOID:0050657, which is not in the slim.
    expect((await getJson(app, '/v1/conditions/DOID:0080191')).status).toBe(404);
  });

  it.each([
    ['MM', ['multiple-myeloma', 'melanoma']],
    ['ALL', ['acute-lymphoblastic-leukemia']],
  ])('answers the ambiguous abbreviation %s with a 400 listing the candidates', async (text, slugs) => {
    const res = await getJson(app, `/v1/claims?condition=${text}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('conditions.ambiguous');
    expect(res.body.errors[0].path).toBe('query.condition');
    expect(res.body.candidates.map((c: any) => c.slug)).toEqual(slugs);
  });

  it('lists the curated abbreviations of a condition with their source', async () => {
    const res = await getJson(app, '/v1/conditions/acute-myeloid-leukemia');
    expect(res.body.abbreviations).toEqual([
      {
        abbreviation: 'AML',
        source:
          'NCI Dictionary of Cancer Terms, "acute myeloid leukemia" (CDR0000046347): "Also called acute myelogenous leukemia, acute nonlymphocytic leukemia, AML, and ANLL."',
        ambiguous: false,
      },
    ]);
  });
});

describe('importing again, and a second file', () => {
  it('changes nothing when the same file is imported again', async () => {
    const version = await readDataVersion(db);
    const again = await importOntologyText(db, SLIM, 'DO_cancer_slim.obo');
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 729, attached: [] });
    expect(await readDataVersion(db)).toBe(version);
  });

  it("merges a second file's terms and is_a links into what is loaded", async () => {
    const second = await importOntologyText(db, SECOND, 'extension.obo');
    expect(second).toMatchObject({ terms: 2, obsolete: 1, created: 1, updated: 2, unchanged: 0 });
    const adenocarcinoma = await getJson(app, '/v1/conditions/DOID:3910');
    expect(adenocarcinoma.body.parents.map((p: any) => p.name)).toEqual([
      'lung non-small cell carcinoma',
      'synthetic lung tumour for tests',
    ]);
    const claims = await getJson(app, '/v1/conditions/STLT');
    expect(claims.body.children.map((c: any) => c.slug)).toEqual(['lung-adenocarcinoma']);
    // An obsolete term leads to its replacement by its id, never by its name.
    const replaced = await getJson(app, '/v1/conditions/DOID:9990002');
    expect(replaced.body.slug).toBe('lung-cancer');
    expect(replaced.body.codes.alt_ids).toEqual(['DOID:13075', 'DOID:1322', 'DOID:9881', 'DOID:9990002']);
    expect((await getJson(app, '/v1/conditions/obsolete%20synthetic%20term%20for%20tests')).status).toBe(404);
  });
});

describe('refusals', () => {
  it('refuses a file whose is_a links form a cycle, changing nothing', async () => {
    const version = await readDataVersion(db);
    const cyclic = `format-version: 1.2\n\n[Term]\nid: X:1\nname: a\nis_a: X:2\n\n[Term]\nid: X:2\nname: b\nis_a: X:1\n`;
    await expect(importOntologyText(db, cyclic, 'cyclic.obo')).rejects.toThrow(OntologyFileError);
    await expect(importOntologyText(db, cyclic, 'cyclic.obo')).rejects.toThrow('is_a cycle: X:1 → X:2 → X:1');
    expect(await readDataVersion(db)).toBe(version);
  });

  it('refuses a curated parent that would close a cycle through ontology links, and a DOID already attached', async () => {
    const key = (await createApiKey(db, { name: 'c', scope: 'write', secret: await resolveKeySecret(db) })).key;
    const write = async (method: 'PATCH' | 'POST', url: string, payload: object) => {
      const etag = method === 'PATCH' ? ((await app.inject(url)).headers.etag as string) : undefined;
      return app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}`, ...(etag ? { 'if-match': etag } : {}) },
        payload,
      });
    };
    const cycle = await write('PATCH', '/v1/conditions/cancer', { parent: 'melanoma' });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json()).toMatchObject({ rule: 'condition.parent_acyclic' });
    const taken = await write('POST', '/v1/conditions', { slug: 'lungs', name: 'Lungs', doid: 'DOID:1324' });
    expect(taken.statusCode).toBe(422);
    expect(taken.json()).toMatchObject({
      rule: 'condition.doid_unique',
      detail: "DOID:1324 is already the ontology term of condition 'lung-cancer'; change that condition instead.",
    });
    // A curated second parent is a link of its own, beside the ontology's.
    const added = await write('PATCH', '/v1/conditions/lung-cancer', { parents: ['skin-cancer'] });
    expect(added.statusCode).toBe(200);
    expect(added.json().parents).toEqual([
      { slug: 'skin-cancer', name: 'Skin cancer', sources: ['curated'] },
      { slug: 'cancer', name: 'cancer', sources: ['ontology'] },
    ]);
    const under = await walkPages(app, '/v1/conditions?q=lung&limit=100');
    expect(under.items.length).toBeGreaterThan(5);
  });
});

describe('npm run import -- ontology', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ontology-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[]) =>
    spawnSync(join(process.cwd(), 'node_modules/.bin/tsx'), ['src/cli/import.ts', 'ontology', ...args], {
      env: { ...process.env, DATABASE_PATH: join(tmp, 'o.db') },
      encoding: 'utf8',
    });

  it('prints one JSON summary per file, then finds everything unchanged', () => {
    const first = run(['--json', SLIM_PATH]);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject([{ terms: 729, created: 728, updated: 1 }]);
    const second = run([SLIM_PATH]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('  unchanged  729\n');
  });

  it('fails with exit 1 and changes nothing on a file that is not OBO; exit 2 without a file', () => {
    const bad = join(tmp, 'bad.obo');
    writeFileSync(bad, 'format-version: 1.2\n\n[Term]\nid: X:1\nthis line has no colon\n');
    const res = run([bad]);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('import failed, nothing was changed: bad.obo: line 5: not a "tag: value" line');
    expect(run([]).status).toBe(2);
  });
});

describe('attaching a condition found by an alt_id', () => {
  // The DOID:1037 stanza of the slim as it stands (its alt_id is DOID:10747), without the rest of the file.
  const stanza = `${SLIM.slice(SLIM.indexOf('[Term]\nid: DOID:1037\n'), SLIM.indexOf('\n\n', SLIM.indexOf('[Term]\nid: DOID:1037\n')))}\n`;
  const LYMPHOID = `format-version: 1.2\nontology: doid/test-lymphoid\n\n${stanza}`;

  it('moves the condition to the current DOID and keeps the old one as an alt_id that still finds it', async () => {
    const own = await testApp();
    try {
      await commit(own.db, { actor: 'test' }, (changes) =>
        changes.upsertCondition({
          slug: 'lymphoid-leukemia',
          name: 'Lymphoid leukemia',
          description: null,
          synonyms: [],
          mesh_id: null,
          doid: 'DOID:10747',
          parent: null,
          parents: [],
        }),
      );
      const result = await importOntologyText(own.db, LYMPHOID, 'lymphoid.obo');
      expect(result.attached).toEqual([{ slug: 'lymphoid-leukemia', term: 'DOID:1037', by: 'doid' }]);
      for (const id of ['DOID:1037', 'DOID:10747']) {
        const res = await getJson(own.app, `/v1/conditions/${id}`);
        expect(res.status, id).toBe(200);
        expect(res.body.slug).toBe('lymphoid-leukemia');
        expect(res.body.codes).toMatchObject({ doid: 'DOID:1037', alt_ids: ['DOID:10747'] });
      }
    } finally {
      await own.app.close();
    }
  });
});
