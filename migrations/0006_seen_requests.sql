CREATE TABLE `seen_requests` (
	`key` text PRIMARY KEY NOT NULL,
	`forget_after` integer NOT NULL
);
