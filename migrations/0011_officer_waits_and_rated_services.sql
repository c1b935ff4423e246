CREATE TABLE `officer_waits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`requested_at` text NOT NULL,
	`answered_at` text,
	`answered_by` text,
	`abandoned_at` text,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `officer_waits_requested` ON `officer_waits` (`requested_at`);--> statement-breakpoint
CREATE INDEX `officer_waits_open` ON `officer_waits` (`conversation_id`,`answered_at`,`abandoned_at`);--> statement-breakpoint
ALTER TABLE `satisfaction_ratings` ADD `application_id` text;--> statement-breakpoint
ALTER TABLE `satisfaction_ratings` ADD `service_type` text;