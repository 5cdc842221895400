// Campaign standings from credited posts: points, pool shares (exact), and Venue's leaderboard shape.
// Hidden, banned and deleted participants are left out (and out of the split), as on the boards.

import type { Clock } from "../../core/clock.ts";
import { type Database, rows, sql } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import type { Actor } from "../../core/http/actor.ts";
import { EXCLUDED } from "../accounts/visibility.ts";
import * as catalog from "./forum-catalog.repo.ts";
import type { ForumCatalogService } from "./forum-catalog.service.ts";

interface StandingRow {
  user_id: string;
  username: string;
  display_name: string | null;
  forum_username: string;
  credited_posts: number;
  pending_posts: number;
  points: string;
  pending_points: string;
}

const standingRows = (db: Database, campaignId: string) =>
  rows<StandingRow>(
    db.orm,
    sql`SELECT p.user_id, u.username, u.display_name, p.forum_username,
          count(*) FILTER (WHERE fp.status = 'credited')::int AS credited_posts,
          count(*) FILTER (WHERE fp.status = 'pending')::int AS pending_posts,
          COALESCE(sum(fp.points) FILTER (WHERE fp.status = 'credited'), 0)::text AS points,
          COALESCE(sum(fp.points) FILTER (WHERE fp.status = 'pending'), 0)::text AS pending_points
        FROM forum_profiles p
        JOIN users u ON u.id = p.user_id
        LEFT JOIN forum_posts fp ON fp.profile_id = p.id
        WHERE p.campaign_id = ${campaignId} AND p.status <> 'unverified' AND NOT ${EXCLUDED("u")}
        GROUP BY p.user_id, u.username, u.display_name, p.forum_username`,
  );

// Shares are rounded down, so a quotient truncated at 60 significant digits (ROUND_DOWN) floors to
// the same places as the exact one, at a fraction of the cost of the default 1,000 digits.
const Quotient = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_DOWN });

/** Builds the standings service. */
export function createStandingsService(deps: { db: Database; clock: Clock; catalog: ForumCatalogService }) {
  async function standings(campaign: catalog.CampaignRow) {
    const list = await standingRows(deps.db, campaign.id);
    const total = list.reduce((s, r) => s.plus(r.points), new Decimal(0));
    const pool = campaign.pool_amount === null ? null : new Decimal(campaign.pool_amount);
    const sorted = list.sort(
      (a, b) =>
        new Decimal(b.points).comparedTo(a.points) ||
        b.credited_posts - a.credited_posts ||
        a.username.localeCompare(b.username),
    );
    let rank = 0;
    let prev: string | null = null;
    const items = sorted.map((r, i) => {
      if (prev === null || !new Decimal(r.points).equals(prev)) rank = i + 1;
      prev = r.points;
      const share = (scaled: Decimal, places: number) =>
        total.isZero()
          ? "0"
          : new Quotient(scaled).div(total).toDecimalPlaces(places, Decimal.ROUND_DOWN).toFixed();
      return {
        rank,
        userId: r.user_id,
        username: r.username,
        displayName: r.display_name,
        forumUsername: r.forum_username,
        creditedPosts: r.credited_posts,
        pendingPosts: r.pending_posts,
        points: new Decimal(r.points).toFixed(),
        pendingPoints: new Decimal(r.pending_points).toFixed(),
        sharePercent: share(new Decimal(r.points).times(100), 4),
        estimatedTokens: pool ? share(pool.times(r.points), 8) : null,
      };
    });
    return {
      campaign: campaign.slug,
      pool: pool?.toFixed() ?? null,
      poolToken: campaign.pool_token,
      totalPoints: total.toFixed(),
      totalCreditedPosts: list.reduce((s, r) => s + r.credited_posts, 0),
      participants: items.length,
      items,
    };
  }

  return {
    /** Ranked participants of a campaign with credited and pending points and estimated pool shares. */
    async standings(slug: string) {
      return standings(await deps.catalog.campaignBySlug(slug));
    },

    /** Venue's `leaderboard-data` answer for the current forum campaign (numbers, as Venue sent them). */
    async venueLeaderboard(actor: Actor | null) {
      const c = await catalog.findCurrentCampaign(deps.db.orm, deps.clock.now());
      if (!c)
        return {
          success: true,
          rankings: [],
          sitewide: {},
          userstats: {},
          forumstats: { posts: [], users: [] },
        };
      const s = await standings(c);
      const num = (v: string | null) => (v === null ? 0 : new Decimal(v).toDecimalPlaces(2).toNumber());
      const me = actor ? s.items.find((i) => i.userId === actor.userId) : undefined;
      const site = (await catalog.findSite(deps.db.orm, c.site_id))?.name ?? c.site_id;
      return {
        success: true,
        rankings: s.items.map((i) => ({
          username: i.username,
          rank: i.rank,
          total_posts: i.creditedPosts,
          total_points: num(i.points),
          total_tokens: num(i.estimatedTokens),
        })),
        sitewide: {
          available_tokens: new Decimal(s.pool ?? 0).toNumber().toLocaleString("en-US"),
          total_users: s.participants,
          total_posts: s.totalCreditedPosts,
          total_points: num(s.totalPoints),
        },
        userstats: actor
          ? { overall_rank: me?.rank ?? null, total_tokens: Math.round(num(me?.estimatedTokens ?? null)) }
          : {},
        forumstats: {
          posts: [{ forumSite: site, value: s.totalCreditedPosts, color: "#2a96b6" }],
          users: [{ forumSite: site, value: s.participants, color: "#2a96b6" }],
        },
      };
    },
  };
}

export type StandingsService = ReturnType<typeof createStandingsService>;
