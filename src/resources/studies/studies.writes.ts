// POST/PATCH/DELETE /v1/studies: curated study records with history; PMID and sample-size rules answer 422.
import { z } from 'zod';
import { checkStudyDesignForClaims, checkStudyRules } from '../../evidence/rules.js';
import { PROBLEM_CODES } from '../../http/problem.js';
import { registerResourceWrites } from '../../http/resource-writes.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { patchOf } from '../../http/writes.js';
import { getStudy, studyInputOf } from './studies.queries.js';
import { StudyDetailSchema, StudyInput } from './studies.schemas.js';

/** The API body: PMID and sample size are checked as evidence rules (422 with the rule), not as shapes (400). */
export const StudyCreateBody = StudyInput.extend({
  pmid: z.string().min(1).max(20).describe('PubMed id: 1 to 9 digits (otherwise 422 `study.pmid_digits`).'),
  sample_size: z
    .number()
    .int()
    // Sums of sizes must stay exact: a size of 2^53-1 made every claim citing the study a 500 (found by the fuzz).
    .max(1_000_000_000)
    .nullable()
    .default(null)
    .describe('Participants, at most 10^9; null when unknown (negative: 422 `study.sample_size_non_negative`).'),
}).meta({ id: 'StudyCreate' });

// Built once at load: schema ids registered per app build would reorder the OpenAPI components.
const StudyPatchBody = patchOf(StudyCreateBody, ['pmid'], 'StudyPatch');

export const studiesWrites: RoutePlugin = async (app, { db }) => {
  registerResourceWrites<StudyInput>(app, db, {
    entity: 'study',
    table: 'studies',
    path: '/v1/studies',
    param: 'pmid',
    keyField: 'pmid',
    noun: 'study',
    tag: 'studies',
    notFoundCode: PROBLEM_CODES.studyNotFound,
    createBody: StudyCreateBody,
    patchBody: StudyPatchBody,
    response: StudyDetailSchema,
    load: studyInputOf,
    rules: async (h, input) => {
      checkStudyRules(input);
      await checkStudyDesignForClaims(h, input);
    },
    upsert: (changes, input) => changes.upsertStudy(input),
    remove: async (changes, pmid) => {
      const result = await changes.deleteStudy(pmid);
      return result.deleted ? null : `${result.claims} claim(s) cite it`;
    },
    detail: getStudy,
  });
};
