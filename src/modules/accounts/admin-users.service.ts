// Admin user management: search, roles, bans and hiding from leaderboards (appeals: appeals.service.ts).
import { notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, type Role, requireRole } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import { recordAudit } from "./audit.service.ts";
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
