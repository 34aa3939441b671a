CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_uq` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `claim_interventions` (
	`claim_id` text NOT NULL,
	`intervention_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`claim_id`, `intervention_id`),
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`intervention_id`) REFERENCES `interventions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `claim_interventions_intervention_idx` ON `claim_interventions` (`intervention_id`,`claim_id`);--> statement-breakpoint
CREATE TABLE `claim_studies` (
	`claim_id` text NOT NULL,
	`study_id` integer NOT NULL,
	`relation` text NOT NULL,
	`finding` text,
	`subgroup_sample_size` integer,
	`position` integer NOT NULL,
	PRIMARY KEY(`claim_id`, `study_id`),
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "claim_studies_subgroup_nonneg" CHECK("claim_studies"."subgroup_sample_size" IS NULL OR "claim_studies"."subgroup_sample_size" >= 0)
);
--> statement-breakpoint
CREATE INDEX `claim_studies_study_idx` ON `claim_studies` (`study_id`,`claim_id`);--> statement-breakpoint
CREATE TABLE `claims` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`statement` text NOT NULL,
	`plain_summary` text,
	`condition_id` integer,
	`outcome` text,
	`direction` text NOT NULL,
	`biomarker` text,
	`grade_scheme` text DEFAULT 'GRADE' NOT NULL,
	`grade_level` text NOT NULL,
	`certainty` integer NOT NULL,
	`grade_rationale` text,
	`grade_rating` integer,
	`caveat_codes` text DEFAULT '[]' NOT NULL,
	`caveat_notes` text,
	`status` text DEFAULT 'published' NOT NULL,
	`sample_size` integer,
	`source` text DEFAULT 'curated' NOT NULL,
	`source_id` text,
	`source_url` text,
	`source_release` text,
	`imported_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`condition_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "claims_certainty_range" CHECK("claims"."certainty" BETWEEN 0 AND 4)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_id_uq` ON `claims` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `claims_source_uq` ON `claims` (`source`,`source_id`);--> statement-breakpoint
CREATE INDEX `claims_status_certainty_idx` ON `claims` (`status`,`certainty`,`id`);--> statement-breakpoint
CREATE INDEX `claims_status_updated_idx` ON `claims` (`status`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `claims_status_sample_idx` ON `claims` (`status`,`sample_size`,`id`);--> statement-breakpoint
CREATE INDEX `claims_condition_idx` ON `claims` (`condition_id`,`status`,`certainty`);--> statement-breakpoint
CREATE INDEX `claims_biomarker_idx` ON `claims` ("biomarker" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `claims_direction_idx` ON `claims` (`direction`);--> statement-breakpoint
CREATE INDEX `claims_grade_idx` ON `claims` (`grade_level`);--> statement-breakpoint
CREATE INDEX `claims_scheme_idx` ON `claims` (`grade_scheme`,`certainty`);--> statement-breakpoint
CREATE TABLE `condition_synonyms` (
	`condition_id` integer NOT NULL,
	`synonym` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`condition_id`, `synonym`),
	FOREIGN KEY (`condition_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `conditions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`mesh_id` text,
	`doid` text,
	`parent_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `conditions`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conditions_slug_uq` ON `conditions` (`slug`);--> statement-breakpoint
CREATE INDEX `conditions_parent_idx` ON `conditions` (`parent_id`);--> statement-breakpoint
CREATE INDEX `conditions_name_idx` ON `conditions` (`name`);--> statement-breakpoint
CREATE TABLE `intervention_synonyms` (
	`intervention_id` integer NOT NULL,
	`synonym` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`intervention_id`, `synonym`),
	FOREIGN KEY (`intervention_id`) REFERENCES `interventions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `interventions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`description` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `interventions_slug_uq` ON `interventions` (`slug`);--> statement-breakpoint
CREATE INDEX `interventions_name_idx` ON `interventions` (`name`);--> statement-breakpoint
CREATE INDEX `interventions_kind_idx` ON `interventions` (`kind`);--> statement-breakpoint
CREATE TABLE `lookup_keys` (
	`entity` text NOT NULL,
	`key` text NOT NULL,
	`entity_id` integer NOT NULL,
	`exact` integer NOT NULL,
	PRIMARY KEY(`entity`, `key`, `entity_id`)
);
--> statement-breakpoint
CREATE INDEX `lookup_keys_entity_idx` ON `lookup_keys` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_key` text NOT NULL,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text,
	`changes` text NOT NULL,
	`snapshot` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `revisions_entity_idx` ON `revisions` (`entity`,`entity_key`,`id`);--> statement-breakpoint
CREATE INDEX `revisions_created_idx` ON `revisions` (`created_at`);--> statement-breakpoint
CREATE TABLE `studies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pmid` text NOT NULL,
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
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "studies_pmid_digits" CHECK("studies"."pmid" NOT GLOB '*[^0-9]*' AND length("studies"."pmid") BETWEEN 1 AND 9),
	CONSTRAINT "studies_sample_size_nonneg" CHECK("studies"."sample_size" IS NULL OR "studies"."sample_size" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studies_pmid_uq` ON `studies` (`pmid`);--> statement-breakpoint
CREATE INDEX `studies_pmid_num_idx` ON `studies` (CAST("pmid" AS INTEGER));--> statement-breakpoint
CREATE INDEX `studies_design_idx` ON `studies` (`design`);--> statement-breakpoint
CREATE INDEX `studies_sample_size_idx` ON `studies` (`sample_size`);--> statement-breakpoint
CREATE INDEX `studies_year_idx` ON `studies` (`year`);--> statement-breakpoint
CREATE TABLE `topic_claims` (
	`topic_id` integer NOT NULL,
	`claim_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`topic_id`, `claim_id`),
	FOREIGN KEY (`topic_id`) REFERENCES `topics`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `topic_claims_claim_idx` ON `topic_claims` (`claim_id`);--> statement-breakpoint
CREATE TABLE `topics` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`question` text NOT NULL,
	`bottom_line` text NOT NULL,
	`evidence_summary` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `topics_slug_uq` ON `topics` (`slug`);