-- List filters with an index in the order of the list (kind then slug; design then PMID): a page stops early.
DROP INDEX `interventions_kind_idx`;--> statement-breakpoint
CREATE INDEX `interventions_kind_idx` ON `interventions` (`kind`,`slug`);--> statement-breakpoint
DROP INDEX `studies_design_idx`;--> statement-breakpoint
CREATE INDEX `studies_design_idx` ON `studies` (`design`,CAST("pmid" AS INTEGER));