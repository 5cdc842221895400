import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ListOf, Pagination } from "../../core/http/schemas.ts";
import { pageOf } from "../../core/paging.ts";
import type { AccountsContext } from "./accounts.context.ts";
import { AccountErrors, addRetryAfterHeader, requestMeta } from "./accounts.http.ts";
import * as S from "./accounts.schemas.ts";
import * as admin from "./admin-users.service.ts";
import * as appeals from "./appeals.service.ts";
import { listAuditLog, listAuditTypes } from "./audit.service.ts";

const secured = { tags: ["admin"], security: [{ bearerAuth: [] }] };
const RoleSchema = Type.Union([Type.Literal("admin"), Type.Literal("steward"), Type.Literal("member")]);
const AppealStatus = Type.Union([Type.Literal("open"), Type.Literal("lifted"), Type.Literal("upheld")]);
const Appeal = Type.Object({
  id: Type.String({ format: "uuid" }),
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  banReason: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  status: AppealStatus,
  createdAt: Type.String({ format: "date-time" }),
  decidedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()], {
    description: "The reviewer's note to the member: mailed with the decision and shown at sign-in",
  }),
});
const DecidedAppeal = Type.Intersect([
  Appeal,
  Type.Object({
    memberNotified: Type.Boolean({
      description:
        "A decision e-mail to the member was queued (false when the account has no e-mail address)",
    }),
  }),
]);
const AuditEntry = Type.Object({
  id: Type.String({ format: "uuid" }),
  type: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()], { description: "The user's current username" }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()], { description: "Who did it (current username)" }),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: "date-time" }),
});
const page = (q: { limit?: number; offset?: number }) => ({ limit: q.limit ?? 20, offset: q.offset ?? 0 });

/** Admin user management, appeals and the audit log. */
export function adminRoutes(ctx: AccountsContext) {
  return async (app: App) => {
    addRetryAfterHeader(app);
    app.get(
      "/api/admin/users",
      {
        schema: {
          ...secured,
          summary: "Search users",
          description: "search matches e-mail, username, display name and wallet (case-insensitive).",
          querystring: Type.Intersect([
            Pagination,
            Type.Object({
              search: Type.Optional(Type.String({ maxLength: 200 })),
              role: Type.Optional(RoleSchema),
              banned: Type.Optional(Type.Boolean()),
            }),
          ]),
          response: { 200: ListOf(S.AdminUser), ...AccountErrors },
        },
      },
      async (request) => admin.listUsers(ctx, request.actor, { ...request.query, ...page(request.query) }),
    );
    app.patch(
      "/api/admin/users/:id",
      {
        schema: {
          ...secured,
          summary: "Change roles, ban or hide a user",
          description:
            "Banning ends the user's sessions, stops their API keys and mails a notice. Hidden users are left out of leaderboards. 422 CANNOT_DEMOTE_SELF / CANNOT_BAN_SELF.",
          params: S.IdParam,
          body: Type.Object({
            roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 3 })),
            banned: Type.Optional(Type.Boolean()),
            banReason: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
            hidden: Type.Optional(Type.Boolean()),
          }),
          response: { 200: S.AdminUser, ...AccountErrors },
        },
      },
      async (request) =>
        admin.patchUser(ctx, request.actor, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      "/api/appeals",
      {
        schema: {
          tags: ["auth"],
          summary: "Appeal a ban",
          description:
            "Uses the appealToken from the 403 ACCOUNT_BANNED answer at sign-in (given only while details.appeal.status is possible). One appeal per ban (409 APPEAL_EXISTS); 401 INVALID_APPEAL_TOKEN; 409 NOT_BANNED when the ban ended meanwhile.",
          body: Type.Object({
            appealToken: Type.String({ minLength: 1, maxLength: 2000 }),
            message: Type.String({ minLength: 1, maxLength: 5000 }),
          }),
          response: { 201: Appeal, ...AccountErrors },
        },
      },
      async (request, reply) => {
        const appeal = await appeals.fileAppeal(
          ctx,
          request.body.appealToken,
          request.body.message,
          requestMeta(request),
        );
        return reply.status(201).send(appeal);
      },
    );
    app.get(
      "/api/admin/appeals",
      {
        schema: {
          ...secured,
          summary: "List ban appeals",
          description:
            "Admins only. Appeals of banned users, newest first, optionally only those with one status.",
          querystring: Type.Intersect([Pagination, Type.Object({ status: Type.Optional(AppealStatus) })]),
          response: { 200: ListOf(Appeal), ...AccountErrors },
        },
      },
      async (request) =>
        appeals.listAppeals(ctx, request.actor, { status: request.query.status, ...page(request.query) }),
    );
    app.post(
      "/api/admin/appeals/:id/decision",
      {
        schema: {
          ...secured,
          summary: "Decide an appeal",
          description:
            "Admins only. lift unbans the user (if the ban appealed is still in force); uphold keeps the ban. In the same transaction an appeal-decision e-mail with the decision and the note is queued in the outbox for the member (memberNotified says whether they have an address); the member also sees both when they sign in. 404 APPEAL_NOT_FOUND, 409 APPEAL_DECIDED.",
          params: S.IdParam,
          body: Type.Object({
            decision: Type.Union([Type.Literal("lift"), Type.Literal("uphold")]),
            note: Type.Optional(
              Type.String({
                maxLength: 2000,
                description: "To the member: sent with the decision e-mail and shown when they sign in",
              }),
            ),
          }),
          response: { 200: DecidedAppeal, ...AccountErrors },
        },
      },
      async (request) =>
        appeals.decideAppeal(ctx, request.actor, request.params.id, request.body, requestMeta(request)),
    );
    app.get(
      "/api/admin/audit-log/types",
      {
        schema: {
          ...secured,
          summary: "Event types in the audit log",
          description:
            "Admins only. Every event type the log holds, by name: the values the audit log's `type` filter can match.",
          response: { 200: ListOf(Type.String()), ...AccountErrors },
        },
      },
      async (request) => pageOf(await listAuditTypes(ctx, request.actor), { limit: 1000 }),
    );
    app.get(
      "/api/admin/audit-log",
      {
        schema: {
          ...secured,
          summary: "Security and administration audit log",
          description:
            "Newest first. Security events: sign-in, sign-in.failed, password.changed/reset, email.changed, 2fa.enabled/disabled, role.changed, user.banned/unbanned, user.hidden/unhidden, api-key.created/revoked, appeal.filed/decided, account.deleted and more. Administration events (each edit with `details.changes`: every changed field's `{from, to}`; an edit that changes nothing writes none): category.created/updated, contribution-type.created/updated, multiplier.created, campaign.created/updated, settings.changed, forum-campaign.created/updated/reset, forum-rank.updated, forum-signature.created/updated/deleted. Points are not here: every award, correction and revocation is in the ledger (`GET /api/admin/ledger`). `user` (a username), `userId` or `actor` (the username who caused the event) naming no account: 404 USER_NOT_FOUND with `details.field`; a deleted account's events stay under its id and its anonymised name.",
          querystring: Type.Intersect([
            Pagination,
            Type.Object({
              type: Type.Optional(Type.String({ maxLength: 100 })),
              userId: Type.Optional(Type.String({ format: "uuid" })),
              user: Type.Optional(
                Type.String({ minLength: 1, maxLength: 100, description: "Only events of this username" }),
              ),
              actor: Type.Optional(
                Type.String({
                  minLength: 1,
                  maxLength: 100,
                  description: "Only events this username caused (an admin's edits, a user's own actions)",
                }),
              ),
            }),
          ]),
          response: { 200: ListOf(AuditEntry), ...AccountErrors },
        },
      },
      async (request) =>
        listAuditLog(ctx, request.actor, {
          type: request.query.type,
          userId: request.query.userId,
          username: request.query.user,
          actor: request.query.actor,
          ...page(request.query),
        }),
    );
  };
}
