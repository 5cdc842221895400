-- Scheduled snapshot runs: one row per schedule slot (run_key = '<trigger>:<due minute ISO>'). The
-- minute tick looks back a little for the latest due slot, so a late or retried tick still takes it;
-- a run is finished once every board it asks for is frozen, and then it is skipped. Snapshots of a
-- run carry trigger + slot (= due minute), which the unique leaderboard_snapshots_slot_idx keeps to
-- one per board and period, so a retried or concurrent run never duplicates one.
CREATE TABLE "leaderboard_snapshot_runs" (
	"run_key" text PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"snapshots" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "leaderboard_snapshot_runs_trigger_due_idx" ON "leaderboard_snapshot_runs" USING btree ("trigger","due_at");
