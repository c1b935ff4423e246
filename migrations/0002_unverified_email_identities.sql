DROP INDEX `contact_identities_channel_address`;--> statement-breakpoint
ALTER TABLE `contact_identities` ADD `unverified` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `contact_identities_channel_address` ON `contact_identities` (`channel`,`address`,`unverified`);