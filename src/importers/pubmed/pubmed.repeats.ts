// A PMID given more than once in one PubMed import: which record is written, and what of the others is kept.

import { isRetracted, type RelatedNotice } from '../../evidence/study-record.js';
import type { PubmedRecord } from './pubmed.fields.js';

/** A PMID that occurs in more than one record of one import (files and efetch responses together). */
export interface RepeatedPmid {
  pmid: string;
  /** How many records carried it (2 or more). */
  records: number;
}

/** The publication type by which PubMed marks a retracted record (NLM Publication Types, "Retracted Publication"). */
const RETRACTED_TYPE = 'retracted publication';

const sameNotice = (a: RelatedNotice, b: RelatedNotice): boolean =>
  a.type === b.type && (a.pmid !== null || b.pmid !== null ? a.pmid === b.pmid : a.ref_source === b.ref_source);

/**
 * The record an import writes for one PMID, from its occurrences in input order (oldest first). The last record is
 * PubMed's newer version and supplies every field, but nothing any occurrence says about notices is dropped: the
 * notices of earlier records missing from the last one are appended (a retraction, erratum or expression of concern
 * that PubMed once linked stays linked: NLM fact sheet "Errata, Retractions, and Other Linked Citations in PubMed"),
 * and a "Retracted Publication" type in any occurrence is kept, so `retracted` is the union of the records' retraction
 * evidence. A single occurrence is returned unchanged.
 */
export function combineOccurrences(occurrences: readonly PubmedRecord[]): PubmedRecord {
  const last = occurrences[occurrences.length - 1];
  if (last === undefined) throw new RangeError('combineOccurrences needs at least one record');
  if (occurrences.length === 1) return last;
  const notices = [...last.notices];
  for (const record of occurrences.slice(0, -1).reverse())
    for (const notice of record.notices) if (!notices.some((n) => sameNotice(n, notice))) notices.push(notice);
  const publication_types = [...last.publication_types];
  const typedRetracted = (types: readonly string[]) => types.some((t) => t.trim().toLowerCase() === RETRACTED_TYPE);
  if (!typedRetracted(publication_types)) {
    const earlier = occurrences
      .flatMap((r) => r.publication_types)
      .find((t) => t.trim().toLowerCase() === RETRACTED_TYPE);
    if (earlier !== undefined) publication_types.push(earlier);
  }
  const combined = { ...last, notices, publication_types };
  return { ...combined, retracted: occurrences.some((r) => r.retracted) || isRetracted(combined) };
}

/**
 * Groups an import's records by PMID, keeping the order of each PMID's first occurrence, and combines each group with
 * `combineOccurrences`. Returns the records to write and the PMIDs that occurred more than once (in that order).
 */
export function collapseRepeats(records: Iterable<PubmedRecord>): {
  records: PubmedRecord[];
  duplicates: RepeatedPmid[];
} {
  const byPmid = new Map<string, PubmedRecord[]>();
  for (const record of records) {
    const group = byPmid.get(record.pmid);
    if (group) group.push(record);
    else byPmid.set(record.pmid, [record]);
  }
  const duplicates: RepeatedPmid[] = [];
  for (const [pmid, group] of byPmid) if (group.length > 1) duplicates.push({ pmid, records: group.length });
  return { records: [...byPmid.values()].map(combineOccurrences), duplicates };
}
