ALTER TABLE `officers` ADD `totp_secret` text;--> statement-breakpoint
ALTER TABLE `officers` ADD `totp_enabled` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `officers` ADD `totp_last_step` integer;--> statement-breakpoint
ALTER TABLE `officers` ADD `totp_recovery_codes` text;