// SQL of contributions: award inserts (with their ledger entry), lookups, filtered lists.
import { type SQL, sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";
import { EXCLUDED } from "../accounts/visibility.ts";
import { campaignCovers } from "./campaigns.coverage.ts";
import { multiplierAt } from "./catalog.repo.ts";

export interface ContributionRow {
  id: string;
  user_id: string;
  username: string;
  display_name: string | null;
  contribution_type_id: string;
  type_slug: string;
  type_name: string;
  category_id: string;
  category_slug: string;
  points: number;
  multiplier_at_creation: string;
  global_points: string;
  contribution_date: Date;
  evidence: Array<{ url: string; description?: string }>;
  notes: string | null;
  source: string;
  source_ref: string | null;
  awarded_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  /** The participant is on the boards (not hidden, banned or deleted). */
  user_listed: boolean;
}

export interface AwardTypeRow {
  id: string;
  category_id: string;
  min_points: number;
  max_points: number;
  is_active: boolean;
  cap_total: number | null;
  cap_per_participant_week: number | null;
  multiplier: string | null;
}

/** The type with the multiplier that applies on `date` (a correction checks its points range with it). */
export async function typeForAward(db: Tx, typeId: string, date: Date): Promise<AwardTypeRow | null> {
  return firstRow<AwardTypeRow>(
    db,
    sql`SELECT t.id, t.category_id, t.min_points, t.max_points, t.is_active, t.cap_total, t.cap_per_participant_week,
          ${multiplierAt(sql`t.id`, sql`${date.toISOString()}::timestamptz`)}::text AS multiplier
        FROM contribution_types t WHERE t.id = ${typeId}`,
  );
}

const contributionSelect = sql`SELECT c.id, c.user_id, u.username, u.display_name, c.contribution_type_id, t.slug AS type_slug,
    t.name AS type_name, c.category_id, k.slug AS category_slug, c.points, c.multiplier_at_creation::text AS multiplier_at_creation,
    c.global_points::text AS global_points, c.contribution_date, c.evidence, c.notes, c.source, c.source_ref, c.awarded_by,
    c.created_at, c.revoked_at, c.revoked_by, c.revoke_reason, NOT ${EXCLUDED("u")} AS user_listed
  FROM contributions c JOIN users u ON u.id = c.user_id JOIN contribution_types t ON t.id = c.contribution_type_id
  JOIN contribution_categories k ON k.id = c.category_id`;

export function findContribution(db: Tx, id: string, lock = false) {
  return firstRow<ContributionRow>(
    db,
    sql`${contributionSelect} WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`,
  );
}

/** An award's origin: where it comes from (forum post, submission...); awarded at most once (migration 0012). */
export interface Origin {
  source: string;
  sourceRef: string;
}

/** Map key of an origin. */
export const originKey = (o: Origin) => `${o.source}\u0000${o.sourceRef}`;

/** The contributions awarded for these origins, revoked or not, by originKey. */
export async function findByOrigins(db: Tx, origins: Origin[]): Promise<Map<string, ContributionRow>> {
  if (origins.length === 0) return new Map();
  const found = await rows<ContributionRow>(
    db,
    sql`${contributionSelect}
      JOIN jsonb_to_recordset(${JSON.stringify(origins)}::jsonb) AS o(source text, "sourceRef" text)
        ON c.source = o.source AND c.source_ref = o."sourceRef"`,
  );
  return new Map(found.map((r) => [originKey({ source: r.source, sourceRef: r.source_ref ?? "" }), r]));
}

/**
 * Empties the evidence and notes of a deleted account's contributions: links to their work elsewhere
 * (a pull request, a forum post) and notes about them are personal data. Points, dates, types and
 * the ledger stay, so totals and verify are unchanged.
 */
export async function forgetContributionDetails(db: Tx, userId: string): Promise<void> {
  await db.execute(
    sql`UPDATE contributions SET evidence = '[]'::jsonb, notes = NULL
        WHERE user_id = ${userId} AND (evidence <> '[]'::jsonb OR notes IS NOT NULL)`,
  );
}

export async function markRevoked(db: Tx, id: string, by: string, reason: string, at: Date): Promise<void> {
  await db.execute(sql`UPDATE contributions SET revoked_at = ${at.toISOString()}, revoked_by = ${by}, revoke_reason = ${reason}
    WHERE id = ${id}`);
}

export async function setPoints(db: Tx, id: string, points: number, globalPoints: string): Promise<void> {
  await db.execute(
    sql`UPDATE contributions SET points = ${points}, global_points = ${globalPoints}::numeric WHERE id = ${id}`,
  );
}

export interface ContributionFilter {
  userId?: string;
  typeId?: string;
  categoryId?: string;
  campaignId?: string;
  from?: Date;
  to?: Date;
  includeRevoked?: boolean;
  /** Leave out contributions of hidden, banned or deleted participants. */
  visibleOnly?: boolean;
}

function where(f: ContributionFilter): SQL {
  const conds: SQL[] = [sql`TRUE`];
  if (f.userId) conds.push(sql`c.user_id = ${f.userId}`);
  if (f.typeId) conds.push(sql`c.contribution_type_id = ${f.typeId}`);
  if (f.categoryId) conds.push(sql`c.category_id = ${f.categoryId}`);
  if (f.campaignId) {
    conds.push(sql`EXISTS (SELECT 1 FROM campaigns cp WHERE cp.id = ${f.campaignId}
      AND ${campaignCovers("cp", sql`c.contribution_type_id`, sql`c.contribution_date`)})`);
  }
  if (f.from) conds.push(sql`c.contribution_date >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) conds.push(sql`c.contribution_date < ${f.to.toISOString()}::timestamptz`);
  if (!f.includeRevoked) conds.push(sql`c.revoked_at IS NULL`);
  if (f.visibleOnly) conds.push(sql`NOT ${EXCLUDED("u")}`);
  return sql.join(conds, sql` AND `);
}

export function listContributions(db: Tx, f: ContributionFilter, limit: number, offset: number) {
  return rows<ContributionRow>(
    db,
    sql`${contributionSelect} WHERE ${where(f)} ORDER BY c.contribution_date DESC, c.id DESC LIMIT ${limit} OFFSET ${offset}`,
  );
}

/**
 * Keyset page for exports: rows strictly before contribution `beforeId` in the listing order (date,
 * id). The date is read back from that row, so it keeps its full precision.
 */
export function contributionsBefore(db: Tx, f: ContributionFilter, beforeId: string | null, limit: number) {
  const cursor = beforeId
    ? sql`AND (c.contribution_date, c.id) <
          ((SELECT contribution_date FROM contributions WHERE id = ${beforeId}::uuid), ${beforeId}::uuid)`
    : sql``;
  return rows<ContributionRow>(
    db,
    sql`${contributionSelect} WHERE ${where(f)} ${cursor} ORDER BY c.contribution_date DESC, c.id DESC LIMIT ${limit}`,
  );
}

export async function countContributions(db: Tx, f: ContributionFilter): Promise<number> {
  const r = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM contributions c JOIN users u ON u.id = c.user_id WHERE ${where(f)}`,
  );
  return r?.n ?? 0;
}
