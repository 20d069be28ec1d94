CREATE TABLE `answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`delivery_id` integer,
	`response` text NOT NULL,
	`correct` integer NOT NULL,
	`scored` integer DEFAULT false NOT NULL,
	`event_key` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`delivery_id`) REFERENCES `questions_delivered`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `answers_scored_once` ON `answers` (`member_id`,`question_id`) WHERE "answers"."scored" = 1;--> statement-breakpoint
CREATE UNIQUE INDEX `answers_event_key` ON `answers` (`event_key`);--> statement-breakpoint
CREATE INDEX `answers_member_created` ON `answers` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `cohorts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`space_id` integer NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`start_date` text NOT NULL,
	`timezone` text NOT NULL,
	`channel_external_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "cohorts_start_date_format" CHECK("cohorts"."start_date" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cohorts_space_name` ON `cohorts` (`space_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`space_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`display_name` text NOT NULL,
	`timezone` text,
	`cohort_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_space_external_id` ON `members` (`space_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `members_cohort` ON `members` (`cohort_id`);--> statement-breakpoint
CREATE TABLE `points_ledger` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`space_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`cohort_id` integer,
	`answer_id` integer,
	`points` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`answer_id`) REFERENCES `answers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `points_ledger_member` ON `points_ledger` (`member_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `points_ledger_cohort` ON `points_ledger` (`cohort_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cohort_id` integer NOT NULL,
	`week` integer NOT NULL,
	`kind` text NOT NULL,
	`due_at` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_at` integer,
	`sent_at` integer,
	`external_message_id` text,
	`error` text,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_cohort_week_kind` ON `posts` (`cohort_id`,`week`,`kind`);--> statement-breakpoint
CREATE INDEX `posts_status_due` ON `posts` (`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `questions_delivered` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`space_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`member_id` integer,
	`cohort_id` integer,
	`week` integer NOT NULL,
	`channel_external_id` text,
	`external_message_id` text,
	`delivered_at` integer NOT NULL,
	`closes_at` integer,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `questions_delivered_member` ON `questions_delivered` (`member_id`,`question_id`);--> statement-breakpoint
CREATE INDEX `questions_delivered_cohort` ON `questions_delivered` (`cohort_id`,`delivered_at`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cohort_id` integer NOT NULL,
	`kind` text NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`paused_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schedules_cohort_kind` ON `schedules` (`cohort_id`,`kind`);--> statement-breakpoint
CREATE TABLE `spaces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `spaces_platform_external_id` ON `spaces` (`platform`,`external_id`);--> statement-breakpoint
CREATE TABLE `track_memberships` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`track_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	`left_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `track_memberships_current` ON `track_memberships` (`member_id`) WHERE "track_memberships"."left_at" IS NULL;--> statement-breakpoint
CREATE INDEX `track_memberships_track` ON `track_memberships` (`track_id`);