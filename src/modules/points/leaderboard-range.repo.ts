// SQL of custom-range boards: totals aggregated from the contributions dated inside the range (no
// incremental totals exist for arbitrary ranges), a page of such a board, and one participant on it.
import { type SQL, sql } from "drizzle-orm";
import { containsPattern, firstRow, rows, type Tx } from "../../core/db/client.ts";
import { EXCLUDED } from "../accounts/visibility.ts";
import { campaignCovers } from "./campaigns.coverage.ts";
import type { BoardRow } from "./leaderboard.repo.ts";

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

/** Totals per participant over a custom range (the rows a range board ranks). */
function rangeTotals(f: RangeFilter): SQL {
  const conds: SQL[] = [
    sql`c.revoked_at IS NULL`,
    sql`c.contribution_date >= ${f.from.toISOString()}::timestamptz`,
    sql`c.contribution_date < ${f.to.toISOString()}::timestamptz`,
  ];
  if (f.categoryId) conds.push(sql`c.category_id = ${f.categoryId}`);
  if (f.campaignId) {
    conds.push(sql`EXISTS (SELECT 1 FROM campaigns cp WHERE cp.id = ${f.campaignId}
      AND ${campaignCovers("cp", sql`c.contribution_type_id`, sql`c.contribution_date`)})`);
  }
  return sql`SELECT c.user_id, sum(c.global_points) AS points, count(*)::int AS contributions, max(c.contribution_date) AS reached_at
        FROM contributions c WHERE ${sql.join(conds, sql` AND `)} GROUP BY c.user_id`;
}

/**
 * One participant on a custom-range board: their points and contributions in the range (also when
 * hidden), the participants listed, and their rank among them (1 + those listed with more points;
 * null when hidden, banned, deleted or without points in the range).
 */
export async function rangeRank(db: Tx, f: RangeFilter, userId: string) {
  const r = await firstRow<{
    points: string | null;
    contributions: number | null;
    total: number;
    above: number;
  }>(
    db,
    sql`WITH agg AS MATERIALIZED (${rangeTotals(f)}),
        visible AS MATERIALIZED (SELECT * FROM agg a WHERE a.user_id NOT IN (SELECT u.id FROM users u WHERE ${EXCLUDED("u")})),
        mine AS (SELECT points, contributions FROM agg WHERE user_id = ${userId})
      SELECT (SELECT points::text FROM mine) AS points, (SELECT contributions FROM mine) AS contributions,
        (SELECT count(*)::int FROM visible) AS total,
        (SELECT count(*)::int FROM visible v WHERE v.points > (SELECT points FROM mine)) AS above`,
  );
  return r!;
}

/**
 * A board over a custom contribution-date range, aggregated from contributions (covering index on
 * contribution_date). Ties are ordered by the earlier latest contribution in the range, then user id.
 */
export function rangePage(db: Tx, f: RangeFilter, search: string | null, limit: number, offset: number) {
  const agg = rangeTotals(f);
  if (!search) {
    // Without a search, only the page is sorted (top-N) and joined to users; the excluded few are
    // taken out by an anti-join on their partial index. Ranks: a row tied with the page's first row
    // shares its rank, 1 + the participants with more points; any other row's rank is its offset
    // plus its rank inside the page (every row above it on the board has more points).
    return rows<RangeRow>(
      db,
      sql`WITH visible AS MATERIALIZED (
          SELECT * FROM (${agg}) a WHERE a.user_id NOT IN (SELECT u.id FROM users u WHERE ${EXCLUDED("u")})
        ), page AS (
          SELECT * FROM visible ORDER BY points DESC, reached_at, user_id LIMIT ${limit} OFFSET ${offset}
        ), first AS (SELECT max(points) AS points FROM page)
        SELECT p.user_id, u.username, u.display_name, p.points::text AS points, p.contributions, p.reached_at,
          CASE WHEN p.points = (SELECT points FROM first)
            THEN 1 + (SELECT count(*) FROM visible v WHERE v.points > (SELECT points FROM first))
            ELSE ${offset} + rank() OVER (ORDER BY p.points DESC) END::int AS rank,
          (SELECT count(*)::int FROM visible) AS total
        FROM page p JOIN users u ON u.id = p.user_id
        ORDER BY p.points DESC, p.reached_at, p.user_id`,
    );
  }
  const match = sql`WHERE (username ILIKE ${containsPattern(search)} OR display_name ILIKE ${containsPattern(search)})`;
  return rows<RangeRow>(
    db,
    sql`WITH agg AS (${agg}), ranked AS (
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
