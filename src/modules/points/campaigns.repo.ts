// SQL of campaigns and their contribution types (boards are rebuilt by ledger.repo rebuildCampaignBoard).
import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

export interface CampaignRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  starts_at: Date;
  /** Null: open-ended. */
  ends_at: Date | null;
  pool_amount: string | null;
  pool_token: string | null;
  pool_decimals: number | null;
  counts_all_types: boolean;
  created_at: Date;
  managed_by: string | null;
  type_ids: string[] | null;
}

const select = sql`SELECT c.id, c.slug, c.name, c.description, c.starts_at, c.ends_at, c.pool_amount::text AS pool_amount,
    c.pool_token, c.pool_decimals, c.counts_all_types, c.created_at, c.managed_by,
    (SELECT array_agg(ct.contribution_type_id::text ORDER BY ct.contribution_type_id) FROM campaign_types ct WHERE ct.campaign_id = c.id) AS type_ids
  FROM campaigns c`;

export function listCampaigns(db: Tx) {
  return rows<CampaignRow>(db, sql`${select} ORDER BY c.starts_at DESC, c.slug`);
}

export function findCampaignBySlug(db: Tx, slug: string, forUpdate = false) {
  return firstRow<CampaignRow>(
    db,
    sql`${select} WHERE c.slug = ${slug}${forUpdate ? sql` FOR UPDATE OF c` : sql``}`,
  );
}

export function findCampaignById(db: Tx, id: string) {
  return firstRow<CampaignRow>(db, sql`${select} WHERE c.id = ${id}`);
}

export interface CampaignFields {
  name: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date | null;
  pool: { amount: string; token: string; decimals: number } | null;
  /** Empty: every type counts. */
  typeIds: string[];
}

export interface CampaignInsert extends CampaignFields {
  slug: string;
  by: string;
  at: Date;
  managedBy: string | null;
}

/** Inserts the campaign and its types; null when the slug is taken. */
export async function insertCampaign(db: Tx, c: CampaignInsert): Promise<string | null> {
  const r = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO campaigns (slug, name, description, starts_at, ends_at, pool_amount, pool_token, pool_decimals,
          counts_all_types, created_at, created_by, managed_by)
        VALUES (${c.slug}, ${c.name}, ${c.description}, ${c.startsAt.toISOString()}, ${c.endsAt?.toISOString() ?? null},
          ${c.pool?.amount ?? null}::numeric, ${c.pool?.token ?? null}, ${c.pool?.decimals ?? null}, ${c.typeIds.length === 0},
          ${c.at.toISOString()}, ${c.by}, ${c.managedBy})
        ON CONFLICT (slug) DO NOTHING RETURNING id`,
  );
  if (!r) return null;
  await insertTypes(db, r.id, c.typeIds);
  return r.id;
}

async function insertTypes(db: Tx, campaignId: string, typeIds: string[]): Promise<void> {
  for (const typeId of typeIds) {
    await db.execute(
      sql`INSERT INTO campaign_types (campaign_id, contribution_type_id) VALUES (${campaignId}, ${typeId})`,
    );
  }
}

/** Replaces a campaign's fields and counted types (the slug never changes). */
export async function updateCampaign(db: Tx, id: string, c: CampaignFields): Promise<void> {
  await db.execute(
    sql`UPDATE campaigns SET name = ${c.name}, description = ${c.description}, starts_at = ${c.startsAt.toISOString()},
          ends_at = ${c.endsAt?.toISOString() ?? null}, pool_amount = ${c.pool?.amount ?? null}::numeric,
          pool_token = ${c.pool?.token ?? null}, pool_decimals = ${c.pool?.decimals ?? null},
          counts_all_types = ${c.typeIds.length === 0}
        WHERE id = ${id}`,
  );
  await db.execute(sql`DELETE FROM campaign_types WHERE campaign_id = ${id}`);
  await insertTypes(db, id, c.typeIds);
}

export async function countExistingTypes(db: Tx, ids: string[]): Promise<number> {
  const r = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM contribution_types WHERE id = ANY(string_to_array(${ids.join(",")}, ',')::uuid[])`,
  );
  return r?.n ?? 0;
}
