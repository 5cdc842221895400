// SQL of the daily post series: tracked posts grouped by the UTC day they were written.
import { rows, sql, type Tx } from "../../core/db/client.ts";

export interface DailyRow {
  day: string;
  found: number;
  pending: number;
  credited: number;
  uncredited: number;
  credited_points: string;
  pending_points: string;
}

/** Posts of one profile or one campaign written in [from, to), per UTC day (days without posts absent). */
export function dailyRows(db: Tx, of: { profileId: string } | { campaignId: string }, from: Date, to: Date) {
  const owner =
    "profileId" in of ? sql`fp.profile_id = ${of.profileId}` : sql`fp.campaign_id = ${of.campaignId}`;
  return rows<DailyRow>(
    db,
    sql`SELECT to_char(fp.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
          count(*)::int AS found,
          count(*) FILTER (WHERE fp.status = 'pending')::int AS pending,
          count(*) FILTER (WHERE fp.status = 'credited')::int AS credited,
          count(*) FILTER (WHERE fp.status = 'uncredited')::int AS uncredited,
          COALESCE(sum(fp.points) FILTER (WHERE fp.status = 'credited'), 0)::text AS credited_points,
          COALESCE(sum(fp.points) FILTER (WHERE fp.status = 'pending'), 0)::text AS pending_points
        FROM forum_posts fp
        WHERE ${owner} AND fp.posted_at >= ${from.toISOString()} AND fp.posted_at < ${to.toISOString()}
        GROUP BY 1`,
  );
}
