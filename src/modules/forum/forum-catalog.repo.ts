// SQL of sites, ranks, signature designs and forum campaigns.
import { firstRow, rows, sql, type Tx } from "../../core/db/client.ts";

export interface SiteRow {
  id: string;
  name: string;
  base_url: string;
}

export interface RankRow {
  id: string;
  site_id: string;
  name: string;
  bonus_percent: string;
  allowed: boolean;
  sort_order: number;
}

export interface SignatureRow {
  id: string;
  site_id: string;
  name: string;
  code: string;
  image_url: string | null;
  allowed_ranks: string[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface CampaignRow {
  id: string;
  slug: string;
  name: string;
  site_id: string;
  starts_at: Date;
  ends_at: Date | null;
  pool_amount: string | null;
  pool_token: string | null;
  post_points: string;
  maturation_minutes: number;
  uptime_threshold_percent: string;
  scrape_interval_seconds: number;
  min_post_length: number | null;
  excluded_boards: string[];
  weekly_post_cap: number | null;
  week_reset_day: number;
  points_campaign_id: string | null;
  contribution_type_id: string | null;
  next_round_at: Date | null;
  last_round_at: Date | null;
  last_plan: unknown;
  created_at: Date;
  updated_at: Date;
}

export const listSites = (db: Tx) =>
  rows<SiteRow>(db, sql`SELECT id, name, base_url FROM forum_sites ORDER BY id`);
export const findSite = (db: Tx, id: string) =>
  firstRow<SiteRow>(db, sql`SELECT id, name, base_url FROM forum_sites WHERE id = ${id}`);

export const listRanks = (db: Tx, siteId: string) =>
  rows<RankRow>(db, sql`SELECT * FROM forum_ranks WHERE site_id = ${siteId} ORDER BY sort_order, name`);
/** A rank; `lock`: its row stays locked until the transaction ends (an edit reads what it replaces). */
export const findRank = (db: Tx, id: string, lock = false) =>
  firstRow<RankRow>(db, sql`SELECT * FROM forum_ranks WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`);
export const findRankByName = (db: Tx, siteId: string, name: string) =>
  firstRow<RankRow>(
    db,
    sql`SELECT * FROM forum_ranks WHERE site_id = ${siteId} AND lower(name) = lower(${name})`,
  );

/** Records a rank seen on the forum that nobody configured yet: not allowed, no bonus. */
export async function ensureRank(db: Tx, siteId: string, name: string): Promise<RankRow> {
  await db.execute(
    sql`INSERT INTO forum_ranks (site_id, name, allowed, bonus_percent, sort_order)
        VALUES (${siteId}, ${name}, false, 0, 100) ON CONFLICT DO NOTHING`,
  );
  return (await findRankByName(db, siteId, name)) as RankRow;
}

export async function updateRank(
  db: Tx,
  id: string,
  patch: { bonusPercent?: string; allowed?: boolean },
  at: Date,
) {
  return firstRow<RankRow>(
    db,
    sql`UPDATE forum_ranks SET
          bonus_percent = COALESCE(${patch.bonusPercent ?? null}::numeric, bonus_percent),
          allowed = COALESCE(${patch.allowed ?? null}::boolean, allowed),
          updated_at = ${at.toISOString()}
        WHERE id = ${id} RETURNING *`,
  );
}

export function listSignatures(db: Tx, f: { siteId?: string; rank?: string; activeOnly: boolean }) {
  return rows<SignatureRow>(
    db,
    sql`SELECT * FROM forum_signatures
        WHERE (${f.siteId ?? null}::text IS NULL OR site_id = ${f.siteId ?? null})
          AND (${f.rank ?? null}::text IS NULL OR EXISTS (
            SELECT 1 FROM unnest(allowed_ranks) r WHERE lower(r) = lower(${f.rank ?? null})))
          AND (${!f.activeOnly} OR active)
        ORDER BY created_at, name`,
  );
}
/** A signature design; `lock`: its row stays locked until the transaction ends. */
export const findSignature = (db: Tx, id: string, lock = false) =>
  firstRow<SignatureRow>(
    db,
    sql`SELECT * FROM forum_signatures WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`,
  );

export interface SignatureFields {
  siteId: string;
  name: string;
  code: string;
  imageUrl: string | null;
  allowedRanks: string[];
  active: boolean;
}

const textArray = (values: string[]) => sql`${JSON.stringify(values)}::jsonb`;
const toTextArray = (values: string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${textArray(values)}))::text[]`;

export function insertSignature(db: Tx, s: SignatureFields, at: Date) {
  return firstRow<SignatureRow>(
    db,
    sql`INSERT INTO forum_signatures (site_id, name, code, image_url, allowed_ranks, active, created_at, updated_at)
        VALUES (${s.siteId}, ${s.name}, ${s.code}, ${s.imageUrl}, ${toTextArray(s.allowedRanks)}, ${s.active},
          ${at.toISOString()}, ${at.toISOString()}) RETURNING *`,
  );
}

export function updateSignature(db: Tx, id: string, s: SignatureFields, at: Date) {
  return firstRow<SignatureRow>(
    db,
    sql`UPDATE forum_signatures SET name = ${s.name}, code = ${s.code}, image_url = ${s.imageUrl},
          allowed_ranks = ${toTextArray(s.allowedRanks)}, active = ${s.active}, updated_at = ${at.toISOString()}
        WHERE id = ${id} RETURNING *`,
  );
}

export async function deleteSignature(db: Tx, id: string): Promise<"deleted" | "in-use" | "missing"> {
  const used = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM forum_profiles WHERE signature_id = ${id}`,
  );
  if ((used?.n ?? 0) > 0) return "in-use";
  const r = await firstRow<{ id: string }>(
    db,
    sql`DELETE FROM forum_signatures WHERE id = ${id} RETURNING id`,
  );
  return r ? "deleted" : "missing";
}

const dateOrNull = (v: Date | string | null) => (v === null ? null : new Date(v));

/** Raw SQL hands timestamps back as strings on some drivers: campaign rows always carry Dates. */
export function campaignRow(r: CampaignRow): CampaignRow;
export function campaignRow(r: CampaignRow | null): CampaignRow | null;
export function campaignRow(r: CampaignRow | null): CampaignRow | null {
  if (!r) return null;
  return {
    ...r,
    starts_at: new Date(r.starts_at),
    ends_at: dateOrNull(r.ends_at),
    next_round_at: dateOrNull(r.next_round_at),
    last_round_at: dateOrNull(r.last_round_at),
    created_at: new Date(r.created_at),
    updated_at: new Date(r.updated_at),
  };
}

export const listCampaigns = async (db: Tx) =>
  (await rows<CampaignRow>(db, sql`SELECT * FROM forum_campaigns ORDER BY starts_at DESC, slug`)).map((r) =>
    campaignRow(r),
  );
export const findCampaignBySlug = async (db: Tx, slug: string) =>
  campaignRow(await firstRow<CampaignRow>(db, sql`SELECT * FROM forum_campaigns WHERE slug = ${slug}`));
export const findCampaignById = async (db: Tx, id: string) =>
  campaignRow(await firstRow<CampaignRow>(db, sql`SELECT * FROM forum_campaigns WHERE id = ${id}`));

/** The campaign running at `at` (latest start first), else the latest one. */
export const findCurrentCampaign = async (db: Tx, at: Date) =>
  campaignRow(
    await firstRow<CampaignRow>(
      db,
      sql`SELECT * FROM forum_campaigns
        ORDER BY (starts_at <= ${at.toISOString()} AND (ends_at IS NULL OR ends_at > ${at.toISOString()})) DESC,
          starts_at DESC LIMIT 1`,
    ),
  );

export interface CampaignFields {
  slug: string;
  name: string;
  siteId: string;
  startsAt: Date;
  endsAt: Date | null;
  poolAmount: string | null;
  poolToken: string | null;
  postPoints: string;
  maturationMinutes: number;
  uptimeThresholdPercent: string;
  scrapeIntervalSeconds: number;
  minPostLength: number | null;
  excludedBoards: string[];
  weeklyPostCap: number | null;
  weekResetDay: number;
}

export async function insertCampaign(db: Tx, c: CampaignFields, at: Date) {
  return campaignRow(
    await firstRow<CampaignRow>(
      db,
      sql`INSERT INTO forum_campaigns (slug, name, site_id, starts_at, ends_at, pool_amount, pool_token, post_points,
          maturation_minutes, uptime_threshold_percent, scrape_interval_seconds, min_post_length, excluded_boards,
          weekly_post_cap, week_reset_day, next_round_at, created_at, updated_at)
        VALUES (${c.slug}, ${c.name}, ${c.siteId}, ${c.startsAt.toISOString()}, ${c.endsAt?.toISOString() ?? null},
          ${c.poolAmount}, ${c.poolToken}, ${c.postPoints}, ${c.maturationMinutes}, ${c.uptimeThresholdPercent},
          ${c.scrapeIntervalSeconds}, ${c.minPostLength}, ${toTextArray(c.excludedBoards)}, ${c.weeklyPostCap},
          ${c.weekResetDay}, ${at.toISOString()}, ${at.toISOString()}, ${at.toISOString()})
        ON CONFLICT (slug) DO NOTHING RETURNING *`,
    ),
  );
}

export async function updateCampaign(db: Tx, id: string, c: CampaignFields, at: Date) {
  return campaignRow(
    await firstRow<CampaignRow>(
      db,
      sql`UPDATE forum_campaigns SET name = ${c.name}, starts_at = ${c.startsAt.toISOString()},
          ends_at = ${c.endsAt?.toISOString() ?? null}, pool_amount = ${c.poolAmount}, pool_token = ${c.poolToken},
          post_points = ${c.postPoints}, maturation_minutes = ${c.maturationMinutes},
          uptime_threshold_percent = ${c.uptimeThresholdPercent}, scrape_interval_seconds = ${c.scrapeIntervalSeconds},
          min_post_length = ${c.minPostLength}, excluded_boards = ${toTextArray(c.excludedBoards)},
          weekly_post_cap = ${c.weeklyPostCap}, week_reset_day = ${c.weekResetDay}, updated_at = ${at.toISOString()}
        WHERE id = ${id} RETURNING *`,
    ),
  );
}

/** Removes a campaign row that was just created and has nothing attached yet (undoing a failed create). */
export async function deleteNewCampaign(db: Tx, id: string) {
  await db.execute(sql`DELETE FROM forum_campaigns WHERE id = ${id}`);
}

export async function linkPointsCampaign(
  db: Tx,
  id: string,
  pointsCampaignId: string | null,
  typeId: string | null,
) {
  await db.execute(
    sql`UPDATE forum_campaigns SET points_campaign_id = ${pointsCampaignId}, contribution_type_id = ${typeId}
        WHERE id = ${id}`,
  );
}
