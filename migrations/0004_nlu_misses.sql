CREATE TABLE `nlu_days` (
	`day` text PRIMARY KEY NOT NULL,
	`messages` integer DEFAULT 0 NOT NULL,
	`recognised` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `nlu_examples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`intent` text NOT NULL,
	`text` text NOT NULL,
	`normalized` text NOT NULL,
	`locale` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `nlu_examples_intent_text` ON `nlu_examples` (`intent`,`normalized`);--> statement-breakpoint
CREATE TABLE `nlu_misses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`channel` text NOT NULL,
	`locale` text NOT NULL,
	`flow` text NOT NULL,
	`step` text NOT NULL,
	`text` text,
	`normalized` text,
	`personal` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `nlu_misses_normalized` ON `nlu_misses` (`normalized`,`created_at`);--> statement-breakpoint
CREATE INDEX `nlu_misses_created` ON `nlu_misses` (`created_at`);