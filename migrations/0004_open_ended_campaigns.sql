-- Open-ended points campaigns: ends_at NULL means the campaign has no end (forum campaigns without an
-- end get a points campaign, board and pool split too). Coverage of a contribution is
-- starts_at <= date AND (ends_at IS NULL OR ends_at > date); the rule is written once, in
-- src/modules/points/campaigns.coverage.ts. No SQL function of 0002 reads ends_at.
ALTER TABLE "campaigns" ALTER COLUMN "ends_at" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_window";
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_window" CHECK ("ends_at" IS NULL OR "ends_at" > "starts_at");
