// Exports a benchmark database to json-server's db.json: published claims with their studies embedded, in the
// API's default order (strongest first), so `/claims?condition=<slug>&_limit=20&_page=k` is the json-server
// equivalent of scenario 1. Each claim has the API's shape, with `condition` flattened to the slug json-server
// filters on.
//
// npx tsx bench/json-server-export.ts --db FILE --out db.json
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { metadataStatus, summariseSupportingEvidence } from '../src/evidence/summary.js';
import type { StudyDesign, StudyRelation } from '../src/evidence/vocabulary.js';

interface ClaimRow {
  id: string;
  statement: string;
  plain_summary: string | null;
  condition: string | null;
  condition_name: string | null;
  outcome: string | null;
  direction: string;
  biomarker: string | null;
  grade_scheme: string;
  grade_level: string;
  certainty: number;
  grade_rationale: string | null;
  grade_rating: number | null;
  caveat_codes: string;
  caveat_notes: string | null;
  status: string;
  sample_size: number | null;
  source: string;
  source_id: string | null;
  source_url: string | null;
  source_release: string | null;
  imported_at: string | null;
  created_at: string;
  updated_at: string;
  studies: string;
  interventions: string;
}

interface StudyJson {
  key: string;
  pmid: string | null;
  title: string | null;
  journal: string | null;
  year: number | null;
  design: StudyDesign | null;
  sample_size: number | null;
  sample_size_note: string | null;
  species: string | null;
  retracted: number;
  author_total: number;
  authors_complete: number;
  relation: StudyRelation;
  finding: string | null;
  subgroup_sample_size: number | null;
}

/** Writes db.json (through a temporary name) and returns how many claims and bytes it holds. */
export function exportJsonServer(dbPath: string, outPath: string): { claims: number; bytes: number } {
  const sqlite = new Database(dbPath, { readonly: true });
  const rows = sqlite
    .prepare(
      `SELECT c.id, c.statement, c.plain_summary, co.slug AS condition, co.name AS condition_name, c.outcome,
         c.direction, c.biomarker, c.grade_scheme, c.grade_level, c.certainty, c.grade_rationale, c.grade_rating,
         c.caveat_codes, c.caveat_notes, c.status, c.sample_size, c.source, c.source_id, c.source_url,
         c.source_release, c.imported_at, c.created_at, c.updated_at,
         (SELECT json_group_array(json_object('key', s.key, 'pmid', s.pmid, 'title', s.title, 'journal', coalesce(s.journal_iso, s.journal),
             'year', s.year, 'design', s.design, 'sample_size', s.sample_size, 'sample_size_note', s.sample_size_note,
             'species', s.species, 'retracted', s.retracted, 'author_total', json_array_length(s.authors),
             'authors_complete', s.authors_complete, 'relation', cs.relation, 'finding', cs.finding,
             'subgroup_sample_size', cs.subgroup_sample_size))
          FROM (SELECT * FROM claim_studies WHERE claim_id = c.id ORDER BY position) cs JOIN studies s ON s.id = cs.study_id) AS studies,
         (SELECT json_group_array(json_object('slug', i.slug, 'name', i.name, 'kind', i.kind))
          FROM (SELECT * FROM claim_interventions WHERE claim_id = c.id ORDER BY position) ci
          JOIN interventions i ON i.id = ci.intervention_id) AS interventions
       FROM claims c LEFT JOIN conditions co ON co.id = c.condition_id
       WHERE c.status = 'published' ORDER BY c.certainty DESC, c.id`,
    )
    .iterate() as IterableIterator<ClaimRow>;
  const partial = `${outPath}.partial`;
  const fd = openSync(partial, 'w');
  let bytes = 0;
  let claims = 0;
  const write = (text: string) => {
    bytes += writeSync(fd, text);
  };
  write('{"claims":[\n');
  for (const r of rows) {
    const studies = (JSON.parse(r.studies) as StudyJson[]).map((s) => ({
      key: s.key,
      pmid: s.pmid,
      title: s.title,
      journal: s.journal,
      year: s.year,
      design: s.design,
      sample_size: s.sample_size,
      sample_size_note: s.sample_size_note,
      species: s.species,
      retracted: s.retracted === 1,
      metadata_status: metadataStatus(s),
      relation: s.relation,
      finding: s.finding,
      subgroup_sample_size: s.subgroup_sample_size,
    }));
    const claim = {
      id: r.id,
      statement: r.statement,
      plain_summary: r.plain_summary,
      condition: r.condition,
      condition_name: r.condition_name,
      interventions: JSON.parse(r.interventions) as unknown[],
      outcome: r.outcome,
      direction: r.direction,
      biomarker: r.biomarker,
      grade: {
        scheme: r.grade_scheme,
        level: r.grade_level,
        certainty: r.certainty,
        rationale: r.grade_rationale,
        rating: r.grade_rating,
      },
      caveats: { codes: JSON.parse(r.caveat_codes) as string[], notes: r.caveat_notes },
      status: r.status,
      sample_size: r.sample_size,
      studies,
      evidence_summary: summariseSupportingEvidence(studies),
      source: {
        name: r.source,
        id: r.source_id,
        url: r.source_url,
        release: r.source_release,
        imported_at: r.imported_at,
      },
      created_at: r.created_at,
      updated_at: r.updated_at,
    };
    write(`${claims === 0 ? '' : ',\n'}${JSON.stringify(claim)}`);
    claims++;
  }
  write('\n]}\n');
  closeSync(fd);
  sqlite.close();
  renameSync(partial, outPath);
  return { claims, bytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const db = arg('db');
  const out = arg('out');
  if (!db || !out) {
    console.error('usage: npx tsx bench/json-server-export.ts --db FILE --out db.json');
    process.exit(1);
  }
  const started = performance.now();
  const { claims, bytes } = exportJsonServer(db, out);
  console.log(
    `${claims} claims, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
