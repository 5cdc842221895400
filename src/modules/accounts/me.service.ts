// The signed-in user's own account: profile, e-mail, username and deletion.
import { isUniqueViolation } from "../../core/db/client.ts";
import { conflict, unauthorized } from "../../core/errors.ts";
import { type Actor, requireActor } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import { assertEmail, assertUsername, normalizeLogin } from "./accounts.service.ts";
import * as audit from "./audit.repo.ts";
import { recordAudit } from "./audit.service.ts";
import * as credentials from "./credentials.repo.ts";
import { reauthenticate } from "./password.service.ts";
import type { RequestMeta } from "./security.ts";
import { revokeUserSessions } from "./sessions.repo.ts";
import { requireSessionActor } from "./sessions.service.ts";
import { deleteUserTokens, issueUserToken } from "./user-tokens.ts";
import { type MeView, meView } from "./user-view.ts";

async function currentUser(ctx: AccountsContext, actor: Actor | null): Promise<users.UserRow> {
  const a = requireActor(actor);
  const user = await users.findUserById(ctx.db.orm, a.userId);
  if (!user || user.deleted_at) throw unauthorized("UNAUTHENTICATED", "This account no longer exists");
  return user;
}

/** The signed-in user's account. */
export async function getMe(ctx: AccountsContext, actor: Actor | null): Promise<MeView> {
  return meView(await currentUser(ctx, actor));
}

/** Updates profile fields (display name, language). */
export async function updateProfile(
  ctx: AccountsContext,
  actor: Actor | null,
  patch: { displayName?: string | null; locale?: string | null },
): Promise<MeView> {
  const user = await currentUser(ctx, actor);
  const fields: { display_name?: string | null; locale?: string | null } = {};
  if (patch.displayName !== undefined) fields.display_name = patch.displayName?.trim() || null;
  if (patch.locale !== undefined) fields.locale = patch.locale;
  if (Object.keys(fields).length === 0) return meView(user);
  const updated = await users.updateUser(ctx.db.orm, user.id, ctx.clock.now(), fields);
  ctx.changes.emit("users");
  return meView(updated);
}

/** Starts an e-mail change: a confirmation link to the new address, a notice to the old one. */
export async function requestEmailChange(
  ctx: AccountsContext,
  actor: Actor | null,
  input: { newEmail: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const user = await reauthenticate(ctx, actor, input.password, meta);
  const newEmail = normalizeLogin(input.newEmail);
  assertEmail(newEmail);
  const owner = await users.findUserByEmail(ctx.db.orm, newEmail);
  if (owner) throw conflict("EMAIL_TAKEN", "email is already registered", { field: "newEmail" });
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const token = await issueUserToken(tx, { userId: user.id, purpose: "change-email", now, newEmail });
    await ctx.mail.enqueue(tx, {
      to: newEmail,
      template: "confirm-new-email",
      locale: user.locale,
      vars: { username: user.username, link: `${ctx.config.publicUrl}/confirm-email?token=${token}` },
    });
    if (user.email) {
      await ctx.mail.enqueue(tx, {
        to: user.email,
        template: "email-change-notice",
        locale: user.locale,
        vars: { username: user.username, newEmail },
      });
    }
    await recordAudit(tx, ctx.clock, {
      type: "email.change-requested",
      userId: user.id,
      actorId: user.id,
      ip: meta.ip,
      details: { to: newEmail },
    });
  });
}

/** Renames the account (password session only, not an API key); 409 USERNAME_TAKEN when someone has it. */
export async function changeUsername(
  ctx: AccountsContext,
  actor: Actor | null,
  username: string,
  meta: RequestMeta,
): Promise<MeView> {
  const user = await currentUser(ctx, requireSessionActor(actor));
  const next = username.trim();
  assertUsername(next);
  if (next === user.username) return meView(user);
  const taken = () => conflict("USERNAME_TAKEN", "username is already registered", { field: "username" });
  const other = await users.findUserByLogin(ctx.db.orm, next);
  if (other && other.id !== user.id && other.username.toLowerCase() === next.toLowerCase()) throw taken();
  try {
    const view = await ctx.db.transaction(async (tx) => {
      const u = await users.updateUser(tx, user.id, ctx.clock.now(), { username: next });
      await recordAudit(tx, ctx.clock, {
        type: "username.changed",
        userId: user.id,
        actorId: user.id,
        ip: meta.ip,
        details: { from: user.username, to: next },
      });
      return meView(u);
    });
    ctx.changes.emit("users");
    return view;
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}

/**
 * Deletes the account by anonymising it: personal data, credentials and sessions go; the row stays so
 * everything that references the user (points, contributions) remains consistent.
 */
export async function deleteAccount(
  ctx: AccountsContext,
  actor: Actor | null,
  password: string,
  meta: RequestMeta,
) {
  const user = await reauthenticate(ctx, actor, password, meta);
  const now = ctx.clock.now();
  const anonymous = `deleted-${user.id.replaceAll("-", "").slice(0, 12)}`;
  await ctx.db.transaction(async (tx) => {
    // Mail to every address the account used, and the personal data in its audit events, go too.
    const addresses = [...(user.email ? [user.email] : []), ...(await audit.auditedAddresses(tx, user.id))];
    await ctx.mail.forgetRecipients(tx, addresses);
    await audit.forgetAuditedPerson(tx, user.id);
    await users.updateUser(tx, user.id, now, {
      email: null,
      email_confirmed_at: null,
      username: anonymous,
      display_name: null,
      locale: null,
      password_hash: null,
      two_factor_secret: null,
      two_factor_enabled_at: null,
      two_factor_last_step: null,
      wallet_address: null,
      deleted_at: now,
    });
    await revokeUserSessions(tx, user.id, now, "account-deleted");
    await credentials.revokeAllApiKeys(tx, user.id, now);
    await credentials.deleteRecoveryCodes(tx, user.id);
    await deleteUserTokens(tx, user.id);
    // What other modules keep about the person (names in frozen snapshots, evidence, forum claims).
    await ctx.erasers.run(tx, { userId: user.id, username: anonymous, at: now });
    // No IP: the account's own IPs were just forgotten.
    await recordAudit(tx, ctx.clock, { type: "account.deleted", userId: user.id, actorId: user.id });
  });
  ctx.changes.emit("users");
}
