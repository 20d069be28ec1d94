CREATE TABLE `senders` (
	`platform` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`lease_until` integer NOT NULL,
	`taken_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `posts` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `lease_until` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `questions_delivered_daily_once` ON `questions_delivered` (`cohort_id`,`delivered_at`) WHERE "questions_delivered"."member_id" IS NULL;