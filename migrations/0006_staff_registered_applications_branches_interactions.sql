CREATE TABLE `interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`contact_id` text NOT NULL,
	`kind` text NOT NULL,
	`summary` text NOT NULL,
	`occurred_at` text NOT NULL,
	`recorded_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `officers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `interactions_contact` ON `interactions` (`contact_id`,`occurred_at`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `phone_registered_by` text;--> statement-breakpoint
CREATE INDEX `contacts_registered_phone` ON `contacts` (`phone`) WHERE phone_registered_by is not null;--> statement-breakpoint
ALTER TABLE `applications` ADD `declaration_text` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `declaration_method` text DEFAULT 'chat_button' NOT NULL;--> statement-breakpoint
ALTER TABLE `applications` ADD `declaration_taken_by` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `declaration_scan_id` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `source` text DEFAULT 'channel' NOT NULL;--> statement-breakpoint
ALTER TABLE `applications` ADD `branch_id` text;--> statement-breakpoint
CREATE INDEX `applications_branch` ON `applications` (`branch_id`);--> statement-breakpoint
ALTER TABLE `officers` ADD `branch_id` text;