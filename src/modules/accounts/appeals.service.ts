// Ban appeals: what a banned member is told at sign-in, their one appeal per ban, and the admin's
// decision, mailed to the member in the decision's transaction.
import { jwtVerify, SignJWT } from "jose";
import { isUniqueViolation } from "../../core/db/client.ts";
import { conflict, forbidden, notFound, unauthorized } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import type { AccountsContext } from "./accounts.context.ts";
import * as users from "./accounts.repo.ts";
import * as appeals from "./appeals.repo.ts";
import { recordAudit } from "./audit.service.ts";
import type { RequestMeta } from "./security.ts";
import { secretKeyBytes } from "./sessions.service.ts";

const APPEAL_AUDIENCE = "merit-appeal";
const APPEAL_TOKEN_SECONDS = 60 * 60;

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

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const appealView = (a: appeals.AppealRow): AppealView => ({
  id: a.id,
  userId: a.user_id,
  username: a.username,
  banReason: a.ban_reason,
  message: a.message,
  status: a.status,
  createdAt: new Date(a.created_at).toISOString(),
  decidedAt: iso(a.decided_at),
  decidedBy: a.decided_by,
  note: a.note,
});

/** Where a banned member stands with the appeal of their current ban (details of ACCOUNT_BANNED). */
export type BanDetails = {
  banReason: string | null;
  bannedAt: string;
  /** Only while an appeal is possible: it lets its holder file the one appeal. */
  appealToken: string | null;
  appeal: {
    status: "possible" | "pending" | "decided";
    sentAt: string | null;
    decision: "lifted" | "upheld" | null;
    decidedAt: string | null;
    note: string | null;
  };
};

/** A short-lived token that lets a banned user file one appeal against this ban. */
async function appealToken(ctx: AccountsContext, user: users.UserRow): Promise<string> {
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({ ban: new Date(user.banned_at!).toISOString() })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user.id)
    .setAudience(APPEAL_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + APPEAL_TOKEN_SECONDS)
    .sign(secretKeyBytes(ctx));
}

/** Reads an appeal token; null when it is forged or expired. */
async function readAppealToken(
  ctx: AccountsContext,
  token: string,
): Promise<{ userId: string; banStartedAt: Date } | null> {
  try {
    const { payload } = await jwtVerify(token, secretKeyBytes(ctx), {
      audience: APPEAL_AUDIENCE,
      algorithms: ["HS256"],
      currentDate: ctx.clock.now(),
    });
    if (typeof payload.sub !== "string" || typeof payload.ban !== "string") return null;
    return { userId: payload.sub, banStartedAt: new Date(payload.ban) };
  } catch {
    return null;
  }
}

/**
 * 403 ACCOUNT_BANNED for a banned user who proved who they are (password and second factor): the
 * reason, and the appeal of this ban: possible (with a token), pending, or decided (with the note).
 */
export async function bannedError(ctx: AccountsContext, user: users.UserRow) {
  const bannedAt = new Date(user.banned_at!);
  const appeal = await appeals.findAppealForBan(ctx.db.orm, user.id, bannedAt);
  const details: BanDetails = {
    banReason: user.ban_reason,
    bannedAt: bannedAt.toISOString(),
    appealToken: appeal ? null : await appealToken(ctx, user),
    appeal: {
      status: !appeal ? "possible" : appeal.status === "open" ? "pending" : "decided",
      sentAt: iso(appeal?.created_at ?? null),
      decision: appeal && appeal.status !== "open" ? appeal.status : null,
      decidedAt: iso(appeal?.decided_at ?? null),
      note: appeal && appeal.status !== "open" ? appeal.note : null,
    },
  };
  return forbidden("ACCOUNT_BANNED", "This account is suspended", details);
}

/** Files the one appeal a banned user may make against the current ban (token from the 403 at sign-in). */
export async function fileAppeal(
  ctx: AccountsContext,
  token: string,
  message: string,
  meta: RequestMeta,
): Promise<AppealView> {
  const t = await readAppealToken(ctx, token);
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

/**
 * Decides an open appeal: "lift" ends the ban it is about (not a later one), "uphold" keeps it. The
 * decision mail (with the note) is queued in the same transaction, so it exists exactly when the
 * decision does; `memberNotified` is false when the account has no e-mail address.
 */
export async function decideAppeal(
  ctx: AccountsContext,
  actor: Actor | null,
  id: string,
  input: { decision: "lift" | "uphold"; note?: string },
  meta: RequestMeta,
): Promise<AppealView & { memberNotified: boolean }> {
  const admin = requireRole(actor, "admin");
  const appeal = await appeals.findAppeal(ctx.db.orm, id);
  if (!appeal) throw notFound("APPEAL_NOT_FOUND", "No such appeal");
  const now = ctx.clock.now();
  const note = input.note?.trim() || null;
  const view = await ctx.db.transaction(async (tx) => {
    const status = input.decision === "lift" ? "lifted" : "upheld";
    if (!(await appeals.decideAppeal(tx, id, { status, by: admin.userId, note, at: now }))) {
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
    const isLifting = status === "lifted" && isSameBan;
    if (isLifting) {
      await users.updateUser(tx, appeal.user_id, now, { banned_at: null, ban_reason: null });
      await recordAudit(tx, ctx.clock, { ...base, type: "user.unbanned", details: { appealId: id } });
    }
    const email = user && !user.deleted_at ? user.email : null;
    if (email) {
      await ctx.mail.enqueue(tx, {
        to: email,
        template: "appeal-decision",
        locale: user!.locale,
        vars: {
          username: user!.username,
          decision: status,
          note: note ?? undefined,
          suspended: Boolean(user!.banned_at) && !isLifting,
        },
      });
    }
    return { ...appealView((await appeals.findAppeal(tx, id))!), memberNotified: email !== null };
  });
  ctx.changes.emit("users");
  return view;
}
