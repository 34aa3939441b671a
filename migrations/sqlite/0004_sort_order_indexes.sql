-- Indexes in exactly the order of each sort (descending key, then id): a page is read off the index, no sort of the ties.
DROP INDEX `claims_status_certainty_idx`;--> statement-breakpoint
DROP INDEX `claims_status_updated_idx`;--> statement-breakpoint
DROP INDEX `claims_status_sample_idx`;--> statement-breakpoint
DROP INDEX `claims_condition_idx`;--> statement-breakpoint
CREATE INDEX `claims_status_certainty_idx` ON `claims` (`status`,"certainty" DESC,`id`);--> statement-breakpoint
CREATE INDEX `claims_status_updated_idx` ON `claims` (`status`,"updated_at" DESC,`id`);--> statement-breakpoint
CREATE INDEX `claims_status_sample_idx` ON `claims` (`status`,coalesce(`sample_size`, -1) DESC,`id`);--> statement-breakpoint
CREATE INDEX `claims_condition_idx` ON `claims` (`condition_id`,`status`,"certainty" DESC,`id`);