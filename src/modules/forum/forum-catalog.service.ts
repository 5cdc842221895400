// Forum sites, ranks (allowed + bonus) and forum campaign settings; signature designs are in
// forum-designs.service.ts and join this service's object.

import type { Clock } from "../../core/clock.ts";
import type { Database, Tx } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { conflict, inBody, notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import { parseInstant } from "../../core/instants.ts";
import { recordAudit, recordEdit } from "../accounts/audit.service.ts";
import * as repo from "./forum-catalog.repo.ts";
import { createSignatureOps } from "./forum-designs.service.ts";
import { MAX_POST_POINTS, type PointsSink } from "./forum-points.ts";
import { DEFAULT_FORUM_SITE } from "./forum-sites.ts";
import { campaignView, rankView } from "./forum-views.ts";

export interface CampaignInput {
  slug: string;
  name: string;
  site?: string;
  startsAt: string;
  endsAt?: string | null;
  pool?: string | null;
  poolToken?: string | null;
  postPoints?: string;
  maturationMinutes?: number;
  uptimeThresholdPercent?: string;
  scrapeIntervalSeconds?: number;
  minPostLength?: number | null;
  excludedBoards?: string[];
  weeklyPostCap?: number | null;
  weekResetDay?: number;
}

/** Builds the catalog service. */
export function createForumCatalogService(deps: {
  db: Database;
  clock: Clock;
  sink: () => PointsSink;
  /** A site's public address as its scraper client has it (the one award evidence uses); null: the stored one. */
  linkBase?: (siteId: string) => string | null;
}) {
  const { db, clock } = deps;

  async function requireSite(id: string) {
    const site = await repo.findSite(db.orm, id);
    if (!site) throw notFound("FORUM_SITE_NOT_FOUND", `No forum site "${id}"`, { field: "site" });
    return site;
  }

  function campaignFields(input: CampaignInput, base?: repo.CampaignRow): repo.CampaignFields {
    const startsAt = parseInstant(input.startsAt, "startsAt");
    const endsAt = input.endsAt ? parseInstant(input.endsAt, "endsAt") : null;
    if (endsAt && endsAt <= startsAt)
      throw unprocessable("INVALID_CAMPAIGN_WINDOW", "endsAt must be after startsAt", { field: "endsAt" });
    // Whole: the ledger's base points are integers and the rank bonus goes into the multiplier, so a
    // post's points stay exact (forum-points.ledger.ts).
    if (input.postPoints !== undefined) {
      const p = new Decimal(input.postPoints);
      if (!p.isInteger() || p.lessThan(0) || p.greaterThan(MAX_POST_POINTS)) {
        throw unprocessable(
          "INVALID_POST_POINTS",
          `postPoints must be a whole number from 0 to ${MAX_POST_POINTS}`,
          { field: "postPoints" },
        );
      }
    }
    const threshold = new Decimal(input.uptimeThresholdPercent ?? base?.uptime_threshold_percent ?? "90");
    if (threshold.lessThan(0) || threshold.greaterThan(100)) {
      throw unprocessable("INVALID_THRESHOLD", "uptimeThresholdPercent must be between 0 and 100", {
        field: "uptimeThresholdPercent",
      });
    }
    return {
      slug: input.slug,
      name: input.name,
      siteId: input.site ?? base?.site_id ?? DEFAULT_FORUM_SITE,
      startsAt,
      endsAt,
      poolAmount: input.pool ?? null,
      poolToken: input.poolToken ?? null,
      postPoints:
        input.postPoints === undefined
          ? (base?.post_points ?? "100")
          : new Decimal(input.postPoints).toFixed(),
      maturationMinutes: input.maturationMinutes ?? base?.maturation_minutes ?? 1440,
      uptimeThresholdPercent: threshold.toFixed(),
      scrapeIntervalSeconds: input.scrapeIntervalSeconds ?? base?.scrape_interval_seconds ?? 300,
      minPostLength: input.minPostLength ?? null,
      excludedBoards: input.excludedBoards ?? [],
      weeklyPostCap: input.weeklyPostCap ?? null,
      weekResetDay: input.weekResetDay ?? base?.week_reset_day ?? 1,
    };
  }

  /** The forum-campaign.created event: the campaign's rules as created. */
  function auditCreated(tx: Tx, actorId: string, row: repo.CampaignRow) {
    const { id, slug, ...rules } = campaignView(row);
    return recordAudit(tx, clock, {
      type: "forum-campaign.created",
      actorId,
      details: { forumCampaign: slug, forumCampaignId: id, ...rules },
    });
  }

  async function campaignBySlug(slug: string) {
    const c = await repo.findCampaignBySlug(db.orm, slug);
    if (!c) throw notFound("CAMPAIGN_NOT_FOUND", `No forum campaign "${slug}"`);
    return c;
  }

  /** Hands an edit of name, window or pool to the points side (which creates a missing link). */
  async function mirrorOnPoints(
    by: Actor,
    c: repo.CampaignRow,
    f: repo.CampaignFields,
    patch: Partial<CampaignInput>,
  ) {
    const link = { pointsCampaignId: c.points_campaign_id, contributionTypeId: c.contribution_type_id };
    const sink = deps.sink();
    const touched = MIRRORED.some((k) => patch[k] !== undefined);
    if (!sink.updateCampaign || (!touched && link.pointsCampaignId)) return link;
    return sink.updateCampaign(
      {
        slug: c.slug,
        name: f.name,
        startsAt: f.startsAt,
        endsAt: f.endsAt,
        poolAmount: f.poolAmount,
        poolToken: f.poolToken,
        ...link,
      },
      by,
    );
  }

  return {
    campaignBySlug,

    /** Forum sites Merit can track. */
    async listSites() {
      return (await repo.listSites(db.orm)).map((s) => ({
        id: s.id,
        name: s.name,
        url: deps.linkBase?.(s.id) ?? s.base_url,
      }));
    },

    /** Ranks of a site with their bonus and whether they may join. */
    async listRanks(siteId: string) {
      await requireSite(siteId);
      return (await repo.listRanks(db.orm, siteId)).map(rankView);
    },

    /** Changes a rank's bonus or admission (admins); applies to posts found from now on. */
    async updateRank(actor: Actor | null, id: string, patch: { bonusPercent?: string; allowed?: boolean }) {
      const admin = requireRole(actor, "admin");
      const r = await db.transaction(async (tx) => {
        const before = await repo.findRank(tx, id, true);
        if (!before) throw notFound("RANK_NOT_FOUND", "No rank with this id");
        const after = (await repo.updateRank(tx, id, patch, clock.now()))!;
        await recordEdit(
          tx,
          clock,
          {
            type: "forum-rank.updated",
            actorId: admin.userId,
            details: { site: after.site_id, rank: after.name, rankId: id },
          },
          rankView(before),
          rankView(after),
        );
        return after;
      });
      return rankView(r);
    },

    ...createSignatureOps({ db, clock, requireSite }),

    /** Forum campaigns, newest first. */
    async listCampaigns() {
      return (await repo.listCampaigns(db.orm)).map(campaignView);
    },

    /** One forum campaign by slug. */
    async getCampaign(slug: string) {
      return campaignView(await campaignBySlug(slug));
    },

    /** Creates a forum campaign (admins) and its points-side campaign through the sink. */
    async createCampaign(actor: Actor | null, input: CampaignInput) {
      const admin = requireRole(actor, "admin");
      const fields = campaignFields(input);
      await inBody(requireSite(fields.siteId));
      const row = await repo.insertCampaign(db.orm, fields, clock.now());
      if (!row)
        throw conflict(
          "SLUG_TAKEN",
          `Another forum campaign uses the slug "${input.slug}": choose another one`,
          { field: "slug" },
        );
      const sink = deps.sink();
      if (sink.ensureCampaign) {
        // The points side runs its own transactions; when it refuses (e.g. its slug is taken by a
        // points campaign), the forum row just written goes too, so a refused create changes nothing.
        const link = await sink
          .ensureCampaign({
            slug: fields.slug,
            name: fields.name,
            startsAt: fields.startsAt,
            endsAt: fields.endsAt,
            poolAmount: fields.poolAmount,
            poolToken: fields.poolToken,
          })
          .catch(async (err: unknown) => {
            await repo.deleteNewCampaign(db.orm, row.id);
            throw err;
          });
        const linked = {
          ...row,
          points_campaign_id: link.pointsCampaignId,
          contribution_type_id: link.contributionTypeId,
        };
        await db.transaction(async (tx) => {
          await repo.linkPointsCampaign(tx, row.id, link.pointsCampaignId, link.contributionTypeId);
          await auditCreated(tx, admin.userId, linked);
        });
        return campaignView(linked);
      }
      await db.transaction((tx) => auditCreated(tx, admin.userId, row));
      return campaignView(row);
    },

    /**
     * Changes a forum campaign's settings (admins); rules apply to posts found from now on. Name,
     * window and pool are mirrored on its points campaign first, so a value the points side refuses
     * changes nothing.
     */
    async updateCampaign(actor: Actor | null, slug: string, patch: Partial<CampaignInput>) {
      const admin = requireRole(actor, "admin");
      const c = await campaignBySlug(slug);
      const fields = campaignFields(
        {
          slug: c.slug,
          name: patch.name ?? c.name,
          startsAt: patch.startsAt ?? c.starts_at.toISOString(),
          endsAt: patch.endsAt === undefined ? (c.ends_at?.toISOString() ?? null) : patch.endsAt,
          pool: patch.pool === undefined ? c.pool_amount : patch.pool,
          poolToken: patch.poolToken === undefined ? c.pool_token : patch.poolToken,
          postPoints: patch.postPoints,
          maturationMinutes: patch.maturationMinutes,
          uptimeThresholdPercent: patch.uptimeThresholdPercent,
          scrapeIntervalSeconds: patch.scrapeIntervalSeconds,
          minPostLength: patch.minPostLength === undefined ? c.min_post_length : patch.minPostLength,
          excludedBoards: patch.excludedBoards ?? c.excluded_boards,
          weeklyPostCap: patch.weeklyPostCap === undefined ? c.weekly_post_cap : patch.weeklyPostCap,
          weekResetDay: patch.weekResetDay,
        },
        c,
      );
      const link = await mirrorOnPoints(admin, c, fields, patch);
      const after = await db.transaction(async (tx) => {
        const row = (await repo.updateCampaign(tx, c.id, fields, clock.now())) as repo.CampaignRow;
        const relinked =
          link.pointsCampaignId !== c.points_campaign_id ||
          link.contributionTypeId !== c.contribution_type_id;
        if (relinked) await repo.linkPointsCampaign(tx, c.id, link.pointsCampaignId, link.contributionTypeId);
        const next = relinked
          ? {
              ...row,
              points_campaign_id: link.pointsCampaignId,
              contribution_type_id: link.contributionTypeId,
            }
          : row;
        await recordEdit(
          tx,
          clock,
          {
            type: "forum-campaign.updated",
            actorId: admin.userId,
            details: { forumCampaign: c.slug, forumCampaignId: c.id },
          },
          campaignView(c),
          campaignView(next),
        );
        return next;
      });
      return campaignView(after);
    },
  };
}

const MIRRORED: ReadonlyArray<keyof CampaignInput> = ["name", "startsAt", "endsAt", "pool", "poolToken"];

export type ForumCatalogService = ReturnType<typeof createForumCatalogService>;
