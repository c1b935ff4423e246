CREATE TABLE `status_lookups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `status_lookups_key` ON `status_lookups` (`key`,`created_at`);--> statement-breakpoint
CREATE INDEX `status_lookups_created` ON `status_lookups` (`created_at`);--> statement-breakpoint
DROP INDEX `contact_identities_channel_address`;--> statement-breakpoint
ALTER TABLE `contact_identities` ADD `unverified` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `contact_identities_channel_address` ON `contact_identities` (`channel`,`address`,`unverified`);--> statement-breakpoint
ALTER TABLE `applications` ADD `possible_duplicate_of` text REFERENCES applications(id);--> statement-breakpoint
CREATE INDEX `status_requests_application` ON `status_requests` (`application_id`,`created_at`);