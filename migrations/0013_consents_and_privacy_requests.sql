CREATE TABLE `consents` (
	`contact_id` text NOT NULL,
	`notice_version` text NOT NULL,
	`decision` text NOT NULL,
	`channel` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consents_contact` ON `consents` (`contact_id`,`notice_version`,`at`);--> statement-breakpoint
CREATE TABLE `privacy_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`reference` text NOT NULL,
	`contact_id` text NOT NULL,
	`identity_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`details` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`due_at` text NOT NULL,
	`closed_at` text,
	`closed_by` text,
	`outcome` text,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`identity_id`) REFERENCES `contact_identities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `privacy_requests_reference_unique` ON `privacy_requests` (`reference`);--> statement-breakpoint
CREATE INDEX `privacy_requests_status_due` ON `privacy_requests` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `privacy_requests_contact` ON `privacy_requests` (`contact_id`);