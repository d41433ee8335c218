CREATE TABLE `answer_feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`answer_id` text NOT NULL,
	`helpful` integer NOT NULL,
	`comment` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`answer_id`) REFERENCES `answers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `answer_feedback_answer` ON `answer_feedback` (`answer_id`);--> statement-breakpoint
CREATE TABLE `answers` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`question` text NOT NULL,
	`resolved_query` text NOT NULL,
	`answer` text NOT NULL,
	`abstained` integer NOT NULL,
	`mode` text NOT NULL,
	`support` real NOT NULL,
	`citations` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `answers_conversation` ON `answers` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `answers_created` ON `answers` (`created_at`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text,
	`channel` text NOT NULL,
	`channel_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversations_channel_key` ON `conversations` (`channel_key`);--> statement-breakpoint
CREATE INDEX `conversations_learner` ON `conversations` (`learner_id`);