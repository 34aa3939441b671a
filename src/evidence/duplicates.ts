// Lists that name each item once (a claim's studies, interventions and PICO age groups, a topic's claims, a
// condition's parents, synonyms): the first repeat, as the rule violation a write is refused with (a 422 naming it).
import type { RuleViolation } from './violations.js';

/** One item of a list as a write gives it: how it compares, where it is in the body, how a message names it. */
export interface ListEntry {
  /** What makes two entries the same item (a study key, a slug, a synonym's lookup key). */
  key: string;
  /** Its path in the request body, e.g. `studies[2].pmid` or `parents[0]`. */
  path: string;
  /** How a reader knows it, e.g. `PMID 29097493` or `'rosacea'`. */
  label: string;
}

/**
 * The first entry whose key an earlier entry already has, as rule `rule` (e.g. `claim.studies_unique`): `detail`
 * names the item and both places, `errors` the repeated path, `extensions.duplicate` the item's key. `what` finishes
 * the sentence "…: <what>", e.g. "a claim links each study once". Null when every key is distinct.
 */
export function duplicateViolation(rule: string, entries: readonly ListEntry[], what: string): RuleViolation | null {
  const seen = new Map<string, ListEntry>();
  for (const entry of entries) {
    const first = seen.get(entry.key);
    if (first === undefined) {
      seen.set(entry.key, entry);
      continue;
    }
    const message = `${entry.label} is already ${first.path}`;
    return {
      rule,
      detail: `${entry.path} repeats ${entry.label} (already ${first.path}): ${what}.`,
      errors: [{ path: entry.path, message }],
      extensions: { duplicate: entry.key },
    };
  }
  return null;
}
