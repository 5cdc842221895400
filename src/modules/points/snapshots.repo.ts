// SQL of leaderboard snapshots: a frozen copy of a board bucket with ranks, kept forever.
import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";
import { EXCLUDED } from "../accounts/visibility.ts";

export interface SnapshotRow {
  id: string;
  board: string;
  period: string;
  bucket: string | null;
  label: string | null;
  trigger: string;
  slot: string | null;
  taken_at: Date;
  total: number;
  pool_amount: string | null;
  pool_token: string | null;
  pool_decimals: number | null;
}

export interface SnapshotInsert {
  board: string;
  boardKey: string;
  period: "all" | "week" | "month";
  label: string | null;
  trigger: "manual" | "daily" | "weekly";
  slot: string | null;
  at: Date;
  /** The instant whose period bucket is frozen (a weekly run freezes the week that ends at its slot). */
  bucketAt?: Date;
  by: string | null;
}

/** Freezes a board bucket; null when this scheduled slot was already taken (another worker, a retry). */
export async function insertSnapshot(db: Tx, s: SnapshotInsert): Promise<string | null> {
  const bucketAt = (s.bucketAt ?? s.at).toISOString();
  const bucket = sql`points_period_key(${s.period}::text, ${bucketAt}::timestamptz)`;
  const r = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO leaderboard_snapshots (board, period, bucket, label, trigger, slot, taken_at, taken_by, total)
        VALUES (${s.board}, ${s.period}, ${bucket}, ${s.label}, ${s.trigger}, ${s.slot}, ${s.at.toISOString()}, ${s.by}, 0)
        ON CONFLICT (trigger, slot, board, period) DO NOTHING RETURNING id`,
  );
  if (!r) return null;
  const n = await firstRow<{ n: number }>(
    db,
    sql`WITH ins AS (
        INSERT INTO leaderboard_snapshot_entries (snapshot_id, position, rank, user_id, username, display_name, points, contributions)
        SELECT ${r.id}::uuid, row_number() OVER (ORDER BY bt.points DESC, bt.reached_at, bt.user_id),
          rank() OVER (ORDER BY bt.points DESC), bt.user_id, u.username, u.display_name, bt.points, bt.contributions
        FROM board_totals bt JOIN users u ON u.id = bt.user_id
        WHERE bt.board = ${s.boardKey} AND bt.bucket = ${bucket} AND bt.contributions > 0 AND NOT ${EXCLUDED("u")}
        RETURNING 1
      ) SELECT count(*)::int AS n FROM ins`,
  );
  await db.execute(sql`UPDATE leaderboard_snapshots SET total = ${n?.n ?? 0} WHERE id = ${r.id}`);
  return r.id;
}

/** One entry of a snapshot written from a list (insertSnapshotOf), in board order. */
export interface GivenEntry {
  rank: number;
  userId: string;
  username: string;
  displayName: string | null;
  points: string;
  contributions: number;
}

/**
 * Writes a snapshot whose entries the caller ranked (the demo's history, from the custom-range board
 * as of each past slot); null when that slot was taken already. Positions follow the list's order.
 */
export async function insertSnapshotOf(
  db: Tx,
  s: SnapshotInsert,
  entries: GivenEntry[],
): Promise<string | null> {
  const bucket = sql`points_period_key(${s.period}::text, ${(s.bucketAt ?? s.at).toISOString()}::timestamptz)`;
  const r = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO leaderboard_snapshots (board, period, bucket, label, trigger, slot, taken_at, taken_by, total)
        VALUES (${s.board}, ${s.period}, ${bucket}, ${s.label}, ${s.trigger}, ${s.slot}, ${s.at.toISOString()}, ${s.by}, ${entries.length})
        ON CONFLICT (trigger, slot, board, period) DO NOTHING RETURNING id`,
  );
  if (!r || entries.length === 0) return r?.id ?? null;
  await db.execute(sql`INSERT INTO leaderboard_snapshot_entries
      (snapshot_id, position, rank, user_id, username, display_name, points, contributions)
    SELECT ${r.id}::uuid, e.position, e.rank, e."userId", e.username, e."displayName", e.points, e.contributions
    FROM jsonb_to_recordset(${JSON.stringify(entries.map((e, i) => ({ ...e, position: i + 1 })))}::jsonb)
      AS e(position int, rank int, "userId" uuid, username text, "displayName" text, points numeric, contributions int)`);
  return r.id;
}

/** Freezes a campaign board's pool and the estimated shares of it (token units by user id) beside a snapshot's entries. */
export async function setSnapshotShares(
  db: Tx,
  id: string,
  pool: { amount: string; token: string; decimals: number },
  shares: Map<string, string>,
): Promise<void> {
  await db.execute(
    sql`UPDATE leaderboard_snapshots SET pool_amount = ${pool.amount}::numeric, pool_token = ${pool.token},
          pool_decimals = ${pool.decimals} WHERE id = ${id}`,
  );
  if (shares.size === 0) return;
  await db.execute(
    sql`UPDATE leaderboard_snapshot_entries e SET share = s.share::numeric
        FROM jsonb_each_text(${JSON.stringify(Object.fromEntries(shares))}::jsonb) AS s(user_id, share)
        WHERE e.snapshot_id = ${id} AND e.user_id = s.user_id::uuid`,
  );
}

const cols = sql`id, board, period, bucket, label, trigger, slot, taken_at, total, pool_amount::text AS pool_amount,
  pool_token, pool_decimals`;

export function listSnapshots(db: Tx, board: string | null, limit: number, offset: number) {
  const where = board ? sql`WHERE board = ${board}` : sql``;
  return rows<SnapshotRow>(
    db,
    sql`SELECT ${cols} FROM leaderboard_snapshots ${where} ORDER BY taken_at DESC, id LIMIT ${limit} OFFSET ${offset}`,
  );
}

export async function countSnapshots(db: Tx, board: string | null): Promise<number> {
  const where = board ? sql`WHERE board = ${board}` : sql``;
  const r = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM leaderboard_snapshots ${where}`,
  );
  return r?.n ?? 0;
}

export function findSnapshot(db: Tx, id: string) {
  return firstRow<SnapshotRow>(db, sql`SELECT ${cols} FROM leaderboard_snapshots WHERE id = ${id}`);
}

export function snapshotEntries(db: Tx, id: string, limit: number, offset: number) {
  return rows<{
    rank: number;
    user_id: string;
    username: string;
    display_name: string | null;
    points: string;
    contributions: number;
    share: string | null;
  }>(
    db,
    sql`SELECT rank, user_id, username, display_name, points::text AS points, contributions, share::text AS share
        FROM leaderboard_snapshot_entries
        WHERE snapshot_id = ${id} ORDER BY position LIMIT ${limit} OFFSET ${offset}`,
  );
}

export interface SnapshotRunRow {
  run_key: string;
  trigger: string;
  due_at: Date;
  finished_at: Date | null;
}

export function findRun(db: Tx, runKey: string) {
  return firstRow<SnapshotRunRow>(
    db,
    sql`SELECT run_key, trigger, due_at, finished_at FROM leaderboard_snapshot_runs WHERE run_key = ${runKey}`,
  );
}

/** Records that a run started; a retried or concurrent run finds the row already there. */
export async function startRun(db: Tx, r: { runKey: string; trigger: string; dueAt: Date; at: Date }) {
  await db.execute(
    sql`INSERT INTO leaderboard_snapshot_runs (run_key, trigger, due_at, started_at)
        VALUES (${r.runKey}, ${r.trigger}, ${r.dueAt.toISOString()}, ${r.at.toISOString()})
        ON CONFLICT (run_key) DO NOTHING`,
  );
}

/** Marks a run finished with the number of snapshots it holds (slot = its due minute). */
export async function finishRun(db: Tx, r: { runKey: string; trigger: string; slot: string; at: Date }) {
  await db.execute(
    sql`UPDATE leaderboard_snapshot_runs SET finished_at = ${r.at.toISOString()},
          snapshots = (SELECT count(*)::int FROM leaderboard_snapshots WHERE trigger = ${r.trigger} AND slot = ${r.slot})
        WHERE run_key = ${r.runKey}`,
  );
}

/** The latest run of a trigger (finished or not), if any. */
export function latestRun(db: Tx, trigger: string) {
  return firstRow<{ due_at: Date; started_at: Date; finished_at: Date | null }>(
    db,
    sql`SELECT due_at, started_at, finished_at FROM leaderboard_snapshot_runs WHERE trigger = ${trigger}
        ORDER BY due_at DESC LIMIT 1`,
  );
}

/** Due time of the latest finished run of a trigger before `before`, if any. */
export async function previousRunDue(db: Tx, trigger: string, before: Date): Promise<Date | null> {
  const r = await firstRow<{ due_at: Date }>(
    db,
    sql`SELECT due_at FROM leaderboard_snapshot_runs
        WHERE trigger = ${trigger} AND due_at < ${before.toISOString()} AND finished_at IS NOT NULL
        ORDER BY due_at DESC LIMIT 1`,
  );
  return r ? new Date(r.due_at) : null;
}

export function categorySlugs(db: Tx) {
  return rows<{ slug: string }>(db, sql`SELECT slug FROM contribution_categories ORDER BY slug`);
}

/** Campaigns running at some moment of [since, until]: started by `until`, not ended before `since`. */
export function campaignSlugsRunning(db: Tx, since: Date, until: Date) {
  return rows<{ slug: string }>(
    db,
    sql`SELECT slug FROM campaigns WHERE starts_at <= ${until.toISOString()}
          AND (ends_at IS NULL OR ends_at > ${since.toISOString()}) ORDER BY slug`,
  );
}

/**
 * Replaces a deleted account's name in every snapshot by its anonymous name (ranks and points stay
 * frozen; the name was a copy of personal data the account's deletion forgets).
 */
export async function forgetSnapshotNames(
  db: Tx,
  deleted: { userId: string; username: string },
): Promise<void> {
  await db.execute(
    sql`UPDATE leaderboard_snapshot_entries SET username = ${deleted.username}, display_name = NULL
        WHERE user_id = ${deleted.userId}`,
  );
}
