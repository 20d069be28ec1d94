CREATE TABLE `reviews` (
	`member_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`interval_days` integer NOT NULL,
	`ease` real NOT NULL,
	`streak` integer DEFAULT 0 NOT NULL,
	`due_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `question_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reviews_member_due` ON `reviews` (`member_id`,`due_at`);