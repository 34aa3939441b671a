// What the PubMed XML and MEDLINE readers share: the record type, dates, identifiers, names, notices and kinds.

import {
  isRetracted,
  NOTICE_TYPES,
  type NoticeType,
  type PublicationKind,
  type StudyAuthor,
  type StudyBibliography,
  type StudyDesign,
} from '../../evidence/study-record.js';
import { deriveDesign } from './pubmed.design.js';

/** One parsed PubMed record: every bibliographic field filled (null when unknown), plus indexing data. */
export interface PubmedRecord extends Required<Omit<StudyBibliography, 'cited_source'>> {
  /** DescriptorName texts of the MeSH headings, in order, without qualifiers. */
  mesh_terms: string[];
  /** Whole abstract text; structured abstracts keep their labels: "BACKGROUND: ...\n\nMETHODS: ...". */
  abstract: string | null;
  design: StudyDesign | null;
  /** The PubMed element the record came from: PubmedArticle (or a MEDLINE journal record) or PubmedBookArticle (or a MEDLINE book record). */
  kind: 'article' | 'book';
}

export interface ParseProblem {
  /** 1-based index of the record in the file. */
  position: number;
  pmid: string | null;
  reason: string;
}

export interface ParseResult {
  records: PubmedRecord[];
  skipped: ParseProblem[];
  /**
   * PMIDs PubMed withdrew (`<DeleteCitation>` in an efetch or update file), in file order, digits only. The importer
   * marks these studies deleted; they are not records.
   */
  deleted: string[];
}

/** The whole file is unreadable: not XML, not a PubmedArticleSet, or no MEDLINE records. */
export class MalformedFileError extends Error {
  override name = 'MalformedFileError';
}

export type Outcome = { record: PubmedRecord } | { problem: string; pmid: string | null };

// ---------------------------------------------------------------------------------------------------------------
// Dates

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function parseMonth(raw: string | null): number | null {
  if (!raw) return null;
  if (/^\d{1,2}$/.test(raw)) {
    const n = Number(raw);
    return n >= 1 && n <= 12 ? n : null;
  }
  const index = MONTHS.indexOf(raw.slice(0, 3).toLowerCase());
  // "Sept" and "September" are fine, "Sep-Oct" is a range, not a month.
  return index >= 0 && /^[A-Za-z]+\.?$/.test(raw) ? index + 1 : null;
}

export function parseDay(raw: string | null): number | null {
  if (!raw || !/^\d{1,2}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 31 ? n : null;
}

export function parseYear(raw: string | null): number | null {
  return raw && /^\d{4}$/.test(raw) ? Number(raw) : null;
}

export interface DateParts {
  year: number | null;
  month: number | null;
  day: number | null;
  date_text: string | null;
}

export const NO_DATE: DateParts = { year: null, month: null, day: null, date_text: null };

function firstYear(text: string): number | null {
  const match = /(?<!\d)(\d{4})(?!\d)/.exec(text);
  return match?.[1] ? Number(match[1]) : null;
}

/** A free-text date ("1984 Apr-May", "1995-1997", "2001 Spring") keeps its text and its first year. */
export function freeTextDate(text: string): DateParts {
  return { year: firstYear(text), month: null, day: null, date_text: text };
}

export function structuredDate(
  year: string | null,
  month: string | null,
  day: string | null,
  season: string | null,
): DateParts {
  const parsedYear = parseYear(year);
  if (season) return { year: parsedYear, month: null, day: null, date_text: season };
  const parsedMonth = parseMonth(month);
  const parsedDay = parsedMonth === null ? null : parseDay(day);
  const lost = (month && parsedMonth === null) || (day && parsedDay === null) || (year && parsedYear === null);
  if (lost) {
    // Keep what could not be read rather than silently dropping part of the date.
    return freeTextDate([year, month, day].filter(Boolean).join(' '));
  }
  return { year: parsedYear, month: parsedMonth, day: parsedDay, date_text: null };
}

/** "YYYY-MM-DD" (or "YYYY-MM", "YYYY") from parts; null when the year is not a plain four-digit year. */
export function isoDate(year: string | null, month: string | null, day: string | null): string | null {
  const y = parseYear(year);
  if (y === null) return null;
  const m = parseMonth(month);
  if (m === null) return String(y);
  const d = parseDay(day);
  const mm = String(m).padStart(2, '0');
  return d === null ? `${y}-${mm}` : `${y}-${mm}-${String(d).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Identifiers

export function normaliseDoi(raw: string | null): string | null {
  if (!raw) return null;
  const doi = raw.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '').trim();
  return doi.startsWith('10.') ? doi : null;
}

export function normalisePmcid(raw: string | null): string | null {
  if (!raw) return null;
  const digits = /^(?:PMC)?(\d+)$/i.exec(raw.trim())?.[1];
  return digits ? `PMC${digits}` : null;
}

export function checkPmid(raw: string | null): { pmid: string } | { problem: string; pmid: string | null } {
  if (!raw) return { problem: 'no PMID', pmid: null };
  if (!/^\d+$/.test(raw)) return { problem: `PMID "${raw}" is not a number`, pmid: raw };
  return { pmid: raw };
}

const ARXIV_PREFIXED = /^arXiv:\s*(\S+)$/i;
const ARXIV_BARE = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;

/**
 * The arXiv id of a preprint: from an e-locator written "arXiv:2304.02112v2", else (for a record in the ArXiv
 * journal, NLM id 101759493) a publisher id shaped like an arXiv id ("2304.02112"). Null otherwise.
 */
export function arxivIdOf(elocation: string | null, journal: string | null, otherIds: string[]): string | null {
  const prefixed = elocation ? ARXIV_PREFIXED.exec(elocation)?.[1] : undefined;
  if (prefixed) return prefixed;
  if (journal?.toLowerCase() !== 'arxiv') return null;
  return otherIds.find((id) => ARXIV_BARE.test(id)) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/**
 * Family-rank suffixes, NLM's rule for author names: the suffix follows the initials without punctuation (MEDLINE AU
 * "Maurer CR Jr", FAU "Maurer, Calvin R Jr"; XML <Suffix>Jr</Suffix>) — MEDLINE/PubMed Data Element (Field)
 * Descriptions, Author (AU) and Full Author (FAU); Citing Medicine 2nd ed., ch. 1 "Author(s)": designations of
 * family rank (Jr, Sr, 2nd, 3rd, ...) after the initials. NLM writes ordinals (2nd, 3rd, 4th); the roman II-IX of older
 * and publisher-supplied records are accepted too. A trailing period is dropped ("Jr." is "Jr"). "V" alone is not
 * accepted: after initials it is far more often another initial.
 */
const SUFFIX = /^(?:Jr|Sr|[2-9](?:nd|rd|th)|II|III|IV|VI|VII|VIII|IX)$/;

export function normaliseSuffix(raw: string | null): string | null {
  if (!raw) return null;
  const s = raw.trim().replace(/\.$/, '');
  return s === '' ? null : s;
}

/** Splits a trailing family-rank token off a run of name tokens: ["Calvin", "R", "Jr"] → given "Calvin R", "Jr". */
export function splitSuffix(tokens: string[]): { rest: string[]; suffix: string | null } {
  const last = tokens[tokens.length - 1];
  if (tokens.length >= 2 && last !== undefined && SUFFIX.test(last.replace(/\.$/, ''))) {
    return { rest: tokens.slice(0, -1), suffix: normaliseSuffix(last) };
  }
  return { rest: tokens, suffix: null };
}

export function person(
  family: string,
  given: string | null,
  initials: string | null,
  suffix: string | null = null,
): StudyAuthor {
  return { family, given, initials, collective: null, suffix };
}

export function group(name: string): StudyAuthor {
  return { family: null, given: null, initials: null, collective: name, suffix: null };
}

// ---------------------------------------------------------------------------------------------------------------
// Notices and kinds

const NOTICE_SET: ReadonlySet<string> = new Set(NOTICE_TYPES);

export function noticeType(raw: string | null | undefined): NoticeType | null {
  return raw && NOTICE_SET.has(raw) ? (raw as NoticeType) : null;
}

const hasType = (types: readonly string[], name: string): boolean =>
  types.some((t) => t.trim().toLowerCase() === name.toLowerCase());

/** Journal article unless PubMed says preprint (publication type "Preprint", in PubMed since 2020). */
export function articleKind(publicationTypes: readonly string[]): PublicationKind {
  return hasType(publicationTypes, 'Preprint') ? 'preprint' : 'journal_article';
}

/** A book record is a chapter when it has a title of its own or is typed "Book Chapter"; a whole book otherwise. */
export function bookKind(publicationTypes: readonly string[], hasOwnTitle: boolean): PublicationKind {
  if (hasType(publicationTypes, 'Book Chapter')) return 'chapter';
  if (hasType(publicationTypes, 'Book')) return hasOwnTitle ? 'chapter' : 'book';
  return hasOwnTitle ? 'chapter' : 'book';
}

// ---------------------------------------------------------------------------------------------------------------

export const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

export const orNull = (text: string | null | undefined): string | null => (text ? text : null);

/** Derives what follows from the fields read: the design and the retraction flag. */
export function finish(record: Omit<PubmedRecord, 'design' | 'retracted'>): PubmedRecord {
  return {
    ...record,
    design: deriveDesign(record.publication_types, record.mesh_terms),
    retracted: isRetracted(record),
  };
}

/** Runs each record's parser; a record that throws is skipped with its reason, never costing the rest of the file. */
export function collectOutcomes(items: (() => Outcome)[], deleted: string[] = []): ParseResult {
  const result: ParseResult = { records: [], skipped: [], deleted };
  items.forEach((parse, index) => {
    let outcome: Outcome;
    try {
      outcome = parse();
    } catch (error) {
      outcome = { problem: `could not be read: ${(error as Error).message}`, pmid: null };
    }
    if ('record' in outcome) result.records.push(outcome.record);
    else result.skipped.push({ position: index + 1, pmid: outcome.pmid, reason: outcome.problem });
  });
  return result;
}

export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
