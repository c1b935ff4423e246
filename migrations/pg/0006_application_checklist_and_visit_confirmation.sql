CREATE TABLE "application_checklist" (
	"application_id" text NOT NULL,
	"item_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"note" text,
	"set_by" text,
	"set_at" text,
	"requested" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "application_checklist_application_id_item_id_pk" PRIMARY KEY("application_id","item_id")
);
--> statement-breakpoint
ALTER TABLE "application_visits" ADD COLUMN "confirm_reason" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "checklist_item_id" text;--> statement-breakpoint
ALTER TABLE "application_checklist" ADD CONSTRAINT "application_checklist_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;