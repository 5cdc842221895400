import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import type { AccountsContext } from "./accounts.context.ts";
import { AccountErrors, addRetryAfterHeader, requestMeta } from "./accounts.http.ts";
import * as S from "./accounts.schemas.ts";
import * as me from "./me.service.ts";
import * as passwords from "./password.service.ts";
import * as sessions from "./sessions.service.ts";

const secured = { tags: ["me"], security: [{ bearerAuth: [] }] };

/** The signed-in user's account routes. */
export function meRoutes(ctx: AccountsContext) {
  return async (app: App) => {
    addRetryAfterHeader(app);
    app.get(
      "/api/users/me",
      {
        schema: {
          ...secured,
          summary: "The signed-in account",
          description: "Profile, e-mail, roles, two-factor and wallet state of the caller.",
          response: { 200: S.Me, ...AccountErrors },
        },
      },
      async (request) => me.getMe(ctx, request.actor),
    );
    app.patch(
      "/api/users/me",
      {
        schema: {
          ...secured,
          summary: "Update profile fields",
          description: "displayName and locale (the language of mails); null clears.",
          body: S.ProfilePatch,
          response: { 200: S.Me, ...AccountErrors },
        },
      },
      async (request) => me.updateProfile(ctx, request.actor, request.body),
    );
    app.post(
      "/api/users/me/password",
      {
        schema: {
          ...secured,
          summary: "Change the password",
          description:
            "Ends every other session and cancels open reset links and pending e-mail changes. 422 WRONG_PASSWORD (current password) or WEAK_PASSWORD.",
          body: S.ChangePasswordBody,
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await passwords.changePassword(ctx, request.actor, request.body, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
    app.post(
      "/api/users/me/email",
      {
        schema: {
          ...secured,
          summary: "Change the e-mail address",
          description:
            "Mails a confirmation link to the new address (and a notice to the old one); the change happens when it is confirmed via /api/auth/confirm-email. 409 EMAIL_TAKEN, 422 WRONG_PASSWORD.",
          body: S.ChangeEmailBody,
          response: { 202: S.Ok, ...AccountErrors },
        },
      },
      async (request, reply) => {
        await me.requestEmailChange(ctx, request.actor, request.body, requestMeta(request));
        return reply.status(202).send({ ok: true });
      },
    );
    app.post(
      "/api/users/me/username",
      {
        schema: {
          ...secured,
          summary: "Change the username",
          description:
            "Needs a password session (403 SESSION_REQUIRED for an API key). 409 USERNAME_TAKEN, 422 INVALID_USERNAME.",
          body: S.ChangeUsernameBody,
          response: { 200: S.Me, ...AccountErrors },
        },
      },
      async (request) => me.changeUsername(ctx, request.actor, request.body.username, requestMeta(request)),
    );
    app.delete(
      "/api/users/me",
      {
        schema: {
          ...secured,
          summary: "Delete the account",
          description:
            "Anonymises personal data (e-mail, name, wallet, 2FA, keys, sessions), forgets it in the audit log, the mail outbox and leaderboard snapshots (which then show the anonymous name), empties the evidence links and notes of the account's contributions, and releases its forum claims (pending forum posts end as ACCOUNT_DELETED; the forum account can be claimed again). Points and the ledger stay consistent. 422 WRONG_PASSWORD.",
          body: S.PasswordBody,
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await me.deleteAccount(ctx, request.actor, request.body.password, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
    app.get(
      "/api/users/me/sessions",
      {
        schema: {
          ...secured,
          summary: "Signed-in devices",
          description:
            "The caller's live sessions with their device (user agent), address and last use; `current` marks the session of this request's token. Needs a password session (403 SESSION_REQUIRED for an API key).",
          response: { 200: Type.Object({ items: Type.Array(S.Session) }), ...AccountErrors },
        },
      },
      async (request) => ({ items: await sessions.listSessions(ctx, request.actor) }),
    );
    app.delete(
      "/api/users/me/sessions/:id",
      {
        schema: {
          ...secured,
          summary: "Sign out one device",
          description:
            "Revokes one of the caller's own live sessions; 404 for any other id. Needs a password session (403 SESSION_REQUIRED for an API key).",
          params: S.IdParam,
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await sessions.revokeOwnSession(ctx, request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
