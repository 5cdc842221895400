// Security audit log: events are written in the same transaction as the change they describe.
import type { Clock } from "../../core/clock.ts";
import type { Database, Tx } from "../../core/db/client.ts";
import { notFound } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import * as repo from "./audit.repo.ts";

export type { AuditEvent } from "./audit.repo.ts";

/** Records one audit event (inside the caller's transaction when given one). */
export function recordAudit(db: Tx, clock: Clock, event: repo.AuditEvent): Promise<void> {
  return repo.insertAudit(db, event, clock.now());
}

export interface AuditView {
  id: string;
  type: string;
  userId: string | null;
  /** The user's current username (null when the event has no user). */
  username: string | null;
  actorId: string | null;
  actorUsername: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** The audit log, newest first, filtered by type and user (admins only). */
export async function listAuditLog(
  deps: { db: Database },
  actor: Actor | null,
  f: { type?: string; userId?: string; username?: string; limit: number; offset: number },
): Promise<{ items: AuditView[]; total: number }> {
  requireRole(actor, "admin");
  // A filter naming nobody is a 404 naming it, as the points filters answer, not an empty log.
  if (f.userId && !(await repo.userExists(deps.db.orm, { id: f.userId })))
    throw notFound("USER_NOT_FOUND", `No user with id ${f.userId}`, { field: "userId" });
  if (f.username && !(await repo.userExists(deps.db.orm, { username: f.username })))
    throw notFound("USER_NOT_FOUND", `No user "${f.username}"`, { field: "user" });
  const r = await repo.listAudit(deps.db.orm, f);
  return {
    total: r.total,
    items: r.items.map((x) => ({
      id: x.id,
      type: x.type,
      userId: x.user_id,
      username: x.username,
      actorId: x.actor_id,
      actorUsername: x.actor_username,
      ip: x.ip,
      details: x.details,
      createdAt: new Date(x.created_at).toISOString(),
    })),
  };
}
