import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

/** A text[] parameter that behaves the same on node-postgres and PGlite. */
const textArray = (values: string[]) => sql`string_to_array(${values.join(",")}, ',')::text[]`;

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
  createdAt: Date;
}

/** Inserts a user and returns the row. */
export async function insertUser(db: Tx, u: NewUser): Promise<UserRow> {
  const row = await firstRow<UserRow>(
    db,
    sql`INSERT INTO users (email, username, display_name, password_hash, roles, email_confirmed_at,
          referral_code, referred_by, created_at, updated_at)
        VALUES (${u.email}, ${u.username}, ${u.displayName ?? null}, ${u.passwordHash},
          ${textArray(u.roles)},
          ${u.emailConfirmedAt?.toISOString() ?? null}, ${u.referralCode}, ${u.referredBy ?? null},
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
