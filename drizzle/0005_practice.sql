CREATE TABLE `attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`skill` text NOT NULL,
	`type` text NOT NULL,
	`difficulty` integer NOT NULL,
	`seed` integer,
	`answer` text NOT NULL,
	`score` real NOT NULL,
	`max_score` real NOT NULL,
	`items` text NOT NULL,
	`started_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attempts_learner` ON `attempts` (`learner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `attempts_scenario` ON `attempts` (`scenario_id`);--> statement-breakpoint
CREATE TABLE `module_completions` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`path_id` text NOT NULL,
	`module_id` text NOT NULL,
	`score` real NOT NULL,
	`max_score` real NOT NULL,
	`attempt_id` text,
	`completed_at` integer NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `module_completions_learner_module` ON `module_completions` (`learner_id`,`path_id`,`module_id`);