CREATE TABLE `learner_identities` (
	`provider` text NOT NULL,
	`subject` text NOT NULL,
	`learner_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `learner_identities_provider_subject` ON `learner_identities` (`provider`,`subject`);--> statement-breakpoint
CREATE INDEX `learner_identities_learner` ON `learner_identities` (`learner_id`);--> statement-breakpoint
CREATE TABLE `learners` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`role` text DEFAULT 'learner' NOT NULL,
	`created_at` integer NOT NULL
);
