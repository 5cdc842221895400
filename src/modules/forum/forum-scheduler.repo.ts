// SQL of scrape rounds: candidates, round claiming, coverage.
import { firstRow, rows, sql, type Tx } from "../../core/db/client.ts";
import { type CampaignRow, campaignRow } from "./forum-catalog.repo.ts";

export interface CandidateRow {
  id: string;
  pending: number;
  next_matures_at: Date | null;
  last_attempt_at: Date | null;
}

/**
 * Verified profiles of a campaign to plan a round over. Profiles of deleted Merit accounts are left
 * out: nobody can be credited for them, and checking them would only cost the forum requests.
 */
export const listCandidates = (db: Tx, campaignId: string) =>
  rows<CandidateRow>(
    db,
    sql`SELECT p.id, p.last_attempt_at, count(fp.id)::int AS pending, min(fp.matures_at) AS next_matures_at
        FROM forum_profiles p
        JOIN users u ON u.id = p.user_id AND u.deleted_at IS NULL
        LEFT JOIN forum_posts fp ON fp.profile_id = p.id AND fp.status = 'pending'
        WHERE p.campaign_id = ${campaignId} AND p.status = 'verified'
        GROUP BY p.id`,
  );

/**
 * Campaigns to keep checking at `at`: started, and not past their end plus one maturation period and
 * an hour; past that, for up to a week more while posts of verified profiles are still pending (an
 * outage over the end must not strand them; a member whose forum account is gone must not keep an
 * ended campaign checked forever).
 */
export const listLiveCampaigns = async (db: Tx, at: Date) =>
  (
    await rows<CampaignRow>(
      db,
      sql`SELECT * FROM forum_campaigns c WHERE starts_at <= ${at.toISOString()}
        AND (ends_at IS NULL OR ends_at + make_interval(mins => maturation_minutes + 60) > ${at.toISOString()}
          OR (ends_at + make_interval(mins => maturation_minutes, days => 7) > ${at.toISOString()}
            AND EXISTS (SELECT 1 FROM forum_posts fp JOIN forum_profiles p ON p.id = fp.profile_id
              JOIN users u ON u.id = p.user_id AND u.deleted_at IS NULL
              WHERE fp.campaign_id = c.id AND fp.status = 'pending' AND p.status = 'verified')))
        ORDER BY starts_at`,
    )
  ).map((r) => campaignRow(r));

/** Claims the campaign's round due at `at`; only one worker (any process) gets it. */
export const claimRound = async (db: Tx, campaignId: string, at: Date) =>
  campaignRow(
    await firstRow<CampaignRow>(
      db,
      sql`UPDATE forum_campaigns SET last_round_at = ${at.toISOString()},
          next_round_at = ${at.toISOString()}::timestamptz + make_interval(secs => scrape_interval_seconds)
        WHERE id = ${campaignId} AND (next_round_at IS NULL OR next_round_at <= ${at.toISOString()})
        RETURNING *`,
    ),
  );

export async function storePlan(db: Tx, campaignId: string, plan: unknown): Promise<void> {
  await db.execute(
    sql`UPDATE forum_campaigns SET last_plan = ${JSON.stringify(plan)}::jsonb WHERE id = ${campaignId}`,
  );
}

export interface CoverageRow {
  id: string;
  forum_username: string;
  forum_user_id: number;
  status: string;
  checks: number;
  last_success_at: Date | null;
  last_attempt_at: Date | null;
  last_outcome: string | null;
  max_gap_seconds: number;
  pending: number;
}

export const coverageRows = (db: Tx, campaignId: string) =>
  rows<CoverageRow>(
    db,
    sql`SELECT p.id, p.forum_username, p.forum_user_id, p.status, p.checks, p.last_success_at, p.last_attempt_at,
          p.last_outcome, p.max_gap_seconds,
          (SELECT count(*)::int FROM forum_posts fp WHERE fp.profile_id = p.id AND fp.status = 'pending') AS pending
        FROM forum_profiles p WHERE p.campaign_id = ${campaignId} ORDER BY p.forum_username`,
  );
