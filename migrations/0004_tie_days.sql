CREATE TABLE `board_day_counts` (
	`cohort_id` integer NOT NULL,
	`board` text NOT NULL,
	`points` integer NOT NULL,
	`day` integer NOT NULL,
	`members` integer NOT NULL,
	PRIMARY KEY(`cohort_id`, `board`, `points`, `day`),
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
