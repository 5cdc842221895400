// Single-use, expiring tokens sent by e-mail (confirm address, confirm new address, reset password).
// Only their SHA-256 is stored; the link carries the secret.
import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";
import { badRequest, gone } from "../../core/errors.ts";
import { hashesEqual, plusSeconds, randomSecret, sha256 } from "./security.ts";

export type TokenPurpose = "confirm-email" | "change-email" | "reset-password";

export const TOKEN_SECONDS: Record<TokenPurpose, number> = {
  "confirm-email": 24 * 60 * 60,
  "change-email": 24 * 60 * 60,
  "reset-password": 60 * 60,
};

export interface UserTokenRow {
  id: string;
  user_id: string;
  purpose: TokenPurpose;
  token_hash: string;
  new_email: string | null;
  expires_at: Date;
  used_at: Date | null;
}

/** Creates a token and returns the secret for the link. */
export async function issueUserToken(
  tx: Tx,
  t: { userId: string; purpose: TokenPurpose; now: Date; newEmail?: string },
): Promise<string> {
  const secret = randomSecret(32);
  await tx.execute(sql`INSERT INTO user_tokens (user_id, purpose, token_hash, new_email, created_at, expires_at)
    VALUES (${t.userId}, ${t.purpose}, ${sha256(secret)}, ${t.newEmail ?? null}, ${t.now.toISOString()},
      ${plusSeconds(t.now, TOKEN_SECONDS[t.purpose]).toISOString()})`);
  return secret;
}

/** Checks a presented token without using it: 400 unknown, 410 used or expired. */
export async function checkUserToken(
  db: Tx,
  secret: string,
  purposes: TokenPurpose[],
  now: Date,
): Promise<UserTokenRow> {
  const hash = sha256(secret);
  const row = await firstRow<UserTokenRow>(db, sql`SELECT * FROM user_tokens WHERE token_hash = ${hash}`);
  if (!row || !hashesEqual(row.token_hash, hash) || !purposes.includes(row.purpose)) {
    throw badRequest("INVALID_TOKEN", "This link is not valid");
  }
  if (row.used_at) throw gone("TOKEN_USED", "This link was already used");
  if (new Date(row.expires_at) <= now)
    throw gone("TOKEN_EXPIRED", "This link has expired; ask for a new one");
  return row;
}

/** Uses a token inside a transaction; 410 if a concurrent request used it first. */
export async function consumeUserToken(tx: Tx, id: string, now: Date): Promise<void> {
  const r = await rows(
    tx,
    sql`UPDATE user_tokens SET used_at = ${now.toISOString()} WHERE id = ${id} AND used_at IS NULL RETURNING id`,
  );
  if (r.length !== 1) throw gone("TOKEN_USED", "This link was already used");
}

/** Invalidates every open token of the given purposes for a user (e.g. all reset links after a reset). */
export async function expireUserTokens(
  tx: Tx,
  userId: string,
  purposes: TokenPurpose[],
  now: Date,
): Promise<void> {
  await tx.execute(sql`UPDATE user_tokens SET used_at = ${now.toISOString()}
    WHERE user_id = ${userId} AND purpose = ANY(string_to_array(${purposes.join(",")}, ',')::text[])
      AND used_at IS NULL`);
}

/**
 * Links that must die with a credential change: reset links (they could undo the new password) and
 * pending e-mail changes (an intruder who knew the old password could have asked to move the account
 * to their address).
 */
export const CREDENTIAL_LINKS: TokenPurpose[] = ["reset-password", "change-email"];

/** Removes every e-mail token of a user (account deletion). */
export async function deleteUserTokens(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM user_tokens WHERE user_id = ${userId}`);
}
