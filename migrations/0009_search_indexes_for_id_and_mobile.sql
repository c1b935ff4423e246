CREATE INDEX `contact_identities_address` ON `contact_identities` (`address`);--> statement-breakpoint
CREATE INDEX `contacts_phone` ON `contacts` (`phone`);--> statement-breakpoint
CREATE INDEX `contacts_national_id` ON `contacts` (`national_id`);--> statement-breakpoint
CREATE INDEX `applications_mobile` ON `applications` (`mobile`);