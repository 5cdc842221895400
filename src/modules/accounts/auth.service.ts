// Sign-up, e-mail confirmation and password sign-in.
import { isUniqueViolation, type Tx } from "../../core/db/client.ts";
import { conflict, forbidden, unauthorized, unprocessable } from "../../core/errors.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import { createUser, loginKey, normalizeLogin } from "./accounts.service.ts";
import { bannedError } from "./appeals.service.ts";
import { recordAudit } from "./audit.service.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { RequestMeta } from "./security.ts";
import { hasSignedInFrom } from "./sessions.repo.ts";
import { openSession, type TokenPair } from "./sessions.service.ts";
import { LIMITS } from "./throttle.service.ts";
import { verifySecondFactor } from "./two-factor.service.ts";
import {
  CREDENTIAL_LINKS,
  checkUserToken,
  consumeUserToken,
  expireUserTokens,
  issueUserToken,
} from "./user-tokens.ts";
import { type MeView, meView } from "./user-view.ts";

export const SETTING_SIGNUP_OPEN = "accounts.signupOpen";
export const SETTING_CLOSED_BETA = "accounts.closedBeta";
export const SETTING_BETA_ALLOWLIST = "accounts.betaAllowlist";

export interface RegisterInput {
  email: string;
  username: string;
  password: string;
  referralCode?: string;
  locale?: string | null;
}

/** Queues the confirmation mail for a user's current address inside `tx`. */
export async function sendConfirmation(ctx: AccountsContext, tx: Tx, user: users.UserRow): Promise<void> {
  if (!user.email) return;
  const token = await issueUserToken(tx, { userId: user.id, purpose: "confirm-email", now: ctx.clock.now() });
  await ctx.mail.enqueue(tx, {
    to: user.email,
    template: "confirm-email",
    locale: user.locale,
    vars: { username: user.username, link: `${ctx.config.publicUrl}/confirm-email?token=${token}` },
  });
}

/** Creates an unconfirmed member account and mails the confirmation link; honours sign-up settings. */
export async function register(
  ctx: AccountsContext,
  input: RegisterInput,
  meta: RequestMeta,
): Promise<MeView> {
  await ctx.throttle.hit(`register:ip:${meta.clientKey}`, LIMITS.registerPerIp);
  if (!(await ctx.settings.get<boolean>(SETTING_SIGNUP_OPEN))) {
    throw forbidden("SIGNUP_CLOSED", "Sign-up is closed on this instance");
  }
  if (await ctx.settings.get<boolean>(SETTING_CLOSED_BETA)) {
    const allow = await ctx.settings.get<string[]>(SETTING_BETA_ALLOWLIST);
    const email = loginKey(input.email);
    if (!allow.some((a) => loginKey(a) === email)) {
      throw forbidden(
        "NOT_ON_ALLOWLIST",
        "This instance is in closed beta and your e-mail is not on the list",
      );
    }
  }
  let referredBy: string | null = null;
  if (input.referralCode) {
    const referrer = await users.findUserByReferralCode(ctx.db.orm, input.referralCode.trim());
    if (!referrer)
      throw unprocessable("INVALID_REFERRAL_CODE", "No account has this referral code", {
        field: "referralCode",
      });
    referredBy = referrer.id;
  }
  const user = await createUser(ctx, {
    email: input.email,
    username: input.username,
    password: input.password,
    locale: input.locale ?? null,
    referredBy,
    onCreated: async (tx, u) => {
      await sendConfirmation(ctx, tx, u);
      await recordAudit(tx, ctx.clock, {
        type: "account.registered",
        userId: u.id,
        ip: meta.ip,
        details: { referredBy },
      });
    },
  });
  return meView(user);
}

/** Confirms an address from a mailed token: the sign-up address, or a new address after a change. */
export async function confirmEmail(ctx: AccountsContext, token: string, meta: RequestMeta): Promise<MeView> {
  const now = ctx.clock.now();
  const t = await checkUserToken(ctx.db.orm, token, ["confirm-email", "change-email"], now);
  try {
    return await ctx.db.transaction(async (tx) => {
      await consumeUserToken(tx, t.id, now);
      if (t.purpose === "confirm-email") {
        const u = await users.updateUser(tx, t.user_id, now, { email_confirmed_at: now });
        await recordAudit(tx, ctx.clock, { type: "email.confirmed", userId: u.id, ip: meta.ip });
        return meView(u);
      }
      const before = await users.findUserById(tx, t.user_id);
      const u = await users.updateUser(tx, t.user_id, now, { email: t.new_email, email_confirmed_at: now });
      // Reset links went to the old address, and other pending moves are superseded by this one.
      await expireUserTokens(tx, u.id, CREDENTIAL_LINKS, now);
      await recordAudit(tx, ctx.clock, {
        type: "email.changed",
        userId: u.id,
        actorId: u.id,
        ip: meta.ip,
        details: { from: before?.email ?? null, to: t.new_email },
      });
      return meView(u);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw conflict("EMAIL_TAKEN", "Another account registered this address meanwhile", { field: "email" });
    }
    throw err;
  }
}

/** Mails a fresh confirmation link if an unconfirmed account has this address; silent otherwise. */
export async function resendConfirmation(
  ctx: AccountsContext,
  email: string,
  meta: RequestMeta,
): Promise<void> {
  await ctx.throttle.hit(`resend:ip:${meta.clientKey}`, LIMITS.resendPerIp);
  await ctx.throttle.hit(`resend:email:${loginKey(email)}`, LIMITS.resendPerEmail);
  const user = await users.findUserByEmail(ctx.db.orm, normalizeLogin(email));
  if (!user || user.email_confirmed_at) return;
  await ctx.db.transaction((tx) => sendConfirmation(ctx, tx, user));
}

let dummyHash: Promise<string> | null = null;
/** Verifying against a throwaway hash keeps "no such user" as slow as "wrong password". */
const slowNoMatch = async (password: string) => {
  dummyHash ??= hashPassword("merit-timing-equaliser-not-a-password");
  await verifyPassword(await dummyHash, password);
};

/** A client that signed in to an account within this many days is exempt from that account's lockout. */
export const KNOWN_CLIENT_DAYS = 30;

/**
 * 429 when the client's address is locked out, or the account is, unless the account signed in from
 * this address before (within KNOWN_CLIENT_DAYS). Anyone can lock an account by failing on purpose;
 * this way the owner can still sign in from where they usually do, while guesses from anywhere else
 * stay locked (and every address still has its own lockout and rate limit).
 */
export async function assertSignInNotLocked(
  ctx: AccountsContext,
  user: users.UserRow | null,
  keys: { ipKey: string; accountKey: string },
  meta: RequestMeta,
): Promise<void> {
  await ctx.throttle.assertNotLocked([keys.ipKey]);
  const since = new Date(ctx.clock.now().getTime() - KNOWN_CLIENT_DAYS * 24 * 60 * 60 * 1000);
  if (user && (await hasSignedInFrom(ctx.db.orm, user.id, meta.ip, since))) return;
  await ctx.throttle.assertNotLocked([keys.accountKey]);
}

/**
 * The second factor of a sign-in (password or wallet) when the account has 2FA on: 401 OTP_REQUIRED
 * without a code, 401 OTP_INVALID for a wrong one, after `onWrong` counted the failure.
 */
export async function requireSecondFactor(
  ctx: AccountsContext,
  user: users.UserRow,
  otp: string | undefined,
  onWrong: () => Promise<void>,
): Promise<void> {
  if (!user.two_factor_enabled_at) return;
  if (!otp) throw unauthorized("OTP_REQUIRED", "Enter the code from your authenticator app");
  if (!(await verifySecondFactor(ctx, ctx.db.orm, user, otp))) {
    await onWrong();
    throw unauthorized("OTP_INVALID", "The code is wrong or was already used");
  }
}

/** Signs in with e-mail or username + password (+ TOTP/recovery code when 2FA is on). */
export async function login(
  ctx: AccountsContext,
  input: { login: string; password: string; otp?: string },
  meta: RequestMeta,
): Promise<TokenPair> {
  const ipKey = `login:ip:${meta.clientKey}`;
  await ctx.throttle.hit(ipKey, LIMITS.loginPerIp);
  const user = await users.findUserByLogin(ctx.db.orm, normalizeLogin(input.login));
  const accountKey = user ? `login:user:${user.id}` : `login:name:${loginKey(input.login)}`;
  await assertSignInNotLocked(ctx, user, { ipKey, accountKey }, meta);

  const failed = async (reason: string) => {
    await ctx.throttle.fail({ account: accountKey, ip: ipKey });
    await recordAudit(ctx.db.orm, ctx.clock, {
      type: "sign-in.failed",
      userId: user?.id ?? null,
      ip: meta.ip,
      details: { login: input.login.slice(0, 254), reason },
    });
  };
  if (!user?.password_hash) {
    await slowNoMatch(input.password);
    await failed("unknown-login");
    throw unauthorized("INVALID_CREDENTIALS", "Wrong e-mail/username or password");
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await failed("wrong-password");
    throw unauthorized("INVALID_CREDENTIALS", "Wrong e-mail/username or password");
  }
  // The second factor comes before the ban: the ban's appeal token lets its holder file the owner's
  // one appeal, which the password alone must not allow.
  await requireSecondFactor(ctx, user, input.otp, () => failed("wrong-otp"));
  if (user.banned_at) throw await bannedError(ctx, user);
  if (!user.email_confirmed_at) {
    throw forbidden("EMAIL_NOT_CONFIRMED", "Confirm your e-mail address first: open the link we sent you.");
  }
  await ctx.throttle.succeed(accountKey);
  return ctx.db.transaction(async (tx) => {
    const pair = await openSession(ctx, tx, user, meta);
    await recordAudit(tx, ctx.clock, {
      type: "sign-in",
      userId: user.id,
      actorId: user.id,
      ip: meta.ip,
      details: { method: "password" },
    });
    return pair;
  });
}
