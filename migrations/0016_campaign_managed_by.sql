-- A campaign another module keeps in step with its own record (a forum signature campaign's board:
-- name, window and pool follow the forum campaign) names that module here; null for campaigns
-- admins edit on the campaigns pages. Editing a managed campaign through the points API used to make
-- the two records disagree (another pool on the campaign page than on the forum's).
ALTER TABLE "campaigns" ADD COLUMN "managed_by" text;
--> statement-breakpoint
-- Campaigns already linked to a forum campaign.
UPDATE "campaigns" c SET "managed_by" = 'forum'
  FROM "forum_campaigns" f WHERE f."points_campaign_id" = c."id";
