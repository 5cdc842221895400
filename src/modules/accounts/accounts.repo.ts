import { sql } from "drizzle-orm";
import { containsPattern, firstRow, rows, type Tx } from "../../core/db/client.ts";

/** A text[] parameter that behaves the same on node-postgres and PGlite. */
export const textArray = (values: string[]) => sql`string_to_array(${values.join(",")}, ',')::text[]`;

export interface UserRow {
  id: string;
  email: string | null;
  username: string;
  display_name: string | null;
  password_hash: string | null;
  roles: string[];
  email_confirmed_at: Date | null;
  two_factor_secret: string | null;
  two_factor_enabled_at: Date | null;
  two_factor_last_step: string | number | null;
  wallet_address: string | null;
  referral_code: string;
  referred_by: string | null;
  banned_at: Date | null;
  ban_reason: string | null;
  hidden: boolean;
  deleted_at: Date | null;
  created_at: Date;
  locale: string | null;
}

export interface NewUser {
  email: string;
  username: string;
  displayName?: string | null;
  passwordHash: string;
  roles: string[];
  emailConfirmedAt: Date | null;
  referralCode: string;
  referredBy?: string | null;
  locale?: string | null;
  createdAt: Date;
}

/** Inserts a user and returns the row. */
export async function insertUser(db: Tx, u: NewUser): Promise<UserRow> {
  const row = await firstRow<UserRow>(
    db,
    sql`INSERT INTO users (email, username, display_name, password_hash, roles, email_confirmed_at,
          referral_code, referred_by, locale, created_at, updated_at)
        VALUES (${u.email}, ${u.username}, ${u.displayName ?? null}, ${u.passwordHash},
          ${textArray(u.roles)},
          ${u.emailConfirmedAt?.toISOString() ?? null}, ${u.referralCode}, ${u.referredBy ?? null}, ${u.locale ?? null},
          ${u.createdAt.toISOString()}, ${u.createdAt.toISOString()})
        RETURNING *`,
  );
  return row!;
}

/** Finds a live user by e-mail or username, case-insensitively. */
export function findUserByLogin(db: Tx, login: string): Promise<UserRow | null> {
  return firstRow<UserRow>(
    db,
    sql`SELECT * FROM users WHERE deleted_at IS NULL AND (lower(email) = lower(${login}) OR lower(username) = lower(${login}))
        ORDER BY (lower(email) = lower(${login})) DESC LIMIT 1`,
  );
}

/** Finds a user by id. */
export function findUserById(db: Tx, id: string): Promise<UserRow | null> {
  return firstRow<UserRow>(db, sql`SELECT * FROM users WHERE id = ${id}`);
}

/** Which of e-mail/username are already taken (case-insensitive). */
export async function takenFields(
  db: Tx,
  email: string,
  username: string,
): Promise<Array<"email" | "username">> {
  const r = await rows<{ email_taken: boolean; username_taken: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(${email})) AS email_taken,
               EXISTS (SELECT 1 FROM users WHERE lower(username) = lower(${username})) AS username_taken`,
  );
  const out: Array<"email" | "username"> = [];
  if (r[0]?.email_taken) out.push("email");
  if (r[0]?.username_taken) out.push("username");
  return out;
}

/** Number of accounts that are not deleted. */
export async function countUsers(db: Tx): Promise<number> {
  const r = await firstRow<{ n: string }>(
    db,
    sql`SELECT count(*)::text AS n FROM users WHERE deleted_at IS NULL`,
  );
  return Number(r?.n ?? 0);
}

/** Grants roles and confirms the e-mail of an existing user. */
export async function promoteUser(db: Tx, id: string, roles: string[], confirmedAt: Date): Promise<void> {
  await db.execute(sql`UPDATE users SET
      roles = ARRAY(SELECT DISTINCT unnest(roles || ${textArray(roles)})),
      email_confirmed_at = COALESCE(email_confirmed_at, ${confirmedAt.toISOString()}),
      updated_at = ${confirmedAt.toISOString()}
    WHERE id = ${id}`);
}

/** Finds a live user by e-mail, case-insensitively. */
export function findUserByEmail(db: Tx, email: string): Promise<UserRow | null> {
  return firstRow<UserRow>(
    db,
    sql`SELECT * FROM users WHERE deleted_at IS NULL AND lower(email) = lower(${email})`,
  );
}

/** Finds a live user by referral code. */
export function findUserByReferralCode(db: Tx, code: string): Promise<UserRow | null> {
  return firstRow<UserRow>(db, sql`SELECT * FROM users WHERE deleted_at IS NULL AND referral_code = ${code}`);
}

/** Finds the live user linked to a (checksummed) wallet address. */
export function findUserByWallet(db: Tx, address: string): Promise<UserRow | null> {
  return firstRow<UserRow>(
    db,
    sql`SELECT * FROM users WHERE deleted_at IS NULL AND wallet_address = ${address}`,
  );
}

/** Sets columns of a user (only the given ones) and bumps updated_at. */
export async function updateUser(
  db: Tx,
  id: string,
  at: Date,
  fields: Partial<{
    email: string | null;
    email_confirmed_at: Date | null;
    username: string;
    display_name: string | null;
    locale: string | null;
    password_hash: string | null;
    roles: string[];
    two_factor_secret: string | null;
    two_factor_enabled_at: Date | null;
    two_factor_last_step: number | null;
    wallet_address: string | null;
    banned_at: Date | null;
    ban_reason: string | null;
    hidden: boolean;
    deleted_at: Date | null;
  }>,
): Promise<UserRow> {
  const sets = Object.entries(fields).map(([col, v]) => {
    const value =
      v instanceof Date ? v.toISOString() : Array.isArray(v) ? textArray(v as string[]) : (v as unknown);
    return sql`${sql.identifier(col)} = ${value}`;
  });
  sets.push(sql`updated_at = ${at.toISOString()}`);
  const row = await firstRow<UserRow>(
    db,
    sql`UPDATE users SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING *`,
  );
  return row!;
}

/** Accepts a TOTP time step only if it is newer than the last accepted one (so a code works once). */
export async function claimTotpStep(db: Tx, id: string, step: number): Promise<boolean> {
  const r = await rows<{ id: string }>(
    db,
    sql`UPDATE users SET two_factor_last_step = ${step}
        WHERE id = ${id} AND (two_factor_last_step IS NULL OR two_factor_last_step < ${step}) RETURNING id`,
  );
  return r.length === 1;
}

/** Admin search over live users. */
export async function searchUsers(
  db: Tx,
  f: { search?: string; role?: string; banned?: boolean; limit: number; offset: number },
): Promise<{ items: UserRow[]; total: number }> {
  const conds = [sql`deleted_at IS NULL`];
  if (f.search) {
    const like = containsPattern(f.search);
    conds.push(
      sql`(email ILIKE ${like} OR username ILIKE ${like} OR display_name ILIKE ${like} OR wallet_address ILIKE ${like})`,
    );
  }
  if (f.role) conds.push(sql`${f.role} = ANY(roles)`);
  if (f.banned !== undefined) conds.push(f.banned ? sql`banned_at IS NOT NULL` : sql`banned_at IS NULL`);
  const where = sql.join(conds, sql` AND `);
  const items = await rows<UserRow>(
    db,
    sql`SELECT * FROM users WHERE ${where} ORDER BY created_at DESC, id LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
  const total = await firstRow<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM users WHERE ${where}`);
  return { items, total: total?.n ?? 0 };
}
