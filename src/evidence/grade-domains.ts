// GRADE certainty explained domain by domain: the starting level from the supporting designs, the five reasons to rate down, the three to rate up, and the check that a claim's level is what they give.
import { z } from 'zod';
import { GRADE_LEVEL_NAMES, GRADE_LEVELS } from './grades.js';
import type { StudyDesign } from './study-record.js';
import type { FieldViolation, RuleViolation } from './violations.js';
import { DESIGN_STRENGTH } from './vocabulary.js';

export type GradeLevel = (typeof GRADE_LEVEL_NAMES)[number];

/** GRADE's five reasons to rate certainty down (GRADE guidelines 4-8, J Clin Epidemiol 2011;64:407-15, 1277-1310). */
export const GRADE_DOWNGRADE_DOMAINS = [
  'risk_of_bias',
  'inconsistency',
  'indirectness',
  'imprecision',
  'publication_bias',
] as const;
/** GRADE's three reasons to rate certainty up (GRADE guidelines 9, J Clin Epidemiol 2011;64:1311-6). */
export const GRADE_UPGRADE_DOMAINS = ['large_effect', 'dose_response', 'plausible_confounding'] as const;
export const GRADE_DOMAINS = [...GRADE_DOWNGRADE_DOMAINS, ...GRADE_UPGRADE_DOMAINS] as const;
export type GradeDowngradeDomain = (typeof GRADE_DOWNGRADE_DOMAINS)[number];
export type GradeUpgradeDomain = (typeof GRADE_UPGRADE_DOMAINS)[number];
export type GradeDomain = (typeof GRADE_DOMAINS)[number];

/**
 * Judgements per domain and the levels each moves: rate-down domains -0/-1/-2 (for publication bias GRADE says
 * "undetected / strongly suspected / very strongly suspected"; the same three steps); large effect +1 (relative risk
 * 2-5 or 0.2-0.5) or +2 (beyond 5 or 0.2); a dose-response gradient and plausible confounding +1 each.
 */
export const CONCERN_JUDGEMENTS = ['not_serious', 'serious', 'very_serious'] as const;
export const LARGE_EFFECT_JUDGEMENTS = ['none', 'large', 'very_large'] as const;
export const PRESENCE_JUDGEMENTS = ['absent', 'present'] as const;
export type ConcernJudgement = (typeof CONCERN_JUDGEMENTS)[number];
export type LargeEffectJudgement = (typeof LARGE_EFFECT_JUDGEMENTS)[number];
export type PresenceJudgement = (typeof PRESENCE_JUDGEMENTS)[number];

const CHANGE: Record<string, number> = {
  not_serious: 0,
  serious: -1,
  very_serious: -2,
  none: 0,
  large: 1,
  very_large: 2,
  absent: 0,
  present: 1,
};

/** What a systematic review or meta-analysis pools, which decides where GRADE starts for it. */
export const SYNTHESIS_OF = ['randomised', 'observational'] as const;
export type SynthesisOf = (typeof SYNTHESIS_OF)[number];

/**
 * Why the rating starts where it does. `randomised`: a supporting randomised trial (or a synthesis of trials), high.
 * `observational`: a supporting non-randomised comparative study, low. `uncontrolled`: case series or case reports only,
 * very low. `not_rateable`: only narrative reviews, expert opinion, animal, in-vitro, other or unknown designs, very
 * low. `no_supporting_study`: nothing links as `supports`, very low.
 */
export const GRADE_START_BASES = [
  'randomised',
  'observational',
  'uncontrolled',
  'not_rateable',
  'no_supporting_study',
] as const;
export type GradeStartBasis = (typeof GRADE_START_BASES)[number];

const START_OF_BASIS: Record<GradeStartBasis, GradeLevel> = {
  randomised: 'high',
  observational: 'low',
  uncontrolled: 'very_low',
  not_rateable: 'very_low',
  no_supporting_study: 'very_low',
};

/**
 * Each design's basis. Randomised trials start high and non-randomised studies low (Balshem et al., GRADE guidelines
 * 3, J Clin Epidemiol 2011;64:401-6); case series and case reports very low (Cochrane Handbook 5.1, Table 12.2.a). A
 * narrative review selects studies unsystematically and expert opinion is not evidence (Schünemann et al., BMJ
 * 2019;366:l4606), and animal and in-vitro studies do not measure the human effect: none of them is a body of evidence
 * GRADE starts from, so they count as "any other evidence", very low (GRADE Working Group, BMJ 2004;328:1490, Table 2).
 * A systematic review or meta-analysis starts where the designs it pools start; `null` = not yet known.
 */
export const DESIGN_START_BASIS: Record<StudyDesign, GradeStartBasis | null> = {
  meta_analysis: null,
  systematic_review: null,
  rct: 'randomised',
  non_randomised_trial: 'observational',
  cohort: 'observational',
  case_control: 'observational',
  cross_sectional: 'observational',
  case_series: 'uncontrolled',
  case_report: 'uncontrolled',
  narrative_review: 'not_rateable',
  animal: 'not_rateable',
  in_vitro: 'not_rateable',
  expert_opinion: 'not_rateable',
  other: 'not_rateable',
};

const BASIS_REASON: Record<GradeStartBasis, string> = {
  randomised: 'randomised evidence starts high (GRADE guidelines 3)',
  observational: 'observational evidence starts low (GRADE guidelines 3)',
  uncontrolled: 'case series and case reports start very low (Cochrane Handbook 5.1, Table 12.2.a)',
  not_rateable:
    'narrative reviews, expert opinion, animal, in-vitro and unclassified studies are no body of evidence GRADE starts from, so they count as any other evidence, very low (GRADE Working Group, BMJ 2004)',
  no_supporting_study: 'only supporting studies can start a level',
};

export const levelText = (level: GradeLevel) => level.replace('_', ' ');
const levelOf = (certainty: number): GradeLevel =>
  GRADE_LEVEL_NAMES[4 - Math.min(4, Math.max(1, certainty))] as GradeLevel;
const certaintyOfLevel = (level: GradeLevel) => GRADE_LEVELS.GRADE[level] as number;
const domainText = (domain: GradeDomain) =>
  domain === 'dose_response' ? 'dose-response gradient' : domain.replace('_', ' ').replace('_', ' ');
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

const rationale = z
  .string()
  .max(2000)
  .nullable()
  .default(null)
  .describe('Why this judgement, citing what in the evidence shows it; required when the domain moves the level.');

const downgradeDomain = (name: string, example: string) =>
  z
    .object({
      judgement: z
        .enum(CONCERN_JUDGEMENTS)
        .describe(`${name}: \`not_serious\` (0), \`serious\` (-1) or \`very_serious\` (-2).`),
      rationale,
    })
    .strict()
    .nullable()
    .default(null)
    .describe(`${name}; null when not yet assessed.`)
    .meta({ example: { judgement: 'serious', rationale: example } });

/** A claim's GRADE domains as a curator writes them; a null domain is not yet assessed. */
export const GradeDomainsInput = z
  .object({
    risk_of_bias: downgradeDomain(
      'Risk of bias (study limitations)',
      'The one cohort did not adjust for antibiotic use or diet.',
    ),
    inconsistency: downgradeDomain(
      'Inconsistency of results across studies',
      'Strains and doses differ between trials.',
    ),
    indirectness: downgradeDomain(
      'Indirectness (population, intervention, comparator or outcome differ from the question)',
      'Evidence is in melanoma immunotherapy, not skin health in general.',
    ),
    imprecision: downgradeDomain('Imprecision', 'Faecal samples from 43 patients only.'),
    publication_bias: downgradeDomain(
      'Publication bias (serious = strongly suspected, very serious = very strongly suspected)',
      'Only small positive studies are published.',
    ),
    large_effect: z
      .object({
        judgement: z
          .enum(LARGE_EFFECT_JUDGEMENTS)
          .describe('`none` (0), `large` (+1: relative risk 2-5 or 0.2-0.5), `very_large` (+2: beyond 5 or 0.2).'),
        rationale,
      })
      .strict()
      .nullable()
      .default(null)
      .describe('Large magnitude of effect; null when not yet assessed.')
      .meta({ example: { judgement: 'none', rationale: null } }),
    dose_response: z
      .object({
        judgement: z.enum(PRESENCE_JUDGEMENTS).describe('`absent` (0) or `present` (+1).'),
        rationale,
      })
      .strict()
      .nullable()
      .default(null)
      .describe('Dose-response gradient; null when not yet assessed.')
      .meta({ example: { judgement: 'absent', rationale: null } }),
    plausible_confounding: z
      .object({
        judgement: z
          .enum(PRESENCE_JUDGEMENTS)
          .describe(
            '`present` (+1) when all plausible confounding would reduce a demonstrated effect, or suggest a spurious one when results show none.',
          ),
        rationale,
      })
      .strict()
      .nullable()
      .default(null)
      .describe('Plausible residual confounding working against the effect; null when not yet assessed.')
      .meta({ example: { judgement: 'absent', rationale: null } }),
  })
  .strict()
  .describe('GRADE domain judgements for the claim as one body of evidence on its outcome.')
  .meta({ id: 'GradeDomainsWrite' });
export type GradeDomainsInput = z.input<typeof GradeDomainsInput>;
export type GradeDomains = z.output<typeof GradeDomainsInput>;

/** The fields a claim's `grade` gains for a domain-by-domain GRADE assessment (the lead merges them into ClaimInput). */
export const GradeAssessmentInput = z
  .object({
    domains: GradeDomainsInput.nullable()
      .default(null)
      .describe('Domain judgements; null for a claim not yet assessed by domain (then only the design rule applies).'),
    synthesis_of: z
      .enum(SYNTHESIS_OF)
      .nullable()
      .default(null)
      .describe(
        'What the supporting systematic reviews or meta-analyses pool: `randomised` starts high, `observational` low; null (unknown) starts low.',
      )
      .meta({ example: 'randomised' }),
    override_reason: z
      .string()
      .min(1)
      .max(2000)
      .nullable()
      .default(null)
      .describe(
        "Why the level differs from what the domains give; the response then flags the grade as overridden and shows both. Without it a level that differs from the domains' arithmetic is a 422.",
      )
      .meta({ example: 'ROBINS-I assessment of the cohort lets it start high (GRADE guidelines 18).' }),
  })
  .strict()
  .meta({ id: 'GradeAssessmentWrite' });
export type GradeAssessmentInput = z.output<typeof GradeAssessmentInput>;

export interface GradeStart {
  level: GradeLevel;
  basis: GradeStartBasis;
  /** The supporting design the start comes from; null when no supporting study has a design. */
  design: StudyDesign | null;
  reason: string;
}

/**
 * Where GRADE starts for a claim: the highest start among the designs of the studies linked as `supports` (a
 * contradicting or context study never starts a level). `synthesis_of` says what supporting reviews pool; unknown
 * starts low. Designs that are null (not yet known) are skipped.
 */
export function gradeStart(
  supportingDesigns: readonly (StudyDesign | null)[],
  synthesisOf: SynthesisOf | null = null,
): GradeStart {
  let best: GradeStart | null = null;
  for (const design of supportingDesigns) {
    // A design outside the vocabulary (a stale database value) is as unknown as null.
    if (design === null || !Object.hasOwn(DESIGN_START_BASIS, design)) continue;
    const basis = DESIGN_START_BASIS[design] ?? (synthesisOf === 'randomised' ? 'randomised' : 'observational');
    const level = START_OF_BASIS[basis];
    const pooled =
      DESIGN_START_BASIS[design] === null
        ? ` pooling ${synthesisOf === null ? 'designs not stated (a review starts low until synthesis_of says randomised)' : `${synthesisOf} studies`}`
        : '';
    const reason = `the strongest supporting design is ${design}${pooled}, and ${BASIS_REASON[basis]}`;
    const candidate: GradeStart = { level, basis, design, reason };
    if (
      best === null ||
      certaintyOfLevel(level) > certaintyOfLevel(best.level) ||
      (level === best.level && DESIGN_STRENGTH.indexOf(design) < DESIGN_STRENGTH.indexOf(best.design ?? 'other'))
    )
      best = candidate;
  }
  if (best !== null) return best;
  const basis: GradeStartBasis = supportingDesigns.length === 0 ? 'no_supporting_study' : 'not_rateable';
  const reason =
    basis === 'no_supporting_study'
      ? `no study is linked as supporting the claim, and ${BASIS_REASON.no_supporting_study}`
      : 'no supporting study has a known design, and a study of unknown design cannot start a level';
  return { level: START_OF_BASIS[basis], basis, design: null, reason };
}

export interface GradeStep {
  domain: GradeDomain;
  judgement: string;
  /** Levels this judgement moves by GRADE's rule, -2 to +2 (0 when it is not counted). */
  change: number;
  /** The level after this step, never below very low nor above high. */
  level_after: GradeLevel;
  rationale: string | null;
  /** Why the change was not counted or was cut at the floor/ceiling; null otherwise. */
  note: string | null;
}

export interface GradeComputation {
  start: GradeStart;
  /** Assessed domains in GRADE's order: the five rate-down domains, then the three rate-up domains. */
  steps: GradeStep[];
  level: GradeLevel;
  /** 1 (very low) to 4 (high), as `grade.certainty` elsewhere. */
  certainty: number;
  /** Domains with no judgement yet, in GRADE's order. */
  unassessed: GradeDomain[];
  /** True when a rate-down domain is unassessed: the level is then the most the assessed domains allow. */
  upper_bound: boolean;
  /** The arithmetic in words, e.g. "Start low: the strongest supporting design is cohort, ... Risk of bias: serious -1 → very low. ... Result: very low." */
  explanation: string;
}

/**
 * Computes a claim's GRADE level from its supporting designs and domain judgements.
 *
 * Rules, in order: start from `gradeStart`; each assessed rate-down domain moves -0/-1/-2, never below very low;
 * rate-up domains move +1/+2 (large effect) or +1, never above high, and count only when the start is observational
 * or uncontrolled, every rate-down domain is assessed, and none rated down ("usually only applicable to observational
 * studies without any reason for rating down", GRADE guidelines 9 and the GRADE summary table in PMC6692166).
 *
 * Decision on unassessed domains: a null rate-down domain counts as no concern in the arithmetic, so the result is the
 * most the known domains allow (`upper_bound: true`, and the explanation names the domains); and unassessed domains
 * block every rating up, because "no reason for rating down" cannot be known while a domain is unassessed. So a level
 * above the start needs all five rate-down domains assessed.
 */
export function computeGradeLevel(input: {
  supporting_designs: readonly (StudyDesign | null)[];
  synthesis_of?: SynthesisOf | null;
  domains: GradeDomainsInput | null;
}): GradeComputation {
  const start = gradeStart(input.supporting_designs, input.synthesis_of ?? null);
  const domains: GradeDomainsInput = input.domains ?? {};
  const steps: GradeStep[] = [];
  const unassessed: GradeDomain[] = [];
  let certainty = certaintyOfLevel(start.level);

  for (const domain of GRADE_DOWNGRADE_DOMAINS) {
    const judged = domains[domain];
    if (!judged) {
      unassessed.push(domain);
      continue;
    }
    const change = CHANGE[judged.judgement] as number;
    const after = Math.max(1, certainty + change);
    steps.push({
      domain,
      judgement: judged.judgement,
      change,
      level_after: levelOf(after),
      rationale: judged.rationale ?? null,
      note: certainty + change < 1 ? 'cut at very low, the lowest level' : null,
    });
    certainty = after;
  }

  const downgraded = steps.some((s) => s.change < 0);
  const upgradeBlock =
    start.basis !== 'observational' && start.basis !== 'uncontrolled'
      ? start.basis === 'randomised'
        ? 'randomised evidence already starts high'
        : 'rating up applies to observational studies, not to evidence GRADE does not start from'
      : downgraded
        ? 'rating up is only for evidence with no reason to rate down (GRADE guidelines 9)'
        : unassessed.length > 0
          ? `rating up needs every rate-down domain assessed, and ${unassessed.map(domainText).join(', ')} ${unassessed.length === 1 ? 'is' : 'are'} not`
          : null;

  for (const domain of GRADE_UPGRADE_DOMAINS) {
    const judged = domains[domain];
    if (!judged) {
      unassessed.push(domain);
      continue;
    }
    const nominal = CHANGE[judged.judgement] as number;
    const counted = nominal > 0 && upgradeBlock !== null ? 0 : nominal;
    const after = Math.min(4, certainty + counted);
    steps.push({
      domain,
      judgement: judged.judgement,
      change: counted,
      level_after: levelOf(after),
      rationale: judged.rationale ?? null,
      note:
        nominal > 0 && upgradeBlock !== null
          ? `not counted: ${upgradeBlock}`
          : certainty + counted > 4
            ? 'cut at high, the highest level'
            : null,
    });
    certainty = after;
  }

  const level = levelOf(certainty);
  const upperBound = unassessed.some((d) => (GRADE_DOWNGRADE_DOMAINS as readonly string[]).includes(d));
  return {
    start,
    steps,
    level,
    certainty,
    unassessed,
    upper_bound: upperBound,
    explanation: explain(start, steps, level, unassessed, upperBound),
  };
}

function explain(
  start: GradeStart,
  steps: readonly GradeStep[],
  level: GradeLevel,
  unassessed: readonly GradeDomain[],
  upperBound: boolean,
): string {
  const parts = [`Start ${levelText(start.level)}: ${start.reason}.`];
  for (const s of steps) {
    const domain = domainText(s.domain);
    const head = `${domain[0]?.toUpperCase()}${domain.slice(1)}: ${s.judgement.replace('_', ' ')}`;
    parts.push(
      s.note?.startsWith('not counted')
        ? `${head}, ${s.note} → ${levelText(s.level_after)}.`
        : `${head} ${signed(s.change)} → ${levelText(s.level_after)}${s.note ? ` (${s.note})` : ''}.`,
    );
  }
  parts.push(`Result: ${levelText(level)}.`);
  if (unassessed.length > 0)
    parts.push(
      `Not assessed: ${unassessed.map(domainText).join(', ')}${upperBound ? `; ${levelText(level)} is the most the assessed domains allow` : ''}.`,
    );
  return parts.join(' ');
}

/**
 * A rate-down or rate-up judgement that moves the level must say why (GRADE: every judgement to rate down or up is
 * explained, e.g. in the footnotes of a summary-of-findings table, Cochrane Handbook 5.1 §11.5.6.7). Paths are relative
 * to the domains object, e.g. `risk_of_bias.rationale`; rule `grade.domain_needs_rationale`.
 */
export function validateGradeDomains(domains: GradeDomainsInput | null): FieldViolation[] {
  if (domains === null) return [];
  const errors: FieldViolation[] = [];
  for (const domain of GRADE_DOMAINS) {
    const judged = domains[domain];
    if (!judged || CHANGE[judged.judgement] === 0 || judged.rationale?.trim()) continue;
    errors.push({
      path: `${domain}.rationale`,
      rule: 'grade.domain_needs_rationale',
      message: `${domainText(domain)} '${judged.judgement}' moves the level, so it needs a rationale saying why.`,
    });
  }
  return errors;
}

export type GradeCheck =
  | { ok: true; overridden: false }
  | { ok: true; overridden: true; computed_level: GradeLevel; override_reason: string }
  | { ok: false; violation: RuleViolation };

/**
 * Checks a claim's GRADE level against what its domains give. Equal: ok. Different with a non-blank `override_reason`:
 * ok but `overridden` (the response must flag it and show both levels). Different without: a violation with rule
 * `grade.level_matches_domains`, a detail that shows the arithmetic, and `extensions.grade_arithmetic` (start, steps,
 * computed and claimed level, unassessed domains) for the 422 body. Non-GRADE schemes (CIViC) are not checked here.
 */
export function checkGradeConsistency(
  grade: { scheme: string; level: string; override_reason?: string | null },
  computed: GradeComputation,
): GradeCheck {
  if (grade.scheme !== 'GRADE' || grade.level === computed.level) return { ok: true, overridden: false };
  const reason = grade.override_reason?.trim();
  if (reason) return { ok: true, overridden: true, computed_level: computed.level, override_reason: reason };
  const claimed = (GRADE_LEVEL_NAMES as readonly string[]).includes(grade.level)
    ? levelText(grade.level as GradeLevel)
    : grade.level;
  return {
    ok: false,
    violation: {
      rule: 'grade.level_matches_domains',
      detail: `GRADE level '${claimed}' does not follow from the evidence, which gives ${levelText(computed.level)}. ${computed.explanation} Set grade.level to '${computed.level}', change a domain judgement, or give grade.override_reason.`,
      extensions: {
        grade_arithmetic: {
          claimed_level: grade.level,
          computed_level: computed.level,
          start: computed.start,
          steps: computed.steps,
          unassessed: computed.unassessed,
          upper_bound: computed.upper_bound,
        },
      },
    },
  };
}

/** Designs that can start a GRADE rating at high (or, for reviews, may pool trials). */
const HIGH_START_DESIGNS = new Set<string>(['rct', 'systematic_review', 'meta_analysis']);

/**
 * The design rule for claims without domain judgements (every claim today). GRADE moderate is "downgraded randomised
 * trials or upgraded observational studies" and high "randomised trials or double-upgraded observational studies"
 * (Cochrane Handbook 5.1, Table 12.2.a), so a level above low needs a *supporting* randomised trial, systematic review
 * or meta-analysis, or an explicit `upgrade_rationale`. Only studies linked as `supports` count: a trial that
 * contradicts the claim, or is context, cannot lift it. `supportingDesigns` may be a function, called only for moderate
 * and high. Returns rule `grade.high_needs_rct_or_upgrade_rationale` or `grade.moderate_needs_rct_or_upgrade_rationale`,
 * or null.
 */
export function checkGradeStart(
  grade: { scheme: string; level: string; upgrade_rationale?: string | null },
  supportingDesigns: readonly (string | null)[] | (() => readonly (string | null)[]),
): RuleViolation | null {
  if (grade.scheme !== 'GRADE' || (grade.level !== 'high' && grade.level !== 'moderate')) return null;
  // Looked up only here, so a write at low or very low costs no design query.
  const designs = typeof supportingDesigns === 'function' ? supportingDesigns() : supportingDesigns;
  if (designs.some((d) => d !== null && HIGH_START_DESIGNS.has(d))) return null;
  if (grade.upgrade_rationale?.trim()) return null;
  const known = designs.filter((d): d is string => d !== null);
  const listed = known.length === 0 ? 'none' : [...new Set(known)].join(', ');
  return {
    rule: `grade.${grade.level}_needs_rct_or_upgrade_rationale`,
    detail: `GRADE ${grade.level} needs a supporting randomised trial, systematic review or meta-analysis, or an explicit grade.upgrade_rationale saying why observational evidence was rated up. Designs of the supporting studies: ${listed}.`,
  };
}

const FHIR_CERTAINTY_TYPE = 'http://hl7.org/fhir/certainty-type';
const FHIR_CERTAINTY_RATING = 'http://hl7.org/fhir/certainty-rating';
const FHIR_TYPE: Record<GradeDomain, string> = {
  risk_of_bias: 'RiskOfBias',
  inconsistency: 'Inconsistency',
  indirectness: 'Indirectness',
  imprecision: 'Imprecision',
  publication_bias: 'PublicationBias',
  large_effect: 'LargeEffect',
  dose_response: 'DoseResponseGradient',
  plausible_confounding: 'PlausibleConfounding',
};
const FHIR_RATING: Record<string, string> = {
  not_serious: 'no-concern',
  serious: 'serious-concern',
  very_serious: 'very-serious-concern',
  none: 'no-change',
  large: 'upcode1',
  very_large: 'upcode2',
  absent: 'absent',
  present: 'present',
};

const coding = (system: string, code: string) => ({ coding: [{ system, code }] });

/**
 * The FHIR R5 `Evidence.certainty` element for a computed grade: type `Overall` with the level (`very-low` etc.), the
 * explanation as `description`, and one `subcomponent` per assessed domain (certainty-type codes `RiskOfBias` ...
 * `PlausibleConfounding`, ratings `no-concern`/`serious-concern`/`very-serious-concern`, `upcode1`/`upcode2`/`no-change`,
 * `present`/`absent`), rationales as notes. `level` defaults to the computed one; pass an overridden level to export it.
 * Codes: hl7.org/fhir/valueset-certainty-type.html and valueset-certainty-rating.html (R5, see
 * ../shared/reference/evidence-standards.md §5.1, §5.4).
 */
export function gradeToFhirCertainty(computed: GradeComputation, level: GradeLevel = computed.level) {
  return {
    description: computed.explanation,
    type: coding(FHIR_CERTAINTY_TYPE, 'Overall'),
    rating: coding(FHIR_CERTAINTY_RATING, level.replace('_', '-')),
    subcomponent: computed.steps.map((s) => ({
      type: coding(FHIR_CERTAINTY_TYPE, FHIR_TYPE[s.domain]),
      // A rating up that was not counted did not change the level: say so rather than upcode.
      rating: coding(
        FHIR_CERTAINTY_RATING,
        s.domain === 'large_effect' && s.change === 0 ? 'no-change' : (FHIR_RATING[s.judgement] as string),
      ),
      ...(s.rationale || s.note
        ? { note: [s.rationale, s.note].filter((t): t is string => t !== null).map((text) => ({ text })) }
        : {}),
    })),
  };
}
