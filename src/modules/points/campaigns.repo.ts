// SQL of campaigns and their contribution types; backfills a new campaign's board from the ledger.
import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

export interface CampaignRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  starts_at: Date;
  ends_at: Date;
  pool_amount: string | null;
  pool_token: string | null;
  pool_decimals: number | null;
  counts_all_types: boolean;
  created_at: Date;
  type_ids: string[] | null;
}

const select = sql`SELECT c.id, c.slug, c.name, c.description, c.starts_at, c.ends_at, c.pool_amount::text AS pool_amount,
    c.pool_token, c.pool_decimals, c.counts_all_types, c.created_at,
    (SELECT array_agg(ct.contribution_type_id::text ORDER BY ct.contribution_type_id) FROM campaign_types ct WHERE ct.campaign_id = c.id) AS type_ids
  FROM campaigns c`;

export function listCampaigns(db: Tx) {
  return rows<CampaignRow>(db, sql`${select} ORDER BY c.starts_at DESC, c.slug`);
}

export function findCampaignBySlug(db: Tx, slug: string) {
  return firstRow<CampaignRow>(db, sql`${select} WHERE c.slug = ${slug}`);
}

export interface CampaignInsert {
  slug: string;
  name: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  pool: { amount: string; token: string; decimals: number } | null;
  typeIds: string[];
  by: string;
  at: Date;
}

/** Inserts the campaign and its types; null when the slug is taken. */
export async function insertCampaign(db: Tx, c: CampaignInsert): Promise<string | null> {
  const r = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO campaigns (slug, name, description, starts_at, ends_at, pool_amount, pool_token, pool_decimals,
          counts_all_types, created_at, created_by)
        VALUES (${c.slug}, ${c.name}, ${c.description}, ${c.startsAt.toISOString()}, ${c.endsAt.toISOString()},
          ${c.pool?.amount ?? null}::numeric, ${c.pool?.token ?? null}, ${c.pool?.decimals ?? null}, ${c.typeIds.length === 0},
          ${c.at.toISOString()}, ${c.by})
        ON CONFLICT (slug) DO NOTHING RETURNING id`,
  );
  if (!r) return null;
  for (const typeId of c.typeIds) {
    await db.execute(
      sql`INSERT INTO campaign_types (campaign_id, contribution_type_id) VALUES (${r.id}, ${typeId})`,
    );
  }
  return r.id;
}

export async function countExistingTypes(db: Tx, ids: string[]): Promise<number> {
  const r = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM contribution_types WHERE id = ANY(string_to_array(${ids.join(",")}, ',')::uuid[])`,
  );
  return r?.n ?? 0;
}

/** Fills a new campaign's board buckets and bands from the ledger of contributions it covers. */
export async function backfillCampaignBoard(db: Tx, campaignId: string): Promise<void> {
  const board = `campaign:${campaignId}`;
  await db.execute(sql`INSERT INTO board_totals (board, bucket, user_id, points, contributions, reached_at)
    SELECT ${board}, b.bucket, e.user_id, sum(e.global_delta), sum(e.count_delta)::int, max(e.created_at)
    FROM ledger_entries e JOIN contributions c ON c.id = e.contribution_id
    JOIN campaigns k ON k.id = ${campaignId} AND k.starts_at <= c.contribution_date AND k.ends_at > c.contribution_date
    CROSS JOIN LATERAL (VALUES ('all'), (points_period_key('week', c.contribution_date)),
      (points_period_key('month', c.contribution_date))) AS b(bucket)
    WHERE k.counts_all_types OR EXISTS (SELECT 1 FROM campaign_types ct WHERE ct.campaign_id = k.id
      AND ct.contribution_type_id = c.contribution_type_id)
    GROUP BY b.bucket, e.user_id`);
  await db.execute(sql`INSERT INTO board_bands (board, bucket, band, participants)
    SELECT board, bucket, points_band(points), count(*)::int FROM board_totals
    WHERE board = ${board} AND contributions > 0 GROUP BY 1, 2, 3`);
}
