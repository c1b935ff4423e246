CREATE TABLE `application_checklist` (
	`application_id` text NOT NULL,
	`item_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`note` text,
	`set_by` text,
	`set_at` text,
	`requested` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`application_id`, `item_id`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `application_visits` ADD `confirm_reason` text;--> statement-breakpoint
ALTER TABLE `attachments` ADD `checklist_item_id` text;--> statement-breakpoint
-- The checklist replaces the interview and field_visit statuses: those cases go back to under_study, their visits kept.
UPDATE `applications` SET `status` = 'under_study' WHERE `status` IN ('interview', 'field_visit');--> statement-breakpoint
-- A visit already recorded done ticks its checklist item.
INSERT OR IGNORE INTO `application_checklist` (`application_id`, `item_id`, `state`, `set_by`, `set_at`)
  SELECT `application_id`, `kind`, 'done', coalesce(`researcher_id`, `created_by`), max(`updated_at`) FROM `application_visits` WHERE `status` = 'done' GROUP BY `application_id`, `kind`;
