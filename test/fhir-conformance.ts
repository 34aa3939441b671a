// FHIR R5 conformance checks for the tests: the official JSON schema, StructureDefinition cardinality, and codes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
/** The R5 core package (hl7.fhir.r5.core 5.0.0): StructureDefinitions, CodeSystems and openapi/fhir.schema.json. */
const CORE = dirname(require.resolve('hl7.fhir.r5.core/package.json'));
const THO = new URL('./fixtures/fhir/', import.meta.url);

const readJson = (path: string | URL) => JSON.parse(readFileSync(path, 'utf8'));

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * JSON-schema errors of `value` against a definition of the official R5 schema (`Bundle`, `Evidence`, …): the first
 * one found, since collecting all makes each Bundle entry try every one of the ~150 resource definitions in full
 * (55 s instead of 5 s for this suite). The schema declares draft-06 but names itself with draft-04's `id`, which
 * Ajv 8 refuses: it is dropped.
 */
export function schemaErrors(value: unknown, definition: string): string[] {
  if (!ajv) {
    ajv = new Ajv({ strict: false, unicodeRegExp: false });
    ajv.addMetaSchema(readJson(require.resolve('ajv/dist/refs/json-schema-draft-06.json')));
    const { id: _id, ...schema } = readJson(join(CORE, 'openapi', 'fhir.schema.json'));
    ajv.addSchema(schema, 'fhir');
  }
  let validate = validators.get(definition);
  if (!validate) {
    validate = ajv.getSchema(`fhir#/definitions/${definition}`);
    if (!validate) throw new Error(`no definition ${definition} in fhir.schema.json`);
    validators.set(definition, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${definition}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

interface ElementDefinition {
  path: string;
  min: number;
  max: string;
  type?: { code: string }[];
  contentReference?: string;
}

const definitions = new Map<string, ElementDefinition[]>();
function elementsOf(type: string): ElementDefinition[] {
  let elements = definitions.get(type);
  if (!elements) {
    elements = readJson(join(CORE, `StructureDefinition-${type}.json`)).snapshot.element as ElementDefinition[];
    definitions.set(type, elements);
  }
  return elements;
}

const PRIMITIVE = /^[a-z]/;
const SKIPPED_TYPES = new Set(['Element', 'BackboneElement', 'Extension', 'Meta', 'Narrative', 'Resource']);

/** Values of element `name` in `node`, for `name[x]` every `nameType`, counting a primitive's `_name` too. */
function valuesOf(node: Record<string, unknown>, name: string): unknown[] {
  const keys = name.endsWith('[x]')
    ? Object.keys(node).filter((k) => k.startsWith(name.slice(0, -3)) && /^[A-Z]/.test(k.slice(name.length - 3)))
    : [name, `_${name}`].filter((k) => k in node);
  return keys.flatMap((k) => [node[k]].flat());
}

/**
 * Cardinality errors against the R5 StructureDefinitions (what the JSON schema cannot say: a primitive may be given
 * as `_name`, so `status` 1..1 is not `required` there): every element with min ≥ 1 present, every 0..1 element
 * single, recursing into backbone elements, content references, complex datatypes and contained resources.
 */
export function cardinalityErrors(resource: Record<string, unknown>): string[] {
  const type = String(resource.resourceType);
  return walk(resource, type, type, elementsOf(type), type);
}

function walk(
  node: Record<string, unknown>,
  basePath: string,
  rootType: string,
  elements: ElementDefinition[],
  where: string,
): string[] {
  const errors: string[] = [];
  for (const element of elements) {
    const parent = element.path.slice(0, element.path.lastIndexOf('.'));
    if (parent !== basePath) continue;
    const name = element.path.slice(parent.length + 1);
    const values = valuesOf(node, name);
    const at = `${where}.${name}`;
    if (values.length < element.min) errors.push(`${at}: required (min ${element.min}), missing`);
    if (element.max === '1' && !name.endsWith('[x]') && Array.isArray(node[name]))
      errors.push(`${at}: max 1, got an array`);
    values.forEach((value, index) => {
      if (!value || typeof value !== 'object') return;
      const child = value as Record<string, unknown>;
      const here = values.length > 1 ? `${at}[${index}]` : at;
      if (element.contentReference) {
        errors.push(...walk(child, element.contentReference.split('#')[1] ?? '', rootType, elements, here));
        return;
      }
      const typeCode = element.type?.[0]?.code ?? '';
      if (elements.some((e) => e.path.startsWith(`${element.path}.`)) && SKIPPED_TYPES.has(typeCode)) {
        errors.push(...walk(child, element.path, rootType, elements, here));
      } else if (typeCode === 'Resource' && typeof child.resourceType === 'string') {
        errors.push(...walk(child, child.resourceType, child.resourceType, elementsOf(child.resourceType), here));
      } else if (!PRIMITIVE.test(typeCode) && !SKIPPED_TYPES.has(typeCode) && typeCode !== '') {
        errors.push(...walk(child, typeCode, typeCode, elementsOf(typeCode), here));
      }
    });
  }
  return errors;
}

interface Concept {
  code: string;
  display?: string;
  concept?: Concept[];
}

let codeSystems: Map<string, Map<string, string | undefined>> | undefined;
/** Code → display of every CodeSystem the export uses: R5 core's, and THO's copies in test/fixtures/fhir. */
export function codeSystem(url: string): Map<string, string | undefined> | undefined {
  if (!codeSystems) {
    codeSystems = new Map();
    const files = [
      ...[
        'study-design',
        'certainty-type',
        'certainty-rating',
        'citation-summary-style',
        'cited-artifact-classification-type',
        'cited-artifact-status-type',
        'citation-status-type',
        'artifact-url-classifier',
        'evidence-report-section',
        'publication-status',
        'related-artifact-type',
        'artifactassessment-information-type',
      ].map((name) => join(CORE, `CodeSystem-${name}.json`)),
      ...['variable-role', 'statistic-type', 'attribute-estimate-type'].map(
        (name) => new URL(`CodeSystem-${name}.json`, THO),
      ),
    ];
    for (const file of files) {
      const system = readJson(file);
      const codes = new Map<string, string | undefined>();
      const add = (concepts: Concept[] = []) => {
        for (const c of concepts) {
          codes.set(c.code, c.display);
          add(c.concept);
        }
      };
      add(system.concept);
      codeSystems.set(system.url, codes);
    }
  }
  return codeSystems.get(url);
}

/** The preferred MeSH system URI of THO's MeSH NamingSystem. */
export function meshSystemUri(): string {
  const naming = readJson(new URL('NamingSystem-MeSH.json', THO));
  return naming.uniqueId.find((u: { type: string; preferred?: boolean }) => u.type === 'uri' && u.preferred).value;
}

/** Every Coding in `value` (any object with `system` and `code`), with where it was found. */
export function codingsIn(value: unknown, at = ''): { system: string; code: string; display?: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => codingsIn(v, `${at}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const node = value as Record<string, unknown>;
  const own =
    typeof node.system === 'string' && typeof node.code === 'string'
      ? [{ system: node.system, code: node.code, display: node.display as string | undefined, at }]
      : [];
  return [...own, ...Object.entries(node).flatMap(([k, v]) => codingsIn(v, `${at}.${k}`))];
}

/**
 * Code errors: a Coding in a known CodeSystem must name one of its codes, with its display (whitespace-trimmed);
 * a Coding in any other system must be in `allowedSystems`.
 */
export function codeErrors(value: unknown, allowedSystems: Set<string>): string[] {
  return codingsIn(value).flatMap(({ system, code, display, at }) => {
    const codes = codeSystem(system);
    if (!codes) return allowedSystems.has(system) ? [] : [`${at}: unknown system ${system}`];
    if (!codes.has(code)) return [`${at}: ${system} has no code ${code}`];
    const expected = codes.get(code)?.trim();
    return display !== undefined && display !== expected ? [`${at}: display of ${code} is "${expected}"`] : [];
  });
}

/** Element-level codes (a `code`-typed element with a required binding) the export writes, by element. */
export const REQUIRED_CODE_ELEMENTS: Record<string, string> = {
  'relatedArtifact.type': 'http://hl7.org/fhir/related-artifact-type',
  'content.informationType': 'http://hl7.org/fhir/artifactassessment-information-type',
  status: 'http://hl7.org/fhir/publication-status',
};
