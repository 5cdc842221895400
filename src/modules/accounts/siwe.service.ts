// Sign-In with Ethereum (EIP-4361): single-use nonces, domain/URI bound to PUBLIC_URL, EOA signatures
// verified locally with viem (no RPC). A wallet sign-in still needs the second factor when 2FA is on.
import { getAddress, isAddress, verifyMessage } from "viem";
import { generateSiweNonce, parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { isUniqueViolation } from "../../core/db/client.ts";
import { badRequest, conflict, forbidden, unauthorized } from "../../core/errors.ts";
import type { Actor } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import { bannedError } from "./appeals.service.ts";
import { recordAudit } from "./audit.service.ts";
import { assertSignInNotLocked, requireSecondFactor } from "./auth.service.ts";
import * as repo from "./credentials.repo.ts";
import { plusSeconds, type RequestMeta } from "./security.ts";
import { openSession, requireSessionActor, type TokenPair } from "./sessions.service.ts";
import { LIMITS } from "./throttle.service.ts";
import { type MeView, meView } from "./user-view.ts";

const NONCE_SECONDS = 10 * 60;

/** A fresh single-use nonce for a SIWE message (valid 10 minutes). */
export async function issueNonce(ctx: AccountsContext, meta: RequestMeta): Promise<string> {
  await ctx.throttle.hit(`siwe-nonce:ip:${meta.clientKey}`, LIMITS.siweNoncePerIp);
  const nonce = generateSiweNonce();
  const now = ctx.clock.now();
  await repo.insertNonce(ctx.db.orm, nonce, now, plusSeconds(now, NONCE_SECONDS));
  return nonce;
}

/**
 * Checks message fields, domain, validity time and signature (not the nonce); returns the checksummed
 * address and the message's nonce.
 */
async function checkSiwe(
  ctx: AccountsContext,
  message: string,
  signature: `0x${string}`,
): Promise<{ address: `0x${string}`; nonce: string }> {
  let fields: ReturnType<typeof parseSiweMessage>;
  try {
    fields = parseSiweMessage(message);
  } catch {
    throw badRequest("INVALID_SIWE_MESSAGE", "message is not an EIP-4361 message");
  }
  if (!fields.address || !isAddress(fields.address) || !fields.nonce || !fields.uri || !fields.domain) {
    throw badRequest("INVALID_SIWE_MESSAGE", "message is not an EIP-4361 message");
  }
  const site = new URL(ctx.config.publicUrl);
  let uriOrigin: string | null = null;
  try {
    uriOrigin = new URL(fields.uri).origin;
  } catch {
    uriOrigin = null;
  }
  if (fields.domain !== site.host || uriOrigin !== site.origin) {
    throw unauthorized("SIWE_DOMAIN_MISMATCH", `The message must be for ${site.host}`);
  }
  if (!validateSiweMessage({ message: fields, domain: site.host, time: ctx.clock.now() })) {
    throw unauthorized("SIWE_MESSAGE_EXPIRED", "The message is expired or not yet valid");
  }
  let valid = false;
  try {
    valid = await verifyMessage({ address: fields.address, message, signature });
  } catch {
    valid = false;
  }
  if (!valid) throw unauthorized("INVALID_SIGNATURE", "The signature does not match the message's address");
  return { address: getAddress(fields.address), nonce: fields.nonce };
}

const invalidNonce = () =>
  unauthorized("INVALID_NONCE", "The nonce is unknown, used or expired; get a new one");

/** Uses up a message's nonce; 401 INVALID_NONCE when it is unknown, used or expired. */
async function useNonce(ctx: AccountsContext, nonce: string): Promise<void> {
  if (!(await repo.useNonce(ctx.db.orm, nonce, ctx.clock.now()))) throw invalidNonce();
}

/**
 * Signs in the account linked to the wallet that signed the message. With two-factor authentication
 * on, the wallet is one factor only: `otp` (a TOTP or recovery code) is required as for a password
 * sign-in. The nonce is used up only by a successful sign-in, so after OTP_REQUIRED / OTP_INVALID the
 * same signed message is sent again with a code; wrong codes count towards the account's lockout.
 */
export async function siweLogin(
  ctx: AccountsContext,
  input: { message: string; signature: `0x${string}`; otp?: string },
  meta: RequestMeta,
): Promise<TokenPair> {
  const ipKey = `login:ip:${meta.clientKey}`;
  await ctx.throttle.hit(ipKey, LIMITS.loginPerIp);
  const { address, nonce } = await checkSiwe(ctx, input.message, input.signature);
  if (!(await repo.isNonceLive(ctx.db.orm, nonce, ctx.clock.now()))) throw invalidNonce();
  const user = await users.findUserByWallet(ctx.db.orm, address);
  if (!user)
    throw unauthorized("WALLET_NOT_LINKED", "No account is linked to this wallet; sign in and link it first");
  const accountKey = `login:user:${user.id}`;
  if (user.two_factor_enabled_at) {
    await assertSignInNotLocked(ctx, user, { ipKey, accountKey }, meta);
    await requireSecondFactor(ctx, user, input.otp, async () => {
      await ctx.throttle.fail({ account: accountKey, ip: ipKey });
      await recordAudit(ctx.db.orm, ctx.clock, {
        type: "sign-in.failed",
        userId: user.id,
        ip: meta.ip,
        details: { method: "siwe", address, reason: "wrong-otp" },
      });
    });
    await ctx.throttle.succeed(accountKey);
  }
  // After the second factor, as for a password sign-in (the appeal token needs both factors).
  if (user.banned_at) throw await bannedError(ctx, user);
  if (!user.email_confirmed_at) throw forbidden("EMAIL_NOT_CONFIRMED", "Confirm your e-mail address first");
  await useNonce(ctx, nonce);
  return ctx.db.transaction(async (tx) => {
    const pair = await openSession(ctx, tx, user, meta);
    await recordAudit(tx, ctx.clock, {
      type: "sign-in",
      userId: user.id,
      actorId: user.id,
      ip: meta.ip,
      details: { method: "siwe", address },
    });
    return pair;
  });
}

/** Links the signing wallet to the signed-in account (one account per wallet: 409 WALLET_TAKEN). */
export async function linkWallet(
  ctx: AccountsContext,
  actor: Actor | null,
  input: { message: string; signature: `0x${string}` },
  meta: RequestMeta,
): Promise<MeView> {
  const a = requireSessionActor(actor);
  const { address, nonce } = await checkSiwe(ctx, input.message, input.signature);
  await useNonce(ctx, nonce);
  const owner = await users.findUserByWallet(ctx.db.orm, address);
  if (owner && owner.id !== a.userId)
    throw conflict("WALLET_TAKEN", "This wallet is linked to another account");
  try {
    return await ctx.db.transaction(async (tx) => {
      const u = await users.updateUser(tx, a.userId, ctx.clock.now(), { wallet_address: address });
      await recordAudit(tx, ctx.clock, {
        type: "wallet.linked",
        userId: a.userId,
        actorId: a.userId,
        ip: meta.ip,
        details: { address },
      });
      return meView(u);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("WALLET_TAKEN", "This wallet is linked to another account");
    throw err;
  }
}

/** Removes the linked wallet. */
export async function unlinkWallet(
  ctx: AccountsContext,
  actor: Actor | null,
  meta: RequestMeta,
): Promise<void> {
  const a = requireSessionActor(actor);
  await ctx.db.transaction(async (tx) => {
    const before = await users.findUserById(tx, a.userId);
    await users.updateUser(tx, a.userId, ctx.clock.now(), { wallet_address: null });
    await recordAudit(tx, ctx.clock, {
      type: "wallet.unlinked",
      userId: a.userId,
      actorId: a.userId,
      ip: meta.ip,
      details: { address: before?.wallet_address ?? null },
    });
  });
}
