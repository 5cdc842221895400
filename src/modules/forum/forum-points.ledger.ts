// The PointsSink backed by the points core (issue 4): each forum campaign gets a contribution type in
// the "forum" category and, when it has an end, a points campaign with its pool; matured posts are
// awarded through the ledger with source "forum-post".
import { Decimal } from "decimal.js";
import type { Actor } from "../../core/http/actor.ts";
import type { Logger } from "../../core/logger.ts";
import type { PointsModule } from "../points/points.module.ts";
import type { PointsSink } from "./forum-points.ts";

/** The scraper awards on the system's behalf; awarded_by carries this nil id. */
export const FORUM_SYSTEM_ACTOR: Actor = {
  userId: "00000000-0000-0000-0000-000000000000",
  roles: ["admin"],
  via: "api-key",
};

const MAX_POST_POINTS = 1_000_000;
const POOL_DECIMALS = 8;

/** Builds the ledger-backed sink. */
export function createLedgerSink(points: PointsModule, logger: Logger): PointsSink {
  const actor = FORUM_SYSTEM_ACTOR;
  return {
    async ensureCampaign(c) {
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
      const type =
        existing ??
        (await catalog.createType(actor, {
          name: `${c.name} posts`,
          slug,
          category: "forum",
          description: "Matured forum posts with the campaign signature",
          minPoints: 0,
          maxPoints: MAX_POST_POINTS,
        }));
      // Points campaigns need an end; an open-ended forum campaign only gets its contribution type.
      if (!c.endsAt) return { pointsCampaignId: null, contributionTypeId: type.id };
      const campaign = await points.campaigns.create(actor, {
        slug: c.slug,
        name: c.name,
        startsAt: c.startsAt.toISOString(),
        endsAt: c.endsAt.toISOString(),
        pool: c.poolAmount
          ? { amount: c.poolAmount, token: c.poolToken ?? "TOKEN", decimals: POOL_DECIMALS }
          : null,
        contributionTypes: [type.id],
      });
      return { pointsCampaignId: campaign.id, contributionTypeId: type.id };
    },

    async award(input) {
      if (!input.contributionTypeId) return null;
      const exact = new Decimal(input.points);
      // The ledger keeps integer base points; forum defaults (100 x 1.00-1.05) are always whole.
      const whole = exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
      if (!whole.equals(exact)) {
        logger.warn(
          { points: input.points, sourceRef: input.sourceRef },
          "forum post points are fractional; the ledger gets them rounded",
        );
      }
      const c = await points.contributions.award(actor, {
        userId: input.userId,
        contributionTypeId: input.contributionTypeId,
        points: whole.toNumber(),
        contributionDate: input.postedAt.toISOString(),
        evidence: [{ url: input.evidenceUrl, description: "Forum profile" }],
        notes: whole.equals(exact) ? null : `exact forum points ${exact.toFixed()}`,
        source: "forum-post",
        sourceRef: input.sourceRef,
      });
      return c.id;
    },

    async revoke(contributionId, reason) {
      await points.contributions.revoke(actor, contributionId, reason);
    },
  };
}
