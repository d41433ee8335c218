CREATE TABLE `link_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade
);
