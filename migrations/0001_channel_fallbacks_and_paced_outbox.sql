DROP INDEX `outbox_pending`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `fallbacks` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_at` text;--> statement-breakpoint
CREATE INDEX `outbox_channel_due` ON `outbox` (`channel`,`next_attempt_at`,`id`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_recipient_pending` ON `outbox` (`channel`,`address`,`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
ALTER TABLE `contacts` ADD `preferred_channel` text;