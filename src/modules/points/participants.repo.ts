// Read-only SQL over the accounts module's users table (username -> id, visibility), plus profile reads.
import { sql } from "drizzle-orm";
import { containsPattern, firstRow, rows, type Tx } from "../../core/db/client.ts";
import { isUuid } from "../../core/ids.ts";
import { EXCLUDED } from "../accounts/visibility.ts";
import { ORDER } from "./leaderboard.repo.ts";

export interface ParticipantRow {
  id: string;
  username: string;
  display_name: string | null;
  hidden: boolean;
  banned_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
}

const cols = sql`id, username, display_name, hidden, banned_at, deleted_at, created_at`;

export function findByUsername(db: Tx, username: string) {
  return firstRow<ParticipantRow>(
    db,
    sql`SELECT ${cols} FROM users WHERE lower(username) = lower(${username})`,
  );
}

export function findById(db: Tx, id: string) {
  return firstRow<ParticipantRow>(db, sql`SELECT ${cols} FROM users WHERE id = ${id}`);
}

/** A participant named by id or by username, as the API's `user` parameters take them. */
export function findByRef(db: Tx, ref: string) {
  return isUuid(ref) ? findById(db, ref) : findByUsername(db, ref);
}

export interface ParticipantListRow {
  id: string;
  username: string;
  display_name: string | null;
  points: string | null;
  contributions: number | null;
  created_at: Date;
}

/**
 * Who the participants list shows: the global board's participants (visible, with at least one live
 * contribution), in the board's order, so the list, the board and the home page's count agree and a
 * page walks the board's rank index. A search matches their username or display name, and also finds
 * any visible account by its exact username (case-insensitive), so staff and newcomers without
 * points stay findable.
 */
const globalTotal = sql`bt.board = 'global' AND bt.bucket = 'all'`;

function searchWhere(search: string) {
  const pattern = containsPattern(search);
  return sql`NOT ${EXCLUDED("u")} AND (lower(u.username) = lower(${search})
    OR (bt.contributions > 0 AND (u.username ILIKE ${pattern} OR u.display_name ILIKE ${pattern})))`;
}

const searchFrom = sql`users u LEFT JOIN board_totals bt ON ${globalTotal} AND bt.user_id = u.id`;
const columns = sql`u.id, u.username, u.display_name, bt.points::text AS points, bt.contributions, u.created_at`;

/** Listed participants (see above) with their all-time global totals, best first. */
export function listParticipants(db: Tx, search: string | undefined, limit: number, offset: number) {
  return rows<ParticipantListRow>(
    db,
    search
      ? sql`SELECT ${columns} FROM ${searchFrom} WHERE ${searchWhere(search)}
          ORDER BY bt.points DESC NULLS LAST, bt.reached_at, u.id LIMIT ${limit} OFFSET ${offset}`
      : sql`SELECT ${columns} FROM board_totals bt JOIN users u ON u.id = bt.user_id
          WHERE ${globalTotal} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")}
          ORDER BY ${ORDER} LIMIT ${limit} OFFSET ${offset}`,
  );
}

/** How many participants the list holds; without a search, the global board's count (from its bands). */
export async function countParticipants(db: Tx, search: string | undefined): Promise<number> {
  const r = await firstRow<{ n: number }>(
    db,
    search
      ? sql`SELECT count(*)::int AS n FROM ${searchFrom} WHERE ${searchWhere(search)}`
      : sql`SELECT points_visible_count('global', 'all') AS n`,
  );
  return r?.n ?? 0;
}

/** Daily global points of one participant (by contribution date), for the points-over-time chart. */
export function dailyPoints(db: Tx, userId: string) {
  return rows<{ day: string; points: string; contributions: number }>(
    db,
    sql`SELECT to_char(contribution_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(global_points)::text AS points,
          count(*)::int AS contributions
        FROM contributions WHERE user_id = ${userId} AND revoked_at IS NULL GROUP BY 1 ORDER BY 1`,
  );
}

/**
 * Rank history from snapshots: the latest `perBoard` of each board and period, newest first. Limiting
 * per board keeps one busy board (daily snapshots of every category and campaign) from pushing the
 * global history out, and keeps each series to its own board's snapshots.
 */
export function rankHistory(db: Tx, userId: string, perBoard: number) {
  return rows<{
    snapshot_id: string;
    board: string;
    period: string;
    taken_at: Date;
    rank: number;
    points: string;
  }>(
    db,
    sql`SELECT snapshot_id, board, period, taken_at, rank, points FROM (
          SELECT s.id AS snapshot_id, s.board, s.period, s.taken_at, e.rank, e.points::text AS points,
            row_number() OVER (PARTITION BY s.board, s.period ORDER BY s.taken_at DESC, s.id) AS n
          FROM leaderboard_snapshot_entries e JOIN leaderboard_snapshots s ON s.id = e.snapshot_id
          WHERE e.user_id = ${userId}) h
        WHERE n <= ${perBoard} ORDER BY taken_at DESC, board, period, snapshot_id`,
  );
}

/** Which board buckets a participant has totals on (to list their ranks). */
export function boardsOfParticipant(db: Tx, userId: string, buckets: string[]) {
  return rows<{ board: string; bucket: string; points: string; contributions: number }>(
    db,
    sql`SELECT board, bucket, points::text AS points, contributions FROM board_totals
        WHERE user_id = ${userId} AND contributions > 0 AND bucket = ANY(string_to_array(${buckets.join(",")}, ','))
        ORDER BY board, bucket`,
  );
}

export interface StatsRow {
  participants: number;
  contributions: number;
  points: string;
}

/** Totals from the global all-time board (maintained incrementally), of participants the boards list. */
export async function globalTotals(db: Tx): Promise<StatsRow> {
  const r = await firstRow<StatsRow>(
    db,
    sql`SELECT count(*) FILTER (WHERE contributions > 0)::int AS participants, coalesce(sum(contributions), 0)::int AS contributions,
          coalesce(sum(points), 0)::text AS points FROM board_totals bt WHERE board = 'global' AND bucket = 'all'
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = bt.user_id AND ${EXCLUDED("u")})`,
  );
  return r ?? { participants: 0, contributions: 0, points: "0" };
}

/** Contributions and points per day over [from, to), of participants the boards list (like globalTotals). */
export function dailySeries(db: Tx, from: Date, to: Date) {
  return rows<{ day: string; contributions: number; points: string; participants: number }>(
    db,
    sql`SELECT to_char(contribution_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS contributions,
          sum(global_points)::text AS points, count(DISTINCT user_id)::int AS participants
        FROM contributions c WHERE revoked_at IS NULL AND contribution_date >= ${from.toISOString()}::timestamptz
          AND contribution_date < ${to.toISOString()}::timestamptz
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.user_id AND ${EXCLUDED("u")})
        GROUP BY 1 ORDER BY 1`,
  );
}
