import { type SQL, sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
  revoked_at: Date | null;
}

export interface RefreshLookup {
  token_id: string;
  token_hash: string;
  token_expires_at: Date;
  used_at: Date | null;
  session_id: string;
  user_id: string;
  session_revoked_at: Date | null;
  session_expires_at: Date;
}

export async function insertSession(
  db: Tx,
  s: { userId: string; at: Date; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<string> {
  const row = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO sessions (user_id, created_at, last_used_at, expires_at, user_agent, ip)
        VALUES (${s.userId}, ${s.at.toISOString()}, ${s.at.toISOString()}, ${s.expiresAt.toISOString()},
          ${s.userAgent}, ${s.ip}) RETURNING id`,
  );
  return row!.id;
}

export async function insertRefreshToken(
  db: Tx,
  t: { sessionId: string; tokenHash: string; at: Date; expiresAt: Date },
): Promise<void> {
  await db.execute(sql`INSERT INTO refresh_tokens (session_id, token_hash, created_at, expires_at)
    VALUES (${t.sessionId}, ${t.tokenHash}, ${t.at.toISOString()}, ${t.expiresAt.toISOString()})`);
}

export function findRefreshToken(db: Tx, tokenHash: string): Promise<RefreshLookup | null> {
  return firstRow<RefreshLookup>(
    db,
    sql`SELECT t.id AS token_id, t.token_hash, t.expires_at AS token_expires_at, t.used_at,
          s.id AS session_id, s.user_id, s.revoked_at AS session_revoked_at, s.expires_at AS session_expires_at
        FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = ${tokenHash}`,
  );
}

/** Marks a refresh token used; false when it was used already (a concurrent or replayed refresh). */
export async function useRefreshToken(db: Tx, tokenId: string, at: Date): Promise<boolean> {
  const r = await rows(
    db,
    sql`UPDATE refresh_tokens SET used_at = ${at.toISOString()} WHERE id = ${tokenId} AND used_at IS NULL RETURNING id`,
  );
  return r.length === 1;
}

export async function touchSession(
  db: Tx,
  id: string,
  s: { at: Date; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<void> {
  await db.execute(sql`UPDATE sessions SET last_used_at = ${s.at.toISOString()}, expires_at = ${s.expiresAt.toISOString()},
      user_agent = COALESCE(${s.userAgent}, user_agent), ip = COALESCE(${s.ip}, ip) WHERE id = ${id}`);
}

export async function revokeSession(db: Tx, id: string, at: Date, reason: string): Promise<void> {
  await db.execute(sql`UPDATE sessions SET revoked_at = ${at.toISOString()}, revoke_reason = ${reason}
    WHERE id = ${id} AND revoked_at IS NULL`);
}

/** Revokes every live session of a user except `keep`; returns how many. */
export async function revokeUserSessions(
  db: Tx,
  userId: string,
  at: Date,
  reason: string,
  keep: string | null = null,
): Promise<number> {
  const r = await rows(
    db,
    sql`UPDATE sessions SET revoked_at = ${at.toISOString()}, revoke_reason = ${reason}
        WHERE user_id = ${userId} AND revoked_at IS NULL AND (${keep}::uuid IS NULL OR id <> ${keep}::uuid)
        RETURNING id`,
  );
  return r.length;
}

/** Whether the user signed in from this address (a session opened from it) since `since`. */
export async function hasSignedInFrom(db: Tx, userId: string, ip: string, since: Date): Promise<boolean> {
  const r = await rows(
    db,
    sql`SELECT 1 FROM sessions WHERE user_id = ${userId} AND ip = ${ip} AND created_at > ${since.toISOString()} LIMIT 1`,
  );
  return r.length > 0;
}

export function listLiveSessions(db: Tx, userId: string, now: Date): Promise<SessionRow[]> {
  return rows<SessionRow>(
    db,
    sql`SELECT * FROM sessions WHERE user_id = ${userId} AND revoked_at IS NULL AND expires_at > ${now.toISOString()}
        ORDER BY last_used_at DESC`,
  );
}

/** The one indexed lookup behind every bearer access token. */
export interface SessionActorRow {
  id: string;
  user_id: string;
  roles: string[];
  revoked_at: Date | null;
  expires_at: Date;
  banned_at: Date | null;
  deleted_at: Date | null;
}

/** The sessions (with their users' roles and standing) of many session ids, in one round trip; same text for any ids. */
export function findSessionActorsSql(sessionIds: string[]): SQL {
  return sql`SELECT s.id, s.user_id, u.roles, s.revoked_at, s.expires_at, u.banned_at, u.deleted_at
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ANY(string_to_array(${sessionIds.join(",")}, ',')::uuid[])`;
}
