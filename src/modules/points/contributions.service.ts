// Contributions: awards (awards.service.ts, single and bulk), corrections and revocations. Each one
// writes the contribution, an append-only ledger entry and the derived totals atomically, so every
// board is current when the call returns.

import type { Tx } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { conflict, notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import { seesExcluded } from "../accounts/visibility.ts";
import { checkCorrectionCaps } from "./awards.rules.ts";
import { createAwardsService } from "./awards.service.ts";
import type { BoardNames } from "./boards.ts";
import { type ContributionView, contributionView, type Evidence } from "./contribution-view.ts";
import * as repo from "./contributions.repo.ts";
import * as ledger from "./ledger.repo.ts";
import { decimalString, exactTimes, type PointsDeps, requiredText } from "./points.shared.ts";
import type { PointsEvent } from "./points-events.ts";

export interface AwardInput {
  username?: string;
  userId?: string;
  contributionTypeId: string;
  points: number;
  contributionDate?: string;
  notes?: string | null;
  evidence?: Evidence[];
  /** Where the award comes from (manual, submission, forum-post, bounty...); manual by default. */
  source?: string;
  sourceRef?: string | null;
}

/**
 * Options of an award for internal callers only (never read from an HTTP body). `bonusFactor`, an
 * exact decimal > 0, is folded into the frozen multiplier: multiplierAtCreation = type multiplier x
 * bonusFactor, so globalPoints = points x that is exact (the forum's rank bonus on whole post points).
 */
export interface AwardOptions {
  bonusFactor?: string;
}

/** Builds the contributions service. */
export function createContributionsService(deps: PointsDeps & { boards: BoardNames }) {
  const { db, clock, events, boards } = deps;
  const awards = createAwardsService(deps);

  /**
   * Writes one correction or revocation of contribution `c` to the ledger and every board total it
   * counts on; returns the live event to publish after commit.
   */
  async function recordChange(
    tx: Tx,
    c: NonNullable<Awaited<ReturnType<typeof repo.findContribution>>>,
    change: {
      kind: "revocation" | "correction";
      pointsDelta: number;
      globalDelta: string;
      countDelta: number;
    },
    actorId: string,
    reason: string,
    at: Date,
  ): Promise<PointsEvent> {
    await ledger.insertLedgerEntry(tx, {
      contributionId: c.id,
      userId: c.user_id,
      actorId,
      reason,
      at,
      ...change,
    });
    const keys = await ledger.applyTotals(tx, {
      userId: c.user_id,
      categoryId: c.category_id,
      typeId: c.contribution_type_id,
      contributionDate: new Date(c.contribution_date),
      globalDelta: change.globalDelta,
      countDelta: change.countDelta,
      at,
    });
    const who = {
      id: c.id,
      userId: c.user_id,
      username: c.username,
      contributionDate: new Date(c.contribution_date).toISOString(),
      listed: c.user_listed,
    };
    return eventOf(tx, change.kind, who, change.globalDelta, keys);
  }

  /** Builds the live event inside the transaction (published by the caller after commit). */
  async function eventOf(
    tx: Tx,
    kind: PointsEvent["type"],
    c: { id: string; userId: string; username: string; contributionDate: string; listed: boolean },
    delta: string,
    keys: string[],
  ): Promise<PointsEvent> {
    const names: string[] = [];
    for (const k of keys) names.push((await boards.fromKey(k, tx)).name);
    const event: PointsEvent = {
      type: kind,
      contributionId: c.id,
      userId: c.userId,
      username: c.username,
      points: decimalString(delta),
      boards: names,
      contributionDate: c.contributionDate,
      listed: c.listed,
      at: clock.now().toISOString(),
    };
    return event;
  }

  /** One contribution; one of a hidden, banned or deleted participant only for staff and themselves. */
  async function get(viewer: Actor | null, id: string): Promise<ContributionView> {
    const r = await repo.findContribution(db.orm, id);
    if (!r || (!r.user_listed && !seesExcluded(viewer, r.user_id)))
      throw notFound("CONTRIBUTION_NOT_FOUND", `No contribution with id ${id}`);
    return contributionView(r, viewer);
  }

  return {
    /** One contribution as `viewer` may see it; 404 when there is none. */
    get,

    ...awards,

    /** Revokes a contribution (admins and stewards) through a ledger entry; 409 when already revoked. */
    async revoke(actor: Actor | null, id: string, reasonGiven: string): Promise<ContributionView> {
      const by = requireRole(actor, "admin", "steward");
      const reason = requiredText(reasonGiven, "reason");
      const now = clock.now();
      const event = await db.transaction(async (tx) => {
        const c = await repo.findContribution(tx, id, true);
        if (!c) throw notFound("CONTRIBUTION_NOT_FOUND", `No contribution with id ${id}`);
        if (c.revoked_at) throw conflict("ALREADY_REVOKED", "This contribution is already revoked");
        const delta = new Decimal(c.global_points).negated().toFixed();
        await repo.markRevoked(tx, id, by.userId, reason, now);
        return recordChange(
          tx,
          c,
          { kind: "revocation", pointsDelta: -c.points, globalDelta: delta, countDelta: -1 },
          by.userId,
          reason,
          now,
        );
      });
      events.publish(event);
      return get(actor, id);
    },

    /** Sets a contribution's points (admins), keeping its frozen multiplier; logged in the ledger. */
    async correct(
      actor: Actor | null,
      id: string,
      points: number,
      reasonGiven: string,
    ): Promise<ContributionView> {
      const by = requireRole(actor, "admin");
      const reason = requiredText(reasonGiven, "reason");
      const now = clock.now();
      const event = await db.transaction(async (tx) => {
        const c = await repo.findContribution(tx, id, true);
        if (!c) throw notFound("CONTRIBUTION_NOT_FOUND", `No contribution with id ${id}`);
        if (c.revoked_at) throw conflict("ALREADY_REVOKED", "A revoked contribution cannot be corrected");
        // A correction that changes nothing would still move the participant's place in a tie.
        if (points === c.points)
          throw unprocessable("POINTS_UNCHANGED", `The contribution already has ${points} points`, {
            field: "points",
          });
        const type = await repo.typeForAward(tx, c.contribution_type_id, new Date(c.contribution_date));
        if (type && (points < type.min_points || points > type.max_points)) {
          throw unprocessable(
            "POINTS_OUT_OF_RANGE",
            `points must be between ${type.min_points} and ${type.max_points} for this type`,
            {
              field: "points",
              min: type.min_points,
              max: type.max_points,
            },
          );
        }
        if (type) {
          const date = new Date(c.contribution_date);
          const change = {
            userId: c.user_id,
            typeId: c.contribution_type_id,
            date,
            from: c.points,
            to: points,
          };
          await checkCorrectionCaps(tx, change, type);
        }
        const newGlobal = exactTimes(String(points), c.multiplier_at_creation);
        const delta = new Decimal(newGlobal).minus(c.global_points).toFixed();
        await repo.setPoints(tx, id, points, newGlobal);
        return recordChange(
          tx,
          c,
          { kind: "correction", pointsDelta: points - c.points, globalDelta: delta, countDelta: 0 },
          by.userId,
          reason,
          now,
        );
      });
      events.publish(event);
      return get(actor, id);
    },
  };
}

export type ContributionsService = ReturnType<typeof createContributionsService>;
