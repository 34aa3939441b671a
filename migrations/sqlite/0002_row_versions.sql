-- Row versions for optimistic concurrency: every UPDATE of a curated row bumps its version (by trigger, so no writer can forget).
ALTER TABLE `claims` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `conditions` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `interventions` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `studies` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `topics` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE TRIGGER `claims_version_au` AFTER UPDATE ON `claims` WHEN new.version = old.version BEGIN
	UPDATE `claims` SET version = old.version + 1 WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `conditions_version_au` AFTER UPDATE ON `conditions` WHEN new.version = old.version BEGIN
	UPDATE `conditions` SET version = old.version + 1 WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `interventions_version_au` AFTER UPDATE ON `interventions` WHEN new.version = old.version BEGIN
	UPDATE `interventions` SET version = old.version + 1 WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_version_au` AFTER UPDATE ON `studies` WHEN new.version = old.version BEGIN
	UPDATE `studies` SET version = old.version + 1 WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `topics_version_au` AFTER UPDATE ON `topics` WHEN new.version = old.version BEGIN
	UPDATE `topics` SET version = old.version + 1 WHERE rowid = new.rowid;
END;
