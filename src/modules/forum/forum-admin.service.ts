// Admin views and actions of forum campaigns: profiles with their scrape history, posts, rescrape,
// coverage and the (confirmed) data reset of a campaign.
import type { Clock } from "../../core/clock.ts";
import { type Database, firstRow, rows, sql } from "../../core/db/client.ts";
import { notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import { recordAudit } from "../accounts/audit.service.ts";
import type { ForumCatalogService } from "./forum-catalog.service.ts";
import type { PointsSink } from "./forum-points.ts";
import type { SchedulerService } from "./forum-scheduler.service.ts";
import * as repo from "./forum-tracking.repo.ts";
import type { TrackingService } from "./forum-tracking.service.ts";
import { postView, profileView, scrapeView } from "./forum-views.ts";

export interface AdminDeps {
  db: Database;
  clock: Clock;
  catalog: ForumCatalogService;
  tracking: TrackingService;
  scheduler: SchedulerService;
  sink: () => PointsSink;
}

/** Builds the admin service. */
export function createForumAdminService(deps: AdminDeps) {
  const { db } = deps;
  const staff = (actor: Actor | null) => requireRole(actor, "admin", "steward");

  return {
    /** Profiles of a campaign with their latest check and state (admins and stewards). */
    async profiles(actor: Actor | null, slug: string) {
      staff(actor);
      const c = await deps.catalog.campaignBySlug(slug);
      const list = await rows<repo.ProfileRow & { username: string }>(
        db.orm,
        sql`SELECT p.*, u.username FROM forum_profiles p JOIN users u ON u.id = p.user_id
            WHERE p.campaign_id = ${c.id} ORDER BY p.forum_username`,
      );
      return list.map((p) => ({
        ...profileView(p, c.slug),
        meritUsername: p.username,
        checks: p.checks,
        maxGapSeconds: p.max_gap_seconds,
      }));
    },

    /** Scrape audit log of one profile, newest first. */
    async scrapes(actor: Actor | null, profileId: string, limit: number) {
      staff(actor);
      if (!(await repo.findProfile(db.orm, profileId)))
        throw notFound("PROFILE_NOT_FOUND", "No forum profile with this id");
      return (await repo.listScrapes(db.orm, profileId, limit)).map(scrapeView);
    },

    /** Checks one profile now, under the shared rate limit. */
    async rescrape(actor: Actor | null, profileId: string) {
      staff(actor);
      if (!(await repo.findProfile(db.orm, profileId)))
        throw notFound("PROFILE_NOT_FOUND", "No forum profile with this id");
      return deps.tracking.checkProfile(profileId);
    },

    /** Posts of a campaign, newest first, optionally by status. */
    async posts(actor: Actor | null, slug: string, f: { status?: string; limit: number; offset: number }) {
      staff(actor);
      const c = await deps.catalog.campaignBySlug(slug);
      const where = sql`fp.campaign_id = ${c.id} AND (${f.status ?? null}::text IS NULL OR fp.status = ${f.status ?? null})`;
      const items = await rows<repo.PostRow & { forum_username: string }>(
        db.orm,
        sql`SELECT fp.*, p.forum_username FROM forum_posts fp JOIN forum_profiles p ON p.id = fp.profile_id
            WHERE ${where} ORDER BY fp.posted_at DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
      );
      const total = await firstRow<{ n: number }>(
        db.orm,
        sql`SELECT count(*)::int AS n FROM forum_posts fp WHERE ${where}`,
      );
      return {
        items: items.map((p) => ({
          ...postView(p),
          profileId: p.profile_id,
          forumUsername: p.forum_username,
        })),
        total: total?.n ?? 0,
      };
    },

    /** Coverage of a campaign's scrape rounds. */
    async coverage(actor: Actor | null, slug: string) {
      staff(actor);
      const c = await deps.scheduler.coverage(slug);
      if (!c) throw notFound("CAMPAIGN_NOT_FOUND", `No forum campaign "${slug}"`);
      return c;
    },

    /**
     * Erases a campaign's tracked posts and scrape log (admins; `confirm` must repeat the slug).
     * Credited points are revoked through the ledger first. Profiles and their verification stay,
     * so the next rounds rediscover the window's posts and mature them afresh.
     */
    async reset(actor: Actor | null, slug: string, confirm: string) {
      const admin = requireRole(actor, "admin");
      const c = await deps.catalog.campaignBySlug(slug);
      if (confirm !== slug) {
        throw unprocessable("CONFIRMATION_MISMATCH", `Type the campaign slug "${slug}" to confirm`, {
          field: "confirm",
        });
      }
      const credited = await rows<{ contribution_id: string }>(
        db.orm,
        sql`SELECT contribution_id FROM forum_posts WHERE campaign_id = ${c.id} AND contribution_id IS NOT NULL
            AND status = 'credited'`,
      );
      for (const r of credited) await deps.sink().revoke(r.contribution_id, `forum campaign ${slug} reset`);
      return db.transaction(async (tx) => {
        const posts = await firstRow<{ n: number }>(
          tx,
          sql`WITH d AS (DELETE FROM forum_posts WHERE campaign_id = ${c.id} RETURNING 1) SELECT count(*)::int AS n FROM d`,
        );
        const scrapes = await firstRow<{ n: number }>(
          tx,
          sql`WITH d AS (DELETE FROM forum_scrapes WHERE campaign_id = ${c.id} RETURNING 1) SELECT count(*)::int AS n FROM d`,
        );
        await tx.execute(
          sql`UPDATE forum_profiles SET checks = 0, max_gap_seconds = 0, last_history_at = NULL, last_attempt_at = NULL,
                last_outcome = NULL WHERE campaign_id = ${c.id}`,
        );
        await tx.execute(
          sql`UPDATE forum_campaigns SET last_plan = NULL, next_round_at = NULL WHERE id = ${c.id}`,
        );
        const result = {
          deletedPosts: posts?.n ?? 0,
          deletedScrapes: scrapes?.n ?? 0,
          revokedContributions: credited.length,
        };
        await recordAudit(tx, deps.clock, {
          type: "forum-campaign.reset",
          actorId: admin.userId,
          details: { forumCampaign: slug, forumCampaignId: c.id, ...result },
        });
        return result;
      });
    },
  };
}

export type ForumAdminService = ReturnType<typeof createForumAdminService>;
