CREATE TABLE "contribution_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "contribution_categories_slug_idx" ON "contribution_categories" USING btree ("slug");--> statement-breakpoint
CREATE TABLE "contribution_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"category_id" uuid NOT NULL REFERENCES "contribution_categories"("id"),
	"min_points" integer NOT NULL,
	"max_points" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_submittable" boolean DEFAULT false NOT NULL,
	"cap_total" integer,
	"cap_per_participant_week" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contribution_types_points_range" CHECK ("min_points" >= 0 AND "max_points" >= "min_points")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "contribution_types_slug_idx" ON "contribution_types" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "contribution_types_category_idx" ON "contribution_types" USING btree ("category_id");--> statement-breakpoint
CREATE TABLE "multipliers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contribution_type_id" uuid NOT NULL REFERENCES "contribution_types"("id"),
	"value" numeric NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "multipliers_value_positive" CHECK ("value" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "multipliers_type_valid_from_idx" ON "multipliers" USING btree ("contribution_type_id","valid_from");--> statement-breakpoint
CREATE TABLE "contributions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id"),
	"contribution_type_id" uuid NOT NULL REFERENCES "contribution_types"("id"),
	"category_id" uuid NOT NULL REFERENCES "contribution_categories"("id"),
	"points" integer NOT NULL,
	"multiplier_at_creation" numeric NOT NULL,
	"global_points" numeric NOT NULL,
	"contribution_date" timestamp with time zone NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"source_ref" text,
	"awarded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" text
);
--> statement-breakpoint
CREATE INDEX "contributions_user_date_idx" ON "contributions" USING btree ("user_id","contribution_date");--> statement-breakpoint
CREATE INDEX "contributions_type_user_date_idx" ON "contributions" USING btree ("contribution_type_id","user_id","contribution_date");--> statement-breakpoint
CREATE INDEX "contributions_created_at_idx" ON "contributions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "contributions_live_date_idx" ON "contributions" USING btree ("contribution_date") INCLUDE ("user_id","category_id","contribution_type_id","global_points") WHERE "revoked_at" IS NULL;--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"contribution_id" uuid NOT NULL REFERENCES "contributions"("id"),
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"points_delta" integer NOT NULL,
	"global_delta" numeric NOT NULL,
	"count_delta" integer NOT NULL,
	"actor_id" uuid,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_entries_kind" CHECK ("kind" IN ('award','correction','revocation'))
);
--> statement-breakpoint
CREATE INDEX "ledger_entries_contribution_idx" ON "ledger_entries" USING btree ("contribution_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_user_idx" ON "ledger_entries" USING btree ("user_id","id");--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"pool_amount" numeric,
	"pool_token" text,
	"pool_decimals" integer,
	"counts_all_types" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "campaigns_window" CHECK ("ends_at" > "starts_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_slug_idx" ON "campaigns" USING btree ("slug");--> statement-breakpoint
CREATE TABLE "campaign_types" (
	"campaign_id" uuid NOT NULL REFERENCES "campaigns"("id"),
	"contribution_type_id" uuid NOT NULL REFERENCES "contribution_types"("id"),
	PRIMARY KEY ("campaign_id","contribution_type_id")
);
--> statement-breakpoint
CREATE TABLE "board_totals" (
	"board" text NOT NULL,
	"bucket" text NOT NULL,
	"user_id" uuid NOT NULL,
	"points" numeric NOT NULL,
	"contributions" integer NOT NULL,
	"reached_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("board","bucket","user_id")
);
--> statement-breakpoint
CREATE INDEX "board_totals_rank_idx" ON "board_totals" USING btree ("board","bucket","points" DESC,"reached_at","user_id") WHERE "contributions" > 0;--> statement-breakpoint
CREATE TABLE "board_bands" (
	"board" text NOT NULL,
	"bucket" text NOT NULL,
	"band" integer NOT NULL,
	"participants" integer NOT NULL,
	PRIMARY KEY ("board","bucket","band")
);
--> statement-breakpoint
CREATE TABLE "leaderboard_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"board" text NOT NULL,
	"period" text NOT NULL,
	"bucket" text,
	"range_from" timestamp with time zone,
	"range_to" timestamp with time zone,
	"label" text,
	"trigger" text NOT NULL,
	"slot" text,
	"taken_at" timestamp with time zone NOT NULL,
	"taken_by" uuid,
	"total" integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "leaderboard_snapshots_slot_idx" ON "leaderboard_snapshots" USING btree ("trigger","slot","board","period");--> statement-breakpoint
CREATE INDEX "leaderboard_snapshots_taken_at_idx" ON "leaderboard_snapshots" USING btree ("taken_at");--> statement-breakpoint
CREATE TABLE "leaderboard_snapshot_entries" (
	"snapshot_id" uuid NOT NULL REFERENCES "leaderboard_snapshots"("id"),
	"position" integer NOT NULL,
	"rank" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"username" text NOT NULL,
	"display_name" text,
	"points" numeric NOT NULL,
	"contributions" integer NOT NULL,
	PRIMARY KEY ("snapshot_id","position")
);
--> statement-breakpoint
CREATE INDEX "leaderboard_snapshot_entries_user_idx" ON "leaderboard_snapshot_entries" USING btree ("user_id","snapshot_id");--> statement-breakpoint
CREATE INDEX "users_points_excluded_idx" ON "users" USING btree ("id") WHERE "hidden" OR "banned_at" IS NOT NULL OR "deleted_at" IS NOT NULL;--> statement-breakpoint
CREATE FUNCTION points_period_key(period text, at timestamp with time zone) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE period
    WHEN 'all' THEN 'all'
    WHEN 'week' THEN 'w:' || to_char(date_trunc('week', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')
    WHEN 'month' THEN 'm:' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM')
  END
$$;
--> statement-breakpoint
CREATE FUNCTION points_band(p numeric) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p < 0 THEN -1
    WHEN p < 100 THEN floor(p)::integer
    ELSE 900 * (length(floor(p)::text) - 3)
      + floor(p / (10::numeric ^ (length(floor(p)::text) - 3)))::integer
  END
$$;
--> statement-breakpoint
CREATE FUNCTION points_band_upper(b integer) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN b < 0 THEN 0::numeric
    WHEN b < 100 THEN (b + 1)::numeric
    ELSE ((b - 900 * ((b - 100) / 900)) + 1) * (10::numeric ^ ((b - 100) / 900))
  END
$$;
--> statement-breakpoint
CREATE FUNCTION points_rank(b text, k text, p numeric) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
-- Standard competition rank of total p on board b, bucket k: 1 + visible participants with more
-- points, from the bands histogram above p's band, an index range count inside it, minus the few
-- hidden/banned/deleted participants above. PL/pgSQL caches these plans per connection, so a rank
-- lookup does not pay the planner on every call.
DECLARE
  above bigint;
  inside bigint;
  excluded bigint;
BEGIN
  SELECT coalesce(sum(participants), 0) INTO above FROM board_bands
    WHERE board = b AND bucket = k AND band > points_band(p);
  SELECT count(*) INTO inside FROM board_totals bt
    WHERE bt.board = b AND bt.bucket = k AND bt.contributions > 0 AND bt.points > p
      AND bt.points < points_band_upper(points_band(p));
  SELECT count(*) INTO excluded FROM users u
    JOIN board_totals bt ON bt.board = b AND bt.bucket = k AND bt.user_id = u.id
    WHERE (u.hidden OR u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL) AND bt.contributions > 0 AND bt.points > p;
  RETURN (1 + above + inside - excluded)::integer;
END
$$;
--> statement-breakpoint
CREATE FUNCTION points_visible_count(b text, k text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
-- Visible participants on board b, bucket k: the bands histogram minus hidden/banned/deleted ones.
DECLARE
  listed bigint;
  excluded bigint;
BEGIN
  SELECT coalesce(sum(participants), 0) INTO listed FROM board_bands WHERE board = b AND bucket = k;
  SELECT count(*) INTO excluded FROM users u
    JOIN board_totals bt ON bt.board = b AND bt.bucket = k AND bt.user_id = u.id
    WHERE (u.hidden OR u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL) AND bt.contributions > 0;
  RETURN (listed - excluded)::integer;
END
$$;
