// Awards, corrections and revocations. Each one writes the contribution, an append-only ledger entry
// and the derived totals in one transaction, so every board is current when the call returns.
import { Decimal } from "decimal.js";
import { sql } from "drizzle-orm";
import type { Tx } from "../../core/db/client.ts";
import { conflict, notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import type { BoardNames } from "./boards.ts";
import * as repo from "./contributions.repo.ts";
import * as ledger from "./ledger.repo.ts";
import * as people from "./participants.repo.ts";
import { BEGINNING_OF_TIME, decimalString, iso, type PointsDeps } from "./points.shared.ts";
import { POINTS_CHANNEL, type PointsEvent } from "./points-events.ts";

export interface Evidence {
  url: string;
  description?: string;
}

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

export interface ContributionView {
  id: string;
  userId: string;
  username: string;
  displayName: string | null;
  contributionTypeId: string;
  contributionType: string;
  contributionTypeName: string;
  category: string;
  points: number;
  multiplierAtCreation: string;
  globalPoints: string;
  contributionDate: string;
  evidence: Evidence[];
  notes: string | null;
  source: string;
  sourceRef: string | null;
  awardedBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
}

/** API shape of a contribution row. */
export function contributionView(r: repo.ContributionRow): ContributionView {
  return {
    id: r.id,
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    contributionTypeId: r.contribution_type_id,
    contributionType: r.type_slug,
    contributionTypeName: r.type_name,
    category: r.category_slug,
    points: r.points,
    multiplierAtCreation: r.multiplier_at_creation,
    globalPoints: decimalString(r.global_points),
    contributionDate: iso(r.contribution_date)!,
    evidence: r.evidence,
    notes: r.notes,
    source: r.source,
    sourceRef: r.source_ref,
    awardedBy: r.awarded_by,
    createdAt: iso(r.created_at)!,
    revokedAt: iso(r.revoked_at),
    revokeReason: r.revoke_reason,
  };
}

/** Builds the contributions service. */
export function createContributionsService(deps: PointsDeps & { boards: BoardNames }) {
  const { db, clock, events, boards } = deps;

  async function resolveUser(input: { username?: string; userId?: string }) {
    const u = input.userId
      ? await people.findById(db.orm, input.userId)
      : input.username
        ? await people.findByUsername(db.orm, input.username)
        : null;
    if (!input.userId && !input.username) {
      throw unprocessable("USER_REQUIRED", "Give username or userId", { field: "username" });
    }
    if (!u || u.deleted_at)
      throw unprocessable("USER_NOT_FOUND", "No such participant", {
        field: input.userId ? "userId" : "username",
      });
    return u;
  }

  /** Builds the live event inside the transaction and NOTIFYs other processes (delivered on commit). */
  async function eventOf(
    tx: Tx,
    kind: PointsEvent["type"],
    c: { id: string; userId: string; username: string },
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
      at: clock.now().toISOString(),
    };
    if (events.crossProcess) {
      const payload = JSON.stringify({ origin: events.origin, event });
      await tx.execute(sql`SELECT pg_notify(${POINTS_CHANNEL}, ${payload})`);
    }
    return event;
  }

  async function get(id: string): Promise<ContributionView> {
    const r = await repo.findContribution(db.orm, id);
    if (!r) throw notFound("CONTRIBUTION_NOT_FOUND", "No contribution with this id");
    return contributionView(r);
  }

  return {
    get,

    /** Awards points (admins and stewards): frozen multiplier, exact globalPoints, ledger entry, totals. */
    async award(actor: Actor | null, input: AwardInput): Promise<ContributionView> {
      const by = requireRole(actor, "admin", "steward");
      const user = await resolveUser(input);
      const now = clock.now();
      const date = input.contributionDate ? new Date(input.contributionDate) : now;
      if (Number.isNaN(date.getTime()) || date < BEGINNING_OF_TIME) {
        throw unprocessable("INVALID_DATE", "contributionDate must be a date-time after 1970", {
          field: "contributionDate",
        });
      }
      if (date > now) {
        throw unprocessable("CONTRIBUTION_DATE_IN_FUTURE", "contributionDate cannot be in the future", {
          field: "contributionDate",
        });
      }
      const probe = await repo.typeForAward(db.orm, input.contributionTypeId, date, false);
      if (!probe)
        throw unprocessable("CONTRIBUTION_TYPE_NOT_FOUND", "No such contribution type", {
          field: "contributionTypeId",
        });
      if (!probe.is_active)
        throw unprocessable("CONTRIBUTION_TYPE_INACTIVE", "This contribution type is not active", {
          field: "contributionTypeId",
        });
      if (input.points < probe.min_points || input.points > probe.max_points) {
        throw unprocessable(
          "POINTS_OUT_OF_RANGE",
          `points must be between ${probe.min_points} and ${probe.max_points} for this type`,
          {
            field: "points",
            min: probe.min_points,
            max: probe.max_points,
          },
        );
      }
      const hasCaps = probe.cap_total !== null || probe.cap_per_participant_week !== null;
      const result = await db.transaction(async (tx) => {
        // Capped types are serialised on their row so two concurrent awards cannot both pass the cap.
        const type = hasCaps ? await repo.typeForAward(tx, probe.id, date, true) : probe;
        if (!type?.multiplier)
          throw unprocessable("NO_MULTIPLIER", "This type has no multiplier for that date");
        if (hasCaps) {
          const used = await repo.capUsage(tx, type.id, user.id, date);
          if (type.cap_total !== null && used.total + input.points > type.cap_total) {
            throw unprocessable(
              "CAP_EXCEEDED",
              `This type's total cap of ${type.cap_total} points would be exceeded`,
              {
                cap: "total",
                limit: type.cap_total,
                used: used.total,
              },
            );
          }
          if (
            type.cap_per_participant_week !== null &&
            used.week + input.points > type.cap_per_participant_week
          ) {
            throw unprocessable(
              "CAP_EXCEEDED",
              `This participant's weekly cap of ${type.cap_per_participant_week} points for this type would be exceeded`,
              { cap: "perParticipantPerWeek", limit: type.cap_per_participant_week, used: used.week },
            );
          }
        }
        const globalPoints = new Decimal(input.points).times(type.multiplier).toFixed();
        const id = await repo.insertContributionWithLedger(
          tx,
          {
            userId: user.id,
            typeId: type.id,
            categoryId: type.category_id,
            points: input.points,
            multiplier: type.multiplier,
            globalPoints,
            contributionDate: date,
            evidence: input.evidence ?? [],
            notes: input.notes ?? null,
            source: input.source ?? "manual",
            sourceRef: input.sourceRef ?? null,
            awardedBy: by.userId,
            at: now,
          },
          null,
        );
        const keys = await ledger.applyTotals(tx, {
          userId: user.id,
          categoryId: type.category_id,
          typeId: type.id,
          contributionDate: date,
          globalDelta: globalPoints,
          countDelta: 1,
          at: now,
        });
        const event = await eventOf(
          tx,
          "award",
          { id, userId: user.id, username: user.username },
          globalPoints,
          keys,
        );
        return { id, event };
      });
      events.publish(result.event);
      return get(result.id);
    },

    /** Revokes a contribution (admins and stewards) through a ledger entry; 409 when already revoked. */
    async revoke(actor: Actor | null, id: string, reason: string): Promise<ContributionView> {
      const by = requireRole(actor, "admin", "steward");
      const now = clock.now();
      const event = await db.transaction(async (tx) => {
        const c = await repo.findContribution(tx, id, true);
        if (!c) throw notFound("CONTRIBUTION_NOT_FOUND", "No contribution with this id");
        if (c.revoked_at) throw conflict("ALREADY_REVOKED", "This contribution is already revoked");
        const delta = new Decimal(c.global_points).negated().toFixed();
        await repo.markRevoked(tx, id, by.userId, reason, now);
        await ledger.insertLedgerEntry(tx, {
          contributionId: id,
          userId: c.user_id,
          kind: "revocation",
          pointsDelta: -c.points,
          globalDelta: delta,
          countDelta: -1,
          actorId: by.userId,
          reason,
          at: now,
        });
        const keys = await ledger.applyTotals(tx, {
          userId: c.user_id,
          categoryId: c.category_id,
          typeId: c.contribution_type_id,
          contributionDate: new Date(c.contribution_date),
          globalDelta: delta,
          countDelta: -1,
          at: now,
        });
        return eventOf(tx, "revocation", { id, userId: c.user_id, username: c.username }, delta, keys);
      });
      events.publish(event);
      return get(id);
    },

    /** Sets a contribution's points (admins), keeping its frozen multiplier; logged in the ledger. */
    async correct(
      actor: Actor | null,
      id: string,
      points: number,
      reason: string,
    ): Promise<ContributionView> {
      const by = requireRole(actor, "admin");
      const now = clock.now();
      const event = await db.transaction(async (tx) => {
        const c = await repo.findContribution(tx, id, true);
        if (!c) throw notFound("CONTRIBUTION_NOT_FOUND", "No contribution with this id");
        if (c.revoked_at) throw conflict("ALREADY_REVOKED", "A revoked contribution cannot be corrected");
        const type = await repo.typeForAward(
          tx,
          c.contribution_type_id,
          new Date(c.contribution_date),
          false,
        );
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
        const newGlobal = new Decimal(points).times(c.multiplier_at_creation);
        const delta = newGlobal.minus(c.global_points).toFixed();
        await repo.setPoints(tx, id, points, newGlobal.toFixed());
        await ledger.insertLedgerEntry(tx, {
          contributionId: id,
          userId: c.user_id,
          kind: "correction",
          pointsDelta: points - c.points,
          globalDelta: delta,
          countDelta: 0,
          actorId: by.userId,
          reason,
          at: now,
        });
        const keys = await ledger.applyTotals(tx, {
          userId: c.user_id,
          categoryId: c.category_id,
          typeId: c.contribution_type_id,
          contributionDate: new Date(c.contribution_date),
          globalDelta: delta,
          countDelta: 0,
          at: now,
        });
        return eventOf(tx, "correction", { id, userId: c.user_id, username: c.username }, delta, keys);
      });
      events.publish(event);
      return get(id);
    },
  };
}

export type ContributionsService = ReturnType<typeof createContributionsService>;
