// SQL for second factors and machine credentials: recovery codes, API keys, SIWE nonces.
import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";
import { textArray } from "./accounts.repo.ts";

export async function replaceRecoveryCodes(
  tx: Tx,
  userId: string,
  hashes: string[],
  at: Date,
): Promise<void> {
  await tx.execute(sql`DELETE FROM recovery_codes WHERE user_id = ${userId}`);
  for (const h of hashes) {
    await tx.execute(sql`INSERT INTO recovery_codes (user_id, code_hash, created_at)
      VALUES (${userId}, ${h}, ${at.toISOString()})`);
  }
}

export function unusedRecoveryCodes(db: Tx, userId: string) {
  return rows<{ id: string; code_hash: string }>(
    db,
    sql`SELECT id, code_hash FROM recovery_codes WHERE user_id = ${userId} AND used_at IS NULL`,
  );
}

/** Marks a recovery code used; false if it was used concurrently. */
export async function useRecoveryCode(db: Tx, id: string, at: Date): Promise<boolean> {
  const r = await rows(
    db,
    sql`UPDATE recovery_codes SET used_at = ${at.toISOString()} WHERE id = ${id} AND used_at IS NULL RETURNING id`,
  );
  return r.length === 1;
}

export async function deleteRecoveryCodes(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM recovery_codes WHERE user_id = ${userId}`);
}

export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  scopes: string[];
  prefix: string;
  key_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertApiKey(
  tx: Tx,
  k: { userId: string; name: string; scopes: string[]; prefix: string; keyHash: string; at: Date },
): Promise<ApiKeyRow> {
  const row = await firstRow<ApiKeyRow>(
    tx,
    sql`INSERT INTO api_keys (user_id, name, scopes, prefix, key_hash, created_at)
        VALUES (${k.userId}, ${k.name}, ${textArray(k.scopes)}, ${k.prefix}, ${k.keyHash}, ${k.at.toISOString()})
        RETURNING *`,
  );
  return row!;
}

export function liveApiKeys(db: Tx, userId: string): Promise<ApiKeyRow[]> {
  return rows<ApiKeyRow>(
    db,
    sql`SELECT * FROM api_keys WHERE user_id = ${userId} AND revoked_at IS NULL ORDER BY created_at DESC, id`,
  );
}

export async function revokeApiKey(tx: Tx, userId: string, id: string, at: Date): Promise<ApiKeyRow | null> {
  return firstRow<ApiKeyRow>(
    tx,
    sql`UPDATE api_keys SET revoked_at = ${at.toISOString()}
        WHERE id = ${id} AND user_id = ${userId} AND revoked_at IS NULL RETURNING *`,
  );
}

export async function revokeAllApiKeys(tx: Tx, userId: string, at: Date): Promise<void> {
  await tx.execute(
    sql`UPDATE api_keys SET revoked_at = ${at.toISOString()} WHERE user_id = ${userId} AND revoked_at IS NULL`,
  );
}

/** The one lookup behind API-key authentication: the key by its public prefix, with its owner's state. */
export function findApiKeyActor(db: Tx, prefix: string) {
  return firstRow<{
    id: string;
    key_hash: string;
    scopes: string[];
    user_id: string;
    last_used_at: Date | null;
    roles: string[];
    banned_at: Date | null;
    deleted_at: Date | null;
  }>(
    db,
    sql`SELECT k.id, k.key_hash, k.scopes, k.user_id, k.last_used_at, u.roles, u.banned_at, u.deleted_at
        FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.prefix = ${prefix} AND k.revoked_at IS NULL`,
  );
}

export async function touchApiKey(db: Tx, id: string, at: Date): Promise<void> {
  await db.execute(sql`UPDATE api_keys SET last_used_at = ${at.toISOString()} WHERE id = ${id}`);
}

export async function insertNonce(db: Tx, nonce: string, at: Date, expiresAt: Date): Promise<void> {
  // Expired nonces are swept here so the table stays as small as the traffic of the last minutes.
  await db.execute(sql`DELETE FROM siwe_nonces WHERE expires_at < ${at.toISOString()}`);
  await db.execute(sql`INSERT INTO siwe_nonces (nonce, created_at, expires_at)
    VALUES (${nonce}, ${at.toISOString()}, ${expiresAt.toISOString()})`);
}

/** Whether a nonce was issued, is unused and has not expired (without using it). */
export async function isNonceLive(db: Tx, nonce: string, at: Date): Promise<boolean> {
  const r = await rows(
    db,
    sql`SELECT 1 FROM siwe_nonces WHERE nonce = ${nonce} AND used_at IS NULL AND expires_at > ${at.toISOString()}`,
  );
  return r.length === 1;
}

/** Uses a nonce once; false when unknown, used or expired. */
export async function useNonce(db: Tx, nonce: string, at: Date): Promise<boolean> {
  const r = await rows(
    db,
    sql`UPDATE siwe_nonces SET used_at = ${at.toISOString()}
        WHERE nonce = ${nonce} AND used_at IS NULL AND expires_at > ${at.toISOString()} RETURNING nonce`,
  );
  return r.length === 1;
}
