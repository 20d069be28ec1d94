CREATE TABLE `schedule_skips` (
	`schedule_id` integer NOT NULL,
	`fire_at` integer NOT NULL,
	PRIMARY KEY(`schedule_id`, `fire_at`),
	FOREIGN KEY (`schedule_id`) REFERENCES `schedules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `posts_cohort_week_kind`;--> statement-breakpoint
DROP INDEX `posts_status_due`;--> statement-breakpoint
ALTER TABLE `posts` ADD `next_attempt_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `posts_cohort_kind_due` ON `posts` (`cohort_id`,`kind`,`due_at`);--> statement-breakpoint
CREATE INDEX `posts_status_next_attempt` ON `posts` (`status`,`next_attempt_at`);--> statement-breakpoint
-- schedules held no rows before this release; recreated because SQLite cannot add NOT NULL columns without defaults.
DROP TABLE `schedules`;--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cohort_id` integer NOT NULL,
	`kind` text NOT NULL,
	`cron` text NOT NULL,
	`spec` text NOT NULL,
	`timezone` text NOT NULL,
	`anchor_at` integer NOT NULL,
	`anchor_week` integer DEFAULT 0 NOT NULL,
	`paused_at` integer,
	`next_fire_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);--> statement-breakpoint
CREATE UNIQUE INDEX `schedules_cohort_kind` ON `schedules` (`cohort_id`,`kind`);--> statement-breakpoint
CREATE INDEX `schedules_next_fire` ON `schedules` (`next_fire_at`);