CREATE TABLE `lti_deployments` (
	`id` text PRIMARY KEY NOT NULL,
	`platform_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`name` text,
	`description` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `lti_platforms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lti_deployments_platform_deployment` ON `lti_deployments` (`platform_id`,`deployment_id`);--> statement-breakpoint
CREATE TABLE `lti_grade_links` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`platform_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`context_id` text NOT NULL,
	`resource_link_id` text NOT NULL,
	`module_id` text,
	`lti_user_id` text NOT NULL,
	`line_item_url` text,
	`ags_scopes` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`platform_id`) REFERENCES `lti_platforms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lti_grade_links_target` ON `lti_grade_links` (`platform_id`,`deployment_id`,`context_id`,`resource_link_id`,`learner_id`);--> statement-breakpoint
CREATE INDEX `lti_grade_links_learner_module` ON `lti_grade_links` (`learner_id`,`module_id`);--> statement-breakpoint
CREATE TABLE `lti_login_requests` (
	`nonce` text PRIMARY KEY NOT NULL,
	`state` text,
	`platform_id` text,
	`deployment_id` text,
	`target_link_uri` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lti_login_requests_state_unique` ON `lti_login_requests` (`state`);--> statement-breakpoint
CREATE INDEX `lti_login_requests_expires` ON `lti_login_requests` (`expires_at`);--> statement-breakpoint
CREATE TABLE `lti_platforms` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`issuer` text NOT NULL,
	`client_id` text NOT NULL,
	`auth_url` text NOT NULL,
	`token_url` text NOT NULL,
	`jwks_url` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lti_platforms_issuer_client` ON `lti_platforms` (`issuer`,`client_id`);--> statement-breakpoint
CREATE TABLE `lti_registration_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lti_score_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`learner_id` text NOT NULL,
	`platform_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`context_id` text NOT NULL,
	`resource_link_id` text NOT NULL,
	`module_id` text NOT NULL,
	`line_item_url` text NOT NULL,
	`lti_user_id` text NOT NULL,
	`payload` text NOT NULL,
	`score_given` real NOT NULL,
	`score_maximum` real NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claim_token` text,
	`last_status` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `lti_score_outbox_due` ON `lti_score_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `lti_score_outbox_context` ON `lti_score_outbox` (`platform_id`,`context_id`,`module_id`);--> statement-breakpoint
CREATE TABLE `lti_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`issuer` text NOT NULL,
	`client_id` text NOT NULL,
	`deployment_id` text NOT NULL,
	`message_type` text NOT NULL,
	`context_id` text,
	`resource_link_id` text,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lti_sessions_subject` ON `lti_sessions` (`subject`);