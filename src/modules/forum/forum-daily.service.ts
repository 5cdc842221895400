// Daily series for the participant dashboard and the campaign admin: tracked posts per UTC day of
// writing (the day the ledger dates a credited post), with every day of the window present.

import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { forbidden, notFound } from "../../core/errors.ts";
import { type Actor, requireActor, requireRole } from "../../core/http/actor.ts";
import type { ForumCatalogService } from "./forum-catalog.service.ts";
import * as repo from "./forum-daily.repo.ts";
import * as tracking from "./forum-tracking.repo.ts";

const DAY_MS = 86_400_000;

export interface DailyCounts {
  found: number;
  pending: number;
  credited: number;
  uncredited: number;
  creditedPoints: string;
  pendingPoints: string;
}

const zero = (): DailyCounts => ({
  found: 0,
  pending: 0,
  credited: 0,
  uncredited: 0,
  creditedPoints: "0",
  pendingPoints: "0",
});

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` UTC days up to the one containing `now`, zero-filled from `rows`, with totals. */
export function dailySeries(rowsOf: repo.DailyRow[], now: Date, days: number) {
  const last = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = last - (days - 1) * DAY_MS;
  const byDay = new Map(rowsOf.map((r) => [r.day, r]));
  const totals = zero();
  const items = [];
  for (let at = first; at <= last; at += DAY_MS) {
    const r = byDay.get(dayOf(at));
    const counts = r
      ? {
          found: r.found,
          pending: r.pending,
          credited: r.credited,
          uncredited: r.uncredited,
          creditedPoints: new Decimal(r.credited_points).toFixed(),
          pendingPoints: new Decimal(r.pending_points).toFixed(),
        }
      : zero();
    items.push({ day: dayOf(at), ...counts });
    totals.found += counts.found;
    totals.pending += counts.pending;
    totals.credited += counts.credited;
    totals.uncredited += counts.uncredited;
    totals.creditedPoints = new Decimal(totals.creditedPoints).plus(counts.creditedPoints).toFixed();
    totals.pendingPoints = new Decimal(totals.pendingPoints).plus(counts.pendingPoints).toFixed();
  }
  return { from: dayOf(first), to: dayOf(last), days, items, totals };
}

/** Builds the daily series service. */
export function createDailyService(deps: { db: Database; clock: Clock; catalog: ForumCatalogService }) {
  const { db, clock } = deps;

  async function series(of: { profileId: string } | { campaignId: string }, days: number) {
    const now = clock.now();
    const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS;
    const found = await repo.dailyRows(db.orm, of, new Date(end - days * DAY_MS), new Date(end));
    return dailySeries(found, now, days);
  }

  return {
    /** A profile's posts per UTC day over the last `days` days (its owner or admins). */
    async profileDaily(actor: Actor | null, profileId: string, days: number) {
      const me = requireActor(actor);
      const p = await tracking.findProfile(db.orm, profileId);
      if (!p) throw notFound("PROFILE_NOT_FOUND", "No forum profile with this id");
      if (p.user_id !== me.userId && !me.roles.includes("admin")) {
        throw forbidden("NOT_PROFILE_OWNER", "This forum profile belongs to someone else");
      }
      return { profileId, ...(await series({ profileId }, days)) };
    },

    /** A campaign's posts per UTC day over the last `days` days, all participants together (admins). */
    async campaignDaily(actor: Actor | null, slug: string, days: number) {
      requireRole(actor, "admin");
      const c = await deps.catalog.campaignBySlug(slug);
      return { campaign: c.slug, ...(await series({ campaignId: c.id }, days)) };
    },
  };
}

export type DailyService = ReturnType<typeof createDailyService>;
