-- A snapshot of a campaign board with a pool froze each participant's share (0009), but not the pool
-- those shares split: its page named the token from the campaign as it is now. After the pool was
-- edited (another token, amount or decimals), old shares read as amounts of the new token. The pool
-- is now frozen beside the shares.
ALTER TABLE "leaderboard_snapshots" ADD COLUMN "pool_amount" numeric;
--> statement-breakpoint
ALTER TABLE "leaderboard_snapshots" ADD COLUMN "pool_token" text;
--> statement-breakpoint
ALTER TABLE "leaderboard_snapshots" ADD COLUMN "pool_decimals" integer;
--> statement-breakpoint
-- Snapshots taken before: the campaign's pool as it stands now is the best record there is (the
-- shares were computed from it unless it was edited since).
UPDATE "leaderboard_snapshots" s SET "pool_amount" = c."pool_amount", "pool_token" = c."pool_token",
    "pool_decimals" = c."pool_decimals"
  FROM "campaigns" c
  WHERE s."board" = 'campaign:' || c."slug" AND c."pool_amount" IS NOT NULL
    AND EXISTS (SELECT 1 FROM "leaderboard_snapshot_entries" e WHERE e."snapshot_id" = s."id" AND e."share" IS NOT NULL);
