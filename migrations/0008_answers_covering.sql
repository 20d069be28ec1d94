DROP INDEX `answers_member_created`;--> statement-breakpoint
CREATE INDEX `answers_member_question` ON `answers` (`member_id`,`question_id`,`created_at`,`correct`);--> statement-breakpoint
DROP INDEX `points_ledger_member`;--> statement-breakpoint
CREATE INDEX `points_ledger_member` ON `points_ledger` (`member_id`,`id`,`points`);