// Accounts: creation, lookup and the first admin. Sign-in flows build on these functions.
import { randomBytes } from "node:crypto";
import type { Clock } from "../../core/clock.ts";
import { type Database, isUniqueViolation, type Tx } from "../../core/db/client.ts";
import { conflict, unprocessable } from "../../core/errors.ts";
import type { Role } from "../../core/http/actor.ts";
import * as repo from "./accounts.repo.ts";
import { hashPassword, passwordProblems } from "./passwords.ts";
import { revokeUserSessions } from "./sessions.repo.ts";

export interface CreateUserInput {
  email: string;
  username: string;
  password: string;
  displayName?: string | null;
  roles?: Role[];
  emailConfirmed?: boolean;
  /** Demo seed only: allows a weak password such as admin/admin. */
  allowWeakPassword?: boolean;
  locale?: string | null;
  referredBy?: string | null;
  /** Runs in the creating transaction (confirmation token, mail, audit). */
  onCreated?: (tx: Tx, user: repo.UserRow) => Promise<void>;
}

export const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An e-mail address or sign-in name as typed, made comparable: trimmed and in Unicode NFC, so "é"
 * typed as one code point or as "e" + combining accent is the same address (and the same account).
 */
export const normalizeLogin = (value: string) => value.trim().normalize("NFC");

/** The case-insensitive key of an address or sign-in name (rate-limit keys, allow-list matching). */
export const loginKey = (value: string) => normalizeLogin(value).toLowerCase();

/** Throws 422 naming the problem when a username is malformed. */
export function assertUsername(username: string): void {
  if (!USERNAME.test(username) || /^deleted-/i.test(username)) {
    throw unprocessable("INVALID_USERNAME", "username must be 3-32 letters, digits, '_', '.' or '-'", {
      field: "username",
    });
  }
}

/** Throws 422 when an e-mail address is malformed. */
export function assertEmail(email: string): void {
  if (!EMAIL.test(email) || email.length > 254) {
    throw unprocessable("INVALID_EMAIL", "email is not a valid e-mail address", { field: "email" });
  }
}

export interface AccountsDeps {
  db: Database;
  clock: Clock;
}

/** A new random referral code (10 url-safe characters). */
export function newReferralCode(): string {
  return randomBytes(8).toString("base64url").slice(0, 10);
}

/** Validates and creates an account; 409 names the taken field, 422 describes a weak password. */
export async function createUser(deps: AccountsDeps, input: CreateUserInput): Promise<repo.UserRow> {
  const email = normalizeLogin(input.email);
  const username = input.username.trim();
  assertEmail(email);
  assertUsername(username);
  if (!input.allowWeakPassword) {
    const problems = passwordProblems(input.password, [username, email.split("@")[0]]);
    if (problems.length > 0) {
      throw unprocessable("WEAK_PASSWORD", `password ${problems[0]}`, { field: "password", problems });
    }
  }
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const takenError = (field: "email" | "username") =>
    conflict(`${field.toUpperCase()}_TAKEN`, `${field} is already registered`, { field });
  try {
    return await deps.db.transaction(async (tx) => {
      const taken = await repo.takenFields(tx, email, username);
      if (taken.length > 0) throw takenError(taken[0]);
      const user = await repo.insertUser(tx, {
        email,
        username,
        displayName: input.displayName ?? null,
        passwordHash,
        roles: input.roles ?? ["member"],
        emailConfirmedAt: input.emailConfirmed ? now : null,
        referralCode: newReferralCode(),
        referredBy: input.referredBy ?? null,
        locale: input.locale ?? null,
        createdAt: now,
      });
      await input.onCreated?.(tx, user);
      return user;
    });
  } catch (err) {
    // Two sign-ups racing past the check: the unique index decides, and we still answer 409.
    if (!isUniqueViolation(err)) throw err;
    const taken = await repo.takenFields(deps.db.orm, email, username);
    throw takenError(taken[0] ?? "email");
  }
}

/**
 * Makes sure an admin with this e-mail exists: created and confirmed if missing, promoted if not
 * admin; an unconfirmed account with the address also gets this password (its registrant never
 * proved they own the address).
 */
export async function ensureAdmin(
  deps: AccountsDeps,
  email: string,
  password: string,
): Promise<"created" | "exists"> {
  const existing = await repo.findUserByLogin(deps.db.orm, normalizeLogin(email));
  if (existing) {
    if (!existing.email_confirmed_at) {
      // Nobody proved they own this address: whoever registered it chose the password. The operator
      // does own it, so the account gets the operator's password before it is confirmed and promoted.
      const passwordHash = await hashPassword(password);
      const now = deps.clock.now();
      await deps.db.transaction(async (tx) => {
        await repo.updateUser(tx, existing.id, now, { password_hash: passwordHash });
        await revokeUserSessions(tx, existing.id, now, "admin-email-claimed");
        await repo.promoteUser(tx, existing.id, ["admin"], now);
      });
    } else if (!existing.roles.includes("admin")) {
      await repo.promoteUser(deps.db.orm, existing.id, ["admin"], deps.clock.now());
    }
    return "exists";
  }
  const base =
    email
      .split("@")[0]
      .replace(/[^A-Za-z0-9_.-]/g, "")
      .slice(0, 24) || "admin";
  let username = base.length >= 3 ? base : `${base}-admin`;
  if ((await repo.takenFields(deps.db.orm, email, username)).includes("username")) {
    username = `${username}-${randomBytes(2).toString("hex")}`;
  }
  await createUser(deps, { email, username, password, roles: ["admin", "member"], emailConfirmed: true });
  return "created";
}

/** Number of live accounts. */
export function countUsers(deps: AccountsDeps): Promise<number> {
  return repo.countUsers(deps.db.orm);
}
