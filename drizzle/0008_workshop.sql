CREATE TABLE `workshop_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`workshop_id` text NOT NULL,
	`position` integer NOT NULL,
	`scenario_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`answer` text NOT NULL,
	`attempt_id` text,
	`score` real,
	`max_score` real,
	`created_at` integer NOT NULL,
	`graded_at` integer,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_answers_one` ON `workshop_answers` (`workshop_id`,`position`,`learner_id`);--> statement-breakpoint
CREATE INDEX `workshop_answers_learner` ON `workshop_answers` (`workshop_id`,`learner_id`);--> statement-breakpoint
CREATE TABLE `workshop_cases` (
	`workshop_id` text NOT NULL,
	`position` integer NOT NULL,
	`scenario_id` text NOT NULL,
	`state` text NOT NULL,
	`opened_at` integer,
	`closed_at` integer,
	`revealed_at` integer,
	PRIMARY KEY(`workshop_id`, `position`),
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `workshop_events` (
	`workshop_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`audience` text NOT NULL,
	`position` integer,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workshop_id`, `seq`),
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `workshop_participants` (
	`id` text PRIMARY KEY NOT NULL,
	`workshop_id` text NOT NULL,
	`learner_id` text NOT NULL,
	`display_name` text NOT NULL,
	`channel` text NOT NULL,
	`joined_at` integer NOT NULL,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_participants_learner` ON `workshop_participants` (`workshop_id`,`learner_id`);--> statement-breakpoint
CREATE INDEX `workshop_participants_joined` ON `workshop_participants` (`workshop_id`,`joined_at`);--> statement-breakpoint
CREATE TABLE `workshops` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`owner` text NOT NULL,
	`created_by` text,
	`status` text NOT NULL,
	`current_position` integer,
	`seq` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshops_code` ON `workshops` (`code`);--> statement-breakpoint
CREATE INDEX `workshops_owner` ON `workshops` (`owner`,`created_at`);