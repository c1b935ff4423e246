ALTER TABLE `contacts` ADD `preferred_channel` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `fallbacks` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_at` text;