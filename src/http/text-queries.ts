// Text parameters that must name something searchable: a 400 naming the parameter when they cannot.
import { toMatchQuery } from '../store/fts.js';
import { prefixParams } from '../store/lookup.queries.js';
import { badRequest } from './problem.js';

/** An FTS5 MATCH expression from user text, or a 400 naming `path` when it has no word at all. */
export function requireMatchQuery(path: string, text: string): string {
  const match = toMatchQuery(text);
  if (match === undefined) throw badRequest(path, 'must contain at least one letter or digit');
  return match;
}

/** The lookup-key range of a `?q=` prefix, or a 400 when it has no letter or digit. */
export function requirePrefix(q: string): { q: string; q_end: string } {
  const range = prefixParams(q);
  if (range === undefined) throw badRequest('query.q', 'must contain at least one letter or digit');
  return range;
}
