CREATE TABLE `badge_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`alg` text NOT NULL,
	`public_jwk` text NOT NULL,
	`private_jwk` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`rotated_at` integer,
	`retired_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `badge_keys_one_active` ON `badge_keys` (`status`) WHERE status = 'active';--> statement-breakpoint
CREATE TABLE `badge_status_entries` (
	`list` integer NOT NULL,
	`idx` integer NOT NULL,
	`badge_id` text NOT NULL,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`list`, `idx`)
);
--> statement-breakpoint
CREATE INDEX `badge_status_entries_badge` ON `badge_status_entries` (`badge_id`);--> statement-breakpoint
CREATE TABLE `badges` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`module_id` text NOT NULL,
	`name` text NOT NULL,
	`kid` text NOT NULL,
	`jwt` text NOT NULL,
	`json` text NOT NULL,
	`status_list` integer NOT NULL,
	`status_index` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`valid_until` integer,
	`revoked_at` integer,
	`revocation_reason` text
);
--> statement-breakpoint
CREATE INDEX `badges_learner` ON `badges` (`learner_id`,`issued_at`);