// What a `condition=` names: a condition by any spelling, or a clinical abbreviation from the curated file, or a
// 400 that lists the candidates when it could mean several (never a silent guess).

import { ApiProblem, badRequest } from '../../http/problem.js';
import {
  type ConditionAbbreviation,
  readConditionAbbreviations,
} from '../../importers/ontology/condition-abbreviations.js';
import type { Reader } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { lookupCandidates } from '../../store/lookup.queries.js';
import type { Narrow, RowOf } from '../../store/rows.js';

let abbreviations: Map<string, ConditionAbbreviation> | undefined;

/** The curated abbreviations (seeds/condition-abbreviations.tsv), read once, keyed by upper case. */
function abbreviationTable(): Map<string, ConditionAbbreviation> {
  abbreviations ??= new Map(readConditionAbbreviations().map((a) => [a.abbreviation.toUpperCase(), a]));
  return abbreviations;
}

/** The curated abbreviations that name the term `doid`, for a condition's detail. */
export function abbreviationsOf(doid: string | null): { abbreviation: string; source: string; ambiguous: boolean }[] {
  if (doid === null) return [];
  return [...abbreviationTable().values()].flatMap((a) =>
    a.candidates
      .filter((c) => c.doid === doid)
      .map((c) => ({ abbreviation: a.abbreviation, source: c.source, ambiguous: a.ambiguous })),
  );
}

/** One possible meaning of an ambiguous `condition=`. */
export interface ConditionCandidate {
  /** The condition's slug; null when the term is not (yet) a condition in this database. */
  slug: string | null;
  name: string;
  doid: string | null;
}

export type ConditionMatch =
  | { id: number }
  | { ambiguous: true; reason: string; candidates: ConditionCandidate[] }
  | { id: undefined };

const byDoid = (h: Reader, doid: string) =>
  h.get<Narrow<RowOf<'conditions', 'id' | 'slug' | 'name' | 'doid'>, { doid: string }>>(
    'SELECT id, slug, name, doid FROM conditions WHERE doid = ? ORDER BY id LIMIT 1',
    [doid],
  );

const bySlug = (h: Reader, slug: string) =>
  h.get<RowOf<'conditions', 'id'>>('SELECT id FROM conditions WHERE slug = ?', [slug]);

/**
 * Resolves what a user typed to one condition:
 * 0. a condition's own slug, exactly as written, is that condition: a slug is an identifier, so another condition
 *    named or coded the same (a curator's "ａｃｎｅ", an ontology term called "melanoma") never makes it ambiguous;
 * 1. an abbreviation the curated file marks ambiguous (MM, ALL) is ambiguous, whatever else it matches;
 * 2. the best-ranked spelling (slug, name or code, then EXACT or curated synonym, then RELATED synonym): one
 *    condition is the answer, several at the same rank are ambiguous;
 * 3. an unambiguous curated abbreviation (AML, SCLC, CRC, HCC, ...) names the condition attached to its DOID.
 */
export async function resolveCondition(h: Reader, text: string): Promise<ConditionMatch> {
  const own = await bySlug(h, text);
  if (own) return { id: own.id };
  const abbreviation = abbreviationTable().get(text.trim().toUpperCase());
  if (abbreviation?.ambiguous)
    return {
      ambiguous: true,
      reason: abbreviation.reason ?? 'the abbreviation names several conditions',
      candidates: await Promise.all(
        abbreviation.candidates.map(async (c) => {
          const found = await byDoid(h, c.doid);
          return { slug: found?.slug ?? null, name: found?.name ?? c.name, doid: c.doid };
        }),
      ),
    };
  const ids = await lookupCandidates(h, 'condition', text);
  if (ids.length === 1) return { id: ids[0] as number };
  if (ids.length > 1) {
    const rows = await h.all<ConditionCandidate>(
      `SELECT slug, name, doid FROM conditions WHERE id IN (SELECT CAST(value AS INTEGER) FROM ${dialectOf(h).jsonValues('?')}) ORDER BY slug`,
      [JSON.stringify(ids)],
    );
    return { ambiguous: true, reason: `'${text}' is a name or synonym of ${rows.length} conditions`, candidates: rows };
  }
  const only = abbreviation?.candidates.length === 1 ? abbreviation.candidates[0] : undefined;
  const found = only ? await byDoid(h, only.doid) : undefined;
  return { id: found?.id };
}

/**
 * The condition id for a parameter, or a 400 naming `path`: unknown (`no condition is known by ...`), or ambiguous
 * (code `conditions.ambiguous`, with `candidates` to choose from: each a slug to pass instead).
 */
export async function requireCondition(h: Reader, text: string, path: string): Promise<number> {
  const match = await resolveCondition(h, text);
  if ('ambiguous' in match) {
    const listed = match.candidates.map((c) => `${c.slug ?? c.doid} (${c.name})`).join(', ');
    throw new ApiProblem(
      400,
      'conditions.ambiguous',
      'Ambiguous condition',
      `${path}: '${text}' could mean ${listed}: ${match.reason}. Pass one of the slugs instead.`,
      [{ path, message: `ambiguous: could mean ${listed}` }],
      { candidates: match.candidates },
    );
  }
  if (match.id === undefined)
    throw badRequest(path, `no condition is known by '${text}' (slug, name, synonym or code)`);
  return match.id;
}
