// SQL for citations: the studies behind a claim, a topic or a PMID list, in a stable order, as citable records.

import { citableStudy } from '../../citations/source-citation.js';
import type { StudyBibliography } from '../../evidence/study-record.js';
import type { Reader } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import type { RowOf } from '../../store/rows.js';
import { bibliographyOf, STUDY_ORDER, type StudyRow, toStudies } from '../studies/studies.queries.js';

const STUDY_COLUMNS = `s.*, ${STUDY_ORDER} AS pmid_order`;

/**
 * Every field the formatters read, notices and retraction included (one more statement for all the rows); a study
 * cited from its source's string, or without a PMID, carries its cited source (citableStudy).
 */
const toBibliographies = async (h: Reader, rows: readonly StudyRow[]): Promise<StudyBibliography[]> =>
  (await toStudies(h, rows)).map((study) => citableStudy({ ...study, ...bibliographyOf(study), pmid: study.pmid }));

/** The studies with these keys (PMIDs, or keys of sources without one), in the order asked; `missing` lists the others. */
export async function studiesByPmids(h: Reader, pmids: readonly string[]) {
  const rows = await h.all<StudyRow>(
    `SELECT ${STUDY_COLUMNS} FROM studies s WHERE s.key IN (SELECT value FROM ${dialectOf(h).jsonValues('?')})`,
    [JSON.stringify(pmids)],
  );
  const byPmid = new Map(rows.map((r) => [r.key, r]));
  return {
    studies: await toBibliographies(
      h,
      pmids.flatMap((p) => byPmid.get(p) ?? []),
    ),
    missing: pmids.filter((p) => !byPmid.has(p)),
  };
}

/** A claim's studies in the claim's own order; undefined when the claim does not exist. */
export async function claimStudies(h: Reader, claimId: string): Promise<StudyBibliography[] | undefined> {
  if (!(await h.get('SELECT 1 FROM claims WHERE id = ?', [claimId]))) return undefined;
  const rows = await h.all<StudyRow>(
    `SELECT ${STUDY_COLUMNS} FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
     WHERE cs.claim_id = ? ORDER BY cs.position`,
    [claimId],
  );
  return toBibliographies(h, rows);
}

/**
 * The distinct studies behind a topic's published claims, in order of first citation (claims in curated order,
 * studies in each claim's order); undefined when the topic does not exist.
 */
export async function topicStudies(h: Reader, slug: string): Promise<StudyBibliography[] | undefined> {
  const topic = await h.get<RowOf<'topics', 'id'>>('SELECT id FROM topics WHERE slug = ?', [slug]);
  if (!topic) return undefined;
  const rows = await h.all<StudyRow>(
    moreOf(h).hints(`SELECT ${STUDY_COLUMNS} FROM studies s JOIN (
       SELECT cs.study_id, min(tc.position * 100000 + cs.position) AS first_seen
       FROM topic_claims tc CROSS JOIN claims c ON c.id = tc.claim_id AND c.status = 'published'
       JOIN claim_studies cs ON cs.claim_id = tc.claim_id
       WHERE tc.topic_id = ? GROUP BY cs.study_id) f ON f.study_id = s.id
     ORDER BY f.first_seen`),
    [topic.id],
  );
  return toBibliographies(h, rows);
}
