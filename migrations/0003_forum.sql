CREATE TABLE "forum_sites" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
INSERT INTO "forum_sites" ("id", "name", "base_url") VALUES ('bitcointalk', 'Bitcointalk', 'https://bitcointalk.org');
--> statement-breakpoint
CREATE TABLE "forum_ranks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" text NOT NULL REFERENCES "forum_sites"("id"),
	"name" text NOT NULL,
	"bonus_percent" numeric DEFAULT 0 NOT NULL,
	"allowed" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_ranks_bonus_range" CHECK ("bonus_percent" >= 0 AND "bonus_percent" <= 1000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "forum_ranks_site_name_idx" ON "forum_ranks" USING btree ("site_id", lower("name"));--> statement-breakpoint
INSERT INTO "forum_ranks" ("site_id", "name", "bonus_percent", "allowed", "sort_order") VALUES
	('bitcointalk', 'Brand new', 0, false, 0),
	('bitcointalk', 'Newbie', 0, false, 1),
	('bitcointalk', 'Jr. Member', 0, false, 2),
	('bitcointalk', 'Member', 0, true, 3),
	('bitcointalk', 'Full Member', 1, true, 4),
	('bitcointalk', 'Sr. Member', 2, true, 5),
	('bitcointalk', 'Hero Member', 5, true, 6),
	('bitcointalk', 'Legendary', 5, true, 7);
--> statement-breakpoint
CREATE TABLE "forum_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" text NOT NULL REFERENCES "forum_sites"("id"),
	"name" text NOT NULL,
	"code" text NOT NULL,
	"image_url" text,
	"allowed_ranks" text[] DEFAULT ARRAY[]::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forum_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"site_id" text NOT NULL REFERENCES "forum_sites"("id"),
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"pool_amount" numeric,
	"pool_token" text,
	"post_points" numeric DEFAULT 100 NOT NULL,
	"maturation_minutes" integer DEFAULT 1440 NOT NULL,
	"uptime_threshold_percent" numeric DEFAULT 90 NOT NULL,
	"scrape_interval_seconds" integer DEFAULT 300 NOT NULL,
	"min_post_length" integer,
	"excluded_boards" text[] DEFAULT ARRAY[]::text[] NOT NULL,
	"weekly_post_cap" integer,
	"week_reset_day" integer DEFAULT 1 NOT NULL,
	"points_campaign_id" uuid,
	"contribution_type_id" uuid,
	"next_round_at" timestamp with time zone,
	"last_round_at" timestamp with time zone,
	"last_plan" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_campaigns_window" CHECK ("ends_at" IS NULL OR "ends_at" > "starts_at"),
	CONSTRAINT "forum_campaigns_week_day" CHECK ("week_reset_day" BETWEEN 0 AND 6),
	CONSTRAINT "forum_campaigns_threshold" CHECK ("uptime_threshold_percent" >= 0 AND "uptime_threshold_percent" <= 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "forum_campaigns_slug_idx" ON "forum_campaigns" USING btree ("slug");--> statement-breakpoint
CREATE TABLE "forum_profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id"),
	"site_id" text NOT NULL REFERENCES "forum_sites"("id"),
	"campaign_id" uuid NOT NULL REFERENCES "forum_campaigns"("id"),
	"forum_user_id" integer NOT NULL,
	"forum_username" text NOT NULL,
	"position" text NOT NULL,
	"signature_id" uuid REFERENCES "forum_signatures"("id"),
	"status" text DEFAULT 'unverified' NOT NULL,
	"verified_at" timestamp with time zone,
	"tracking_since" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_history_at" timestamp with time zone,
	"last_signature_found" boolean,
	"last_outcome" text,
	"checks" integer DEFAULT 0 NOT NULL,
	"max_gap_seconds" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forum_profiles_status" CHECK ("status" IN ('unverified','verified','inactive'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "forum_profiles_forum_user_idx" ON "forum_profiles" USING btree ("site_id","forum_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "forum_profiles_user_site_idx" ON "forum_profiles" USING btree ("user_id","site_id");--> statement-breakpoint
CREATE INDEX "forum_profiles_campaign_idx" ON "forum_profiles" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE TABLE "forum_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL REFERENCES "forum_campaigns"("id"),
	"profile_id" uuid NOT NULL REFERENCES "forum_profiles"("id"),
	"message_id" bigint NOT NULL,
	"topic_id" bigint NOT NULL,
	"board_name" text,
	"posted_at" timestamp with time zone NOT NULL,
	"content_length" integer NOT NULL,
	"rank_name" text NOT NULL,
	"bonus_percent" numeric NOT NULL,
	"points" numeric NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"matures_at" timestamp with time zone NOT NULL,
	"missing_ms" bigint DEFAULT 0 NOT NULL,
	"observed_until" timestamp with time zone NOT NULL,
	"missed_scans" integer DEFAULT 0 NOT NULL,
	"uptime_percent" numeric,
	"contribution_id" uuid,
	"discovered_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "forum_posts_status" CHECK ("status" IN ('pending','credited','uncredited'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "forum_posts_campaign_message_idx" ON "forum_posts" USING btree ("campaign_id","message_id");--> statement-breakpoint
CREATE INDEX "forum_posts_profile_idx" ON "forum_posts" USING btree ("profile_id","posted_at");--> statement-breakpoint
CREATE INDEX "forum_posts_pending_idx" ON "forum_posts" USING btree ("campaign_id","matures_at") WHERE "status" = 'pending';--> statement-breakpoint
CREATE TABLE "forum_scrapes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"profile_id" uuid REFERENCES "forum_profiles"("id"),
	"campaign_id" uuid,
	"site_id" text NOT NULL,
	"forum_user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"attempts" integer DEFAULT 1 NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"signature_found" boolean,
	"links" jsonb,
	"missing_links" jsonb,
	"new_posts" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "forum_scrapes_profile_idx" ON "forum_scrapes" USING btree ("profile_id","id");--> statement-breakpoint
CREATE TABLE "forum_hosts" (
	"host" text PRIMARY KEY NOT NULL,
	"next_slot_at" timestamp with time zone NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"open_until" timestamp with time zone
);
