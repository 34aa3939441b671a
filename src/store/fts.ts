// Turns any user text into a safe FTS5 MATCH expression: words only, each quoted, the last one a prefix.

import { lookupKey } from './normalize.js';

const MAX_TERMS = 32;

/**
 * "Vemurafenib resist" → `"vemurafenib" "resist"*`. FTS5 syntax characters, quotes and operators in the input
 * can never reach the engine: only letter/digit runs survive, each double-quoted. Returns undefined when the text
 * has no word at all.
 */
export function toMatchQuery(text: string): string | undefined {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu);
  if (!words || words.length === 0) return undefined;
  const terms = words.slice(0, MAX_TERMS).map((w) => `"${w.toLowerCase()}"`);
  terms[terms.length - 1] = `${terms[terms.length - 1]}*`;
  return terms.join(' ');
}

/** The words of a query as the index sees them (lower case, accents removed), for highlighting. */
export function queryWords(text: string): string[] {
  return (text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS).map(lookupKey);
}
