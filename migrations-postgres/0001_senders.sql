CREATE TABLE "senders" (
	"platform" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"taken_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "questions_delivered_daily_once" ON "questions_delivered" USING btree ("cohort_id","delivered_at") WHERE "questions_delivered"."member_id" IS NULL;