import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import type { AccountsContext } from "./accounts.context.ts";
import { AccountErrors, addRetryAfterHeader, requestMeta } from "./accounts.http.ts";
import * as S from "./accounts.schemas.ts";
import * as auth from "./auth.service.ts";
import * as passwords from "./password.service.ts";
import * as sessions from "./sessions.service.ts";
import * as twoFactor from "./two-factor.service.ts";

const tags = ["auth"];
const secured = { tags, security: [{ bearerAuth: [] }] };

/** Sign-up, sign-in, tokens, password reset and 2FA routes. */
export function authRoutes(ctx: AccountsContext) {
  return async (app: App) => {
    addRetryAfterHeader(app);
    app.post(
      "/api/auth/register",
      {
        schema: {
          tags,
          summary: "Create an account",
          description:
            "Creates an unconfirmed member account and mails a confirmation link. 409 EMAIL_TAKEN/USERNAME_TAKEN, 422 WEAK_PASSWORD/INVALID_EMAIL/INVALID_USERNAME/INVALID_REFERRAL_CODE, 403 SIGNUP_CLOSED/NOT_ON_ALLOWLIST.",
          body: S.RegisterBody,
          response: { 201: S.UserEnvelope, ...AccountErrors },
        },
      },
      async (request, reply) => {
        const locale = request.body.locale ?? acceptLanguage(request.headers["accept-language"]);
        const user = await auth.register(ctx, { ...request.body, locale }, requestMeta(request));
        return reply.status(201).send({ user });
      },
    );
    app.post(
      "/api/auth/confirm-email",
      {
        schema: {
          tags,
          summary: "Confirm an e-mail address",
          description:
            "Confirms the sign-up address or a new address after a change (which cancels reset links sent to the old address and other pending changes). 400 INVALID_TOKEN, 410 TOKEN_USED/TOKEN_EXPIRED.",
          body: S.TokenBody,
          response: { 200: S.UserEnvelope, ...AccountErrors },
        },
      },
      async (request) => ({ user: await auth.confirmEmail(ctx, request.body.token, requestMeta(request)) }),
    );
    app.post(
      "/api/auth/resend-confirmation",
      {
        schema: {
          tags,
          summary: "Mail the confirmation link again",
          description: "Always 202, whether or not an unconfirmed account has this address.",
          body: S.EmailBody,
          response: { 202: S.Ok, ...AccountErrors },
        },
      },
      async (request, reply) => {
        await auth.resendConfirmation(ctx, request.body.email, requestMeta(request));
        return reply.status(202).send({ ok: true });
      },
    );
    app.post(
      "/api/auth/login",
      {
        schema: {
          tags,
          summary: "Sign in",
          description:
            "401 INVALID_CREDENTIALS, 403 EMAIL_NOT_CONFIRMED, 401 OTP_REQUIRED/OTP_INVALID (otp takes a TOTP code or a recovery code), 403 ACCOUNT_BANNED (only after the password and the second factor) with details {banReason, bannedAt, appealToken, appeal}: appeal.status says whether an appeal is possible (then appealToken is set), pending (sentAt) or decided (decision, decidedAt and the reviewer's note), 429 RATE_LIMITED. After 5 wrong attempts an account is locked for a minute, doubling with each further failure up to an hour, except for addresses it signed in from within 30 days; an address is locked after 20 failures, and may make 30 attempts per 15 minutes.",
          body: S.LoginBody,
          response: { 200: S.Tokens, ...AccountErrors, 403: S.SignInRefused },
        },
      },
      async (request) => auth.login(ctx, request.body, requestMeta(request)),
    );
    app.post(
      "/api/auth/refresh",
      {
        schema: {
          tags,
          summary: "Exchange a refresh token for a new pair",
          description:
            "Refresh tokens rotate. Presenting a used one revokes the whole session (401 REFRESH_TOKEN_REUSED), except within 10 seconds of its use: that is taken for two tabs refreshing at once and answers 409 REFRESH_TOKEN_RACED, no new pair, session kept (take the pair the other refresh returned, or sign out with the stale token). 401 INVALID_REFRESH_TOKEN for unknown, expired or revoked tokens.",
          body: S.RefreshBody,
          response: { 200: S.Tokens, ...AccountErrors },
        },
      },
      async (request) => sessions.refreshSession(ctx, request.body.refreshToken, requestMeta(request)),
    );
    app.post(
      "/api/auth/logout",
      {
        schema: {
          tags,
          summary: "End the session of a refresh token",
          description:
            "Revokes the session the refresh token belongs to; its access tokens stop working. An unknown or already revoked token is accepted too (204), so signing out is idempotent.",
          body: S.RefreshBody,
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await sessions.logout(ctx, request.body.refreshToken);
        return reply.status(204).send(null);
      },
    );
    app.post(
      "/api/auth/logout-all",
      {
        schema: {
          ...secured,
          summary: "End every session of the signed-in user",
          description:
            "Revokes all of the caller's sessions on every device, this one included, and records it in the audit log. API keys are not affected, and cannot call this (403 SESSION_REQUIRED).",
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await sessions.logoutAll(ctx, request.actor, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
    app.post(
      "/api/auth/password/forgot",
      {
        schema: {
          tags,
          summary: "Mail a password reset link",
          description: "Always 202 (no account enumeration); the link is valid for one hour, once.",
          body: S.EmailBody,
          response: { 202: S.Ok, ...AccountErrors },
        },
      },
      async (request, reply) => {
        await passwords.forgotPassword(ctx, request.body.email, requestMeta(request));
        return reply.status(202).send({ ok: true });
      },
    );
    app.post(
      "/api/auth/password/reset",
      {
        schema: {
          tags,
          summary: "Set a new password from a reset link",
          description:
            "Ends every session and cancels the account's other reset links and pending e-mail changes. 400 INVALID_TOKEN, 410 TOKEN_USED/TOKEN_EXPIRED, 422 WEAK_PASSWORD.",
          body: S.ResetBody,
          response: { 200: S.Ok, ...AccountErrors },
        },
      },
      async (request) => {
        await passwords.resetPassword(ctx, request.body.token, request.body.password, requestMeta(request));
        return { ok: true };
      },
    );
    app.post(
      "/api/auth/2fa/setup",
      {
        schema: {
          ...secured,
          summary: "Start two-factor setup",
          description: "Returns a new TOTP secret; 2FA is on only after /api/auth/2fa/enable with a code.",
          response: { 200: S.TwoFactorSetup, ...AccountErrors },
        },
      },
      async (request) => twoFactor.setupTwoFactor(ctx, request.actor),
    );
    app.post(
      "/api/auth/2fa/enable",
      {
        schema: {
          ...secured,
          summary: "Turn two-factor authentication on",
          description:
            "Needs a current code from the app and the current password; returns 10 one-time recovery codes. 422 OTP_INVALID / WRONG_PASSWORD.",
          body: S.EnableTwoFactorBody,
          response: { 200: S.RecoveryCodes, ...AccountErrors },
        },
      },
      async (request) => twoFactor.enableTwoFactor(ctx, request.actor, request.body, requestMeta(request)),
    );
    app.post(
      "/api/auth/2fa/disable",
      {
        schema: {
          ...secured,
          summary: "Turn two-factor authentication off",
          description: "Needs a current code or a recovery code. 422 OTP_INVALID.",
          body: S.CodeBody,
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await twoFactor.disableTwoFactor(ctx, request.actor, request.body.code, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
  };
}

/** First language tag of an Accept-Language header, as a default locale for new accounts. */
function acceptLanguage(header: string | undefined): string | null {
  const first = header?.split(",")[0]?.split(";")[0]?.trim().toLowerCase();
  return first && /^[a-z]{2}(-[a-z]{2})?$/.test(first) ? first : null;
}
