// Reads MEDLINE tagged text (.nbib, PubMed's "MEDLINE" format) into PubMed records; pure, no I/O.
// Tags and their meaning: NLM "MEDLINE/PubMed Data Element (Field) Descriptions".

import type { NoticeType, PubmedHistoryDate, RelatedNotice, StudyAuthor } from '../../evidence/study-record.js';
import {
  articleKind,
  arxivIdOf,
  bookKind,
  checkPmid,
  collapse,
  collectOutcomes,
  type DateParts,
  finish,
  freeTextDate,
  group,
  isoDate,
  MalformedFileError,
  NO_DATE,
  normaliseDoi,
  normalisePmcid,
  type Outcome,
  orNull,
  type ParseResult,
  parseDay,
  parseMonth,
  parseYear,
  person,
  splitSuffix,
  stripBom,
  structuredDate,
} from './pubmed.fields.js';

/** One record: its [tag, value] fields in file order (continuation lines folded in) and the same values by tag. */
export interface MedlineRecord {
  lines: [tag: string, value: string][];
  byTag: Map<string, string[]>;
}

/** What the reader did, for tests and the bench: characters copied into field values and lines read. */
export interface MedlineWork {
  copied: number;
  lines: number;
}

const TAG_LINE = /^([A-Z0-9]{2,4}) *- ?(.*)$/;

/**
 * Splits MEDLINE text into records. Linear in the input: a continuation line is appended to a list of pieces that
 * is joined once, when the field ends (trimming a growing string on every line made a 400 KB body take 35 s), and
 * "does this record have a PMID yet" is a map lookup, not a scan. `work`, when given, counts the characters copied,
 * so a test can assert the linearity without a clock.
 */
export function medlineRecords(text: string, work?: MedlineWork): MedlineRecord[] {
  const records: MedlineRecord[] = [];
  let current: MedlineRecord = { lines: [], byTag: new Map() };
  let tag: string | null = null;
  let pieces: string[] = [];
  const endField = (): void => {
    if (tag === null) return;
    const value = pieces.join(' ');
    if (work) work.copied += value.length;
    current.lines.push([tag, value]);
    const values = current.byTag.get(tag);
    if (values) values.push(value);
    else current.byTag.set(tag, [value]);
    tag = null;
    pieces = [];
  };
  const endRecord = (): void => {
    endField();
    if (current.lines.length > 0) records.push(current);
    current = { lines: [], byTag: new Map() };
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (work) work.lines++;
    const trimmed = line.trim();
    if (trimmed === '') {
      endRecord();
      continue;
    }
    // The tag field is four characters wide, so "- " always starts at column 5.
    const tagLine = line.length >= 5 && line[4] === '-' ? TAG_LINE.exec(line) : null;
    if (tagLine?.[1] !== undefined) {
      endField();
      // Some exports omit the blank line between records; a second PMID still starts a new one.
      if (tagLine[1] === 'PMID' && current.byTag.has('PMID')) endRecord();
      tag = tagLine[1];
      const value = (tagLine[2] ?? '').trim();
      pieces = value === '' ? [] : [value];
      if (work) work.copied += value.length;
      continue;
    }
    if (tag !== null) {
      pieces.push(trimmed);
      if (work) work.copied += trimmed.length;
    }
  }
  endRecord();
  return records;
}

const INITIALS = /^[A-Z]{1,4}$/;

/** AU "Maurer CR Jr" → Maurer, CR, Jr; "Wong Kee Song LM" → "Wong Kee Song", LM; "Smith" → Smith, no initials. */
function parseAu(au: string): { family: string; initials: string | null; suffix: string | null } {
  const { rest, suffix } = splitSuffix(au.split(' '));
  const last = rest[rest.length - 1];
  if (rest.length >= 2 && last !== undefined && INITIALS.test(last)) {
    return { family: rest.slice(0, -1).join(' '), initials: last, suffix };
  }
  // A suffix is only recognised after initials; otherwise the tokens are all name.
  return { family: au, initials: null, suffix: null };
}

/** FAU "Maurer, Calvin R Jr" (or "Maurer, Calvin R, Jr") → Maurer, "Calvin R", Jr. */
function parseFau(fau: string): { family: string; given: string | null; suffix: string | null } {
  const comma = fau.indexOf(',');
  if (comma < 0) return { family: fau, given: null, suffix: null };
  const tokens = fau
    .slice(comma + 1)
    .replace(/,/g, ' ')
    .split(' ')
    .filter(Boolean);
  const { rest, suffix } = splitSuffix(tokens);
  return { family: fau.slice(0, comma).trim(), given: orNull(rest.join(' ')), suffix };
}

/**
 * Names in file order: FAU (full) pairs with the AU (short) after it, FED with ED; CN is a group author.
 * `full`/`short` are the tag pair: FAU/AU for authors, FED/ED for editors.
 */
function medlineNames(lines: [string, string][], full: string, short: string): StudyAuthor[] {
  const names: StudyAuthor[] = [];
  let pendingFull: StudyAuthor | null = null;
  for (const [tag, value] of lines) {
    if (tag === full) {
      const f = parseFau(value);
      pendingFull = person(f.family, f.given, null, f.suffix);
      names.push(pendingFull);
    } else if (tag === short) {
      const a = parseAu(value);
      if (pendingFull) {
        pendingFull.initials = a.initials;
        pendingFull.suffix ??= a.suffix;
      } else names.push(person(a.family, null, a.initials, a.suffix));
      pendingFull = null;
    } else if (tag === 'CN' && full === 'FAU') {
      names.push(group(value));
      pendingFull = null;
    }
  }
  return names;
}

/** Values tagged "[type]" at their end (LID/AID "10.1000/x [doi]", "NBK1826 [bookaccession]"), tag removed. */
function tagged(values: string[], type: string): string[] {
  const suffix = new RegExp(`^(.*\\S)\\s*\\[${type}\\]$`, 'i');
  return values.flatMap((v) => {
    const m = suffix.exec(v)?.[1];
    return m ? [m] : [];
  });
}

/** MEDLINE DP: "2006", "2006 Mar 1", "1990 Spring", "1984 Apr-May", "1995-1997". */
function parseMedlineDp(dp: string | null): DateParts {
  if (!dp) return NO_DATE;
  const parts = dp.split(' ');
  const [year = null, second = null, third = null] = parts;
  if (parts.length <= 3 && parseYear(year) !== null) {
    if (parts.length === 2 && second && /^(spring|summer|fall|autumn|winter)$/i.test(second)) {
      return structuredDate(year, null, null, second);
    }
    const month = parseMonth(second);
    const day = parseDay(third);
    if ((second === null || month !== null) && (third === null || day !== null)) {
      return { year: parseYear(year), month, day, date_text: null };
    }
  }
  return freeTextDate(dp);
}

/** DEP "20190520" → "2019-05-20". */
function compactDate(raw: string | null): string | null {
  const m = raw ? /^(\d{4})(\d{2})(\d{2})$/.exec(raw) : null;
  return m ? isoDate(m[1] ?? null, m[2] ?? null, m[3] ?? null) : null;
}

/** PHST "2019/05/20 00:00 [aheadofprint]" → { status, date }. */
function historyDates(values: string[]): PubmedHistoryDate[] {
  return values.flatMap((v) => {
    const m = /^(\d{4})\/(\d{2})\/(\d{2})(?:\s+\d{2}:\d{2})?\s*\[([^\]]+)\]$/.exec(v);
    const date = m ? isoDate(m[1] ?? null, m[2] ?? null, m[3] ?? null) : null;
    return m?.[4] && date ? [{ status: m[4], date }] : [];
  });
}

/** MEDLINE display tags of CommentsCorrections and their PubMed RefType. */
const NOTICE_TAGS: Record<string, NoticeType> = {
  RIN: 'RetractionIn',
  ROF: 'RetractionOf',
  PRIN: 'PartialRetractionIn',
  PROF: 'PartialRetractionOf',
  ECI: 'ExpressionOfConcernIn',
  ECF: 'ExpressionOfConcernFor',
  EIN: 'ErratumIn',
  EFR: 'ErratumFor',
  CRI: 'CorrectedandRepublishedIn',
  CRF: 'CorrectedandRepublishedFrom',
  RRI: 'RetractedandRepublishedIn',
  RRF: 'RetractedandRepublishedFrom',
  RPI: 'RepublishedIn',
  RPF: 'RepublishedFrom',
  UIN: 'UpdateIn',
  UOF: 'UpdateOf',
  CIN: 'CommentIn',
  CON: 'CommentOn',
  RPRIN: 'ReprintIn',
  RPRF: 'ReprintOf',
  SPIN: 'SummaryForPatientsIn',
  ORI: 'OriginalReportIn',
};

/** "Biochem J. 1977 Apr 15;164(1):287-8. PMID: 195582" → RefSource and PMID. */
function medlineNotices(lines: [string, string][]): RelatedNotice[] {
  return lines.flatMap(([tag, value]) => {
    const type = NOTICE_TAGS[tag];
    if (!type) return [];
    const m = /^(.*?)[.;\s]*PMID:\s*(\d+)\s*$/.exec(value);
    return [{ type, pmid: m?.[2] ?? null, ref_source: orNull((m?.[1] ?? value).trim()), note: null }];
  });
}

function parseMedlineRecord({ lines, byTag }: MedlineRecord): Outcome {
  const all = (tag: string): string[] => (byTag.get(tag) ?? []).map(collapse).filter(Boolean);
  const first = (tag: string): string | null => all(tag)[0] ?? null;

  const checked = checkPmid(first('PMID'));
  if ('problem' in checked) return checked;
  const publicationTypes = all('PT');
  const bookTitle = first('BTI');
  const ownTitle = first('TI');
  const isBook = bookTitle !== null || publicationTypes.some((t) => /^book( chapter)?$/i.test(t));
  const kind = isBook ? bookKind(publicationTypes, ownTitle !== null) : articleKind(publicationTypes);
  const medlineTa = first('TA');
  const elocationId = tagged(all('LID'), 'pii')[0] ?? null;

  return {
    record: finish({
      pmid: checked.pmid,
      // LID is the article's own locator (XML ELocationID); AID mirrors the ArticleIdList.
      doi: normaliseDoi(tagged(all('LID'), 'doi')[0] ?? null) ?? normaliseDoi(tagged(all('AID'), 'doi')[0] ?? null),
      pmcid: normalisePmcid(first('PMC')),
      title: kind === 'book' ? (bookTitle ?? ownTitle) : ownTitle,
      authors: medlineNames(lines, 'FAU', 'AU'),
      authors_complete: true,
      last_author: null,
      journal: kind === 'chapter' ? bookTitle : kind === 'book' ? null : first('JT'),
      // MEDLINE has no ISO abbreviation: its TA is the NLM title abbreviation (MedlineTA).
      journal_iso: null,
      journal_medline_ta: medlineTa,
      ...parseMedlineDp(first('DP')),
      volume: first('VI'),
      issue: first('IP'),
      pages: first('PG'),
      publication_types: publicationTypes,
      publication_kind: kind,
      publication_status: first('PST'),
      article_date: compactDate(first('DEP')),
      history: historyDates(all('PHST')),
      elocation_id: elocationId,
      arxiv_id: arxivIdOf(elocationId, medlineTa ?? first('JT'), tagged(all('AID'), 'pii')),
      bookshelf_id: tagged(all('AID'), 'bookaccession')[0] ?? null,
      isbn: first('ISBN'),
      editors: medlineNames(lines, 'FED', 'ED'),
      publisher: first('PB'),
      // On a journal record PL is the journal's country, not a publisher's place.
      publisher_place: isBook ? first('PL') : null,
      edition: first('EN'),
      collection_title: first('CTI'),
      notices: medlineNotices(lines),
      mesh_terms: all('MH')
        .map((heading) => (heading.split('/')[0] ?? '').replace(/^\*/, '').trim())
        .filter(Boolean),
      abstract: first('AB'),
      kind: isBook ? 'book' : 'article',
    }),
  };
}

/**
 * Parses MEDLINE tagged text (.nbib), records separated by blank lines (or by a second PMID line). Linear in the
 * input. Throws MalformedFileError when the text holds no MEDLINE record at all.
 */
export function parseMedline(text: string): ParseResult {
  const records = medlineRecords(stripBom(text));
  if (records.length === 0) {
    throw new MalformedFileError('Not a PubMed file: no MEDLINE records (lines like "PMID- 12345678") found');
  }
  return collectOutcomes(records.map((record) => () => parseMedlineRecord(record)));
}
