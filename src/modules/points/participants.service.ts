// Participants (search, profile with totals, ranks, recent contributions, rank history) and global stats.
import { sql } from "drizzle-orm";
import type { Tx } from "../../core/db/client.ts";
import { notFound } from "../../core/errors.ts";
import type { Actor } from "../../core/http/actor.ts";
import { canSeeParticipant, isExcluded } from "../accounts/visibility.ts";
import type { BoardNames } from "./boards.ts";
import { type ContributionView, contributionView } from "./contribution-view.ts";
import * as contributionsRepo from "./contributions.repo.ts";
import * as boardRepo from "./leaderboard.repo.ts";
import * as repo from "./participants.repo.ts";
import { decimalString, iso, type PointsDeps } from "./points.shared.ts";

const STATS_TTL_MS = 10_000;
/**
 * The daily series of days before today, kept longer: recounting them scans every contribution of
 * the window (~0.7 s at 2M contributions, ~7 s at 20M) and only a back-dated award, a correction or
 * a revocation changes them. Today's figures are counted on every refresh.
 */
const PAST_DAYS_TTL_MS = 10 * 60_000;
/** Latest contributions in the stats (the home page's feed). */
const STATS_LATEST = 3;
/** Rank history points per board and period (about three months of daily snapshots). */
const RANK_HISTORY_PER_BOARD = 100;

export interface Stats {
  participants: number;
  contributions: number;
  points: string;
  daily: Array<{ date: string; contributions: number; points: string; participants: number }>;
  latest: ContributionView[];
}

/**
 * The participant a request names (username or id) if `actor` may see them; 404
 * PARTICIPANT_NOT_FOUND naming `field` otherwise, the same answer for unknown and hidden ones.
 */
export async function visibleParticipant(db: Tx, actor: Actor | null, ref: string, field: string) {
  const u = await repo.findByRef(db, ref);
  if (!u || !canSeeParticipant(actor, u))
    throw notFound("PARTICIPANT_NOT_FOUND", `No participant named "${ref}"`, { field });
  return u;
}

/** Builds the participants/stats service. */
export function createParticipantsService(deps: PointsDeps & { boards: BoardNames }) {
  const { db, clock, boards } = deps;
  let statsCache: { at: number; value: Stats } | null = null;
  let pastDays: { at: number; key: string; rows: Awaited<ReturnType<typeof repo.dailySeries>> } | null = null;

  /** Per-day figures over [start, now]: past days from a cache of PAST_DAYS_TTL_MS, today counted now. */
  async function dailySeries(start: Date, now: Date) {
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const key = `${start.toISOString()}|${today.toISOString()}`;
    if (!pastDays || pastDays.key !== key || Math.abs(now.getTime() - pastDays.at) >= PAST_DAYS_TTL_MS) {
      pastDays = { at: now.getTime(), key, rows: await repo.dailySeries(db.orm, start, today) };
    }
    return [...pastDays.rows, ...(await repo.dailySeries(db.orm, today, new Date(now.getTime() + 1)))];
  }

  return {
    /** The global board's participants in its order; a search by exact username finds anyone visible. */
    async list(q: { search?: string; limit?: number; offset?: number }) {
      const search = q.search?.trim() || undefined;
      const [items, total] = await Promise.all([
        repo.listParticipants(db.orm, search, q.limit ?? 20, q.offset ?? 0),
        repo.countParticipants(db.orm, search),
      ]);
      return {
        items: items.map((r) => ({
          userId: r.id,
          username: r.username,
          displayName: r.display_name,
          points: decimalString(r.points ?? "0"),
          contributions: r.contributions ?? 0,
        })),
        total,
      };
    },

    /** A participant's profile; hidden/banned/deleted participants are only shown to staff and themselves. */
    async profile(actor: Actor | null, username: string) {
      const u = await repo.findByUsername(db.orm, username);
      if (!u || !canSeeParticipant(actor, u)) {
        throw notFound("PARTICIPANT_NOT_FOUND", `No participant named "${username}"`);
      }
      const excluded = isExcluded(u);
      const now = clock.now();
      const keys = await db.query<{ all: string; week: string; month: string }>(
        "SELECT 'all' AS all, points_period_key('week', $1::timestamptz) AS week, points_period_key('month', $1::timestamptz) AS month",
        [now.toISOString()],
      );
      const buckets = keys[0];
      const periodOf = new Map([
        [buckets.all, "all"],
        [buckets.week, "week"],
        [buckets.month, "month"],
      ]);
      const totals = await repo.boardsOfParticipant(db.orm, u.id, [buckets.all, buckets.week, buckets.month]);
      const ranks = [];
      for (const t of totals) {
        const board = await boards.fromKey(t.board);
        const b = sql`${t.bucket}::text`;
        ranks.push({
          board: board.name,
          period: periodOf.get(t.bucket) ?? "all",
          rank: excluded ? null : await boardRepo.rankOfPoints(db.orm, t.board, b, t.points),
          points: decimalString(t.points),
          contributions: t.contributions,
          total: await boardRepo.visibleCount(db.orm, t.board, b, null),
        });
      }
      const global = totals.find((t) => t.board === "global" && t.bucket === "all");
      const recent = await contributionsRepo.listContributions(db.orm, { userId: u.id }, 20, 0);
      const history = await repo.rankHistory(db.orm, u.id, RANK_HISTORY_PER_BOARD);
      const daily = await repo.dailyPoints(db.orm, u.id);
      return {
        userId: u.id,
        username: u.username,
        displayName: u.display_name,
        joinedAt: iso(u.created_at)!,
        listed: !excluded,
        totals: { points: decimalString(global?.points ?? "0"), contributions: global?.contributions ?? 0 },
        ranks,
        recentContributions: recent.map((r) => contributionView(r, actor)),
        rankHistory: history.map((h) => ({
          snapshotId: h.snapshot_id,
          board: h.board,
          period: h.period,
          takenAt: iso(h.taken_at)!,
          rank: h.rank,
          points: decimalString(h.points),
        })),
        pointsSeries: daily.map((d) => ({
          date: d.day,
          points: decimalString(d.points),
          contributions: d.contributions,
        })),
      };
    },

    /**
     * Totals and a daily series over the last `days` days, cached for STATS_TTL_MS (days before today
     * for PAST_DAYS_TTL_MS: a back-dated award shows in the series within ten minutes).
     */
    async stats(days = 30): Promise<Stats> {
      const now = clock.now();
      if (statsCache && days === 30 && Math.abs(now.getTime() - statsCache.at) < STATS_TTL_MS)
        return statsCache.value;
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days + 1));
      const totals = await repo.globalTotals(db.orm);
      const series =
        days === 30
          ? await dailySeries(start, now)
          : await repo.dailySeries(db.orm, start, new Date(now.getTime() + 1));
      // What the public contribution list shows first, without its count over every contribution.
      const latest = await contributionsRepo.listContributions(
        db.orm,
        { includeRevoked: false, visibleOnly: true },
        STATS_LATEST,
        0,
      );
      const byDay = new Map(series.map((s) => [s.day, s]));
      const daily = [];
      for (let i = 0; i < days; i++) {
        const day = new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10);
        const s = byDay.get(day);
        daily.push({
          date: day,
          contributions: s?.contributions ?? 0,
          points: decimalString(s?.points ?? "0"),
          participants: s?.participants ?? 0,
        });
      }
      const value = {
        participants: totals.participants,
        contributions: totals.contributions,
        points: decimalString(totals.points),
        daily,
        // Shared by every viewer (cached), so shown as to the public.
        latest: latest.map((r) => contributionView(r, null)),
      };
      if (days === 30) statsCache = { at: now.getTime(), value };
      return value;
    },
  };
}

export type ParticipantsService = ReturnType<typeof createParticipantsService>;
