// SQL of the append-only ledger and of the totals derived from it.
//
// Totals live in board_totals, one row per (board, period bucket, participant); week and month
// buckets only while points_bucket_kept (the current and the previous period, migration 0010). board_bands counts
// the participants of each board bucket per points band (see leaderboard.service.ts for why), with
// writers appending their band moves to board_band_deltas for the folder (migration 0007).
// Both are changed by applyTotals in the same transaction as the ledger entry, and recomputed
// from the ledger alone by expectedTotalsSql (verify/rebuild, and one campaign's board when it is edited).
import { type SQL, sql } from "drizzle-orm";
import { rows, type Tx } from "../../core/db/client.ts";
import { campaignCovers } from "./campaigns.coverage.ts";

export type LedgerKind = "award" | "correction" | "revocation";

export interface LedgerInsert {
  contributionId: string;
  userId: string;
  kind: LedgerKind;
  pointsDelta: number;
  globalDelta: string;
  countDelta: number;
  actorId: string | null;
  reason: string | null;
  at: Date;
}

export interface LedgerRow {
  id: string;
  contribution_id: string;
  user_id: string;
  username: string;
  kind: LedgerKind;
  points_delta: number;
  global_delta: string;
  count_delta: number;
  actor_id: string | null;
  actor_username: string | null;
  reason: string | null;
  created_at: Date;
  type_slug: string;
  type_name: string;
}

/** SQL values of one ledger entry, to embed in a statement that also writes the contribution. */
export function ledgerValues(e: Omit<LedgerInsert, "contributionId">, contributionId: SQL): SQL {
  return sql`(${contributionId}::uuid, ${e.userId}::uuid, ${e.kind}::text, ${e.pointsDelta}::int, ${e.globalDelta}::numeric,
    ${e.countDelta}::int, ${e.actorId}::uuid, ${e.reason}::text, ${e.at.toISOString()}::timestamptz)`;
}

export const LEDGER_COLUMNS = sql`(contribution_id, user_id, kind, points_delta, global_delta, count_delta, actor_id, reason, created_at)`;

export async function insertLedgerEntry(db: Tx, e: LedgerInsert): Promise<void> {
  await db.execute(
    sql`INSERT INTO ledger_entries ${LEDGER_COLUMNS} VALUES ${ledgerValues(e, sql`${e.contributionId}`)}`,
  );
}

/** Internal board keys a contribution counts on: global, its category, and the campaigns covering it. */
function boardsOf(categoryId: SQL, typeId: SQL, date: SQL): SQL {
  return sql`SELECT 'global'::text AS board
    UNION ALL SELECT 'category:' || ${categoryId}::text
    UNION ALL SELECT 'campaign:' || c.id::text FROM campaigns c WHERE ${campaignCovers("c", typeId, date)}`;
}

export interface TotalsDelta {
  userId: string;
  categoryId: string;
  typeId: string;
  contributionDate: Date;
  globalDelta: string;
  countDelta: number;
  at: Date;
}

/**
 * CTEs `up`, `moves`, `bands` that add a CTE named `deltas` (board, bucket, user_id, delta numeric,
 * count_delta int, at timestamptz; at most one row per board/bucket/user) to board_totals and move
 * the participants between points bands. The old total is derived as new - delta (xmax = 0 tells an
 * insert from an update), so concurrent writers to one participant need no extra lock; rows are
 * upserted in key order so concurrent statements cannot deadlock. Used by every writer of totals.
 */
export const totalsCtes = sql`, up AS (
    INSERT INTO board_totals (board, bucket, user_id, points, contributions, reached_at)
    SELECT board, bucket, user_id, delta, count_delta, at FROM deltas ORDER BY board, bucket, user_id
    ON CONFLICT (board, bucket, user_id) DO UPDATE SET
      points = board_totals.points + EXCLUDED.points,
      contributions = board_totals.contributions + EXCLUDED.contributions,
      reached_at = GREATEST(board_totals.reached_at, EXCLUDED.reached_at)
    RETURNING board, bucket, user_id, points, contributions, (xmax = 0) AS inserted
  ), moves AS (
    SELECT up.board, up.bucket, points_band(up.points - d.delta) AS band, -1 AS d
      FROM up JOIN deltas d ON d.board = up.board AND d.bucket = up.bucket AND d.user_id = up.user_id
      WHERE NOT up.inserted AND up.contributions - d.count_delta > 0
    UNION ALL
    SELECT board, bucket, points_band(points), 1 FROM up WHERE contributions > 0
  ), bands AS (
    INSERT INTO board_band_deltas (board, bucket, band, participants)
    SELECT board, bucket, band, sum(d)::int FROM moves GROUP BY board, bucket, band HAVING sum(d) <> 0
  )`;

/** Adds one ledger entry's effect to every board bucket it touches (see totalsCtes). Returns the board keys. */
export async function applyTotals(db: Tx, d: TotalsDelta): Promise<string[]> {
  const date = sql`${d.contributionDate.toISOString()}::timestamptz`;
  const r = await rows<{ board: string }>(
    db,
    sql`WITH deltas AS (
        SELECT b.board, points_period_key(p.period, ${date}) AS bucket, ${d.userId}::uuid AS user_id,
          ${d.globalDelta}::numeric AS delta, ${d.countDelta}::int AS count_delta, ${d.at.toISOString()}::timestamptz AS at
        FROM (${boardsOf(sql`${d.categoryId}`, sql`${d.typeId}`, date)}) b
        CROSS JOIN (VALUES ('all'), ('week'), ('month')) AS p(period)
        CROSS JOIN points_kept_cuts(${d.at.toISOString()}::timestamptz) k
        WHERE points_bucket_kept(points_period_key(p.period, ${date}), k.week, k.month)
      ) ${totalsCtes}
      SELECT DISTINCT board FROM up`,
  );
  return r.map((x) => x.board);
}

/**
 * Every board total as the ledger says it should be at instant `now`: (board, bucket, user_id,
 * points, contributions, reached_at), week and month buckets only where points_kept_from keeps them.
 * Entries are grouped by participant, category and period start (older entries by participant and
 * category alone) in one pass over the ledger, and by campaign in a second pass over the entries a
 * campaign covers; keys are made from the few period starts after grouping. With `campaignId`, only
 * that campaign's board (rebuilt alone when its window or counted types change).
 */
export function expectedTotalsSql(now: Date, campaignId: string | null = null): SQL {
  const periods = sql`CASE WHEN c.contribution_date >= cut.week THEN points_period_start('week', c.contribution_date) END AS week,
      CASE WHEN c.contribution_date >= cut.month THEN points_period_start('month', c.contribution_date) END AS month`;
  const sums = sql`sum(l.global_delta) AS points, sum(l.count_delta)::int AS contributions, max(l.created_at) AS reached_at`;
  const entries = sql`ledger_entries l JOIN contributions c ON c.id = l.contribution_id CROSS JOIN cut`;
  const base = campaignId
    ? sql``
    : sql`, base AS (
    SELECT l.user_id, c.category_id, ${periods}, ${sums}
    FROM ${entries} GROUP BY 1, 2, 3, 4
  )`;
  const baseBoards = campaignId
    ? sql``
    : sql`SELECT user_id, 'global' AS board, week, month, points, contributions, reached_at FROM base
    UNION ALL SELECT user_id, 'category:' || category_id::text, week, month, points, contributions, reached_at FROM base
    UNION ALL `;
  const onlyCampaign = campaignId ? sql`k.id = ${campaignId}::uuid AND ` : sql``;
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql`
  WITH cut AS MATERIALIZED (
    SELECT points_kept_from('week', ${at}) AS week, points_kept_from('month', ${at}) AS month
  )${base}, campaign_base AS (
    SELECT l.user_id, 'campaign:' || k.id::text AS board, ${periods}, ${sums}
    FROM ${entries} JOIN campaigns k ON ${onlyCampaign}${campaignCovers("k", sql`c.contribution_type_id`, sql`c.contribution_date`)}
    GROUP BY 1, 2, 3, 4
  ), by_board AS (
    ${baseBoards}SELECT user_id, board, week, month, points, contributions, reached_at FROM campaign_base
  ), expanded AS (
    SELECT board, 'all' AS bucket, user_id, points, contributions, reached_at FROM by_board
    UNION ALL SELECT board, points_period_key('week', week), user_id, points, contributions, reached_at
      FROM by_board WHERE week IS NOT NULL
    UNION ALL SELECT board, points_period_key('month', month), user_id, points, contributions, reached_at
      FROM by_board WHERE month IS NOT NULL
  )
  SELECT board, bucket, user_id, sum(points) AS points, sum(contributions)::int AS contributions, max(reached_at) AS reached_at
  FROM expanded GROUP BY board, bucket, user_id`;
}

export interface Difference {
  what: string;
  board: string | null;
  bucket: string | null;
  userId: string | null;
  expected: string | null;
  actual: string | null;
}

/**
 * Differences between live totals/bands/contributions and what the ledger implies at `now` (at most
 * `limit`). Buckets no longer kept at `now` are left out on both sides (the worker prunes them).
 */
export async function findDifferences(
  db: Tx,
  limit: number,
  now: Date,
): Promise<{ count: number; sample: Difference[] }> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const r = await rows<Difference & { n: number }>(
    db,
    sql`WITH expected AS (${expectedTotalsSql(now)}),
      cuts AS MATERIALIZED (SELECT * FROM points_kept_cuts(${at})),
      live AS (SELECT bt.* FROM board_totals bt, cuts WHERE points_bucket_kept(bt.bucket, cuts.week, cuts.month)),
      total_diffs AS (
        SELECT 'total' AS what, coalesce(e.board, a.board) AS board, coalesce(e.bucket, a.bucket) AS bucket,
          coalesce(e.user_id, a.user_id)::text AS "userId",
          CASE WHEN e.board IS NULL THEN NULL ELSE e.points::text || ' pts, ' || e.contributions || ' contributions, ' || e.reached_at::text END AS expected,
          CASE WHEN a.board IS NULL THEN NULL ELSE a.points::text || ' pts, ' || a.contributions || ' contributions, ' || a.reached_at::text END AS actual
        FROM expected e FULL JOIN live a ON a.board = e.board AND a.bucket = e.bucket AND a.user_id = e.user_id
        WHERE e.board IS NULL OR a.board IS NULL OR e.points <> a.points OR e.contributions <> a.contributions
          OR e.reached_at <> a.reached_at
      ), expected_bands AS (
        SELECT board, bucket, points_band(points) AS band, count(*)::int AS participants
        -- From board_totals itself, not the live CTE: its statistics make this a hash aggregation
        -- of ~16k groups instead of a sort of every total (8.1 -> 4.4 s at 1.57M totals).
        FROM board_totals bt, cuts WHERE bt.contributions > 0 AND points_bucket_kept(bt.bucket, cuts.week, cuts.month)
        GROUP BY 1, 2, 3
      ), band_diffs AS (
        SELECT 'band' AS what, coalesce(e.board, a.board) AS board, coalesce(e.bucket, a.bucket) AS bucket, NULL::text AS "userId",
          coalesce(e.participants, 0)::text AS expected, coalesce(a.participants, 0)::text AS actual
        FROM expected_bands e FULL JOIN (
          SELECT board, bucket, band, sum(participants) AS participants FROM (
            SELECT board, bucket, band, participants FROM board_bands
            UNION ALL SELECT board, bucket, band, participants FROM board_band_deltas
          ) both_parts, cuts WHERE points_bucket_kept(bucket, cuts.week, cuts.month) GROUP BY 1, 2, 3
        ) a ON a.board = e.board AND a.bucket = e.bucket AND a.band = e.band
        WHERE coalesce(e.participants, 0) <> coalesce(a.participants, 0)
      ), contribution_gaps AS (
        -- Ledger sums minus live values per contribution, in one hash aggregation (a join of the
        -- contributions with the ledger grouped by contribution took ~1.8x as long at 2M).
        SELECT id FROM (
          SELECT contribution_id AS id, points_delta AS points, global_delta AS global FROM ledger_entries
          UNION ALL SELECT id, -points, -global_points FROM contributions WHERE revoked_at IS NULL
        ) x GROUP BY id HAVING sum(points) <> 0 OR sum(global) <> 0
      ), contribution_diffs AS (
        SELECT 'contribution' AS what, NULL::text AS board, NULL::text AS bucket, c.user_id::text AS "userId",
          coalesce(l.points, 0)::text || ' / ' || coalesce(l.global, 0)::text AS expected,
          CASE WHEN c.revoked_at IS NULL THEN c.points::text || ' / ' || c.global_points::text
            ELSE '0 / 0' END || ' (' || g.id::text || ')' AS actual
        FROM contribution_gaps g LEFT JOIN contributions c ON c.id = g.id
          LEFT JOIN LATERAL (
            SELECT sum(points_delta) AS points, sum(global_delta) AS global FROM ledger_entries WHERE contribution_id = g.id
          ) l ON true
      ), all_diffs AS (
        SELECT * FROM total_diffs UNION ALL SELECT * FROM band_diffs UNION ALL SELECT * FROM contribution_diffs
      )
      SELECT *, (SELECT count(*)::int FROM all_diffs) AS n FROM all_diffs ORDER BY what, board, bucket, "userId" LIMIT ${limit}`,
  );
  return { count: r[0]?.n ?? 0, sample: r.map(({ n: _n, ...d }) => d) };
}

/** Counts board_bands rows again from board_totals (all boards, or one). Returns the rows written. */
async function insertBands(db: Tx, board: string | null): Promise<number> {
  const only = board === null ? sql`` : sql`AND board = ${board}`;
  const r = await rows<{ n: number }>(
    db,
    sql`WITH ins AS (INSERT INTO board_bands (board, bucket, band, participants)
        SELECT board, bucket, points_band(points), count(*)::int FROM board_totals WHERE contributions > 0 ${only}
        GROUP BY 1, 2, 3 RETURNING 1) SELECT count(*)::int AS n FROM ins`,
  );
  return r[0]?.n ?? 0;
}

/**
 * Replaces every total and band with what the ledger implies at `now` (so it also prunes buckets no
 * longer kept). Run inside a transaction holding
 * lockTotalsSql. The totals go into a new table whose indexes are built after the load, which then
 * replaces board_totals (same name, columns, index and constraint names): loading 10M totals through
 * live indexes took 539 s here, the load plus index builds ~100 s. Readers keep reading the old
 * table until the swap at the end; writers already wait on the lock.
 */
export async function rebuildTotals(db: Tx, now: Date): Promise<{ totals: number; bands: number }> {
  await db.execute(sql`DELETE FROM board_bands`);
  await db.execute(sql`DELETE FROM board_band_deltas`);
  await db.execute(sql`DROP TABLE IF EXISTS board_totals_next`);
  await db.execute(
    sql`CREATE TABLE board_totals_next (LIKE board_totals INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
  );
  const t = await rows<{ n: number }>(
    db,
    sql`WITH ins AS (INSERT INTO board_totals_next (board, bucket, user_id, points, contributions, reached_at)
        SELECT * FROM (${expectedTotalsSql(now)}) e ORDER BY board, bucket, user_id RETURNING 1)
        SELECT count(*)::int AS n FROM ins`,
  );
  await db.execute(
    sql`ALTER TABLE board_totals_next ADD CONSTRAINT board_totals_next_pkey PRIMARY KEY (board, bucket, user_id)`,
  );
  await db.execute(sql`CREATE INDEX board_totals_next_rank_idx ON board_totals_next
    USING btree (board, bucket, points DESC, reached_at, user_id) WHERE contributions > 0`);
  await db.execute(sql`DROP TABLE board_totals`);
  await db.execute(sql`ALTER TABLE board_totals_next RENAME TO board_totals`);
  await db.execute(
    sql`ALTER TABLE board_totals RENAME CONSTRAINT board_totals_next_pkey TO board_totals_pkey`,
  );
  await db.execute(sql`ALTER INDEX board_totals_next_rank_idx RENAME TO board_totals_rank_idx`);
  await db.execute(sql`ANALYZE board_totals`);
  return { totals: t[0]?.n ?? 0, bands: await insertBands(db, null) };
}

/**
 * Replaces one campaign's board totals and bands with what the ledger implies at `now` under its
 * current window and types. Run inside a transaction holding lockTotalsSql, so no award lands in between.
 */
export async function rebuildCampaignBoard(db: Tx, campaignId: string, now: Date): Promise<void> {
  const board = `campaign:${campaignId}`;
  await db.execute(sql`DELETE FROM board_bands WHERE board = ${board}`);
  await db.execute(sql`DELETE FROM board_band_deltas WHERE board = ${board}`);
  await db.execute(sql`DELETE FROM board_totals WHERE board = ${board}`);
  await db.execute(sql`INSERT INTO board_totals (board, bucket, user_id, points, contributions, reached_at)
    SELECT * FROM (${expectedTotalsSql(now, campaignId)}) e`);
  await insertBands(db, board);
}

/** Ledger entries, newest first, with optional filters. */
export function listLedger(
  db: Tx,
  f: { userId?: string; contributionId?: string; limit: number; offset: number },
): Promise<LedgerRow[]> {
  const conds: SQL[] = [sql`TRUE`];
  if (f.userId) conds.push(sql`l.user_id = ${f.userId}`);
  if (f.contributionId) conds.push(sql`l.contribution_id = ${f.contributionId}`);
  return rows<LedgerRow>(
    db,
    sql`SELECT l.id::text AS id, l.contribution_id, l.user_id, u.username, l.kind, l.points_delta, l.global_delta::text AS global_delta,
          l.count_delta, l.actor_id, a.username AS actor_username, l.reason, l.created_at, t.slug AS type_slug, t.name AS type_name
        FROM ledger_entries l JOIN users u ON u.id = l.user_id LEFT JOIN users a ON a.id = l.actor_id
          JOIN contributions c ON c.id = l.contribution_id JOIN contribution_types t ON t.id = c.contribution_type_id
        WHERE ${sql.join(conds, sql` AND `)} ORDER BY l.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
}

export async function countLedger(db: Tx, f: { userId?: string; contributionId?: string }): Promise<number> {
  const conds: SQL[] = [sql`TRUE`];
  if (f.userId) conds.push(sql`l.user_id = ${f.userId}`);
  if (f.contributionId) conds.push(sql`l.contribution_id = ${f.contributionId}`);
  const r = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM ledger_entries l WHERE ${sql.join(conds, sql` AND `)}`,
  );
  return r[0]?.n ?? 0;
}

/**
 * Deletes the week and month totals, bands and band deltas no longer kept at `now`
 * (points_prune_buckets, migration 0010); returns the totals deleted. Run inside a transaction.
 * The function deletes deltas, bands, then totals: against the lock order (totals -> deltas ->
 * bands) in which campaign edits and rebuilds lock all three (lockTotalsSql), so an edit landing
 * between those deletes deadlocked with it. Taking the totals lock first keeps the order.
 */
export async function pruneBuckets(db: Tx, now: string): Promise<number> {
  await db.execute(sql`LOCK TABLE board_totals IN ROW EXCLUSIVE MODE`);
  const r = await rows<{ n: number }>(db, sql`SELECT points_prune_buckets(${now}::timestamptz) AS n`);
  return r[0]?.n ?? 0;
}

/**
 * Blocks concurrent writers of totals and the band folder for the rest of the transaction. Tables
 * are locked in the order awards (totals, then deltas) and the folder (deltas, then bands) take
 * them, so none of them can deadlock with this.
 */
export const lockTotalsSql = sql`LOCK TABLE board_totals, board_band_deltas, board_bands IN EXCLUSIVE MODE`;

/**
 * Turns PostgreSQL's JIT off for the rest of the transaction: these big analytic statements get high
 * cost estimates and JIT compilation then takes seconds on tiny data (seen: 11 s for a 6-row verify).
 */
export const noJitSql = sql`SET LOCAL jit = off`;
