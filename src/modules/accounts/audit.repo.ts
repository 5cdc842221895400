import { type SQL, sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

export interface AuditEvent {
  type: string;
  userId?: string | null;
  actorId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  id: string;
  type: string;
  user_id: string | null;
  actor_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  username: string | null;
  actor_username: string | null;
}

/** Appends one event. */
export async function insertAudit(db: Tx, e: AuditEvent, at: Date): Promise<void> {
  await db.execute(sql`INSERT INTO audit_log (type, user_id, actor_id, ip, details, created_at)
    VALUES (${e.type}, ${e.userId ?? null}, ${e.actorId ?? null}, ${e.ip ?? null},
      ${JSON.stringify(e.details ?? {})}::jsonb, ${at.toISOString()})`);
}

/** Events whose `from`/`to` details hold the user's own e-mail addresses or usernames. */
const NAME_CHANGES = ["email.changed", "email.change-requested", "username.changed"];

/** The e-mail addresses the user's events name (changes of address, requested and done), lowercased. */
export async function auditedAddresses(db: Tx, userId: string): Promise<string[]> {
  const r = await rows<{ address: string }>(
    db,
    sql`SELECT DISTINCT lower(v) AS address FROM audit_log a,
          LATERAL (VALUES (a.details->>'from'), (a.details->>'to')) AS x(v)
        WHERE a.user_id = ${userId} AND a.type IN ('email.changed', 'email.change-requested') AND v IS NOT NULL`,
  );
  return r.map((x) => x.address);
}

/**
 * Removes a deleted account's personal data from its events, keeping what happened and when: the
 * addresses and names it changed from and to, the sign-in names and wallets it used, and the IP
 * addresses of what it did itself (an admin's IP on an action about it stays).
 */
export async function forgetAuditedPerson(db: Tx, userId: string): Promise<void> {
  await db.execute(sql`UPDATE audit_log SET
      details = CASE WHEN type IN (SELECT jsonb_array_elements_text(${JSON.stringify(NAME_CHANGES)}::jsonb))
        THEN details - 'from' - 'to' ELSE details END - 'login' - 'address',
      ip = CASE WHEN actor_id IS NULL OR actor_id = ${userId} THEN NULL ELSE ip END
    WHERE user_id = ${userId}`);
}

/** Whether a user row (deleted ones included: their events stay) has this id or username. */
export async function userExists(db: Tx, by: { id: string } | { username: string }): Promise<boolean> {
  const cond = "id" in by ? sql`id = ${by.id}` : sql`lower(username) = lower(${by.username})`;
  return (await firstRow(db, sql`SELECT 1 FROM users WHERE ${cond}`)) !== null;
}

/** A page of events, newest first. */
export async function listAudit(
  db: Tx,
  f: { type?: string; userId?: string; username?: string; actor?: string; limit: number; offset: number },
): Promise<{ items: AuditRow[]; total: number }> {
  const conds: SQL[] = [sql`TRUE`];
  if (f.type) conds.push(sql`a.type = ${f.type}`);
  if (f.userId) conds.push(sql`a.user_id = ${f.userId}`);
  // Usernames are unique case-insensitively (the service answers 404 for an unknown one).
  if (f.username)
    conds.push(sql`a.user_id IN (SELECT id FROM users WHERE lower(username) = lower(${f.username}))`);
  if (f.actor)
    conds.push(sql`a.actor_id IN (SELECT id FROM users WHERE lower(username) = lower(${f.actor}))`);
  const where = sql.join(conds, sql` AND `);
  const items = await rows<AuditRow>(
    db,
    sql`SELECT a.*, u.username, ac.username AS actor_username
      FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN users ac ON ac.id = a.actor_id
      WHERE ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  const total = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM audit_log a WHERE ${where}`,
  );
  return { items, total: total?.n ?? 0 };
}

/**
 * The event types the log holds, in name order: one index probe per type (a skip scan of
 * audit_log_type_idx), not a pass over every event.
 */
export async function auditTypes(db: Tx): Promise<string[]> {
  const r = await rows<{ type: string }>(
    db,
    sql`WITH RECURSIVE t(type) AS (
          SELECT min(type) FROM audit_log
          UNION ALL
          SELECT (SELECT min(a.type) FROM audit_log a WHERE a.type > t.type) FROM t WHERE t.type IS NOT NULL)
        SELECT type FROM t WHERE type IS NOT NULL`,
  );
  return r.map((x) => x.type);
}
