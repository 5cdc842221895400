// SQL of awards, single and bulk: one lookup of everything the rules need, and one statement that
// writes contributions, ledger entries, every board total and band at once.
import { type SQL, sql } from "drizzle-orm";
import { rows, type Tx } from "../../core/db/client.ts";
import { EXCLUDED } from "../accounts/visibility.ts";
import { campaignCovers } from "./campaigns.coverage.ts";
import { multiplierAt } from "./catalog.repo.ts";
import { totalsCtes } from "./ledger.repo.ts";

/** The participant and the type (with the multiplier that applies on the contribution's date) of one award. */
export interface AwardContextRow {
  user_id: string | null;
  username: string;
  display_name: string | null;
  user_deleted_at: Date | null;
  /** The participant is on the boards (not hidden, banned or deleted); null for an unknown one. */
  user_listed: boolean | null;
  type_id: string | null;
  category_id: string;
  type_slug: string;
  type_name: string;
  category_slug: string;
  min_points: number;
  max_points: number;
  is_active: boolean;
  cap_total: number | null;
  cap_per_participant_week: number | null;
  multiplier: string | null;
}

const contextColumns = sql`u.id AS user_id, u.username, u.display_name, u.deleted_at AS user_deleted_at,
  NOT ${EXCLUDED("u")} AS user_listed,
  t.id AS type_id, t.category_id, t.slug AS type_slug, t.name AS type_name, k.slug AS category_slug,
  t.min_points, t.max_points, t.is_active, t.cap_total, t.cap_per_participant_week`;

export interface BatchProbe {
  ord: number;
  userId: string | null;
  username: string | null;
  typeId: string;
  date: string;
}

/**
 * Everything the rules of many awards need, in one round trip, by input position (`ord`); null
 * columns when a participant or type is unknown. The participant is found by id, or else by
 * username (case-insensitive), each through its own index.
 */
export function batchContext(db: Tx, probes: BatchProbe[]) {
  return rows<AwardContextRow & { ord: number }>(db, batchContextSql(probes));
}

/** The statement of batchContext; its text is the same for any probes. */
export function batchContextSql(probes: BatchProbe[]): SQL {
  return sql`SELECT x.ord, ${contextColumns}, ${multiplierAt(sql`t.id`, sql`x.date`)}::text AS multiplier
        FROM jsonb_to_recordset(${JSON.stringify(probes)}::jsonb)
          AS x(ord int, "userId" uuid, username text, "typeId" uuid, date timestamptz)
        LEFT JOIN LATERAL (
          SELECT * FROM users WHERE id = x."userId"
          UNION ALL SELECT * FROM users WHERE x."userId" IS NULL AND lower(username) = lower(x.username)
        ) u ON true
        LEFT JOIN contribution_types t ON t.id = x."typeId"
        LEFT JOIN contribution_categories k ON k.id = t.category_id
        ORDER BY x.ord`;
}

/**
 * Locks capped types (in id order) so concurrent awards of them serialise on the cap check. NO KEY
 * UPDATE, not UPDATE: inserting rows that reference the type (contributions, a campaign edit's
 * campaign_types, which holds the totals meanwhile) takes KEY SHARE on it, which FOR UPDATE blocks,
 * so an award holding the type and waiting on the totals deadlocked with such an edit.
 */
export async function lockTypes(db: Tx, typeIds: string[]): Promise<void> {
  await db.execute(
    sql`SELECT id FROM contribution_types WHERE id = ANY(string_to_array(${typeIds.join(",")}, ',')::uuid[])
        ORDER BY id FOR NO KEY UPDATE`,
  );
}

export interface CapProbe {
  ord: number;
  userId: string;
  typeId: string;
  date: string;
}

/**
 * Live base points per award's type (all participants) and per its participant's UTC week; week key
 * too. Sums in int8: a type can pass 2^31 base points before a cap is set on it (an int4 sum then
 * failed every award of the type); read back as numbers, exact below 2^53.
 */
export async function capUsage(db: Tx, probes: CapProbe[]) {
  const r = await rows<{ ord: number; week_key: string; total: number | string; week: number | string }>(
    db,
    sql`SELECT x.ord, points_period_key('week', x.date) AS week_key,
          (SELECT coalesce(sum(points), 0)::int8 FROM contributions
            WHERE contribution_type_id = x."typeId" AND revoked_at IS NULL) AS total,
          (SELECT coalesce(sum(points), 0)::int8 FROM contributions
            WHERE contribution_type_id = x."typeId" AND user_id = x."userId" AND revoked_at IS NULL
              AND contribution_date >= date_trunc('week', x.date AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
              AND contribution_date < (date_trunc('week', x.date AT TIME ZONE 'UTC') + interval '7 days') AT TIME ZONE 'UTC') AS week
        FROM jsonb_to_recordset(${JSON.stringify(probes)}::jsonb) AS x(ord int, "userId" uuid, "typeId" uuid, date timestamptz)
        ORDER BY x.ord`,
  );
  return r.map((u) => ({ ...u, total: Number(u.total), week: Number(u.week) }));
}

/** One contribution to write; multiplier and globalPoints are exact decimal strings computed by the rules. */
export interface AwardRow {
  ord: number;
  /** Chosen by the caller (randomUUID) so results map back to inputs without guessing. */
  id: string;
  userId: string;
  typeId: string;
  categoryId: string;
  points: number;
  multiplier: string;
  globalPoints: string;
  date: string;
  evidence: Array<{ url: string; description?: string }>;
  notes: string | null;
  source: string;
  sourceRef: string | null;
  /** Who awarded it (null: the system) and when; per row, so one statement can carry many callers' awards. */
  by: string | null;
  at: string;
}

export interface WrittenAward {
  ord: number;
  id: string;
  username: string;
  created_at: Date;
  evidence: Array<{ url: string; description?: string }>;
  /** Public names of the boards the award counts on. */
  boards: string[];
}

/**
 * Writes awards in ONE statement: contributions, their award ledger entries, the summed deltas on
 * every board bucket (global, category, covering campaigns x all/week/month; week and month
 * buckets only while points_bucket_kept) and bands. A single
 * statement is atomic on its own, so uncapped awards need no explicit transaction, and the awards of
 * many concurrent callers can share one statement (see the award batcher in awards.service.ts). Other
 * processes hear of awards from the points events (after commit, see points-events.ts).
 */
export function insertAwards(db: Tx, awards: AwardRow[]): Promise<WrittenAward[]> {
  return rows<WrittenAward>(db, insertAwardsSql(awards));
}

/**
 * The written row of each award in input order, null where the award's origin was already awarded
 * (insertAwards skips those; ords are positions in `awards`).
 */
export function byInput(awards: AwardRow[], written: WrittenAward[]): Array<WrittenAward | null> {
  const byOrd = new Map(written.map((w) => [w.ord, w]));
  return awards.map((_, ord) => byOrd.get(ord) ?? null);
}

/** The statement of insertAwards; its text is the same for any awards (they travel as one JSON parameter). */
export function insertAwardsSql(awards: AwardRow[]): SQL {
  return sql`WITH x AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(awards)}::jsonb) AS x(ord int, id uuid, "userId" uuid, "typeId" uuid,
          "categoryId" uuid, points int, multiplier numeric, "globalPoints" numeric, date timestamptz, evidence jsonb,
          notes text, source text, "sourceRef" text, by uuid, at timestamptz)
      ), cuts AS MATERIALIZED (
        -- Buckets kept at the batch's latest time (computed once: a function scan per key row cost
        -- ~9 calls per award). A bucket that ages out between two awards of one batch is skipped
        -- for both; verify, at a later time, leaves it out too.
        -- (Laterally from a column: with a sub-select argument the function is not inlined.)
        SELECT k.* FROM (SELECT max(at) AS at FROM x) m CROSS JOIN LATERAL points_kept_cuts(m.at) k
      ), c AS (
        INSERT INTO contributions (id, user_id, contribution_type_id, category_id, points, multiplier_at_creation, global_points,
          contribution_date, evidence, notes, source, source_ref, awarded_by, created_at)
        SELECT id, "userId", "typeId", "categoryId", points, multiplier, "globalPoints", date, coalesce(evidence, '[]'::jsonb),
          notes, source, "sourceRef", by, at
        FROM x ORDER BY ord
        -- An origin already awarded (or named twice in this batch) writes nothing: no ledger entry,
        -- no totals; the caller answers with the contribution already there (findByOrigins).
        ON CONFLICT (source, source_ref) WHERE source_ref IS NOT NULL DO NOTHING
        RETURNING id, user_id, contribution_type_id, category_id, points, global_points, contribution_date, evidence, created_at
      ), l AS (
        INSERT INTO ledger_entries (contribution_id, user_id, kind, points_delta, global_delta, count_delta, actor_id, reason, created_at)
        SELECT c.id, c.user_id, 'award', c.points, c.global_points, 1, x.by, NULL, c.created_at
        FROM c JOIN x ON x.id = c.id ORDER BY x.ord
      ), keys AS (
        SELECT c.id AS cid, c.user_id, c.global_points, c.created_at, b.board, b.name, points_period_key(p.period, c.contribution_date) AS bucket
        FROM c CROSS JOIN LATERAL (
          SELECT 'global'::text AS board, 'global'::text AS name
          UNION ALL SELECT 'category:' || k.id::text, 'category:' || k.slug FROM contribution_categories k WHERE k.id = c.category_id
          UNION ALL SELECT 'campaign:' || cp.id::text, 'campaign:' || cp.slug FROM campaigns cp
            WHERE ${campaignCovers("cp", sql`c.contribution_type_id`, sql`c.contribution_date`)}
        ) b CROSS JOIN (VALUES ('all'), ('week'), ('month')) AS p(period)
      ), deltas AS (
        SELECT board, bucket, user_id, sum(global_points) AS delta, count(*)::int AS count_delta, max(created_at) AS at
        FROM keys, cuts WHERE points_bucket_kept(bucket, cuts.week, cuts.month) GROUP BY board, bucket, user_id
      ) ${totalsCtes}, ev AS (
        SELECT cid, array_agg(DISTINCT name ORDER BY name) AS boards FROM keys GROUP BY cid
      )
      SELECT x.ord, c.id, u.username, c.created_at, c.evidence, ev.boards
      FROM c JOIN x ON x.id = c.id JOIN ev ON ev.cid = c.id JOIN users u ON u.id = c.user_id
      ORDER BY x.ord`;
}
