// An OBO ontology (Disease Ontology) → conditions: each current term is a condition (an existing one attached by DOID,
// then by exact name or synonym; a new one otherwise), with its synonyms, codes and is_a links, in one commit.
import { basename } from 'node:path';
import { type Changes, commit } from '../../curation/commit.js';
import { wouldCycle } from '../../resources/conditions/conditions.queries.js';
import type { Database, Reader } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { LOOKUP_RANK, lookupBest } from '../../store/lookup.queries.js';
import type { RowOf } from '../../store/rows.js';
import { slugify } from '../civic/civic.import.js';
import { slugTaken } from '../civic/civic.queries.js';
import { findIsACycle, OboCycleError, OboParseError, type OboTerm, parseObo } from './obo.parse.js';

/** The file cannot be imported at all (not OBO, an is_a cycle): nothing was changed. */
export class OntologyFileError extends Error {}

export interface OntologyImportSummary {
  file: string;
  /** The OBO header's `ontology` and `data-version`. */
  ontology: string | null;
  data_version: string | null;
  /** Current (not obsolete) terms in the file. */
  terms: number;
  /** Obsolete terms: never conditions; their ids lead to their replacement. */
  obsolete: number;
  /** New conditions, one per term no condition was attached to. */
  created: number;
  /** Existing conditions (curated, CIViC, API) attached to a term by DOID or by exact name or synonym. */
  attached: { slug: string; term: string; by: 'doid' | 'name' }[];
  updated: number;
  unchanged: number;
  /** is_a links that could not be added, with the reason (a parent in no loaded file, a cycle with curated links). */
  skipped_links: { term: string; parent: string; reason: string }[];
}

export interface OntologyImportOptions {
  /** Terms written so far; called inside the import's one transaction. */
  onProgress?: (done: number, total: number) => void;
}

/** Terms with their parents before them (Kahn's algorithm over is_a within the file); the file order otherwise. */
function parentsFirst(terms: readonly OboTerm[]): OboTerm[] {
  const byId = new Map(terms.map((t) => [t.id, t]));
  const waiting = new Map(terms.map((t) => [t.id, t.is_a.filter((p) => byId.has(p) && p !== t.id).length]));
  const children = new Map<string, string[]>();
  for (const t of terms) for (const p of t.is_a) children.set(p, [...(children.get(p) ?? []), t.id]);
  const queue = terms.filter((t) => waiting.get(t.id) === 0);
  for (let i = 0; i < queue.length; i++)
    for (const child of children.get((queue[i] as OboTerm).id) ?? []) {
      const left = (waiting.get(child) as number) - 1;
      waiting.set(child, left);
      if (left === 0) queue.push(byId.get(child) as OboTerm);
    }
  return queue;
}

async function freeSlug(h: Reader, base: string): Promise<string> {
  let slug = base;
  for (let n = 2; await slugTaken(h, 'conditions', slug); n++) slug = `${base}-${n}`;
  return slug;
}

/** The condition attached to any of these term ids (its DOID), oldest first. */
const byDoids = (h: Reader, ids: readonly string[]) =>
  h.get<RowOf<'conditions', 'slug'>>(
    `SELECT slug FROM conditions WHERE doid IN (SELECT value FROM ${dialectOf(h).jsonValues('?')}) ORDER BY id LIMIT 1`,
    [JSON.stringify(ids)],
  );

/** Whether an ontology already gave a condition anything (synonyms with a scope, codes, is_a links). */
const hasOntologyData = async (h: Reader, slug: string) =>
  (await h.get(
    `SELECT 1 FROM conditions k WHERE k.slug = ? AND (
       EXISTS (SELECT 1 FROM condition_codes c WHERE c.condition_id = k.id)
       OR EXISTS (SELECT 1 FROM condition_synonyms s WHERE s.condition_id = k.id AND s.scope IS NOT NULL)
       OR EXISTS (SELECT 1 FROM condition_parents p WHERE p.condition_id = k.id AND p.source = 'ontology'))`,
    [slug],
  )) !== undefined;

/** A condition not yet attached to any term, named exactly by one of these (name, or EXACT or curated synonym). */
async function unattachedByName(h: Reader, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    const best = await lookupBest(h, 'condition', name);
    if (!best || best.rank < LOOKUP_RANK.synonym) continue;
    const row = await h.get<RowOf<'conditions', 'slug'>>(
      `SELECT slug FROM conditions WHERE id IN (SELECT CAST(value AS INTEGER) FROM ${dialectOf(h).jsonValues('?')}) AND doid IS NULL ORDER BY id LIMIT 1`,
      [JSON.stringify(best.ids)],
    );
    if (row) return row.slug;
  }
  return undefined;
}

/**
 * Imports an OBO 1.2 file (parseObo) in one commit, actor `import:ontology`, every condition it creates or changes
 * with its revision. For each current term, parents first: the condition attached to it (by the term's id, an
 * alt_id, or an obsolete id it replaces; then, among conditions attached to no term, by the term's name or an EXACT
 * synonym) or a new one (name, definition, DOID, first MeSH xref), which gets the term's synonyms with their scope,
 * its xrefs, alt_ids and the obsolete ids it replaces (each finds the condition), and its is_a links to the
 * conditions of its parents. Adds only: a second file (another subset, a later release) merges into what is loaded;
 * curators' names, descriptions, synonyms and parents are never changed. Obsolete terms are not conditions. A file
 * that does not parse or whose is_a links form a cycle throws OntologyFileError and changes nothing. Running the same
 * file again changes nothing.
 */
export async function importOntologyText(
  db: Database,
  text: string,
  file: string,
  { onProgress }: OntologyImportOptions = {},
): Promise<OntologyImportSummary> {
  let document: ReturnType<typeof parseObo>;
  try {
    document = parseObo(text);
  } catch (error) {
    if (error instanceof OboParseError) throw new OntologyFileError(`${file}: ${error.message}`);
    throw error;
  }
  const cycle = findIsACycle(document.terms.filter((t) => !t.is_obsolete));
  if (cycle) throw new OntologyFileError(`${file}: ${new OboCycleError(cycle).message}`);
  const current = document.terms.filter((t) => !t.is_obsolete && t.name !== null);
  const replaces = new Map<string, string[]>();
  for (const t of document.terms)
    if (t.is_obsolete && t.replaced_by.length === 1) {
      const by = t.replaced_by[0] as string;
      replaces.set(by, [...(replaces.get(by) ?? []), t.id]);
    }
  const summary: OntologyImportSummary = {
    file,
    ontology: document.header.ontology,
    data_version: document.header.data_version,
    terms: current.length,
    obsolete: document.terms.filter((t) => t.is_obsolete).length,
    created: 0,
    attached: [],
    updated: 0,
    unchanged: 0,
    skipped_links: [],
  };
  const ordered = parentsFirst(current);
  const slugOfTerm = new Map<string, string>();

  const apply = async (changes: Changes, term: OboTerm) => {
    const ids = [term.id, ...term.alt_ids, ...(replaces.get(term.id) ?? [])];
    const name = term.name as string;
    let slug = (await byDoids(changes.read, ids))?.slug;
    let by: 'doid' | 'name' | null = slug === undefined ? null : 'doid';
    if (slug === undefined) {
      const exact = term.synonyms.filter((s) => s.scope === 'EXACT').map((s) => s.text);
      slug = await unattachedByName(changes.read, [name, ...exact]);
      if (slug !== undefined) by = 'name';
    }
    const create =
      slug === undefined
        ? {
            slug: await freeSlug(changes.read, slugify(name)),
            name,
            description: term.def?.text ?? null,
            synonyms: [],
            mesh_id: term.xrefs.find((x) => x.system === 'MESH' && /^D\d{6,9}$/.test(x.code))?.code ?? null,
            doid: term.id,
            parent: null,
            parents: [],
          }
        : null;
    const target = slug ?? (create?.slug as string);
    const firstAttachment = slug !== undefined && !(await hasOntologyData(changes.read, slug));
    const parents: string[] = [];
    for (const parent of term.is_a) {
      const parentSlug = slugOfTerm.get(parent) ?? (await byDoids(changes.read, [parent]))?.slug;
      if (parentSlug === undefined)
        summary.skipped_links.push({ term: term.id, parent, reason: 'the parent is in no loaded ontology file' });
      else if (create === null && (await wouldCycle(changes.read, target, parentSlug)))
        summary.skipped_links.push({
          term: term.id,
          parent,
          reason: `'${parentSlug}' is already below '${target}' (a curated link): the link would close a cycle`,
        });
      else parents.push(parentSlug);
    }
    const outcome = await changes.applyOntologyTerm(target, create, {
      term_id: term.id,
      synonyms: term.synonyms.map((s) => ({ text: s.text, scope: s.scope })),
      codes: [
        ...term.xrefs.map((x) => ({ relation: 'xref' as const, system: x.system, code: x.code })),
        ...term.alt_ids.map((id) => ({ relation: 'alt_id' as const, system: id.split(':')[0] as string, code: id })),
        ...(replaces.get(term.id) ?? []).map((id) => ({
          relation: 'replaces' as const,
          system: id.split(':')[0] as string,
          code: id,
        })),
      ],
      parents,
    });
    slugOfTerm.set(term.id, target);
    if (outcome === 'inserted') summary.created++;
    else if (outcome === 'updated') summary.updated++;
    else summary.unchanged++;
    if (by !== null && firstAttachment && outcome === 'updated')
      summary.attached.push({ slug: target, term: term.id, by });
  };

  const reason = `ontology ${document.header.data_version ?? document.header.ontology ?? file}`;
  await commit(db, { actor: 'import:ontology', reason }, async (changes) => {
    for (const [index, term] of ordered.entries()) {
      await apply(changes, term);
      if ((index + 1) % 100 === 0 || index + 1 === ordered.length) onProgress?.(index + 1, ordered.length);
    }
    // An obsolete term whose replacement an earlier file loaded: its id now finds that condition too.
    const inFile = new Set(current.map((t) => t.id));
    for (const [replacement, obsoleteIds] of replaces) {
      if (inFile.has(replacement)) continue;
      const holder = await byDoids(changes.read, [replacement]);
      if (!holder) continue;
      const codes = obsoleteIds.map((id) => ({
        relation: 'replaces' as const,
        system: id.split(':')[0] as string,
        code: id,
      }));
      const outcome = await changes.applyOntologyTerm(holder.slug, null, {
        term_id: replacement,
        synonyms: [],
        codes,
        parents: [],
      });
      if (outcome === 'updated') summary.updated++;
    }
  });
  return summary;
}

/** The name a summary gives a file: its base name. */
export const ontologyFileName = (path: string) => basename(path);
