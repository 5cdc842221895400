// Password reset by e-mail and password change; both end other sessions and open reset / e-mail-change links.
import { badRequest, unauthorized, unprocessable } from "../../core/errors.ts";
import type { Actor } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import { loginKey, normalizeLogin } from "./accounts.service.ts";
import { recordAudit } from "./audit.service.ts";
import { hashPassword, passwordProblems, verifyPassword } from "./passwords.ts";
import type { RequestMeta } from "./security.ts";
import { revokeUserSessions } from "./sessions.repo.ts";
import { requireSessionActor, type SessionActor } from "./sessions.service.ts";
import { LIMITS } from "./throttle.service.ts";
import {
  CREDENTIAL_LINKS,
  checkUserToken,
  consumeUserToken,
  expireUserTokens,
  issueUserToken,
} from "./user-tokens.ts";

/** 422 WEAK_PASSWORD naming the first problem. */
export function assertStrongPassword(
  password: string,
  user: { username: string; email: string | null },
): void {
  const problems = passwordProblems(password, [user.username, (user.email ?? "").split("@")[0]]);
  if (problems.length > 0) {
    throw unprocessable("WEAK_PASSWORD", `password ${problems[0]}`, { field: "password", problems });
  }
}

/** Mails a reset link when an account has this address; always looks the same to the caller. */
export async function forgotPassword(ctx: AccountsContext, email: string, meta: RequestMeta): Promise<void> {
  await ctx.throttle.hit(`forgot:ip:${meta.clientKey}`, LIMITS.forgotPerIp);
  await ctx.throttle.hit(`forgot:email:${loginKey(email)}`, LIMITS.forgotPerEmail);
  const user = await users.findUserByEmail(ctx.db.orm, normalizeLogin(email));
  if (!user?.email) return;
  const to = user.email;
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const token = await issueUserToken(tx, { userId: user.id, purpose: "reset-password", now });
    await ctx.mail.enqueue(tx, {
      to,
      template: "reset-password",
      locale: user.locale,
      vars: { username: user.username, link: `${ctx.config.publicUrl}/reset-password?token=${token}` },
    });
    await recordAudit(tx, ctx.clock, { type: "password.reset-requested", userId: user.id, ip: meta.ip });
  });
}

/** Sets a new password from a mailed token, confirms the address and ends every session. */
export async function resetPassword(
  ctx: AccountsContext,
  token: string,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const ipKey = `reset:ip:${meta.clientKey}`;
  await ctx.throttle.hit(ipKey, LIMITS.resetPerIp);
  await ctx.throttle.assertNotLocked([ipKey]);
  const now = ctx.clock.now();
  let t: Awaited<ReturnType<typeof checkUserToken>>;
  try {
    t = await checkUserToken(ctx.db.orm, token, ["reset-password"], now);
  } catch (err) {
    await ctx.throttle.fail({ ip: ipKey });
    throw err;
  }
  const user = await users.findUserById(ctx.db.orm, t.user_id);
  if (!user || user.deleted_at) throw badRequest("INVALID_TOKEN", "This link is not valid");
  assertStrongPassword(password, user);
  const hash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    await consumeUserToken(tx, t.id, now);
    await expireUserTokens(tx, user.id, CREDENTIAL_LINKS, now);
    await users.updateUser(tx, user.id, now, {
      password_hash: hash,
      email_confirmed_at: user.email_confirmed_at ?? now,
    });
    await revokeUserSessions(tx, user.id, now, "password-reset");
    await recordAudit(tx, ctx.clock, { type: "password.reset", userId: user.id, ip: meta.ip });
  });
  await ctx.throttle.succeed(`login:user:${user.id}`);
}

/** Checks the password of the signed-in user before a sensitive change; wrong ones count towards lockout. */
export async function reauthenticate(
  ctx: AccountsContext,
  actor: Actor | null,
  password: string,
  meta: RequestMeta,
): Promise<users.UserRow> {
  const a = requireSessionActor(actor);
  const user = await users.findUserById(ctx.db.orm, a.userId);
  if (!user || user.deleted_at) throw unauthorized("UNAUTHENTICATED", "This account no longer exists");
  const key = `reauth:user:${user.id}`;
  await ctx.throttle.assertNotLocked([key]);
  if (!user.password_hash || !(await verifyPassword(user.password_hash, password))) {
    await ctx.throttle.fail({ account: key, ip: `reauth:ip:${meta.clientKey}` });
    throw unprocessable("WRONG_PASSWORD", "The current password is wrong", { field: "password" });
  }
  await ctx.throttle.succeed(key);
  return user;
}

/** Changes the password (current one required), ends the user's other sessions and open links. */
export async function changePassword(
  ctx: AccountsContext,
  actor: SessionActor | null,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const user = await reauthenticate(ctx, actor, input.currentPassword, meta);
  assertStrongPassword(input.newPassword, user);
  const hash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await users.updateUser(tx, user.id, now, { password_hash: hash });
    await expireUserTokens(tx, user.id, CREDENTIAL_LINKS, now);
    await revokeUserSessions(tx, user.id, now, "password-changed", actor?.sessionId ?? null);
    await recordAudit(tx, ctx.clock, {
      type: "password.changed",
      userId: user.id,
      actorId: user.id,
      ip: meta.ip,
    });
  });
}
