CREATE TABLE "erasure_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"confirmed_by" text,
	"counts" text,
	"created_at" text DEFAULT (to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) NOT NULL,
	"done_at" text
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"what" text NOT NULL,
	"discovered_at" text NOT NULL,
	"affected_contact_ids" text NOT NULL,
	"actions" text NOT NULL,
	"recorded_by" text NOT NULL,
	"notified_at" text,
	"notified_count" bigint DEFAULT 0 NOT NULL,
	"created_at" text DEFAULT (to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_requested_by_officers_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_confirmed_by_officers_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_recorded_by_officers_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erasure_requests_contact" ON "erasure_requests" USING btree ("contact_id");