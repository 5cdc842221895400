// The PointsSink backed by the points core (issue 4): each forum campaign gets a contribution type in
// the "forum" category and a points campaign (open-ended when the forum campaign is) with its pool;
// matured posts are awarded through the ledger with source "forum-post". A post's points are
// postPoints x (1 + rank bonus): the ledger gets postPoints as the (whole) base points and the bonus
// folded into the frozen multiplier, so the global points are exact (50 x 1.05 = 52.5, not 53).
import { Decimal } from "../../core/decimal.ts";
import { AppError } from "../../core/errors.ts";
import type { Actor } from "../../core/http/actor.ts";
import type { Logger } from "../../core/logger.ts";
import type { PointsModule } from "../points/points.module.ts";
import { type ForumAward, type ForumCampaignLink, MAX_POST_POINTS, type PointsSink } from "./forum-points.ts";

/** The scraper awards on the system's behalf; awarded_by carries this nil id. */
export const FORUM_SYSTEM_ACTOR: Actor = {
  userId: "00000000-0000-0000-0000-000000000000",
  roles: ["admin"],
  via: "api-key",
};

const POOL_DECIMALS = 8;

/**
 * Points campaigns and posts types of forum campaigns change only with them (the points API refuses
 * other edits, and multipliers on the type: the forum's standings read the posts' own points).
 */
const MANAGED = { managedBy: "forum" };

/** The name of a forum campaign's contribution type, kept in step with the campaign's name. */
const typeName = (c: Pick<ForumCampaignLink, "name">) => `${c.name} posts`;

/** The points-side fields of a forum campaign. */

function pointsFields(c: ForumCampaignLink) {
  return {
    name: c.name,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt?.toISOString() ?? null,
    pool: c.poolAmount
      ? { amount: c.poolAmount, token: c.poolToken ?? "TOKEN", decimals: POOL_DECIMALS }
      : null,
  };
}

/**
 * Base points and bonus factor of a post: points / (1 + bonus/100) is the campaign's postPoints when
 * the post was found, a whole number for every campaign created or edited since postPoints must be
 * whole. Null for older posts of a campaign with fractional postPoints.
 */
export function splitPostPoints(input: Pick<ForumAward, "points" | "bonusPercent">) {
  const factor = new Decimal(input.bonusPercent).div(100).plus(1);
  const base = new Decimal(input.points).div(factor);
  return base.isInteger() ? { points: base.toNumber(), bonusFactor: factor.toFixed() } : null;
}

/** Builds the ledger-backed sink. */
export function createLedgerSink(points: PointsModule, logger: Logger): PointsSink {
  const actor = FORUM_SYSTEM_ACTOR;

  async function ensureType(c: ForumCampaignLink) {
    const catalog = points.catalog;
    if (!(await catalog.listCategories()).some((x) => x.slug === "forum")) {
      await catalog.createCategory(actor, {
        name: "Forum",
        slug: "forum",
        description: "Forum signature campaigns",
      });
    }
    const slug = `forum-${c.slug}`.slice(0, 63);
    const existing = (await catalog.listTypes("forum")).find((t) => t.slug === slug);
    return (
      existing ??
      (await catalog.createType(
        actor,
        {
          name: typeName(c),
          slug,
          category: "forum",
          description: "Matured forum posts with the campaign signature",
          minPoints: 0,
          maxPoints: MAX_POST_POINTS,
        },
        MANAGED,
      ))
    );
  }

  async function ensureCampaign(c: ForumCampaignLink) {
    const type = await ensureType(c);
    const campaign = await points.campaigns.create(
      actor,
      { slug: c.slug, ...pointsFields(c), contributionTypes: [type.id] },
      MANAGED,
    );
    return { pointsCampaignId: campaign.id, contributionTypeId: type.id };
  }

  return {
    ensureCampaign,

    async updateCampaign(c, by) {
      if (!c.pointsCampaignId) return ensureCampaign(c);
      // Points campaigns of forum campaigns share the forum campaign's slug (set by ensureCampaign).
      await points.campaigns.update(by, c.slug, pointsFields(c), MANAGED);
      if (c.contributionTypeId)
        await points.catalog.updateType(by, c.contributionTypeId, { name: typeName(c) }, MANAGED);
      return { pointsCampaignId: c.pointsCampaignId, contributionTypeId: c.contributionTypeId };
    },

    async award(input) {
      if (!input.contributionTypeId) return null;
      // Idempotent on sourceRef: the points core answers a post already awarded with that award
      // (revoked ones too: an admin's revocation is not undone by a retry), before any rule.
      const exact = splitPostPoints(input);
      const base = {
        userId: input.userId,
        contributionTypeId: input.contributionTypeId,
        contributionDate: input.postedAt.toISOString(),
        evidence: [{ url: input.evidenceUrl, description: "Forum post" }],
        source: "forum-post",
        sourceRef: input.sourceRef,
      };
      if (exact) {
        const c = await points.contributions.award(
          actor,
          { ...base, points: exact.points, notes: null },
          { bonusFactor: exact.bonusFactor },
        );
        return c.id;
      }
      // Only posts found while a campaign had fractional postPoints (no longer accepted) get here.
      const whole = new Decimal(input.points).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
      logger.warn(
        { points: input.points, sourceRef: input.sourceRef },
        "forum post points have a fractional base; the ledger gets them rounded",
      );
      const c = await points.contributions.award(actor, {
        ...base,
        points: whole.toNumber(),
        notes: `exact forum points ${new Decimal(input.points).toFixed()}`,
      });
      return c.id;
    },

    async revoke(contributionId, reason) {
      try {
        await points.contributions.revoke(actor, contributionId, reason);
      } catch (err) {
        // Revoked already (by an admin, or by an earlier try of a campaign reset): nothing to undo.
        if (!(err instanceof AppError && err.code === "ALREADY_REVOKED")) throw err;
      }
    },
  };
}
