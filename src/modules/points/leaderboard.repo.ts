// SQL of board reads: pages of the incremental totals, rank by points bands, custom date ranges.
import { type SQL, sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";
import { EXCLUDED } from "./participants.repo.ts";

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

const ORDER = sql`bt.points DESC, bt.reached_at, bt.user_id`;

/** One page of visible participants in board order; optional username/display-name search. */
export function boardPage(
  db: Tx,
  board: string,
  bucket: SQL,
  search: string | null,
  limit: number,
  offset: number,
) {
  const match = search
    ? sql`AND (u.username ILIKE ${`%${search}%`} OR u.display_name ILIKE ${`%${search}%`})`
    : sql``;
  return rows<BoardRow>(
    db,
    sql`SELECT bt.user_id, u.username, u.display_name, bt.points::text AS points, bt.contributions, bt.reached_at
        FROM board_totals bt JOIN users u ON u.id = bt.user_id
        WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")} ${match}
        ORDER BY ${ORDER} LIMIT ${limit} OFFSET ${offset}`,
  );
}

/** Rows after a keyset cursor, for exports and pool splits (board order). */
export function boardRowsAfter(
  db: Tx,
  board: string,
  bucket: SQL,
  after: { points: string; reachedAt: Date; userId: string } | null,
  limit: number,
) {
  const cursor = after
    ? sql`AND (bt.points < ${after.points}::numeric OR (bt.points = ${after.points}::numeric
          AND (bt.reached_at, bt.user_id) > (${after.reachedAt.toISOString()}::timestamptz, ${after.userId}::uuid)))`
    : sql``;
  return rows<BoardRow>(
    db,
    sql`SELECT bt.user_id, u.username, u.display_name, bt.points::text AS points, bt.contributions, bt.reached_at
        FROM board_totals bt JOIN users u ON u.id = bt.user_id
        WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")} ${cursor}
        ORDER BY ${ORDER} LIMIT ${limit}`,
  );
}

/**
 * Standard competition rank of a total: 1 + visible participants with more points. Uses the bands
 * histogram for everything above the total's band, an index range scan inside the band, and subtracts
 * hidden/banned/deleted participants above (few, found through a partial index on users).
 */
export async function rankOfPoints(db: Tx, board: string, bucket: SQL, points: string): Promise<number> {
  const p = sql`${points}::numeric`;
  const r = await firstRow<{ rank: number }>(
    db,
    sql`SELECT (1
        + coalesce((SELECT sum(participants) FROM board_bands
                    WHERE board = ${board} AND bucket = ${bucket} AND band > points_band(${p})), 0)
        + (SELECT count(*) FROM board_totals bt WHERE bt.board = ${board} AND bt.bucket = ${bucket} AND bt.contributions > 0
             AND bt.points > ${p} AND bt.points < points_band_upper(points_band(${p})))
        - (SELECT count(*) FROM users u JOIN board_totals bt ON bt.board = ${board} AND bt.bucket = ${bucket} AND bt.user_id = u.id
             WHERE ${EXCLUDED("u")} AND bt.contributions > 0 AND bt.points > ${p}))::int AS rank`,
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
            AND (u.username ILIKE ${`%${search}%`} OR u.display_name ILIKE ${`%${search}%`})`,
    );
    return r?.n ?? 0;
  }
  const r = await firstRow<{ n: number }>(
    db,
    sql`SELECT (coalesce((SELECT sum(participants) FROM board_bands WHERE board = ${board} AND bucket = ${bucket}), 0)
        - (SELECT count(*) FROM users u JOIN board_totals bt ON bt.board = ${board} AND bt.bucket = ${bucket} AND bt.user_id = u.id
           WHERE ${EXCLUDED("u")} AND bt.contributions > 0))::int AS n`,
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

export interface RangeFilter {
  from: Date;
  to: Date;
  categoryId?: string;
  campaignId?: string;
}

export interface RangeRow extends BoardRow {
  rank: number;
  total: number;
}

/**
 * A board over a custom contribution-date range, aggregated from contributions (covering index on
 * contribution_date). Ties are ordered by the earlier latest contribution in the range, then user id.
 */
export function rangePage(db: Tx, f: RangeFilter, search: string | null, limit: number, offset: number) {
  const conds: SQL[] = [
    sql`c.revoked_at IS NULL`,
    sql`c.contribution_date >= ${f.from.toISOString()}::timestamptz`,
    sql`c.contribution_date < ${f.to.toISOString()}::timestamptz`,
  ];
  if (f.categoryId) conds.push(sql`c.category_id = ${f.categoryId}`);
  if (f.campaignId) {
    conds.push(sql`EXISTS (SELECT 1 FROM campaigns cp WHERE cp.id = ${f.campaignId} AND cp.starts_at <= c.contribution_date
      AND cp.ends_at > c.contribution_date AND (cp.counts_all_types OR EXISTS (SELECT 1 FROM campaign_types ct
        WHERE ct.campaign_id = cp.id AND ct.contribution_type_id = c.contribution_type_id)))`);
  }
  const match = search
    ? sql`WHERE (username ILIKE ${`%${search}%`} OR display_name ILIKE ${`%${search}%`})`
    : sql``;
  return rows<RangeRow>(
    db,
    sql`WITH agg AS (
        SELECT c.user_id, sum(c.global_points) AS points, count(*)::int AS contributions, max(c.contribution_date) AS reached_at
        FROM contributions c WHERE ${sql.join(conds, sql` AND `)} GROUP BY c.user_id
      ), ranked AS (
        SELECT a.user_id, u.username, u.display_name, a.points, a.contributions, a.reached_at,
          rank() OVER (ORDER BY a.points DESC)::int AS rank,
          row_number() OVER (ORDER BY a.points DESC, a.reached_at, a.user_id) AS pos
        FROM agg a JOIN users u ON u.id = a.user_id WHERE NOT ${EXCLUDED("u")}
      ), matched AS (SELECT * FROM ranked ${match})
      SELECT user_id, username, display_name, points::text AS points, contributions, reached_at, rank,
        (SELECT count(*)::int FROM matched) AS total
      FROM matched ORDER BY pos LIMIT ${limit} OFFSET ${offset}`,
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
