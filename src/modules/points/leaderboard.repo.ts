// SQL of board reads: pages of the incremental totals, rank by points bands, custom date ranges.
import { type SQL, sql } from "drizzle-orm";
import { containsPattern, firstRow, rows, type Tx } from "../../core/db/client.ts";
import { EXCLUDED } from "../accounts/visibility.ts";

export interface BoardRow {
  user_id: string;
  username: string;
  display_name: string | null;
  points: string;
  contributions: number;
  reached_at: Date;
}

/** The bucket of board_totals for a period at an instant (the rule itself lives in SQL, points_period_key). */
export const bucketOf = (period: "all" | "week" | "month", at: Date): SQL =>
  sql`points_period_key(${period}::text, ${at.toISOString()}::timestamptz)`;

/** Board order; inside a tie: earlier reached_at, then user id (documented in leaderboard.service.ts). */
export const ORDER = sql`bt.points DESC, bt.reached_at, bt.user_id`;

/** One page of visible participants in board order with the visible total (`total` column); optional search. */
export function boardPage(
  db: Tx,
  board: string,
  bucket: SQL,
  search: string | null,
  limit: number,
  offset: number,
) {
  const match = search
    ? sql`AND (u.username ILIKE ${containsPattern(search)} OR u.display_name ILIKE ${containsPattern(search)})`
    : sql``;
  // Without a search the total comes from the bands (cheap); with one it is counted (and usually small).
  // OFFSET 0 keeps the planner from flattening t, which would evaluate the total once per page row.
  const total = search
    ? sql`(SELECT count(*)::int FROM board_totals bt JOIN users u ON u.id = bt.user_id
          WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")} ${match})`
    : sql`points_visible_count(${board}::text, ${bucket})`;
  return rows<BoardRow & { total: number }>(
    db,
    sql`SELECT p.user_id, p.username, p.display_name, p.points::text AS points, p.contributions, p.reached_at, t.total
      FROM (SELECT ${total} AS total OFFSET 0) t LEFT JOIN (
        SELECT bt.user_id, u.username, u.display_name, bt.points, bt.contributions, bt.reached_at
        FROM board_totals bt JOIN users u ON u.id = bt.user_id
        WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")} ${match}
        ORDER BY ${ORDER} LIMIT ${limit} OFFSET ${offset}) p ON TRUE
      ORDER BY p.points DESC, p.reached_at, p.user_id`,
  );
}

/**
 * Where a keyset page ended. reachedAt is PostgreSQL's own text of the timestamp: a JS Date would
 * drop microseconds (and node-postgres hands raw SQL timestamps back as strings), repeating rows.
 */
export interface BoardCursor {
  points: string;
  reachedAt: string;
  userId: string;
}

/** The cursor after a row of boardRowsAfter. */
export const cursorAfter = (r: BoardRow & { reached_key: string }): BoardCursor => ({
  points: r.points,
  reachedAt: r.reached_key,
  userId: r.user_id,
});

/** Rows after a keyset cursor, for exports and pool splits (board order). */
export function boardRowsAfter(db: Tx, board: string, bucket: SQL, after: BoardCursor | null, limit: number) {
  const cursor = after
    ? sql`AND (bt.points < ${after.points}::numeric OR (bt.points = ${after.points}::numeric
          AND (bt.reached_at, bt.user_id) > (${after.reachedAt}::timestamptz, ${after.userId}::uuid)))`
    : sql``;
  return rows<BoardRow & { reached_key: string }>(
    db,
    sql`SELECT bt.user_id, u.username, u.display_name, bt.points::text AS points, bt.contributions, bt.reached_at,
          bt.reached_at::text AS reached_key
        FROM board_totals bt JOIN users u ON u.id = bt.user_id
        WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")} ${cursor}
        ORDER BY ${ORDER} LIMIT ${limit}`,
  );
}

/** Standard competition rank of a total (SQL function points_rank: bands + a narrow index range count). */
export async function rankOfPoints(db: Tx, board: string, bucket: SQL, points: string): Promise<number> {
  const r = await firstRow<{ rank: number }>(
    db,
    sql`SELECT points_rank(${board}::text, ${bucket}, ${points}::numeric) AS rank`,
  );
  return r?.rank ?? 1;
}

/** Visible participants on a board bucket. */
export async function visibleCount(
  db: Tx,
  board: string,
  bucket: SQL,
  search: string | null,
): Promise<number> {
  if (search) {
    const r = await firstRow<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM board_totals bt JOIN users u ON u.id = bt.user_id
          WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")}
            AND (u.username ILIKE ${containsPattern(search)} OR u.display_name ILIKE ${containsPattern(search)})`,
    );
    return r?.n ?? 0;
  }
  const r = await firstRow<{ n: number }>(
    db,
    sql`SELECT points_visible_count(${board}::text, ${bucket}) AS n`,
  );
  return r?.n ?? 0;
}

/** One participant's total on a board bucket (null when none). */
export function participantTotal(db: Tx, board: string, bucket: SQL, userId: string) {
  return firstRow<{ points: string; contributions: number }>(
    db,
    sql`SELECT points::text AS points, contributions FROM board_totals
        WHERE board = ${board} AND bucket = ${bucket} AND user_id = ${userId} AND contributions > 0`,
  );
}

/** Sum of visible participants' points on a board bucket. */
export async function visibleSum(db: Tx, board: string, bucket: SQL): Promise<string> {
  const r = await firstRow<{ s: string }>(
    db,
    sql`SELECT coalesce(sum(bt.points), 0)::text AS s FROM board_totals bt JOIN users u ON u.id = bt.user_id
        WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")}`,
  );
  return r?.s ?? "0";
}

/**
 * What a pool split over a whole board bucket depends on (see poolCut). With it, any participant's
 * share follows from their own row alone (poolSharesFor), so the split is found once per write and
 * shared by every page, rank lookup and export, instead of being redone over the whole board for each.
 */
export interface PoolCut {
  /** Sum of the visible participants' points, negative ones counting as 0 (> 0). */
  total: string;
  /** The participant who takes the last left-over unit (remainder order); null when none is left over. */
  last: { rem: string; points: string; reachedAt: string; userId: string } | null;
  /** How the remainders were compared: in int8 when no product can overflow, else in numeric. */
  arithmetic: "int8" | "numeric";
}

/** The visible participants of a board bucket (the NOT EXISTS anti-joins the few excluded users by their partial index). */
const visibleRows = (board: string, bucket: SQL, only: SQL) => sql`
  SELECT bt.user_id, bt.points, bt.reached_at FROM board_totals bt
  WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 ${only}
    AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = bt.user_id AND ${EXCLUDED("u")})`;

/**
 * One participant's floor share and remainder of a pool of `units` split over `total` points:
 * floor(units x p / P) and units x p - floor(...) x P, with p = max(points, 0). Exact numeric
 * arithmetic on the decimals themselves: the reference splitPool scales points to integers first,
 * which multiplies every remainder by the same power of ten and so keeps their order.
 */
const splitOf = (units: string, points: SQL, total: SQL) => ({
  base: sql`div(${units}::numeric * GREATEST(${points}, 0), ${total})`,
  rem: sql`(${units}::numeric * GREATEST(${points}, 0) - div(${units}::numeric * GREATEST(${points}, 0), ${total}) * ${total})`,
});

/**
 * The split of a pool of `poolUnits` smallest units over a board bucket's visible participants, by
 * the largest-remainder method, exact: everyone gets floor(pool x p / P), and the units left over go
 * one each to the largest remainders, ties in board order (points descending, reached_at, user id).
 * The same rule as splitPool in pool-split.ts (a property test compares them). Returned as the cut
 * of that order: the participant who takes the last left-over unit. Null when nobody has points.
 * The whole board is never sorted (see the histogram below).
 */
export async function poolCut(
  db: Tx,
  board: string,
  bucket: SQL,
  poolUnits: string,
): Promise<PoolCut | null> {
  // Remainders are found in integers: with s = 10^(scale of the total P) every p x s is whole, and
  // units x p mod P = ((units mod P x s) x (p x s) mod (P x s)) / s, so one multiplication and one
  // modulo per participant instead of numeric division. In int8 when nothing can overflow (about
  // twice as fast as numeric), in numeric otherwise; only one of r8 / rn is set, the same in every
  // row, so ordering by both is ordering by the remainder.
  // The participant holding the L-th largest remainder is found without sorting the board: a
  // histogram of remainders (4,096 slices of rem / (P x s), a non-decreasing function of rem, so the
  // slices keep the order) tells which slice holds it and how many come before; only that slice is sorted.
  const exact = splitOf(poolUnits, sql`last.points`, sql`k.t`);
  const r = await firstRow<{
    total: string;
    rem: string | null;
    points: string | null;
    reached_at: string | null;
    user_id: string | null;
    fast: boolean;
  }>(
    db,
    sql`WITH visible AS MATERIALIZED (${visibleRows(board, bucket, sql``)}
      ), total AS (
        SELECT sum(GREATEST(points, 0)) AS t, max(points) AS m FROM visible
      ), scaled AS (
        SELECT t, s, t * s AS ts, mod(${poolUnits}::numeric, t * s) AS u,
          -- int8 holds u x p x s and rem x 4096 (rem < P x s)
          t * s < 2251799813685248 AND mod(${poolUnits}::numeric, t * s) * m * s < 9223372036854775807 AS fast
        FROM (SELECT t, m, power(10::numeric, scale(t)) AS s FROM total WHERE t > 0) x
      ), k AS (
        SELECT *, CASE WHEN fast THEN u::int8 END AS u8, CASE WHEN fast THEN ts::int8 END AS ts8 FROM scaled
      ), rems AS (
        SELECT v.user_id, v.points, v.reached_at,
          CASE WHEN k.fast THEN (k.u8 * (GREATEST(v.points, 0) * k.s)::int8) % k.ts8 END AS r8,
          CASE WHEN NOT k.fast THEN mod(k.u * GREATEST(v.points, 0) * k.s, k.ts) END AS rn
        FROM visible v, k
      ), split AS MATERIALIZED (
        SELECT rems.*, coalesce((r8 * 4096 / k.ts8)::int, div(rn * 4096, k.ts)::int) AS slice FROM rems, k
      ), hist AS (
        SELECT slice, count(*) AS n, coalesce(sum(r8), sum(rn)) AS r FROM split GROUP BY 1
      ), leftover AS (
        -- Units left over after everyone's floor share: the sum of the remainders over P.
        SELECT sum(r) / (SELECT ts FROM k) AS l FROM hist
      ), pick AS (
        SELECT slice, before FROM (
          SELECT slice, n, sum(n) OVER (ORDER BY slice DESC) - n AS before FROM hist
        ) c, leftover WHERE c.before < leftover.l AND c.before + c.n >= leftover.l
      ), last AS (
        SELECT points, reached_at, user_id FROM split
        WHERE slice = (SELECT slice FROM pick)
        ORDER BY r8 DESC, rn DESC, points DESC, reached_at, user_id
        OFFSET (SELECT (leftover.l - 1 - pick.before)::bigint FROM leftover, pick) LIMIT 1
      )
      SELECT k.t::text AS total, (${exact.rem})::text AS rem, last.points::text AS points,
        last.reached_at::text AS reached_at, last.user_id, k.fast
      FROM k, leftover LEFT JOIN last ON leftover.l > 0`,
  );
  if (!r) return null;
  const last =
    r.rem !== null && r.points !== null && r.reached_at !== null && r.user_id !== null
      ? { rem: r.rem, points: r.points, reachedAt: r.reached_at, userId: r.user_id }
      : null;
  return { total: r.total, last, arithmetic: r.fast ? "int8" : "numeric" };
}

/**
 * Shares (token units, `decimals` places) of a pool split given by its cut: floor(pool x p / P), plus
 * one unit for everyone up to and including the cut in remainder order. Of `userIds`, or of every
 * visible participant of the board bucket.
 */
export function poolSharesFor(
  db: Tx,
  board: string,
  bucket: SQL,
  poolUnits: string,
  decimals: number,
  cut: PoolCut,
  userIds: string[] | null,
) {
  const only = userIds ? sql`AND bt.user_id = ANY(${`{${userIds.join(",")}}`}::uuid[])` : sql``;
  const part = splitOf(poolUnits, sql`x.points`, sql`${cut.total}::numeric`);
  const last = cut.last;
  // Remainder order is (rem desc, points desc, reached_at, user_id): negating the descending keys
  // makes it one row comparison.
  const extra = last
    ? sql`CASE WHEN ROW(-${part.rem}, -x.points, x.reached_at, x.user_id)
          <= ROW(-${last.rem}::numeric, -${last.points}::numeric, ${last.reachedAt}::timestamptz, ${last.userId}::uuid)
          THEN 1 ELSE 0 END`
    : sql`0`;
  // One smallest unit in token units, written out: PostgreSQL's power(10::numeric, -18) is 0 (its
  // result keeps 16 decimals), which made every share of an 18-decimal token zero.
  const unit = decimals === 0 ? "1" : `0.${"0".repeat(decimals - 1)}1`;
  return rows<{ user_id: string; share: string }>(
    db,
    sql`SELECT x.user_id, round((${part.base} + ${extra}) * ${unit}::numeric, ${decimals}::int)::text AS share
        FROM (${visibleRows(board, bucket, only)}) x`,
  );
}

export interface ListedRankRow {
  user_id: string;
  username: string;
  excluded: boolean;
  points: string | null;
  contributions: number | null;
  listed_rank: number | null;
  listed: number;
}

/**
 * A participant (by id or username) with their total, their rank among everyone listed on the board
 * (hidden, banned and deleted participants included) and the listed count, in one round trip. The
 * caller takes the excluded participants out (see excludedTotals).
 */
export function listedRankLookup(
  db: Tx,
  board: string,
  bucket: SQL,
  user: { id?: string; username?: string },
) {
  const match = user.id ? sql`u.id = ${user.id}` : sql`lower(u.username) = lower(${user.username})`;
  return firstRow<ListedRankRow>(
    db,
    sql`SELECT u.id AS user_id, u.username, ${EXCLUDED("u")} AS excluded, bt.points::text AS points, bt.contributions,
          CASE WHEN bt.user_id IS NOT NULL THEN points_listed_rank(${board}::text, ${bucket}, bt.points) END AS listed_rank,
          points_listed_count(${board}::text, ${bucket}) AS listed
        FROM users u LEFT JOIN board_totals bt
          ON bt.board = ${board} AND bt.bucket = ${bucket} AND bt.user_id = u.id AND bt.contributions > 0
        WHERE ${match}`,
  );
}

/** Totals of the hidden, banned and deleted participants on a board bucket (few; partial index on users). */
export async function excludedTotals(db: Tx, board: string, bucket: SQL): Promise<string[]> {
  const r = await rows<{ points: string }>(
    db,
    sql`SELECT bt.points::text AS points FROM users u
        JOIN board_totals bt ON bt.board = ${board} AND bt.bucket = ${bucket} AND bt.user_id = u.id
        WHERE ${EXCLUDED("u")} AND bt.contributions > 0`,
  );
  return r.map((x) => x.points);
}

/** Ids of every hidden, banned or deleted participant. */
export async function excludedIds(db: Tx): Promise<string[]> {
  const r = await rows<{ id: string }>(db, sql`SELECT u.id FROM users u WHERE ${EXCLUDED("u")}`);
  return r.map((x) => x.id);
}
