// Turns any user text into a safe FTS5 MATCH expression: words only, each quoted, the last one a prefix.

import { lookupKey } from './normalize.js';

const MAX_TERMS = 32;
/**
 * Shortest last word that matches as a prefix. A one-character prefix ("a*") has no prefix index (the index keeps
 * 2- and 3-character prefixes, see migrations/0001_search.sql), so FTS5 merges the lists of every word starting with
 * that letter before it can rank anything: 110-200 ms of blocking work at 100,000 claims, against 3-10 ms for any
 * two-character prefix. A one-character last word matches as a whole word instead.
 */
export const MIN_PREFIX_LENGTH = 2;

/**
 * "Vemurafenib resist" → `"vemurafenib" "resist"*`. FTS5 syntax characters, quotes and operators in the input
 * can never reach the engine: only letter/digit runs survive, each double-quoted, each once. The last word is a prefix
 * when it has MIN_PREFIX_LENGTH characters or more. At most 32 distinct words are used. Returns undefined when the
 * text has no word.
 */
export function toMatchQuery(text: string): string | undefined {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return undefined;
  // A repeated word narrows nothing but is scored once per repetition: "a" 32 times cost 134 ms against 10 ms once.
  const used = [...new Set(words.map((w) => w.toLowerCase()))].slice(0, MAX_TERMS);
  const terms = used.map((w) => `"${w}"`);
  if ([...(used[used.length - 1] ?? '')].length >= MIN_PREFIX_LENGTH)
    terms[terms.length - 1] = `${terms[terms.length - 1]}*`;
  return terms.join(' ');
}

/** The words of a query as the index sees them (lower case, accents removed), for highlighting. */
export function queryWords(text: string): string[] {
  return (text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS).map(lookupKey);
}
