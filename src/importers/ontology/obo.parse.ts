// OBO 1.2 flat files (Disease Ontology releases) → header + terms, and the transitive closure of their is_a graph.
//
// Our own parser because no npm package fit: the one OBO parser on npm, bionode-obo 0.1.1 (last changed in 2016,
// depends on the deprecated `request`), keeps one value per tag (a term with two is_a lines keeps the last), reads
// no escapes, comments, quoted strings or trailing modifiers, prints to the console when imported and holds its
// state in module globals; on DO_cancer_slim.obo it returned 729 of the 730 terms. This parser is linear (one pass
// over the lines), strict (a malformed line is an error naming its line) and follows the OBO 1.2 format guide
// (Day-Richter, 2006: "The OBO Flat File Format Specification, version 1.2"), sections 2 (syntax: tag-value pairs,
// `!` comments, `{...}` trailing modifiers, escapes) and 4-5 (header and Term tags).

/** Synonym scopes of OBO 1.2; a synonym without one is RELATED, as the guide specifies. */
export const OBO_SYNONYM_SCOPES = ['EXACT', 'RELATED', 'BROAD', 'NARROW'] as const;
export type OboSynonymScope = (typeof OBO_SYNONYM_SCOPES)[number];

/** A database cross-reference split at its first colon: "MESH:D006394" → MESH + D006394. */
export interface OboXref {
  /** "MESH", "NCI", "ICD10CM", "UMLS_CUI", "EFO", "ORDO", "ICDO", "SNOMEDCT_US", ... */
  system: string;
  code: string;
  /** The release date a system name carries, "SNOMEDCT_US_2025_09_01" → "2025-09-01"; else null. */
  version: string | null;
  /** The xref as written, unescaped: "SNOMEDCT_US_2025_09_01:254626006". */
  id: string;
  /** The quoted description after the id, if any. */
  description: string | null;
}

export interface OboSynonym {
  text: string;
  scope: OboSynonymScope;
  /** Synonym type (a synonymtypedef name or id, e.g. "OMO:0003012", the acronym type); null when absent. */
  type: string | null;
  xrefs: string[];
}

export interface OboTerm {
  id: string;
  name: string | null;
  namespace: string | null;
  def: { text: string; xrefs: string[] } | null;
  comment: string | null;
  synonyms: OboSynonym[];
  xrefs: OboXref[];
  /** Older ids that now mean this term. */
  alt_ids: string[];
  /** Parent ids; several for a term with several parents (the ontology is a DAG). */
  is_a: string[];
  relationships: { type: string; target: string }[];
  is_obsolete: boolean;
  replaced_by: string[];
  consider: string[];
  subsets: string[];
  created_by: string | null;
  creation_date: string | null;
  /** Every other tag, values unescaped, in file order (e.g. property_value). */
  other: Record<string, string[]>;
  /** Line of the `[Term]` that opened the stanza. */
  line: number;
}

export interface OboHeader {
  format_version: string;
  data_version: string | null;
  date: string | null;
  ontology: string | null;
  default_namespace: string | null;
  remarks: string[];
  subsetdefs: { name: string; description: string }[];
  synonymtypedefs: { name: string; description: string; scope: OboSynonymScope | null }[];
  idspaces: { prefix: string; uri: string; description: string | null }[];
  other: Record<string, string[]>;
}

export interface OboDocument {
  header: OboHeader;
  terms: OboTerm[];
  /** Relationship types declared in `[Typedef]` stanzas (id and name only). */
  typedefs: { id: string; name: string | null; line: number }[];
}

export class OboParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export class OboCycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`is_a cycle: ${cycle.join(' → ')}`);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', W: ' ', t: '\t' };

/** OBO 1.2 escapes: \n newline, \W space, \t tab; a backslash before any other character stands for that character. */
export function oboUnescape(text: string): string {
  return text.replace(/\\(.)/g, (_, ch: string) => ESCAPES[ch] ?? ch);
}

/**
 * Splits a tag's value into the value proper and what follows it: an unescaped `!` outside quotes starts a comment,
 * an unescaped `{` outside quotes and brackets starts trailing modifiers that must close with `}` before the comment.
 * Escapes are kept for the per-tag readers.
 */
function splitValue(raw: string, line: number): { value: string; modifiers: string | null } {
  let inQuote = false;
  let brackets = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') inQuote = !inQuote;
    else if (inQuote) continue;
    else if (ch === '[') brackets++;
    else if (ch === ']') brackets = Math.max(0, brackets - 1);
    else if (ch === '!') return { value: raw.slice(0, i).trim(), modifiers: null };
    else if (ch === '{' && brackets === 0) {
      const close = raw.indexOf('}', i);
      if (close < 0) throw new OboParseError(line, 'trailing modifier "{" is not closed');
      const rest = raw.slice(close + 1).trim();
      if (rest !== '' && !rest.startsWith('!'))
        throw new OboParseError(line, `text after the trailing modifier: ${JSON.stringify(rest)}`);
      return { value: raw.slice(0, i).trim(), modifiers: raw.slice(i + 1, close).trim() };
    }
  }
  if (inQuote) throw new OboParseError(line, 'quoted string is not closed');
  return { value: raw.trim(), modifiers: null };
}

/** Reads `"text" rest`; returns the unescaped text and the rest. */
function quoted(value: string, line: number, tag: string): { text: string; rest: string } {
  if (!value.startsWith('"')) throw new OboParseError(line, `${tag} must start with a quoted string`);
  for (let i = 1; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === '"') return { text: oboUnescape(value.slice(1, i)), rest: value.slice(i + 1).trim() };
  }
  throw new OboParseError(line, `${tag}: quoted string is not closed`);
}

/** Reads a dbxref list `[a, b]` (commas inside may be escaped); returns the unescaped entries and what follows. */
function xrefList(value: string, line: number, tag: string): { xrefs: string[]; rest: string } {
  if (!value.startsWith('[')) throw new OboParseError(line, `${tag}: expected a dbxref list "[...]"`);
  const items: string[] = [];
  let current = '';
  let inQuote = false;
  for (let i = 1; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '\\') {
      current += ch + (value[i + 1] ?? '');
      i++;
    } else if (ch === '"') {
      inQuote = !inQuote;
      current += ch;
    } else if (!inQuote && (ch === ',' || ch === ']')) {
      if (current.trim() !== '') items.push(oboUnescape(current.trim()));
      current = '';
      if (ch === ']') return { xrefs: items, rest: value.slice(i + 1).trim() };
    } else current += ch;
  }
  throw new OboParseError(line, `${tag}: dbxref list is not closed`);
}

/** "SNOMEDCT_US_2025_09_01:254626006" → { system: SNOMEDCT_US, version: 2025-09-01, code: 254626006 }. */
export function parseOboXref(written: string, description: string | null = null): OboXref | null {
  const id = oboUnescape(written);
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  const prefix = id.slice(0, colon);
  const dated = /^(.+?)_(\d{4})_(\d{2})_(\d{2})$/.exec(prefix);
  return {
    system: dated ? (dated[1] as string) : prefix,
    code: id.slice(colon + 1),
    version: dated ? `${dated[2]}-${dated[3]}-${dated[4]}` : null,
    id,
    description,
  };
}

const SINGLE_VALUED = new Set([
  'id',
  'name',
  'namespace',
  'def',
  'comment',
  'is_obsolete',
  'created_by',
  'creation_date',
]);
const LEGACY_SYNONYMS: Record<string, OboSynonymScope> = {
  exact_synonym: 'EXACT',
  related_synonym: 'RELATED',
  broad_synonym: 'BROAD',
  narrow_synonym: 'NARROW',
};

function newTerm(line: number): OboTerm {
  return {
    id: '',
    name: null,
    namespace: null,
    def: null,
    comment: null,
    synonyms: [],
    xrefs: [],
    alt_ids: [],
    is_a: [],
    relationships: [],
    is_obsolete: false,
    replaced_by: [],
    consider: [],
    subsets: [],
    created_by: null,
    creation_date: null,
    other: {},
    line,
  };
}

function readSynonym(tag: string, value: string, line: number): OboSynonym {
  const { text, rest } = quoted(value, line, tag);
  const tokens: string[] = [];
  let tail = rest;
  while (tail !== '' && !tail.startsWith('[')) {
    const [token = ''] = tail.split(/\s+/, 1);
    tokens.push(token);
    tail = tail.slice(token.length).trim();
  }
  let xrefs: string[] = [];
  if (tail !== '') {
    const list = xrefList(tail, line, tag);
    if (list.rest !== '') throw new OboParseError(line, `${tag}: unexpected text after the dbxref list`);
    xrefs = list.xrefs;
  }
  let scope: OboSynonymScope = LEGACY_SYNONYMS[tag] ?? 'RELATED';
  if (tag === 'synonym' && OBO_SYNONYM_SCOPES.includes(tokens[0] as OboSynonymScope))
    scope = tokens.shift() as OboSynonymScope;
  if (tokens.length > 1) throw new OboParseError(line, `${tag}: unexpected ${JSON.stringify(tokens.join(' '))}`);
  return { text, scope, type: tokens[0] ?? null, xrefs };
}

function applyTermTag(term: OboTerm, tag: string, value: string, line: number, seen: Set<string>): void {
  if (SINGLE_VALUED.has(tag)) {
    if (seen.has(tag)) throw new OboParseError(line, `${tag} given twice in term ${term.id || '(no id yet)'}`);
    seen.add(tag);
  }
  const plain = () => oboUnescape(value).trim();
  switch (tag) {
    case 'id':
      term.id = plain();
      return;
    case 'name':
      term.name = plain();
      return;
    case 'namespace':
      term.namespace = plain();
      return;
    case 'comment':
      term.comment = plain();
      return;
    case 'created_by':
      term.created_by = plain();
      return;
    case 'creation_date':
      term.creation_date = plain();
      return;
    case 'alt_id':
      term.alt_ids.push(plain());
      return;
    case 'is_a':
      term.is_a.push(plain());
      return;
    case 'replaced_by':
      term.replaced_by.push(plain());
      return;
    case 'consider':
      term.consider.push(plain());
      return;
    case 'subset':
      term.subsets.push(plain());
      return;
    case 'is_obsolete': {
      const v = plain();
      if (v !== 'true' && v !== 'false') throw new OboParseError(line, `is_obsolete must be true or false, not ${v}`);
      term.is_obsolete = v === 'true';
      return;
    }
    case 'def': {
      const { text, rest } = quoted(value, line, 'def');
      const { xrefs, rest: after } = rest === '' ? { xrefs: [], rest: '' } : xrefList(rest, line, 'def');
      if (after !== '') throw new OboParseError(line, 'def: unexpected text after the dbxref list');
      term.def = { text, xrefs };
      return;
    }
    case 'xref': {
      const [id = ''] = value.split(/\s+/, 1);
      const rest = value.slice(id.length).trim();
      const description = rest === '' ? null : quoted(rest, line, 'xref').text;
      const xref = parseOboXref(id, description);
      if (!xref) throw new OboParseError(line, `xref ${JSON.stringify(id)} is not PREFIX:ID`);
      term.xrefs.push(xref);
      return;
    }
    case 'relationship': {
      const parts = plain().split(/\s+/);
      if (parts.length < 2) throw new OboParseError(line, 'relationship needs a type and a target');
      term.relationships.push({ type: parts[0] as string, target: parts[1] as string });
      return;
    }
    default:
      if (tag === 'synonym' || tag in LEGACY_SYNONYMS) {
        term.synonyms.push(readSynonym(tag, value, line));
        return;
      }
      term.other[tag] = [...(term.other[tag] ?? []), plain()];
  }
}

function applyHeaderTag(header: OboHeader, tag: string, value: string, line: number): void {
  const plain = () => oboUnescape(value).trim();
  switch (tag) {
    case 'format-version':
      header.format_version = plain();
      return;
    case 'data-version':
      header.data_version = plain();
      return;
    case 'date':
      header.date = plain();
      return;
    case 'ontology':
      header.ontology = plain();
      return;
    case 'default-namespace':
      header.default_namespace = plain();
      return;
    case 'remark':
      header.remarks.push(plain());
      return;
    case 'subsetdef': {
      const [name = ''] = value.split(/\s+/, 1);
      header.subsetdefs.push({ name, description: quoted(value.slice(name.length).trim(), line, 'subsetdef').text });
      return;
    }
    case 'synonymtypedef': {
      const [name = ''] = value.split(/\s+/, 1);
      const { text, rest } = quoted(value.slice(name.length).trim(), line, 'synonymtypedef');
      const scope = rest === '' ? null : (rest as OboSynonymScope);
      if (scope !== null && !OBO_SYNONYM_SCOPES.includes(scope))
        throw new OboParseError(
          line,
          `synonymtypedef scope ${JSON.stringify(rest)} is not EXACT, RELATED, BROAD or NARROW`,
        );
      header.synonymtypedefs.push({ name, description: text, scope });
      return;
    }
    case 'idspace': {
      const [prefix = '', uri = ''] = value.split(/\s+/, 2);
      const rest = value.slice(value.indexOf(uri) + uri.length).trim();
      if (uri === '') throw new OboParseError(line, 'idspace needs a prefix and a URI');
      header.idspaces.push({ prefix, uri, description: rest === '' ? null : quoted(rest, line, 'idspace').text });
      return;
    }
    default:
      header.other[tag] = [...(header.other[tag] ?? []), plain()];
  }
}

/**
 * Parses an OBO 1.2 document in one pass. Header tags before the first stanza; `[Term]` stanzas become OboTerm;
 * `[Typedef]` stanzas are listed by id and name; `[Instance]` stanzas are checked and skipped. Comments (`!`) and
 * trailing modifiers (`{...}`) are removed, escapes resolved. Throws OboParseError (with the line) for: a line that
 * is not `tag: value`, an unknown stanza type, an unclosed quote, dbxref list or modifier, a repeated single-valued
 * tag, a term without an id, a duplicate term id, `is_obsolete` other than true/false, a missing format-version.
 */
export function parseObo(text: string): OboDocument {
  const header: OboHeader = {
    format_version: '',
    data_version: null,
    date: null,
    ontology: null,
    default_namespace: null,
    remarks: [],
    subsetdefs: [],
    synonymtypedefs: [],
    idspaces: [],
    other: {},
  };
  const terms: OboTerm[] = [];
  const typedefs: OboDocument['typedefs'] = [];
  const ids = new Set<string>();
  let stanza: 'header' | 'Term' | 'Typedef' | 'Instance' = 'header';
  let term: OboTerm | null = null;
  let seen = new Set<string>();
  let typedef: OboDocument['typedefs'][number] | null = null;

  const close = () => {
    if (term) {
      if (term.id === '') throw new OboParseError(term.line, '[Term] has no id');
      if (ids.has(term.id)) throw new OboParseError(term.line, `term ${term.id} is defined twice`);
      ids.add(term.id);
      terms.push(term);
    }
    if (typedef) {
      if (typedef.id === '') throw new OboParseError(typedef.line, '[Typedef] has no id');
      typedefs.push(typedef);
    }
    term = null;
    typedef = null;
  };

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('!')) return;
    if (trimmed.startsWith('[')) {
      const m = /^\[(Term|Typedef|Instance)\]\s*(?:!.*)?$/.exec(trimmed);
      if (!m) throw new OboParseError(line, `unknown stanza ${trimmed}`);
      close();
      if (stanza === 'header' && header.format_version === '')
        throw new OboParseError(line, 'the header has no format-version');
      stanza = m[1] as typeof stanza;
      seen = new Set();
      if (stanza === 'Term') term = newTerm(line);
      else if (stanza === 'Typedef') typedef = { id: '', name: null, line };
      return;
    }
    let colon = -1;
    for (let c = 0; c < raw.length; c++) {
      if (raw[c] === '\\') c++;
      else if (raw[c] === ':') {
        colon = c;
        break;
      }
    }
    if (colon <= 0) throw new OboParseError(line, `not a "tag: value" line: ${JSON.stringify(trimmed.slice(0, 60))}`);
    const tag = raw.slice(0, colon).trim();
    const { value } = splitValue(raw.slice(colon + 1), line);
    if (stanza === 'header') applyHeaderTag(header, tag, value, line);
    else if (term) applyTermTag(term, tag, value, line, seen);
    else if (typedef) {
      if (tag === 'id') typedef.id = oboUnescape(value).trim();
      else if (tag === 'name') typedef.name = oboUnescape(value).trim();
    }
  });
  close();
  if (header.format_version === '') throw new OboParseError(lines.length, 'the header has no format-version');
  return { header, terms, typedefs };
}

/**
 * The first is_a cycle among the terms, as the ids along it with the first repeated at the end
 * (["A", "B", "A"]), or null for a DAG. Iterative depth-first search, O(terms + is_a links).
 */
export function findIsACycle(terms: readonly Pick<OboTerm, 'id' | 'is_a'>[]): string[] | null {
  const parents = new Map<string, string[]>();
  for (const t of terms) parents.set(t.id, [...(parents.get(t.id) ?? []), ...t.is_a]);
  const state = new Map<string, 1 | 2>();
  for (const start of parents.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const cursor: number[] = [0];
    state.set(start, 1);
    while (path.length > 0) {
      const node = path[path.length - 1] as string;
      const next = (parents.get(node) ?? [])[cursor[cursor.length - 1] as number];
      if (next === undefined) {
        state.set(node, 2);
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = (cursor[cursor.length - 1] as number) + 1;
      const seen = state.get(next);
      if (seen === 1) return [...path.slice(path.indexOf(next)), next];
      if (seen === undefined) {
        state.set(next, 1);
        path.push(next);
        cursor.push(0);
      }
    }
  }
  return null;
}

/**
 * The transitive closure of is_a: for every id (each term, and each parent named by one), all its descendants,
 * sorted, without itself. Terms given twice (two files of one ontology) have their is_a links joined. Throws
 * OboCycleError naming the cycle when the graph is not acyclic.
 */
export function isADescendants(terms: readonly Pick<OboTerm, 'id' | 'is_a'>[]): Map<string, string[]> {
  const cycle = findIsACycle(terms);
  if (cycle) throw new OboCycleError(cycle);
  const children = new Map<string, Set<string>>();
  const parents = new Map<string, Set<string>>();
  const touch = (id: string) => {
    if (!children.has(id)) children.set(id, new Set());
    if (!parents.has(id)) parents.set(id, new Set());
  };
  for (const t of terms) {
    touch(t.id);
    for (const p of t.is_a) {
      touch(p);
      children.get(p)?.add(t.id);
      parents.get(t.id)?.add(p);
    }
  }
  // Leaves first (Kahn's algorithm on child counts), so each node's children are complete when it is reached.
  const remaining = new Map([...children].map(([id, c]) => [id, c.size]));
  const queue = [...remaining].filter(([, n]) => n === 0).map(([id]) => id);
  const descendants = new Map<string, Set<string>>();
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q] as string;
    const mine = new Set<string>();
    for (const c of children.get(id) ?? []) {
      mine.add(c);
      for (const d of descendants.get(c) ?? []) mine.add(d);
    }
    descendants.set(id, mine);
    for (const p of parents.get(id) ?? []) {
      const left = (remaining.get(p) as number) - 1;
      remaining.set(p, left);
      if (left === 0) queue.push(p);
    }
  }
  return new Map([...descendants].map(([id, set]) => [id, [...set].sort()]));
}

/**
 * The current term for an id: the term itself, the term that lists it as an alt_id, or, for an obsolete term with
 * one replaced_by, that replacement. Null when the id is unknown, or obsolete without a single replacement.
 */
export function resolveOboId(
  document: Pick<OboDocument, 'terms'>,
  id: string,
): { term: OboTerm; via: 'id' | 'alt_id' | 'replaced_by' } | null {
  const byId = new Map(document.terms.map((t) => [t.id, t]));
  const direct = byId.get(id);
  if (direct && !direct.is_obsolete) return { term: direct, via: 'id' };
  if (direct?.is_obsolete) {
    const replacement = direct.replaced_by.length === 1 ? byId.get(direct.replaced_by[0] as string) : undefined;
    return replacement && !replacement.is_obsolete ? { term: replacement, via: 'replaced_by' } : null;
  }
  const alt = document.terms.find((t) => t.alt_ids.includes(id) && !t.is_obsolete);
  return alt ? { term: alt, via: 'alt_id' } : null;
}
