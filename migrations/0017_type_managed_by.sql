-- A contribution type another module scores (a forum signature campaign's "posts" type: its points
-- are the campaign's post points and rank bonuses) names that module here; null for types admins
-- edit on the types page. Editing such a type, or giving it a multiplier, through the points API
-- made forum awards fail (a lower maxPoints, caps, inactive) or made the campaign board's points
-- disagree with the forum's own standings (a multiplier).
ALTER TABLE "contribution_types" ADD COLUMN "managed_by" text;
--> statement-breakpoint
-- Types already linked to a forum campaign.
UPDATE "contribution_types" t SET "managed_by" = 'forum'
  FROM "forum_campaigns" f WHERE f."contribution_type_id" = t."id";
