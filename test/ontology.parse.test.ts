// OBO 1.2 parsing of the Disease Ontology cancer slim: terms, synonyms with scope, xrefs, obsoletes, is_a closure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findIsACycle,
  isADescendants,
  OboCycleError,
  OboParseError,
  parseObo,
  resolveOboId,
} from '../src/importers/ontology/obo.parse.js';

const SLIM = readFileSync(new URL('./fixtures/ontology/DO_cancer_slim.obo', import.meta.url), 'utf8');
const doc = parseObo(SLIM);
const term = (id: string) => doc.terms.find((t) => t.id === id);
const HEADER = 'format-version: 1.2\nontology: test\n\n';

describe('parseObo on DO_cancer_slim.obo', () => {
  it('reads the header and all 730 terms', () => {
    expect(doc.header).toMatchObject({
      format_version: '1.2',
      data_version: 'doid/releases/2026-07-31/subsets/DO_cancer_slim.obo',
      ontology: 'doid/subsets/DO_cancer_slim',
      date: '31:07:2026 21:27',
    });
    expect(doc.header.idspaces[0]).toEqual({
      prefix: 'dc',
      uri: 'http://purl.org/dc/elements/1.1/',
      description: null,
    });
    expect(doc.terms).toHaveLength(730);
    expect(doc.terms.filter((t) => t.is_obsolete)).toHaveLength(1);
  });

  it('keeps lung adenocarcinoma whole: alt_ids, unescaped definition, scoped synonyms, xrefs split by system', () => {
    const t = term('DOID:3910');
    expect(t).toMatchObject({
      name: 'lung adenocarcinoma',
      alt_ids: ['DOID:3909', 'DOID:4826'],
      is_a: ['DOID:3908'],
      subsets: ['DO_cancer_slim', 'DO_rare_slim', 'NCIthesaurus'],
      is_obsolete: false,
    });
    expect(t?.def).toEqual({
      text: 'A lung non-small cell carcinoma that derives_from epithelial cells of glandular origin.',
      xrefs: [
        'url:http://cancergenome.nih.gov/cancersselected/lungadenocarcinoma',
        'url:http://en.wikipedia.org/wiki/Adenocarcinoma',
        'url:http://en.wikipedia.org/wiki/Adenocarcinoma_of_the_lung',
      ],
    });
    expect(t?.synonyms.map((s) => [s.text, s.scope])).toEqual([
      ['adenocarcinoma of lung', 'RELATED'],
      ['bronchogenic lung adenocarcinoma', 'EXACT'],
      ['nonsmall cell adenocarcinoma', 'EXACT'],
    ]);
    expect(t?.xrefs.map((x) => [x.system, x.code, x.version])).toEqual([
      ['EFO', '0000571', null],
      ['GARD', '5742', null],
      ['MESH', 'D000077192', null],
      ['NCI', 'C27745', null],
      ['NCI', 'C3512', null],
      ['SNOMEDCT_US', '254626006', '2025-09-01'],
      ['UMLS_CUI', 'C0152013', null],
      ['UMLS_CUI', 'C1335060', null],
    ]);
  });

  it('keeps a synonym type (OMO:0003012, acronym) apart from the scope, and every scope the file uses', () => {
    expect(term('DOID:3908')?.synonyms.find((s) => s.text === 'NSCLC')).toEqual({
      text: 'NSCLC',
      scope: 'EXACT',
      type: 'OMO:0003012',
      xrefs: [],
    });
    const scopes = new Map<string, number>();
    for (const t of doc.terms) for (const s of t.synonyms) scopes.set(s.scope, (scopes.get(s.scope) ?? 0) + 1);
    expect(Object.fromEntries(scopes)).toEqual({ EXACT: 1213, RELATED: 48, NARROW: 3, BROAD: 1 });
  });

  it('reads the three terms with several parents', () => {
    const multi = doc.terms.filter((t) => t.is_a.length > 1).map((t) => [t.id, t.is_a]);
    expect(multi).toEqual([
      ['DOID:0060081', ['DOID:0060080', 'DOID:1612']],
      ['DOID:3969', ['DOID:0080525', 'DOID:3112']],
      ['DOID:7522', ['DOID:4207', 'DOID:7841']],
    ]);
  });

  it('reads the obsolete term with its replacement, and resolves alt ids to the current term', () => {
    expect(term('DOID:0080191')).toMatchObject({
      name: 'obsolete PTEN hamartoma tumor syndrome',
      is_obsolete: true,
      replaced_by: ['DOID:0050657'],
    });
    expect(resolveOboId(doc, 'DOID:4826')).toMatchObject({ term: { id: 'DOID:3910' }, via: 'alt_id' });
    expect(resolveOboId(doc, 'DOID:3910')).toMatchObject({ via: 'id' });
    // The replacement is outside the slim, so the obsolete id resolves to nothing here.
    expect(resolveOboId(doc, 'DOID:0080191')).toBeNull();
  });
});

describe('OBO 1.2 syntax', () => {
  it('resolves escapes, drops ! comments and {trailing modifiers}, and reads legacy *_synonym tags', () => {
    const text = `${HEADER}[Term]
id: X:1
name: a \\"quoted\\" name\\: with colon ! a comment
def: "Text with \\"quotes\\", a bang! and a brace {kept}." [PMID:1, url:http\\://x.org/a\\,b] {source="x"} ! note
synonym: "B\\W1" NARROW [] {comment="m"}
exact_synonym: "old style" [ISBN:1]
xref: MESH:D1 "a description"
is_a: X:0 {inferred="true"} ! parent
relationship: part_of X:9
property_value: skos:exactMatch "MESH:D1" xsd:string
`;
    const [t] = parseObo(text).terms;
    expect(t).toMatchObject({
      name: 'a "quoted" name: with colon',
      def: { text: 'Text with "quotes", a bang! and a brace {kept}.', xrefs: ['PMID:1', 'url:http://x.org/a,b'] },
      synonyms: [
        { text: 'B 1', scope: 'NARROW', type: null, xrefs: [] },
        { text: 'old style', scope: 'EXACT', type: null, xrefs: ['ISBN:1'] },
      ],
      xrefs: [{ system: 'MESH', code: 'D1', description: 'a description' }],
      is_a: ['X:0'],
      relationships: [{ type: 'part_of', target: 'X:9' }],
      other: { property_value: ['skos:exactMatch "MESH:D1" xsd:string'] },
    });
  });

  it.each([
    ['[Term]\nid: X:1\nname: a\nname: b\n', 'line 7: name given twice in term X:1'],
    ['[Term]\nid: X:1\ndef: "never closed [\n', 'line 6: quoted string is not closed'],
    ['[Term]\nid: X:1\nno colon here\n', 'line 6: not a "tag: value" line: "no colon here"'],
    ['[Term]\nname: no id\n', 'line 4: [Term] has no id'],
    ['[Term]\nid: X:1\n\n[Term]\nid: X:1\n', 'line 7: term X:1 is defined twice'],
    ['[Thing]\nid: X:1\n', 'line 4: unknown stanza [Thing]'],
    ['[Term]\nid: X:1\nis_obsolete: yes\n', 'line 6: is_obsolete must be true or false, not yes'],
    ['[Term]\nid: X:1\nxref: nocolon\n', 'line 6: xref "nocolon" is not PREFIX:ID'],
  ])('rejects %j with the line and the reason', (body, message) => {
    expect(() => parseObo(`${HEADER}${body}`)).toThrow(OboParseError);
    expect(() => parseObo(`${HEADER}${body}`)).toThrow(message);
  });

  it('needs a format-version', () => {
    expect(() => parseObo('[Term]\nid: X:1\n')).toThrow('line 1: the header has no format-version');
  });
});

describe('isADescendants', () => {
  const closure = isADescendants(doc.terms);

  it('includes non-small cell lung carcinoma and lung adenocarcinoma under lung cancer', () => {
    const lung = closure.get('DOID:1324') ?? [];
    expect(term('DOID:1324')?.name).toBe('lung cancer');
    expect(lung).toContain('DOID:3908');
    expect(lung).toContain('DOID:3910');
    expect(lung).toHaveLength(13);
    expect(closure.get('DOID:3908')).toContain('DOID:3910');
    expect(closure.get('DOID:3910')).not.toContain('DOID:1324');
  });

  it('follows every parent of a term with several (triple-negative breast cancer under breast cancer)', () => {
    expect(closure.get('DOID:1612')).toContain('DOID:0060081');
    expect(closure.get('DOID:0060080')).toContain('DOID:0060081');
  });

  it('joins the links of a term given twice, as when a second file of the ontology is loaded', () => {
    const merged = isADescendants([
      { id: 'A', is_a: [] },
      { id: 'B', is_a: ['A'] },
      { id: 'C', is_a: ['B'] },
      { id: 'C', is_a: ['D'] },
    ]);
    expect(Object.fromEntries(merged)).toEqual({ A: ['B', 'C'], B: ['C'], C: [], D: ['C'] });
  });

  it('names the cycle when is_a is not acyclic', () => {
    const terms = [
      { id: 'A', is_a: ['C'] },
      { id: 'B', is_a: ['A'] },
      { id: 'C', is_a: ['B'] },
      { id: 'D', is_a: ['A'] },
    ];
    expect(findIsACycle(terms)).toEqual(['A', 'C', 'B', 'A']);
    expect(() => isADescendants(terms)).toThrow(new OboCycleError(['A', 'C', 'B', 'A']).message);
    expect(() => isADescendants(terms)).toThrow('is_a cycle: A → C → B → A');
    expect(findIsACycle(doc.terms)).toBeNull();
  });
});
