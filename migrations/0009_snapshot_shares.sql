-- A snapshot of a campaign board with a pool (period all) freezes each participant's estimated share
-- too, so a snapshot item has the same shape as the live board's. Null elsewhere (other boards,
-- periods, campaigns without a pool, and snapshots taken before this migration).
ALTER TABLE "leaderboard_snapshot_entries" ADD COLUMN "share" numeric;
