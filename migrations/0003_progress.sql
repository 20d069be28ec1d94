CREATE TABLE `activity_days` (
	`member_id` integer NOT NULL,
	`day` text NOT NULL,
	`activities` integer NOT NULL,
	PRIMARY KEY(`member_id`, `day`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `board_counts` (
	`cohort_id` integer NOT NULL,
	`board` text NOT NULL,
	`points` integer NOT NULL,
	`members` integer NOT NULL,
	PRIMARY KEY(`cohort_id`, `board`, `points`),
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `board_entries` (
	`cohort_id` integer NOT NULL,
	`board` text NOT NULL,
	`member_id` integer NOT NULL,
	`points` integer NOT NULL,
	`reached_at` integer NOT NULL,
	PRIMARY KEY(`cohort_id`, `board`, `member_id`),
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `board_entries_rank` ON `board_entries` (`cohort_id`,`board`,"points" DESC,`reached_at`,`member_id`);--> statement-breakpoint
CREATE TABLE `question_stats` (
	`cohort_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`attempts` integer NOT NULL,
	`correct` integer NOT NULL,
	PRIMARY KEY(`cohort_id`, `question_id`),
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `streaks` (
	`member_id` integer NOT NULL,
	`unit` text NOT NULL,
	`current` integer NOT NULL,
	`longest` integer NOT NULL,
	`last_unit` text,
	`freezes` integer NOT NULL,
	PRIMARY KEY(`member_id`, `unit`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `streaks_unit_last` ON `streaks` (`unit`,`last_unit`);--> statement-breakpoint
DROP INDEX `points_ledger_member`;--> statement-breakpoint
ALTER TABLE `points_ledger` ADD `question_id` text;--> statement-breakpoint
ALTER TABLE `points_ledger` ADD `correct` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `points_ledger` ADD `week` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `points_ledger` ADD `day` text;--> statement-breakpoint
ALTER TABLE `points_ledger` ADD `track_id` text;--> statement-breakpoint
CREATE INDEX `points_ledger_member` ON `points_ledger` (`member_id`);--> statement-breakpoint
ALTER TABLE `cohorts` ADD `streak_unit` text DEFAULT 'day' NOT NULL;--> statement-breakpoint
-- Entries written before this migration were all first right answers; name their questions.
UPDATE `points_ledger` SET `question_id` = (SELECT `question_id` FROM `answers` WHERE `answers`.`id` = `points_ledger`.`answer_id`), `correct` = 1 WHERE `answer_id` IS NOT NULL;
