DROP INDEX "answers_member_created";--> statement-breakpoint
DROP INDEX "points_ledger_member";--> statement-breakpoint
CREATE INDEX "answers_member_question" ON "answers" USING btree ("member_id","question_id","created_at","correct");--> statement-breakpoint
CREATE INDEX "points_ledger_member" ON "points_ledger" USING btree ("member_id","id","points");