// Admin user management: search, roles, bans (with one appeal per ban) and hiding from leaderboards.
import { isUniqueViolation } from "../../core/db/client.ts";
import { conflict, notFound, unauthorized, unprocessable } from "../../core/errors.ts";
import { type Actor, type Role, requireRole } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import * as appeals from "./appeals.repo.ts";
import { recordAudit } from "./audit.service.ts";
import { readAppealToken } from "./auth.service.ts";
import type { RequestMeta } from "./security.ts";
import { revokeUserSessions } from "./sessions.repo.ts";
import { type AdminUserView, adminUserView } from "./user-view.ts";

export const ROLES: Role[] = ["admin", "steward", "member"];

/** Searches live accounts (admins only). */
export async function listUsers(
  ctx: AccountsContext,
  actor: Actor | null,
  f: { search?: string; role?: string; banned?: boolean; limit: number; offset: number },
): Promise<{ items: AdminUserView[]; total: number }> {
  requireRole(actor, "admin");
  const r = await users.searchUsers(ctx.db.orm, f);
  return { items: r.items.map(adminUserView), total: r.total };
}

export interface UserPatch {
  roles?: Role[];
  banned?: boolean;
  banReason?: string | null;
  hidden?: boolean;
}

/** Changes roles, ban state or visibility of a user; admins can neither demote nor ban themselves. */
export async function patchUser(
  ctx: AccountsContext,
  actor: Actor | null,
  id: string,
  patch: UserPatch,
  meta: RequestMeta,
): Promise<AdminUserView> {
  const admin = requireRole(actor, "admin");
  const target = await users.findUserById(ctx.db.orm, id);
  if (!target || target.deleted_at) throw notFound("USER_NOT_FOUND", "No such user");
  const self = target.id === admin.userId;
  if (self && patch.roles && !patch.roles.includes("admin")) {
    throw unprocessable("CANNOT_DEMOTE_SELF", "You cannot remove your own admin role", { field: "roles" });
  }
  if (self && patch.banned)
    throw unprocessable("CANNOT_BAN_SELF", "You cannot ban yourself", { field: "banned" });
  const now = ctx.clock.now();
  const base = { userId: target.id, actorId: admin.userId, ip: meta.ip };
  const view = await ctx.db.transaction(async (tx) => {
    const fields: Parameters<typeof users.updateUser>[3] = {};
    if (patch.roles) {
      const roles = [...new Set(patch.roles)].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
      if (
        roles.join() !==
        [...target.roles].sort((a, b) => ROLES.indexOf(a as Role) - ROLES.indexOf(b as Role)).join()
      ) {
        fields.roles = roles;
        await recordAudit(tx, ctx.clock, {
          ...base,
          type: "role.changed",
          details: { from: target.roles, to: roles },
        });
      }
    }
    if (patch.banned === true && !target.banned_at) {
      fields.banned_at = now;
      fields.ban_reason = patch.banReason ?? null;
      await revokeUserSessions(tx, target.id, now, "banned");
      await recordAudit(tx, ctx.clock, {
        ...base,
        type: "user.banned",
        details: { reason: patch.banReason ?? null },
      });
      if (target.email) {
        await ctx.mail.enqueue(tx, {
          to: target.email,
          template: "ban-notice",
          locale: target.locale,
          vars: { username: target.username, reason: patch.banReason ?? undefined },
        });
      }
    } else if (patch.banned === false && target.banned_at) {
      fields.banned_at = null;
      fields.ban_reason = null;
      await recordAudit(tx, ctx.clock, { ...base, type: "user.unbanned" });
    } else if (patch.banReason !== undefined && target.banned_at && patch.banned !== false) {
      fields.ban_reason = patch.banReason;
    }
    if (patch.hidden !== undefined && patch.hidden !== target.hidden) {
      fields.hidden = patch.hidden;
      await recordAudit(tx, ctx.clock, { ...base, type: patch.hidden ? "user.hidden" : "user.unhidden" });
    }
    if (Object.keys(fields).length === 0) return adminUserView(target);
    return adminUserView(await users.updateUser(tx, target.id, now, fields));
  });
  ctx.changes.emit("users");
  return view;
}

export interface AppealView {
  id: string;
  userId: string;
  username: string;
  banReason: string | null;
  message: string;
  status: "open" | "lifted" | "upheld";
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
}

const appealView = (a: appeals.AppealRow): AppealView => ({
  id: a.id,
  userId: a.user_id,
  username: a.username,
  banReason: a.ban_reason,
  message: a.message,
  status: a.status,
  createdAt: new Date(a.created_at).toISOString(),
  decidedAt: a.decided_at ? new Date(a.decided_at).toISOString() : null,
  decidedBy: a.decided_by,
  note: a.note,
});

/** Files the one appeal a banned user may make against the current ban (token from the 403 at sign-in). */
export async function fileAppeal(
  ctx: AccountsContext,
  appealToken: string,
  message: string,
  meta: RequestMeta,
) {
  const t = await readAppealToken(ctx, appealToken);
  if (!t)
    throw unauthorized(
      "INVALID_APPEAL_TOKEN",
      "The appeal token is invalid or expired; sign in again to get a new one",
    );
  const user = await users.findUserById(ctx.db.orm, t.userId);
  if (!user?.banned_at || new Date(user.banned_at).getTime() !== t.banStartedAt.getTime()) {
    throw conflict("NOT_BANNED", "This ban is no longer in force");
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = await appeals.insertAppeal(tx, {
        userId: user.id,
        banStartedAt: t.banStartedAt,
        banReason: user.ban_reason,
        message,
        at: ctx.clock.now(),
      });
      await recordAudit(tx, ctx.clock, {
        type: "appeal.filed",
        userId: user.id,
        actorId: user.id,
        ip: meta.ip,
        details: { appealId: id },
      });
      return appealView((await appeals.findAppeal(tx, id))!);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("APPEAL_EXISTS", "You already appealed this ban");
    throw err;
  }
}

/** Appeals, newest first (admins only). */
export async function listAppeals(
  ctx: AccountsContext,
  actor: Actor | null,
  f: { status?: string; limit: number; offset: number },
): Promise<{ items: AppealView[]; total: number }> {
  requireRole(actor, "admin");
  const r = await appeals.listAppeals(ctx.db.orm, f);
  return { items: r.items.map(appealView), total: r.total };
}

/** Decides an open appeal: "lift" ends the ban it is about (not a later one), "uphold" keeps it. */
export async function decideAppeal(
  ctx: AccountsContext,
  actor: Actor | null,
  id: string,
  input: { decision: "lift" | "uphold"; note?: string },
  meta: RequestMeta,
): Promise<AppealView> {
  const admin = requireRole(actor, "admin");
  const appeal = await appeals.findAppeal(ctx.db.orm, id);
  if (!appeal) throw notFound("APPEAL_NOT_FOUND", "No such appeal");
  const now = ctx.clock.now();
  const view = await ctx.db.transaction(async (tx) => {
    const status = input.decision === "lift" ? "lifted" : "upheld";
    if (
      !(await appeals.decideAppeal(tx, id, { status, by: admin.userId, note: input.note ?? null, at: now }))
    ) {
      throw conflict("APPEAL_DECIDED", "This appeal was decided already");
    }
    const base = { userId: appeal.user_id, actorId: admin.userId, ip: meta.ip };
    await recordAudit(tx, ctx.clock, {
      ...base,
      type: "appeal.decided",
      details: { appealId: id, decision: input.decision },
    });
    const user = await users.findUserById(tx, appeal.user_id);
    // Only the ban this appeal is about: a later ban (after this one was lifted otherwise) stays.
    const isSameBan =
      user?.banned_at && new Date(user.banned_at).getTime() === new Date(appeal.ban_started_at).getTime();
    if (status === "lifted" && isSameBan) {
      await users.updateUser(tx, appeal.user_id, now, { banned_at: null, ban_reason: null });
      await recordAudit(tx, ctx.clock, { ...base, type: "user.unbanned", details: { appealId: id } });
    }
    return appealView((await appeals.findAppeal(tx, id))!);
  });
  ctx.changes.emit("users");
  return view;
}
