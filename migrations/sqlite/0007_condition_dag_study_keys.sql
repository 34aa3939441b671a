-- Issue 15 §2-§3 (after 0006_study_record_retractions, whose study columns, study_notices and indexes it keeps):
-- conditions form a DAG (condition_parents + precomputed condition_descendants replace
-- conditions.parent_id), ontology synonyms keep their scope and codes their system, studies get a key that is not
-- always a PMID (ASCO/ASH abstracts), claims keep CIViC's meaning (evidence type, interventions' relation, variant
-- origin, trials, agreement) and sort within a certainty level by rank_key.
--
-- drizzle-kit wrote the CREATE/ALTER statements; the blocks marked HAND-WRITTEN are not from drizzle-kit:
--   1. the search views and the triggers that read them are dropped first and re-created last (SQLite refuses to
--      rename a rebuilt table while a view or trigger names a table that is gone), with the version triggers of the
--      two rebuilt tables;
--   2. data: conditions.parent_id → condition_parents (curated) and its closure; studies.key = pmid (every column
--      0006 added to studies is copied as it is); ranked lookup keys for conditions; plain_summary_source; rank_key
--      for every claim;
--   3. the expression indexes of the rebuilt studies table: drizzle-kit writes a rebuilt table's indexes from its
--      snapshot, which does not say that a column is an expression, and quotes `(CASE ...)` as a column name; they
--      are written here as the schema declares them (the list order, STUDY_ORDER in resources/studies).
-- The rebuilds need foreign keys off, which store/migrate.ts does around the migrator (and checks after): the rows
-- keep their ids, so claim_studies' and study_notices' references to studies.id stay valid.
-- HAND-WRITTEN (1): views and triggers that name conditions or studies, re-created at the end.
DROP TRIGGER IF EXISTS `conditions_search_ai`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `conditions_search_au`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `conditions_search_ad`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `studies_search_ai`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `studies_search_au`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `studies_search_ad`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `condition_synonyms_search_ai`;--> statement-breakpoint
DROP TRIGGER IF EXISTS `condition_synonyms_search_ad`;--> statement-breakpoint
DROP VIEW IF EXISTS `search_condition_docs`;--> statement-breakpoint
DROP VIEW IF EXISTS `search_study_docs`;--> statement-breakpoint
CREATE TABLE `claim_import_state` (
	`claim_id` text PRIMARY KEY NOT NULL,
	`source_release` text,
	`imported_values` text NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `claim_relations` (
	`claim_id` text NOT NULL,
	`other_id` text NOT NULL,
	`relation` text NOT NULL,
	PRIMARY KEY(`claim_id`, `other_id`),
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `claim_relations_other_idx` ON `claim_relations` (`other_id`);--> statement-breakpoint
CREATE TABLE `condition_codes` (
	`condition_id` integer NOT NULL,
	`relation` text NOT NULL,
	`system` text NOT NULL,
	`code` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`condition_id`, `relation`, `system`, `code`),
	FOREIGN KEY (`condition_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `condition_descendants` (
	`ancestor_id` integer NOT NULL,
	`descendant_id` integer NOT NULL,
	PRIMARY KEY(`ancestor_id`, `descendant_id`),
	FOREIGN KEY (`ancestor_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`descendant_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `condition_descendants_descendant_idx` ON `condition_descendants` (`descendant_id`,`ancestor_id`);--> statement-breakpoint
CREATE TABLE `condition_parents` (
	`condition_id` integer NOT NULL,
	`parent_id` integer NOT NULL,
	`source` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`condition_id`, `parent_id`, `source`),
	FOREIGN KEY (`condition_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `condition_parents_parent_idx` ON `condition_parents` (`parent_id`,`condition_id`);--> statement-breakpoint
-- HAND-WRITTEN (2): each condition's one parent becomes a curated link, before parent_id goes.
INSERT INTO `condition_parents` (`condition_id`, `parent_id`, `source`, `position`)
	SELECT `id`, `parent_id`, 'curated', 0 FROM `conditions` WHERE `parent_id` IS NOT NULL;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_conditions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`mesh_id` text,
	`doid` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_conditions`("id", "slug", "name", "description", "mesh_id", "doid", "created_at", "updated_at", "version") SELECT "id", "slug", "name", "description", "mesh_id", "doid", "created_at", "updated_at", "version" FROM `conditions`;--> statement-breakpoint
DROP TABLE `conditions`;--> statement-breakpoint
ALTER TABLE `__new_conditions` RENAME TO `conditions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `conditions_slug_uq` ON `conditions` (`slug`);--> statement-breakpoint
CREATE INDEX `conditions_name_idx` ON `conditions` (`name`);--> statement-breakpoint
CREATE INDEX `conditions_doid_idx` ON `conditions` (`doid`);--> statement-breakpoint
CREATE TABLE `__new_studies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`pmid` text,
	`source_type` text DEFAULT 'pubmed' NOT NULL,
	`source_id` text,
	`abstract_number` text,
	`source_url` text,
	`doi` text,
	`pmcid` text,
	`title` text,
	`authors` text DEFAULT '[]' NOT NULL,
	`authors_complete` integer DEFAULT false NOT NULL,
	`last_author` text,
	`author_count` integer,
	`journal` text,
	`journal_iso` text,
	`year` integer,
	`month` integer,
	`day` integer,
	`date_text` text,
	`volume` text,
	`issue` text,
	`pages` text,
	`publication_types` text DEFAULT '[]' NOT NULL,
	`mesh_terms` text DEFAULT '[]' NOT NULL,
	`abstract` text,
	`design` text,
	`design_source` text,
	`sample_size` integer,
	`sample_size_note` text,
	`population` text,
	`species` text,
	`retracted` integer DEFAULT false NOT NULL,
	`citation_text` text,
	`citation_text_source` text,
	`journal_medline_ta` text,
	`publication_kind` text,
	`publication_status` text,
	`article_date` text,
	`history` text DEFAULT '[]' NOT NULL,
	`elocation_id` text,
	`arxiv_id` text,
	`bookshelf_id` text,
	`isbn` text,
	`editors` text DEFAULT '[]' NOT NULL,
	`publisher` text,
	`publisher_place` text,
	`edition` text,
	`collection_title` text,
	`retraction_source` text,
	`retraction_notice_pmid` text,
	`retraction_notice_citation` text,
	`deleted_by_pubmed` integer DEFAULT false NOT NULL,
	`deleted_by_pubmed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "studies_pmid_digits" CHECK("__new_studies"."pmid" IS NULL OR ("__new_studies"."pmid" NOT GLOB '*[^0-9]*' AND length("__new_studies"."pmid") BETWEEN 1 AND 9)),
	CONSTRAINT "studies_key_source" CHECK(("__new_studies"."source_type" = 'pubmed' AND "__new_studies"."pmid" IS NOT NULL AND "__new_studies"."key" = "__new_studies"."pmid") OR ("__new_studies"."source_type" <> 'pubmed' AND "__new_studies"."pmid" IS NULL AND "__new_studies"."key" LIKE "__new_studies"."source_type" || ':%')),
	CONSTRAINT "studies_sample_size_nonneg" CHECK("__new_studies"."sample_size" IS NULL OR "__new_studies"."sample_size" >= 0)
);
--> statement-breakpoint
-- HAND-WRITTEN (2): every existing study is a PubMed article, keyed by its PMID; a stored citation string came from CIViC.
INSERT INTO `__new_studies`("id", "key", "pmid", "source_type", "source_id", "abstract_number", "source_url", "doi", "pmcid", "title", "authors", "authors_complete", "last_author", "author_count", "journal", "journal_iso", "year", "month", "day", "date_text", "volume", "issue", "pages", "publication_types", "mesh_terms", "abstract", "design", "design_source", "sample_size", "sample_size_note", "population", "species", "retracted", "citation_text", "citation_text_source", "journal_medline_ta", "publication_kind", "publication_status", "article_date", "history", "elocation_id", "arxiv_id", "bookshelf_id", "isbn", "editors", "publisher", "publisher_place", "edition", "collection_title", "retraction_source", "retraction_notice_pmid", "retraction_notice_citation", "deleted_by_pubmed", "deleted_by_pubmed_at", "created_at", "updated_at", "version") SELECT "id", "pmid", "pmid", 'pubmed', NULL, NULL, NULL, "doi", "pmcid", "title", "authors", "authors_complete", "last_author", "author_count", "journal", "journal_iso", "year", "month", "day", "date_text", "volume", "issue", "pages", "publication_types", "mesh_terms", "abstract", "design", "design_source", "sample_size", "sample_size_note", "population", "species", "retracted", "citation_text", CASE WHEN "citation_text" IS NOT NULL THEN 'CIViC' END, "journal_medline_ta", "publication_kind", "publication_status", "article_date", "history", "elocation_id", "arxiv_id", "bookshelf_id", "isbn", "editors", "publisher", "publisher_place", "edition", "collection_title", "retraction_source", "retraction_notice_pmid", "retraction_notice_citation", "deleted_by_pubmed", "deleted_by_pubmed_at", "created_at", "updated_at", "version" FROM `studies`;--> statement-breakpoint
DROP TABLE `studies`;--> statement-breakpoint
ALTER TABLE `__new_studies` RENAME TO `studies`;--> statement-breakpoint
CREATE UNIQUE INDEX `studies_key_uq` ON `studies` (`key`);--> statement-breakpoint
CREATE UNIQUE INDEX `studies_pmid_uq` ON `studies` (`pmid`);--> statement-breakpoint
-- HAND-WRITTEN (3): in this and the next two indexes, the list-order expression unquoted (see the header).
CREATE INDEX `studies_retracted_idx` ON `studies` (`retracted`,(CASE WHEN "pmid" IS NULL THEN 1000000000 + "id" ELSE CAST("pmid" AS INTEGER) END));--> statement-breakpoint
CREATE INDEX `studies_pmid_num_idx` ON `studies` ((CASE WHEN "pmid" IS NULL THEN 1000000000 + "id" ELSE CAST("pmid" AS INTEGER) END));--> statement-breakpoint
CREATE INDEX `studies_design_idx` ON `studies` (`design`,(CASE WHEN "pmid" IS NULL THEN 1000000000 + "id" ELSE CAST("pmid" AS INTEGER) END));--> statement-breakpoint
CREATE INDEX `studies_sample_size_idx` ON `studies` (`sample_size`);--> statement-breakpoint
CREATE INDEX `studies_year_idx` ON `studies` (`year`);--> statement-breakpoint
DROP INDEX `claims_retracted_evidence_idx`;--> statement-breakpoint
DROP INDEX `claims_status_certainty_idx`;--> statement-breakpoint
DROP INDEX `claims_condition_idx`;--> statement-breakpoint
ALTER TABLE `claims` ADD `plain_summary_source` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `evidence_type` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `intervention_relation` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `variant_origin` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `nct_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `claims` ADD `source_evidence_direction` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `source_significance` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `source_reviewed_at` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `rank_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `claims_evidence_type_idx` ON `claims` (`evidence_type`,`status`,"certainty" DESC,`rank_key`);--> statement-breakpoint
CREATE INDEX `claims_retracted_evidence_idx` ON `claims` (`has_retracted_evidence`,`status`,"certainty" DESC,`rank_key`);--> statement-breakpoint
CREATE INDEX `claims_status_certainty_idx` ON `claims` (`status`,"certainty" DESC,`rank_key`);--> statement-breakpoint
CREATE INDEX `claims_condition_idx` ON `claims` (`condition_id`,`status`,"certainty" DESC,`rank_key`);--> statement-breakpoint
ALTER TABLE `condition_synonyms` ADD `scope` text;--> statement-breakpoint
-- HAND-WRITTEN (2): the closure of the hierarchy, each condition its own descendant (refreshClosure's rows).
INSERT INTO `condition_descendants` (`ancestor_id`, `descendant_id`)
	WITH RECURSIVE up(descendant_id, ancestor_id) AS (
		SELECT `id`, `id` FROM `conditions`
		UNION SELECT up.descendant_id, p.`parent_id` FROM up JOIN `condition_parents` p ON p.`condition_id` = up.ancestor_id)
	SELECT ancestor_id, descendant_id FROM up;--> statement-breakpoint
-- HAND-WRITTEN (2): lookup ranks for conditions (store/lookup.queries.ts): 3 = slug, name or code, 2 = a curated
-- synonym (every other whole spelling written so far), 0 = a later word. Names are compared lower-cased with hyphens
-- and underscores as spaces, as lookupKey writes them; a name with accents stays at 2 until the condition is saved.
UPDATE `lookup_keys` SET `exact` = 2 WHERE `entity` = 'condition' AND `exact` = 1;--> statement-breakpoint
UPDATE `lookup_keys` SET `exact` = 3 WHERE `entity` = 'condition' AND `exact` = 2 AND `key` IN (
	SELECT replace(lower(`slug`), '-', ' ') FROM `conditions`
	UNION SELECT trim(replace(replace(lower(`name`), '-', ' '), '_', ' ')) FROM `conditions`
	UNION SELECT lower(`doid`) FROM `conditions` WHERE `doid` IS NOT NULL
	UNION SELECT lower(`mesh_id`) FROM `conditions` WHERE `mesh_id` IS NOT NULL
	UNION SELECT 'mesh:' || lower(`mesh_id`) FROM `conditions` WHERE `mesh_id` IS NOT NULL);--> statement-breakpoint
-- HAND-WRITTEN (2): every summary written so far was written by a person.
UPDATE `claims` SET `plain_summary_source` = 'curated' WHERE `plain_summary` IS NOT NULL;--> statement-breakpoint
-- HAND-WRITTEN (2): rank_key, the literal CLAIM_RANK_KEY_SQL of src/resources/claims/claims.rank.ts.
UPDATE `claims` SET `rank_key` = printf('%d|%02d|%013d|%08d|%s',
  5 - max(0, min(5, coalesce(claims.grade_rating, 0))),
  coalesce((SELECT min(CASE s.design WHEN 'meta_analysis' THEN 0 WHEN 'systematic_review' THEN 1 WHEN 'rct' THEN 2 WHEN 'non_randomised_trial' THEN 3 WHEN 'cohort' THEN 4 WHEN 'case_control' THEN 5 WHEN 'cross_sectional' THEN 6 WHEN 'case_series' THEN 7 WHEN 'case_report' THEN 8 WHEN 'narrative_review' THEN 9 WHEN 'expert_opinion' THEN 10 WHEN 'animal' THEN 11 WHEN 'in_vitro' THEN 12 WHEN 'other' THEN 13 END) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
    WHERE cs.claim_id = claims.id), 14),
  1000000000000 - coalesce(claims.sample_size, -1),
  99999999 - coalesce((SELECT max(s.year * 10000 + coalesce(s.month, 0) * 100 + coalesce(s.day, 0))
    FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = claims.id AND s.year IS NOT NULL), 0),
  claims.id);--> statement-breakpoint
-- HAND-WRITTEN (1): the search views and triggers (as in 0001_search, a study's ref now its key), version triggers.
CREATE VIEW `search_condition_docs` AS
SELECT k.id AS entity_id, k.id * 8 + 2 AS doc_rowid, 'condition' AS kind, k.slug AS ref, k.name AS title,
	trim(coalesce((SELECT group_concat(synonym, ' ') FROM condition_synonyms WHERE condition_id = k.id), '') || ' ' ||
		coalesce(k.doid, '') || ' ' || coalesce(k.mesh_id, '') || ' ' || coalesce(k.description, '')) AS body
FROM conditions k;
--> statement-breakpoint
CREATE VIEW `search_study_docs` AS
SELECT s.id AS entity_id, s.id * 8 + 4 AS doc_rowid, 'study' AS kind, s.key AS ref, coalesce(s.title, '') AS title,
	trim(coalesce(s.journal, '') || ' ' || coalesce(s.journal_iso, '') || ' ' || coalesce(s.citation_text, '')) AS body
FROM studies s;
--> statement-breakpoint
CREATE TRIGGER `conditions_search_ai` AFTER INSERT ON `conditions` BEGIN
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `conditions_search_au` AFTER UPDATE OF slug, name, description, doid, mesh_id ON `conditions` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `conditions_search_ad` AFTER DELETE ON `conditions` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
END;
--> statement-breakpoint
CREATE TRIGGER `condition_synonyms_search_ai` AFTER INSERT ON `condition_synonyms` BEGIN
	DELETE FROM search_index WHERE rowid = new.condition_id * 8 + 2;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = new.condition_id;
END;
--> statement-breakpoint
CREATE TRIGGER `condition_synonyms_search_ad` AFTER DELETE ON `condition_synonyms` BEGIN
	DELETE FROM search_index WHERE rowid = old.condition_id * 8 + 2;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_condition_docs WHERE entity_id = old.condition_id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_search_ai` AFTER INSERT ON `studies` BEGIN
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_study_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_search_au` AFTER UPDATE OF title, journal, journal_iso, citation_text ON `studies` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
	INSERT INTO search_index (rowid, kind, ref, title, body) SELECT doc_rowid, kind, ref, title, body FROM search_study_docs WHERE entity_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_search_ad` AFTER DELETE ON `studies` BEGIN
	DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
END;
--> statement-breakpoint
CREATE TRIGGER `conditions_version_au` AFTER UPDATE ON `conditions` WHEN new.version = old.version BEGIN
	UPDATE `conditions` SET version = old.version + 1 WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_version_au` AFTER UPDATE ON `studies` WHEN new.version = old.version BEGIN
	UPDATE `studies` SET version = old.version + 1 WHERE rowid = new.rowid;
END;
