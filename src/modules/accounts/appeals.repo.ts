import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

export interface AppealRow {
  id: string;
  user_id: string;
  username: string;
  ban_started_at: Date;
  ban_reason: string | null;
  message: string;
  status: "open" | "lifted" | "upheld";
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  note: string | null;
}

const SELECT = sql`SELECT a.*, u.username FROM appeals a JOIN users u ON u.id = a.user_id`;

export async function insertAppeal(
  tx: Tx,
  a: { userId: string; banStartedAt: Date; banReason: string | null; message: string; at: Date },
): Promise<string> {
  const row = await firstRow<{ id: string }>(
    tx,
    sql`INSERT INTO appeals (user_id, ban_started_at, ban_reason, message, created_at)
        VALUES (${a.userId}, ${a.banStartedAt.toISOString()}, ${a.banReason}, ${a.message}, ${a.at.toISOString()})
        RETURNING id`,
  );
  return row!.id;
}

export function findAppeal(db: Tx, id: string): Promise<AppealRow | null> {
  return firstRow<AppealRow>(db, sql`${SELECT} WHERE a.id = ${id}`);
}

/** The appeal filed against the ban that started at `banStartedAt`, if any (one per ban). */
export function findAppealForBan(db: Tx, userId: string, banStartedAt: Date): Promise<AppealRow | null> {
  return firstRow<AppealRow>(
    db,
    sql`${SELECT} WHERE a.user_id = ${userId} AND a.ban_started_at = ${new Date(banStartedAt).toISOString()}`,
  );
}

export async function listAppeals(db: Tx, f: { status?: string; limit: number; offset: number }) {
  const where = f.status ? sql`a.status = ${f.status}` : sql`TRUE`;
  const items = await rows<AppealRow>(
    db,
    sql`${SELECT} WHERE ${where} ORDER BY a.created_at DESC, a.id LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  const total = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM appeals a WHERE ${where}`,
  );
  return { items, total: total?.n ?? 0 };
}

/** Decides an open appeal; false when it was decided already. */
export async function decideAppeal(
  tx: Tx,
  id: string,
  d: { status: "lifted" | "upheld"; by: string; note: string | null; at: Date },
): Promise<boolean> {
  const r = await rows(
    tx,
    sql`UPDATE appeals SET status = ${d.status}, decided_by = ${d.by}, note = ${d.note}, decided_at = ${d.at.toISOString()}
        WHERE id = ${id} AND status = 'open' RETURNING id`,
  );
  return r.length === 1;
}
