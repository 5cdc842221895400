/**
 * Leaderboards.
 *
 * Design (targets: 1M participants, 20M contributions):
 * - Totals are maintained incrementally, never recomputed per write. Each ledger entry (award,
 *   correction, revocation) upserts one row of board_totals per (board, period bucket) it touches:
 *   boards global, category:<id> and campaign:<id> of covering campaigns; buckets "all", "w:<monday>",
 *   "m:<yyyy-mm>" (UTC, Monday-Sunday weeks; the rule lives in SQL, points_period_key). That is ~6-9
 *   single-row upserts in one statement, in the same transaction as the ledger entry, so every board
 *   is current when the award returns (read-your-writes).
 * - Pages read the index (board, bucket, points DESC, reached_at, user_id): a top-50 page is an
 *   index range scan joined to users, independent of board size.
 * - Rank = standard competition rank (1, 2, 2, 4): 1 + number of visible participants with more
 *   points. Counting them row by row is O(rank) (tens of ms at 1M), so board_bands keeps, per board
 *   bucket, how many participants have a total in each points band (exact integers below 100, then
 *   three significant digits per decade: at most ~900 bands per decade). rank = 1 + sum of band counts
 *   above my band + an index range count inside my band (narrow by construction) - hidden/banned/
 *   deleted participants above me (few; pages find them through a partial index on users, rank
 *   lookups in a sorted in-memory list of their totals per board bucket, see leaderboard.caches.ts). The
 *   award statement moves the participant between bands using new - delta as the old total, so no
 *   extra reads/locks.
 *   That rule is the PL/pgSQL function points_rank (migration 0002), whose plans PostgreSQL caches
 *   per connection, so a lookup skips the planner; a whole rank lookup is one statement.
 * - A page is one statement (rows + visible total); the top row of page 1 is rank 1 without a query,
 *   and the period bucket is remembered per UTC hour (week/month boundaries fall on hours).
 * - Pages without search on the all/week/month boards are cached in the process (most reads are the
 *   same few top pages). Any points event (award, correction, revocation, from this process at once,
 *   from others over LISTEN/NOTIFY) and any change signal (users renamed, hidden, banned or deleted;
 *   campaigns created or edited; see core/changes.ts) empties the cache, so a write is visible on the
 *   next read (read-your-writes). A page computed while a write landed is not kept, and entries
 *   expire after 10 s as a safety net should a notification from another process be lost (the
 *   caches live in leaderboard.caches.ts).
 * - Inside a tie the order is deterministic: earlier reached_at (when the total last changed, i.e. who
 *   got there first), then user id. Hidden, banned and deleted participants are left out and ranks
 *   close up behind them (no gaps).
 * - Custom from/to ranges aggregate contributions through a covering partial index on
 *   contribution_date (rank by window function over the aggregated range only).
 */

import { sql } from "drizzle-orm";
import { Decimal } from "../../core/decimal.ts";
import { badRequest, notFound } from "../../core/errors.ts";
import type { Actor } from "../../core/http/actor.ts";
import { isUuid } from "../../core/ids.ts";
import { parseRange } from "../../core/instants.ts";
import { isExcluded, seesExcluded } from "../accounts/visibility.ts";
import { type Board, type BoardNames, hasPoolShares } from "./boards.ts";
import type { CampaignsService } from "./campaigns.service.ts";
import { countAbove, createExcludedTotals, createPageCache } from "./leaderboard.caches.ts";
import * as repo from "./leaderboard.repo.ts";
import * as ranges from "./leaderboard-range.repo.ts";
import { noJitSql } from "./ledger.repo.ts";
import { visibleParticipant } from "./participants.service.ts";
import { decimalString, iso, type PointsDeps, samePoints } from "./points.shared.ts";

export type Period = "all" | "week" | "month" | "custom";

export interface BoardQuery {
  board?: string;
  period?: Period;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
  search?: string;
}

export interface BoardItem {
  rank: number;
  userId: string;
  username: string;
  displayName: string | null;
  points: string;
  contributions: number;
  share?: string;
}

export interface BoardPage {
  board: string;
  period: Period;
  bucket: string | null;
  from: string | null;
  to: string | null;
  items: BoardItem[];
  total: number;
}

const EXPORT_PAGE = 5_000;

/** The contributions a board counts over a custom range (its category's, its campaign's, or all). */
function rangeFilter(board: Board, range: { from: Date; to: Date }): ranges.RangeFilter {
  return {
    ...range,
    categoryId: board.kind === "category" ? (board.id ?? undefined) : undefined,
    campaignId: board.kind === "campaign" ? (board.id ?? undefined) : undefined,
  };
}

/** Builds the leaderboard read service. */
export function createLeaderboardService(
  deps: PointsDeps & { boards: BoardNames; campaigns: CampaignsService },
) {
  const { db, clock, boards, campaigns } = deps;

  const pages = createPageCache<BoardPage>(deps);
  const excluded = createExcludedTotals(deps);

  // Week and month buckets change only on UTC hour boundaries, so the bucket SQL computes
  // (points_period_key, the one rule) is remembered per period and UTC hour: no round trip per read.
  const buckets = new Map<string, string>();
  async function bucketAt(period: "all" | "week" | "month"): Promise<string> {
    const now = clock.now();
    const key = `${period}|${Math.floor(now.getTime() / 3_600_000)}`;
    const known = buckets.get(key);
    if (known) return known;
    const r = await db.query<{ k: string }>("SELECT points_period_key($1, $2::timestamptz) AS k", [
      period,
      now.toISOString(),
    ]);
    if (buckets.size > 64) buckets.clear();
    buckets.set(key, r[0].k);
    return r[0].k;
  }

  async function resolve(q: BoardQuery) {
    const board = await boards.resolve(q.board ?? "global");
    const period = q.period ?? "all";
    if (period !== "custom") return { board, period, bucket: await bucketAt(period), range: null };
    if (!q.from || !q.to)
      throw badRequest("RANGE_REQUIRED", "period=custom needs from and to", {
        field: q.from ? "to" : "from",
      });
    const { from, to } = parseRange(q.from, q.to);
    return { board, period, bucket: null, range: { from: from!, to: to! } };
  }

  async function withShares(board: Board, period: string, items: BoardItem[]): Promise<BoardItem[]> {
    if (!hasPoolShares(board, period)) return items;
    const shares = await campaigns.shares(
      board.id,
      items.map((i) => i.userId),
    );
    if (shares.size === 0) return items;
    return items.map((i) => ({ ...i, share: shares.get(i.userId) ?? "0" }));
  }

  /** Ranks of a page from the incremental totals: the first by bands, the rest by walking the page. */
  async function rankPage(
    boardKey: string,
    bucket: string,
    rowsIn: repo.BoardRow[],
    offset: number,
    searching: boolean,
  ) {
    const b = sql`${bucket}::text`;
    const items: BoardItem[] = [];
    let prev: { points: string; rank: number } | null = null;
    for (const [i, r] of rowsIn.entries()) {
      let rank: number;
      if (prev && samePoints(prev.points, r.points)) rank = prev.rank;
      else if (prev && !searching) rank = offset + i + 1;
      // The first visible row of a board has nobody visible above it.
      else if (!prev && offset === 0 && !searching) rank = 1;
      else rank = await repo.rankOfPoints(db.orm, boardKey, b, r.points);
      prev = { points: r.points, rank };
      items.push({
        rank,
        userId: r.user_id,
        username: r.username,
        displayName: r.display_name,
        points: decimalString(r.points),
        contributions: r.contributions,
      });
    }
    return items;
  }

  return {
    /** One page of a board: `{items, total}` with ranks, plus `share` on campaign boards with a pool (period all). */
    async page(q: BoardQuery): Promise<BoardPage> {
      const { board, period, bucket, range } = await resolve(q);
      const limit = Math.min(q.limit ?? 20, 100);
      const offset = q.offset ?? 0;
      const search = q.search?.trim() || null;
      // Searches are never cached. Custom ranges are, under their exact bounds, and are dropped only
      // by writes to contributions dated inside them (see createPageCache); period pages by any write.
      const span = range ? `${iso(range.from)}..${iso(range.to)}` : bucket;
      const cacheKey = search ? null : `${board.key}|${span}|${limit}|${offset}`;
      const dates = range ? { from: range.from.getTime(), to: range.to.getTime() } : null;
      return pages.through(cacheKey, compute, dates);

      async function compute(): Promise<BoardPage> {
        let items: BoardItem[];
        let total: number;
        if (range) {
          const filter = rangeFilter(board, range);
          const r = await db.transaction(async (tx) => {
            await tx.execute(noJitSql);
            return ranges.rangePage(tx, filter, search, limit, offset);
          });
          total = r[0]?.total ?? 0;
          if (r.length === 0 && offset > 0)
            total = (await ranges.rangePage(db.orm, filter, search, 1, 0))[0]?.total ?? 0;
          items = r.map((x) => ({
            rank: x.rank,
            userId: x.user_id,
            username: x.username,
            displayName: x.display_name,
            points: decimalString(x.points),
            contributions: x.contributions,
          }));
        } else {
          const b = sql`${bucket}::text`;
          const r = await repo.boardPage(db.orm, board.key, b, search, limit, offset);
          total = r[0]?.total ?? 0;
          const listed = r.filter((x) => x.user_id !== null);
          items = await rankPage(board.key, bucket!, listed, offset, search !== null);
        }
        const page: BoardPage = {
          board: board.name,
          period,
          bucket,
          from: range ? iso(range.from) : null,
          to: range ? iso(range.to) : null,
          items: await withShares(board, period, items),
          total,
        };
        return page;
      }
    },

    /**
     * One participant's rank, points, contributions and share on a board (rank null when not ranked).
     * A hidden, banned or deleted participant has no rank; their points are shown to staff and
     * themselves, and anyone else gets 404 as for an unknown name.
     */
    async rankOf(actor: Actor | null, q: BoardQuery & { user: string }) {
      const { board, period, bucket, range } = await resolve(q);
      if (range) {
        // Computed from the range's contributions, as its page is (no incremental totals exist for it).
        const u = await visibleParticipant(db.orm, actor, q.user, "user");
        const r = await db.transaction(async (tx) => {
          await tx.execute(noJitSql);
          return ranges.rangeRank(tx, rangeFilter(board, range), u.id);
        });
        return {
          board: board.name,
          period,
          bucket: null,
          userId: u.id,
          username: u.username,
          rank: r.points !== null && !isExcluded(u) ? r.above + 1 : null,
          points: decimalString(r.points ?? "0"),
          contributions: r.contributions ?? 0,
          total: r.total,
        };
      }
      // One statement (participant, total, rank and count among everyone listed) beside the cached
      // totals of excluded participants, which are taken out here.
      const [r, above] = await Promise.all([
        repo.listedRankLookup(
          db.orm,
          board.key,
          sql`${bucket}::text`,
          isUuid(q.user) ? { id: q.user } : { username: q.user },
        ),
        excluded.of(board.key, bucket!),
      ]);
      if (!r || (r.excluded && !seesExcluded(actor, r.user_id)))
        throw notFound("PARTICIPANT_NOT_FOUND", `No participant named "${q.user}"`, { field: "user" });
      let rank: number | null = null;
      if (!r.excluded && r.listed_rank !== null && r.points !== null) {
        const mine = new Decimal(r.points);
        rank = r.listed_rank - countAbove(above, mine);
      }
      // The estimated share, on campaign boards with a pool, from the same split as the pages.
      const shares =
        rank !== null && hasPoolShares(board, period) ? await campaigns.shares(board.id, [r.user_id]) : null;
      const share = shares?.get(r.user_id);
      return {
        board: board.name,
        period,
        bucket,
        userId: r.user_id,
        username: r.username,
        rank,
        points: decimalString(r.points ?? "0"),
        contributions: r.contributions ?? 0,
        total: r.listed - above.length,
        ...(share === undefined ? {} : { share }),
      };
    },

    /** Every row of a board in order, as CSV lines (header first). */
    async *csv(q: BoardQuery): AsyncGenerator<string> {
      const { board, period, bucket, range } = await resolve(q);
      // A campaign board with a pool adds each participant's share and the token it is counted in.
      const pool = hasPoolShares(board, period) ? await campaigns.pool(board.id) : null;
      const shareCells = (share: string | undefined) => (pool ? [share ?? "0", pool.token] : []);
      yield `${["rank", "username", "display_name", "user_id", "points", "contributions", ...(pool ? ["share", "token"] : [])].join(",")}\n`;
      if (range) {
        for (let offset = 0; ; offset += 100) {
          const p = await this.page({ ...q, period, limit: 100, offset });
          for (const i of p.items)
            yield csvLine([
              i.rank,
              i.username,
              i.displayName,
              i.userId,
              i.points,
              i.contributions,
              ...shareCells(i.share),
            ]);
          if (p.items.length < 100) return;
        }
      }
      const b = sql`${bucket}::text`;
      const shares = pool ? await campaigns.shares(board.id!) : new Map<string, string>();
      let after: repo.BoardCursor | null = null;
      let position = 0;
      let prev: { points: string; rank: number } | null = null;
      for (;;) {
        const page = await repo.boardRowsAfter(db.orm, board.key, b, after, EXPORT_PAGE);
        for (const r of page) {
          position += 1;
          const rank: number = prev && samePoints(prev.points, r.points) ? prev.rank : position;
          prev = { points: r.points, rank };
          yield csvLine([
            rank,
            r.username,
            r.display_name,
            r.user_id,
            decimalString(r.points),
            r.contributions,
            ...shareCells(shares.get(r.user_id)),
          ]);
        }
        if (page.length < EXPORT_PAGE) return;
        const last = page[page.length - 1];
        after = repo.cursorAfter(last);
      }
    },
  };
}

/** One CSV record (RFC 4180 quoting; cells starting with = + - @ are prefixed so spreadsheets do not run them). */
export function csvLine(cells: Array<string | number | null>): string {
  return `${cells
    .map((c) => {
      if (c === null) return "";
      let s = String(c);
      if (typeof c === "string" && /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
      return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(",")}\n`;
}

export type LeaderboardService = ReturnType<typeof createLeaderboardService>;
