// Study design derived from PubMed publication types and MeSH headings: the one table that says which is which.

import type { StudyDesign } from '../../evidence/study-record.js';

/**
 * One row of the precedence table. A row matches when every condition it states holds:
 * - `publication_types`: the record has at least one of these PublicationType names;
 * - `mesh_any`: the record has at least one of these MeSH descriptors;
 * - `mesh_none`: the record has none of these MeSH descriptors.
 * Names are compared exactly, ignoring case and surrounding whitespace.
 */
export interface DesignRule {
  design: StudyDesign;
  publication_types?: readonly string[];
  mesh_any?: readonly string[];
  mesh_none?: readonly string[];
  why: string;
}

const COHORT_MESH = ['Cohort Studies', 'Prospective Studies', 'Retrospective Studies', 'Longitudinal Studies'];

/**
 * Evaluated top to bottom; the first matching row wins. Follows evidence-standards.md §4.3 with these decisions:
 * - Case-control is checked before cohort: nested case-control studies are also indexed "Prospective Studies"
 *   (PMID 27797938 carries both), and "Case-Control Studies" is the more specific tag.
 * - "Observational Study" whose MeSH names no design maps to `other`: it is known to be observational,
 *   and claiming cohort would be a guess.
 * - Trial designs come from publication types only; MeSH "Randomized Controlled Trials as Topic" describes
 *   a paper about trials, not a trial.
 * - Publication-type rules come before the MeSH-only animal/in-vitro rules, so a comment or review about
 *   animal work stays a comment or review.
 * - "Clinical Trial Protocol" is deliberately absent: a protocol reports no results.
 * Ignored for design (they never match a row): Journal Article, Comparative Study, Multicenter Study,
 * Research Support, ... and every other name not listed here. No match → null (unknown).
 */
export const DESIGN_RULES: readonly DesignRule[] = [
  {
    design: 'meta_analysis',
    publication_types: ['Meta-Analysis', 'Network Meta-Analysis'],
    why: 'may co-occur with Systematic Review; the pooled analysis is the stronger claim',
  },
  { design: 'systematic_review', publication_types: ['Systematic Review'], why: 'PT since 2019, back-applied' },
  {
    design: 'rct',
    publication_types: ['Randomized Controlled Trial', 'Pragmatic Clinical Trial', 'Equivalence Trial'],
    why: 'randomised trial publication types',
  },
  {
    design: 'non_randomised_trial',
    publication_types: [
      'Controlled Clinical Trial',
      'Clinical Trial',
      'Clinical Trial, Phase I',
      'Clinical Trial, Phase II',
      'Clinical Trial, Phase III',
      'Clinical Trial, Phase IV',
      'Adaptive Clinical Trial',
    ],
    why: 'a trial without a randomised-trial publication type',
  },
  {
    design: 'case_control',
    publication_types: ['Observational Study'],
    mesh_any: ['Case-Control Studies'],
    why: 'observational, MeSH says case-control',
  },
  {
    design: 'cross_sectional',
    publication_types: ['Observational Study'],
    mesh_any: ['Cross-Sectional Studies'],
    why: 'observational, MeSH says cross-sectional',
  },
  {
    design: 'cohort',
    publication_types: ['Observational Study'],
    mesh_any: COHORT_MESH,
    why: 'observational, MeSH says cohort/prospective/retrospective/longitudinal',
  },
  { design: 'other', publication_types: ['Observational Study'], why: 'observational, kind not indexed' },
  {
    design: 'animal',
    publication_types: [
      'Randomized Controlled Trial, Veterinary',
      'Clinical Trial, Veterinary',
      'Observational Study, Veterinary',
    ],
    why: 'veterinary study publication types',
  },
  { design: 'case_report', publication_types: ['Case Reports'], why: 'case report, even with a literature review' },
  { design: 'narrative_review', publication_types: ['Review'], why: 'Review without SR/MA publication types' },
  {
    design: 'expert_opinion',
    publication_types: [
      'Editorial',
      'Comment',
      'Letter',
      'Practice Guideline',
      'Guideline',
      'Consensus Development Conference',
      'Consensus Development Conference, NIH',
    ],
    why: 'opinion, correspondence and guidance',
  },
  { design: 'animal', mesh_any: ['Animals'], mesh_none: ['Humans'], why: 'MeSH check tag Animals without Humans' },
  {
    design: 'in_vitro',
    mesh_any: ['In Vitro Techniques', 'Cell Line', 'Cell Line, Tumor', 'Cells, Cultured'],
    mesh_none: ['Humans', 'Animals'],
    why: 'laboratory work with neither check tag',
  },
];

const normalise = (name: string): string => name.trim().toLowerCase();

const hasAny = (have: ReadonlySet<string>, wanted: readonly string[]): boolean =>
  wanted.some((name) => have.has(normalise(name)));

/** The design of a record by the first matching row of DESIGN_RULES, or null when nothing is recognised. */
export function deriveDesign(publicationTypes: readonly string[], meshTerms: readonly string[]): StudyDesign | null {
  const types = new Set(publicationTypes.map(normalise));
  const mesh = new Set(meshTerms.map(normalise));
  for (const rule of DESIGN_RULES) {
    if (rule.publication_types && !hasAny(types, rule.publication_types)) continue;
    if (rule.mesh_any && !hasAny(mesh, rule.mesh_any)) continue;
    if (rule.mesh_none && hasAny(mesh, rule.mesh_none)) continue;
    return rule.design;
  }
  return null;
}
