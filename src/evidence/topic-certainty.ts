// A topic's overall certainty (GRADE: the lowest among its critical claims) and the check that its bottom line claims no more than that.
import { z } from 'zod';
import { type GradeLevel, levelText } from './grade-domains.js';
import { GRADE_LEVEL_NAMES, GRADE_LEVELS } from './grades.js';
import type { RuleViolation } from './violations.js';

/**
 * How much a claim's outcome matters to the topic's question: GRADE rates outcomes 7-9 `critical`, 4-6 `important`,
 * 1-3 of limited importance (`not_important`) (Guyatt et al., GRADE guidelines 2, J Clin Epidemiol 2011;64:395-400).
 */
export const CLAIM_IMPORTANCE = ['critical', 'important', 'not_important'] as const;
export type ClaimImportance = (typeof CLAIM_IMPORTANCE)[number];

export const TopicClaimImportance = z
  .enum(CLAIM_IMPORTANCE)
  .nullable()
  .default(null)
  .describe(
    "How much the claim matters to the topic's question (GRADE outcome importance); the topic's overall certainty is the lowest among its `critical` claims. Null: not yet rated.",
  )
  .meta({ example: 'critical' });

export interface TopicClaimForCertainty {
  id: string;
  status: string;
  importance: ClaimImportance | null;
  grade: { scheme: string; level: string };
}

export interface TopicCertainty {
  /** The overall GRADE level; null when no published GRADE claim counts. */
  level: GradeLevel | null;
  certainty: number | null;
  /** `critical_claims`: the lowest among the claims rated critical; `all_claims`: none is rated critical, so the
   * lowest among every published GRADE claim not rated `not_important` (never higher than the critical rule would give). */
  basis: 'critical_claims' | 'all_claims' | 'none';
  /** Claims at that lowest level, in topic order. */
  determined_by: string[];
  /** Claims that counted. */
  considered: string[];
  /** Claims that did not count, and why. */
  excluded: { id: string; reason: string }[];
  explanation: string;
}

/**
 * A topic's overall certainty by GRADE's rule: "in general, it is based on the critical outcome that provides the
 * lowest confidence" (Guyatt et al., GRADE guidelines 11, J Clin Epidemiol 2013;66:151-7). Only published claims graded
 * with GRADE count (a CIViC level is not a GRADE certainty). GRADE 11 allows the highest certainty when every critical
 * outcome points the same way; a topic mixes associations and effects, so the conservative lowest is kept.
 */
export function topicOverallCertainty(claims: readonly TopicClaimForCertainty[]): TopicCertainty {
  const excluded: { id: string; reason: string }[] = [];
  const graded: TopicClaimForCertainty[] = [];
  for (const c of claims) {
    if (c.status !== 'published') excluded.push({ id: c.id, reason: `status ${c.status}` });
    else if (c.grade.scheme !== 'GRADE' || !(c.grade.level in GRADE_LEVELS.GRADE))
      excluded.push({ id: c.id, reason: `graded with ${c.grade.scheme}, not GRADE` });
    else graded.push(c);
  }
  const critical = graded.filter((c) => c.importance === 'critical');
  const basis = critical.length > 0 ? 'critical_claims' : graded.length > 0 ? 'all_claims' : 'none';
  const considered = basis === 'critical_claims' ? critical : graded.filter((c) => c.importance !== 'not_important');
  for (const c of graded)
    if (!considered.includes(c))
      excluded.push({
        id: c.id,
        reason: c.importance === 'not_important' ? 'not important' : `rated ${c.importance}, not critical`,
      });
  const certaintyOf = (c: TopicClaimForCertainty) => GRADE_LEVELS.GRADE[c.grade.level] as number;
  const lowest = considered.length === 0 ? null : Math.min(...considered.map(certaintyOf));
  const level = lowest === null ? null : (GRADE_LEVEL_NAMES[4 - lowest] as GradeLevel);
  const determinedBy = considered.filter((c) => certaintyOf(c) === lowest).map((c) => c.id);
  const explanation =
    level === null
      ? 'No published claim graded with GRADE counts, so the topic has no overall certainty.'
      : `${levelText(level)[0]?.toUpperCase()}${levelText(level).slice(1)}: the lowest certainty among ${
          basis === 'critical_claims'
            ? `its ${considered.length} critical claim(s)`
            : `its ${considered.length} claim(s) (none is rated critical)`
        }, from ${determinedBy.join(', ')} (GRADE guidelines 11).`;
  return {
    level,
    certainty: lowest,
    basis: considered.length === 0 ? 'none' : basis,
    determined_by: determinedBy,
    considered: considered.map((c) => c.id),
    excluded,
    explanation,
  };
}

/**
 * Phrases that claim more certainty than GRADE's wording allows below a level. GRADE's informative statements (Santesso
 * et al., GRADE guidelines 26, J Clin Epidemiol 2020;119:126-35) state an effect without qualification only at high
 * certainty ("x reduces y"), hedge at moderate ("probably/likely"), say "may" at low and "the evidence is very
 * uncertain" at very low. So words of proof need high certainty, and words calling the evidence clear or strong need at
 * least moderate. Our choice of words; each is matched as a whole word, case-insensitively, and skipped when a negation
 * (no, not, never, without, cannot, lack ...) stands within the four words before it in the same clause ("not yet
 * proven", "no clear evidence").
 */
export const OVERCLAIMING_PHRASES: readonly { pattern: RegExp; needs: GradeLevel }[] = [
  { pattern: /\bprov(?:en|ed|es)\b/gi, needs: 'high' },
  { pattern: /\bproof\b/gi, needs: 'high' },
  { pattern: /\bdefinitive(?:ly)?\b|\bdefinitely\b/gi, needs: 'high' },
  { pattern: /\bconclusive(?:ly)?\b/gi, needs: 'high' },
  { pattern: /\bcertainly\b/gi, needs: 'high' },
  { pattern: /\bbeyond (?:any |reasonable )?doubt\b/gi, needs: 'high' },
  { pattern: /\bconfirm(?:s|ed)\b/gi, needs: 'high' },
  { pattern: /\b(?:well[- ])?established\b/gi, needs: 'high' },
  {
    pattern: /\bclear(?:ly)? (?:evidence|proof|link|benefit|effect|association|connection|relationship)\b/gi,
    needs: 'moderate',
  },
  { pattern: /\bclearly\b/gi, needs: 'moderate' },
  { pattern: /\bit is clear\b/gi, needs: 'moderate' },
  { pattern: /\bstrong(?:ly)? (?:evidence|support(?:s|ed)?|link(?:s|ed)?|associat(?:ed|ion))\b/gi, needs: 'moderate' },
  { pattern: /\b(?:robust|solid|firm) evidence\b/gi, needs: 'moderate' },
  { pattern: /\b(?:convincing|compelling)\b/gi, needs: 'moderate' },
  { pattern: /\bwell[- ](?:supported|documented)\b/gi, needs: 'moderate' },
];

const NEGATIONS = new Set([
  'no',
  'not',
  'never',
  'nor',
  'neither',
  'none',
  'without',
  'lack',
  'lacks',
  'lacking',
  'cannot',
  "can't",
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  "hasn't",
  "haven't",
  "hadn't",
  "doesn't",
  "don't",
  "didn't",
  'unlikely',
]);

export interface OverclaimingPhrase {
  /** The words as written. */
  phrase: string;
  /** Character offset in the text. */
  index: number;
  /** The lowest overall certainty at which the phrase is allowed. */
  needs: GradeLevel;
}

function negated(text: string, index: number): boolean {
  const clause =
    text
      .slice(0, index)
      .split(/[.;:!?,]/)
      .pop() ?? '';
  const words =
    clause
      .toLowerCase()
      .replace(/’/g, "'")
      .match(/[a-z']+/g) ?? [];
  return words.slice(-4).some((w) => NEGATIONS.has(w));
}

/** The phrases in `text` that claim more than `level` allows (null = no overall certainty: as very low), in text order; overlapping matches are reported once. */
export function overclaimingPhrases(text: string, level: GradeLevel | null): OverclaimingPhrase[] {
  const have = level === null ? 1 : (GRADE_LEVELS.GRADE[level] as number);
  const found: OverclaimingPhrase[] = [];
  for (const { pattern, needs } of OVERCLAIMING_PHRASES) {
    if (have >= (GRADE_LEVELS.GRADE[needs] as number)) continue;
    for (const m of text.matchAll(pattern))
      if (!negated(text, m.index)) found.push({ phrase: m[0], index: m.index, needs });
  }
  found.sort((a, b) => a.index - b.index || b.phrase.length - a.phrase.length);
  return found.filter(
    (f, i) =>
      i === 0 ||
      f.index >= (found[i - 1] as OverclaimingPhrase).index + (found[i - 1] as OverclaimingPhrase).phrase.length,
  );
}

/**
 * A topic's bottom line may not claim more than its overall certainty (see OVERCLAIMING_PHRASES). Rule
 * `topic.bottom_line_within_certainty` with every phrase in `extensions.phrases`, or null. The same check serves a
 * claim's statement against its own level.
 */
export function checkBottomLine(bottomLine: string, overall: GradeLevel | null): RuleViolation | null {
  const phrases = overclaimingPhrases(bottomLine, overall);
  if (phrases.length === 0) return null;
  const have = overall === null ? 'no overall certainty' : `an overall certainty of ${levelText(overall)}`;
  const wording =
    overall === 'moderate'
      ? '"probably" or "likely"'
      : overall === 'low'
        ? '"may"'
        : '"the evidence is very uncertain about ..."';
  const listed = phrases.map((p) => `'${p.phrase}' (needs ${levelText(p.needs)})`).join(', ');
  return {
    rule: 'topic.bottom_line_within_certainty',
    detail: `The bottom line claims more than ${have} allows: ${listed}. At this certainty GRADE's wording is ${wording} (GRADE guidelines 26).`,
    extensions: { phrases },
  };
}
