// TOTP two-factor authentication (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step) with one-time recovery codes.
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import type { Tx } from "../../core/db/client.ts";
import { conflict, forbidden, unprocessable } from "../../core/errors.ts";
import type { Actor } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import { recordAudit } from "./audit.service.ts";
import * as repo from "./credentials.repo.ts";
import { reauthenticate } from "./password.service.ts";
import { hashesEqual, type RequestMeta, sha256 } from "./security.ts";
import { requireSessionActor } from "./sessions.service.ts";
import { LIMITS } from "./throttle.service.ts";

const PERIOD = 30;
const RECOVERY_CODE_COUNT = 10;

function totp(secretBase32: string, label = "Merit", issuer = "Merit") {
  return new TOTP({
    issuer,
    label,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

const normalizeRecovery = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, "");

/** A recovery code as shown: 10 hex characters in two groups. */
function newRecoveryCode(): string {
  const hex = randomBytes(5).toString("hex");
  return `${hex.slice(0, 5)}-${hex.slice(5)}`;
}

/**
 * Checks a TOTP code or a recovery code for a user with 2FA on and uses it up: a TOTP time step is
 * accepted once, a recovery code once. Returns false when the code is wrong or already used.
 */
export async function verifySecondFactor(
  ctx: AccountsContext,
  db: Tx,
  user: users.UserRow,
  code: string,
): Promise<boolean> {
  if (!user.two_factor_secret) return false;
  const now = ctx.clock.now();
  if (/^\d{6}$/.test(code.trim())) {
    const delta = totp(user.two_factor_secret).validate({
      token: code.trim(),
      timestamp: now.getTime(),
      window: 1,
    });
    if (delta === null) return false;
    const step = Math.floor(now.getTime() / 1000 / PERIOD) + delta;
    return users.claimTotpStep(db, user.id, step);
  }
  const hash = sha256(normalizeRecovery(code));
  for (const c of await repo.unusedRecoveryCodes(db, user.id)) {
    if (hashesEqual(c.code_hash, hash)) return repo.useRecoveryCode(db, c.id, now);
  }
  return false;
}

async function liveUser(ctx: AccountsContext, id: string) {
  const u = await users.findUserById(ctx.db.orm, id);
  if (!u || u.deleted_at) throw forbidden("FORBIDDEN", "This account no longer exists");
  return u;
}

/** Starts 2FA setup: a new secret (kept pending until enabled), its otpauth URL and a QR code. */
export async function setupTwoFactor(ctx: AccountsContext, actor: Actor | null) {
  const a = requireSessionActor(actor);
  const user = await liveUser(ctx, a.userId);
  if (user.two_factor_enabled_at)
    throw conflict("TWO_FACTOR_ALREADY_ENABLED", "Two-factor authentication is already on");
  const secret = new Secret({ size: 20 }).base32;
  await users.updateUser(ctx.db.orm, user.id, ctx.clock.now(), {
    two_factor_secret: secret,
    two_factor_last_step: null,
  });
  const issuer =
    new URL(ctx.config.publicUrl).hostname === "localhost"
      ? "Merit"
      : `Merit (${new URL(ctx.config.publicUrl).hostname})`;
  const otpauthUrl = totp(secret, user.username, issuer).toString();
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl) };
}

async function checkCode(ctx: AccountsContext, tx: Tx, user: users.UserRow, code: string, meta: RequestMeta) {
  const key = `2fa:user:${user.id}`;
  await ctx.throttle.assertNotLocked([key]);
  if (await verifySecondFactor(ctx, tx, user, code)) return;
  await ctx.throttle.fail({ account: key, ip: `2fa:ip:${meta.clientKey}` });
  throw unprocessable("OTP_INVALID", "The code is wrong or was already used", { field: "code" });
}

/**
 * Turns 2FA on after a correct code from the pending secret and the current password; returns 10
 * one-time recovery codes. The password is asked because a session alone must not be enough: whoever
 * holds a stolen session could otherwise tie the account to their own authenticator, and the owner,
 * whose password reset leaves 2FA on, could never sign in again.
 */
export async function enableTwoFactor(
  ctx: AccountsContext,
  actor: Actor | null,
  input: { code: string; password: string },
  meta: RequestMeta,
) {
  const { code } = input;
  const a = requireSessionActor(actor);
  await ctx.throttle.hit(`2fa:user:${a.userId}`, LIMITS.twoFactorPerAccount);
  const user = await liveUser(ctx, a.userId);
  if (user.two_factor_enabled_at)
    throw conflict("TWO_FACTOR_ALREADY_ENABLED", "Two-factor authentication is already on");
  if (!user.two_factor_secret) throw conflict("TWO_FACTOR_NOT_SET_UP", "Call /api/auth/2fa/setup first");
  await reauthenticate(ctx, actor, input.password, meta);
  if (!/^\d{6}$/.test(code.trim()))
    throw unprocessable("OTP_INVALID", "Enter the 6-digit code from your app", { field: "code" });
  // The code is checked (and its time step claimed) outside the enabling transaction so a wrong code
  // still counts towards the lockout.
  await checkCode(ctx, ctx.db.orm, user, code, meta);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await users.updateUser(tx, user.id, now, { two_factor_enabled_at: now });
    await repo.replaceRecoveryCodes(
      tx,
      user.id,
      codes.map((c) => sha256(normalizeRecovery(c))),
      now,
    );
    await recordAudit(tx, ctx.clock, { type: "2fa.enabled", userId: user.id, actorId: user.id, ip: meta.ip });
  });
  return { recoveryCodes: codes };
}

/** Turns 2FA off; needs a current code or a recovery code. */
export async function disableTwoFactor(
  ctx: AccountsContext,
  actor: Actor | null,
  code: string,
  meta: RequestMeta,
) {
  const a = requireSessionActor(actor);
  await ctx.throttle.hit(`2fa:user:${a.userId}`, LIMITS.twoFactorPerAccount);
  const user = await liveUser(ctx, a.userId);
  if (!user.two_factor_enabled_at)
    throw conflict("TWO_FACTOR_NOT_ENABLED", "Two-factor authentication is off");
  await checkCode(ctx, ctx.db.orm, user, code, meta);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await users.updateUser(tx, user.id, now, {
      two_factor_enabled_at: null,
      two_factor_secret: null,
      two_factor_last_step: null,
    });
    await repo.deleteRecoveryCodes(tx, user.id);
    await recordAudit(tx, ctx.clock, {
      type: "2fa.disabled",
      userId: user.id,
      actorId: user.id,
      ip: meta.ip,
    });
  });
}
