import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import type { AccountsContext } from "./accounts.context.ts";
import { AccountErrors, addRetryAfterHeader, requestMeta } from "./accounts.http.ts";
import * as S from "./accounts.schemas.ts";
import * as apiKeys from "./api-keys.service.ts";
import * as siwe from "./siwe.service.ts";

const secured = { tags: ["me"], security: [{ bearerAuth: [] }] };

/** API keys and Sign-In with Ethereum routes. */
export function credentialsRoutes(ctx: AccountsContext) {
  return async (app: App) => {
    addRetryAfterHeader(app);
    app.get(
      "/api/users/me/api-keys",
      {
        schema: {
          ...secured,
          summary: "List your API keys",
          description:
            "The caller's live keys with their names, prefixes, scopes and last use; never the secrets. Needs a password session (not an API key).",
          response: { 200: Type.Object({ items: Type.Array(S.ApiKey) }), ...AccountErrors },
        },
      },
      async (request) => ({ items: await apiKeys.listApiKeys(ctx, request.actor) }),
    );
    app.post(
      "/api/users/me/api-keys",
      {
        schema: {
          ...secured,
          summary: "Create an API key",
          description:
            "The key (`mk_<prefix>_<secret>`) is returned only in this answer; use it as `Authorization: Bearer <key>`. Managing the account itself needs a password session.",
          body: S.NewApiKeyBody,
          response: { 201: S.CreatedApiKey, ...AccountErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await apiKeys.createApiKey(ctx, request.actor, request.body, requestMeta(request))),
    );
    app.delete(
      "/api/users/me/api-keys/:id",
      {
        schema: {
          ...secured,
          summary: "Revoke an API key",
          description:
            "The key stops working at once; recorded in the audit log. 404 when the key is not one of the caller's live keys. Needs a password session.",
          params: S.IdParam,
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await apiKeys.revokeApiKey(ctx, request.actor, request.params.id, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
    app.get(
      "/api/auth/siwe/nonce",
      {
        schema: {
          tags: ["auth"],
          summary: "Nonce for a Sign-In with Ethereum message",
          description: "Single use, valid for 10 minutes.",
          response: { 200: S.Nonce, ...AccountErrors },
        },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store");
        return { nonce: await siwe.issueNonce(ctx, requestMeta(request)) };
      },
    );
    app.post(
      "/api/auth/siwe/login",
      {
        schema: {
          tags: ["auth"],
          summary: "Sign in with Ethereum",
          description:
            "EIP-4361 message for this site's domain and URI with a nonce from /api/auth/siwe/nonce, signed by a wallet linked to an account. With two-factor authentication on, also `otp`: 401 OTP_REQUIRED / OTP_INVALID leave the nonce unused, so the same signed message can be sent again with a code. 401 SIWE_DOMAIN_MISMATCH / INVALID_NONCE / INVALID_SIGNATURE / WALLET_NOT_LINKED, 400 INVALID_SIWE_MESSAGE, 403 ACCOUNT_BANNED (details as for /api/auth/login) / EMAIL_NOT_CONFIRMED, 429 RATE_LIMITED.",
          body: S.SiweLoginBody,
          response: { 200: S.Tokens, ...AccountErrors, 403: S.SignInRefused },
        },
      },
      async (request) =>
        siwe.siweLogin(
          ctx,
          {
            message: request.body.message,
            signature: request.body.signature as `0x${string}`,
            otp: request.body.otp,
          },
          requestMeta(request),
        ),
    );
    app.post(
      "/api/users/me/wallet",
      {
        schema: {
          ...secured,
          summary: "Link a wallet",
          description: "Same signed message as for signing in. 409 WALLET_TAKEN when another account has it.",
          body: S.SiweBody,
          response: { 200: S.Me, ...AccountErrors },
        },
      },
      async (request) =>
        siwe.linkWallet(
          ctx,
          request.actor,
          { message: request.body.message, signature: request.body.signature as `0x${string}` },
          requestMeta(request),
        ),
    );
    app.delete(
      "/api/users/me/wallet",
      {
        schema: {
          ...secured,
          summary: "Unlink the wallet",
          description:
            "Removes the Ethereum address linked to the account (Sign-In with Ethereum stops working for it); recorded in the audit log. Needs a password session.",
          response: { 204: Type.Null(), ...AccountErrors },
        },
      },
      async (request, reply) => {
        await siwe.unlinkWallet(ctx, request.actor, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
  };
}
