-- Evidence depth (issue 16), after 0006_study_record_retractions and 0007_condition_dag_study_keys: PICO per claim,
-- GRADE domains and an explicit override on claims, effect estimates on claim-study links, risk-of-bias assessments
-- on studies, outcome importance on topic claims. drizzle-kit wrote the CREATE/ALTER statements; the blocks marked
-- HAND-WRITTEN at the end are not from drizzle-kit (supporting-only sample sizes with their rank keys, the claims'
-- search view with PICO text, and the PICO search triggers).
CREATE TABLE `claim_pico_age_groups` (
	`claim_id` text NOT NULL,
	`age_group` text NOT NULL,
	PRIMARY KEY(`claim_id`, `age_group`),
	FOREIGN KEY (`claim_id`) REFERENCES `claim_picos`(`claim_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `claim_pico_age_groups_age_idx` ON `claim_pico_age_groups` (`age_group`,`claim_id`);--> statement-breakpoint
CREATE TABLE `claim_picos` (
	`claim_id` text PRIMARY KEY NOT NULL,
	`population` text NOT NULL,
	`age_groups` text DEFAULT '[]' NOT NULL,
	`sex` text,
	`setting` text,
	`intervention` text NOT NULL,
	`comparator` text,
	`outcome` text NOT NULL,
	`outcome_code_system` text,
	`outcome_code` text,
	`outcome_code_display` text,
	`timeframe` text,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `claim_picos_sex_idx` ON `claim_picos` (`sex`,`claim_id`);--> statement-breakpoint
CREATE INDEX `claim_picos_setting_idx` ON `claim_picos` (`setting`,`claim_id`);--> statement-breakpoint
CREATE INDEX `claim_picos_outcome_code_idx` ON `claim_picos` (`outcome_code_system`,`outcome_code`,`claim_id`);--> statement-breakpoint
ALTER TABLE `claim_studies` ADD `effect_estimates` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `claims` ADD `grade_domains` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `grade_synthesis_of` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `grade_override_reason` text;--> statement-breakpoint
ALTER TABLE `studies` ADD `risk_of_bias` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `topic_claims` ADD `importance` text;
--> statement-breakpoint
-- HAND-WRITTEN (1/3): a claim's sample_size counts only studies linked as `supports` (it was the largest n of any
-- linked study, so a context-only survey lent the overall skin claim n=242). rank_key (0007) orders by that sample
-- size, so it moves in the same UPDATE: the literal CLAIM_RANK_KEY_SQL of src/resources/claims/claims.rank.ts with
-- the fresh supporting-only size in place of claims.sample_size (refreshClaimDerived's FRESH_RANK_KEY_SQL). One
-- UPDATE, so the row-version trigger bumps each moved claim's version once and an ETag taken before no longer matches.
UPDATE `claims` SET
  `sample_size` = (SELECT max(s.sample_size) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id AND cs.relation = 'supports'),
  `rank_key` = printf('%d|%02d|%013d|%08d|%s',
  5 - max(0, min(5, coalesce(claims.grade_rating, 0))),
  coalesce((SELECT min(CASE s.design WHEN 'meta_analysis' THEN 0 WHEN 'systematic_review' THEN 1 WHEN 'rct' THEN 2 WHEN 'non_randomised_trial' THEN 3 WHEN 'cohort' THEN 4 WHEN 'case_control' THEN 5 WHEN 'cross_sectional' THEN 6 WHEN 'case_series' THEN 7 WHEN 'case_report' THEN 8 WHEN 'narrative_review' THEN 9 WHEN 'expert_opinion' THEN 10 WHEN 'animal' THEN 11 WHEN 'in_vitro' THEN 12 WHEN 'other' THEN 13 END) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id), 14),
  1000000000000 - coalesce((SELECT max(s.sample_size) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id AND cs.relation = 'supports'), -1),
  99999999 - coalesce((SELECT max(s.year * 10000 + coalesce(s.month, 0) * 100 + coalesce(s.day, 0))
    FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = claims.id AND s.year IS NOT NULL), 0),
  claims.id)
WHERE `sample_size` IS NOT (SELECT max(s.sample_size) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id AND cs.relation = 'supports');
--> statement-breakpoint
UPDATE `meta` SET `value` = CAST(`value` AS INTEGER) + 1 WHERE `key` = 'data_version';
--> statement-breakpoint
-- HAND-WRITTEN (2/3): the claim's search document also holds its PICO text (population, intervention, comparator,
-- outcome and the outcome code's term). The rest is the view as 0001_search wrote it (0007 re-created the condition
-- and study views only). No claim has a PICO yet, so nothing needs re-indexing here.
DROP VIEW `search_claim_docs`;
--> statement-breakpoint
CREATE VIEW `search_claim_docs` AS
SELECT c.seq * 8 + 1 AS doc_rowid, 'claim' AS kind, c.id AS ref, c.statement AS title,
	trim(coalesce(c.plain_summary, '') || ' ' || coalesce(c.biomarker, '') || ' ' || coalesce(c.outcome, '') || ' ' ||
		coalesce((SELECT group_concat(i.name, ' ') FROM claim_interventions ci JOIN interventions i ON i.id = ci.intervention_id
			WHERE ci.claim_id = c.id), '') || ' ' ||
		coalesce((SELECT p.population || ' ' || p.intervention || ' ' || coalesce(p.comparator, '') || ' ' || p.outcome || ' ' ||
			coalesce(p.outcome_code_display, '') FROM claim_picos p WHERE p.claim_id = c.id), '')) AS body
FROM claims c;
--> statement-breakpoint
-- HAND-WRITTEN (3/3): a PICO written, changed or removed re-indexes its claim, as an intervention link does.
CREATE TRIGGER `claim_picos_search_ai` AFTER INSERT ON `claim_picos` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT seq * 8 + 1 FROM claims WHERE id = new.claim_id);
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE ref = new.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER `claim_picos_search_au` AFTER UPDATE ON `claim_picos` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT seq * 8 + 1 FROM claims WHERE id = new.claim_id);
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE ref = new.claim_id;
END;
--> statement-breakpoint
CREATE TRIGGER `claim_picos_search_ad` AFTER DELETE ON `claim_picos` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT seq * 8 + 1 FROM claims WHERE id = old.claim_id);
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_claim_docs WHERE ref = old.claim_id;
END;
