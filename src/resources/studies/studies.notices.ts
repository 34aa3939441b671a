// A study's notices (PubMed CommentsCorrections) both ways: the links a record makes, which of them point at a study
// held here, and which held studies point at a given PMID. Drizzle queries, portable to PostgreSQL.

import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { NoticeType, RelatedNotice } from '../../evidence/study-record.js';
import type { Reader, Transaction } from '../../store/client.js';

/** A notice as the API shows it: PubMed's link plus whether the linked PMID is a study in this database. */
export interface ShownNotice extends RelatedNotice {
  /** True when the linked PMID is a study here (then `/v1/studies/{pmid}` serves it). */
  in_database: boolean;
}

/** A held study whose notices link to a given PMID: the other direction of a link. */
export interface NoticeBacklink {
  /** The study that makes the link, e.g. "993" for a RetractionIn that names notice 195582. */
  pmid: string;
  type: NoticeType;
}

/** Notices of the given studies (internal ids), each list in PubMed's order: one statement whatever their number. */
export async function noticesByStudy(h: Reader, studyIds: readonly number[]): Promise<Map<number, ShownNotice[]>> {
  const byStudy = new Map<number, ShownNotice[]>();
  if (studyIds.length === 0) return byStudy;
  const { studies, study_notices } = h.tables;
  const rows = await h.orm
    .select({
      study_id: study_notices.study_id,
      type: study_notices.type,
      pmid: study_notices.pmid,
      ref_source: study_notices.ref_source,
      note: study_notices.note,
      held: studies.id,
    })
    .from(study_notices)
    .leftJoin(studies, eq(studies.pmid, study_notices.pmid))
    .where(inArray(study_notices.study_id, [...new Set(studyIds)]))
    .orderBy(asc(study_notices.study_id), asc(study_notices.position));
  for (const row of rows) {
    const notice: ShownNotice = {
      type: row.type as NoticeType,
      pmid: row.pmid,
      ref_source: row.ref_source,
      note: row.note,
      in_database: row.held !== null,
    };
    const list = byStudy.get(row.study_id);
    if (list) list.push(notice);
    else byStudy.set(row.study_id, [notice]);
  }
  return byStudy;
}

/** PubMed's link without the database's own `in_database` flag: what a record (and a revision) holds. */
export const asRelatedNotice = ({ type, pmid, ref_source, note }: RelatedNotice): RelatedNotice => ({
  type,
  pmid,
  ref_source,
  note,
});

/** The held studies whose notices link to `pmid` (other than itself), in PMID order. */
export async function noticeBacklinks(h: Reader, pmid: string): Promise<NoticeBacklink[]> {
  const { studies, study_notices } = h.tables;
  const rows = await h.orm
    .select({ pmid: studies.pmid, type: study_notices.type })
    .from(study_notices)
    .innerJoin(studies, eq(studies.id, study_notices.study_id))
    .where(and(eq(study_notices.pmid, pmid), ne(studies.pmid, pmid)))
    .orderBy(asc(studies.id), asc(study_notices.position));
  // Only PubMed articles hold notices, and `ne` already leaves out a study without a PMID (NULL <> x is not true).
  return rows.flatMap((r) => (r.pmid === null ? [] : [{ pmid: r.pmid, type: r.type as NoticeType }]));
}

const sameList = (a: readonly RelatedNotice[], b: readonly RelatedNotice[]) =>
  a.length === b.length &&
  a.every((n, i) => {
    const m = b[i] as RelatedNotice;
    return n.type === m.type && n.pmid === m.pmid && n.ref_source === m.ref_source && n.note === m.note;
  });

/**
 * Replaces a study's notices when they differ; returns whether they did (the caller then touches the study).
 * `current`, when the caller has just read them, saves reading them again.
 */
export async function replaceNotices(
  tx: Transaction,
  studyId: number,
  notices: readonly RelatedNotice[],
  current?: readonly RelatedNotice[],
): Promise<boolean> {
  const stored = current ?? (await noticesByStudy(tx, [studyId])).get(studyId) ?? [];
  if (sameList(stored, notices)) return false;
  const { study_notices } = tx.tables;
  await tx.orm.delete(study_notices).where(eq(study_notices.study_id, studyId));
  if (notices.length > 0)
    await tx.orm.insert(study_notices).values(
      notices.map((n, position) => ({
        study_id: studyId,
        position,
        type: n.type,
        pmid: n.pmid,
        ref_source: n.ref_source,
        note: n.note,
      })),
    );
  return true;
}
