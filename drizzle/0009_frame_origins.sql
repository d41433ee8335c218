CREATE TABLE `lms_frame_origins` (
	`origin` text PRIMARY KEY NOT NULL,
	`first_seen_at` integer NOT NULL
);
