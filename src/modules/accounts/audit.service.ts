// Audit log of security and administration events: each is written in the same transaction as the
// change it describes, so a refused or rolled-back change leaves no event.
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

/** Records an event; modules that may not import this one (settings) receive it injected. */
export type AuditRecorder = typeof recordAudit;

/**
 * The fields whose values differ between two views of one record, each as `{from, to}`: the
 * `changes` of every `*.updated` event. Values compare by their JSON form (lists, pools, nulls).
 */
export function fieldChanges<T extends object>(
  before: T,
  after: T,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      out[k as string] = { from: before[k] ?? null, to: after[k] ?? null };
  }
  return out;
}

/**
 * Records an edit as `type` with each changed field's `{from, to}` (see fieldChanges) beside
 * `details`; an edit that changed nothing records nothing.
 */
export async function recordEdit(
  tx: Tx,
  clock: Clock,
  event: { type: string; actorId: string; details: Record<string, unknown> },
  before: object,
  after: object,
): Promise<void> {
  const changes = fieldChanges(before, after);
  if (Object.keys(changes).length === 0) return;
  await recordAudit(tx, clock, { ...event, details: { ...event.details, changes } });
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

/** The event types present in the log, by name (admins only): what the type filter can match. */
export async function listAuditTypes(deps: { db: Database }, actor: Actor | null): Promise<string[]> {
  requireRole(actor, "admin");
  return repo.auditTypes(deps.db.orm);
}

/** The audit log, newest first, filtered by type and user (admins only). */
export async function listAuditLog(
  deps: { db: Database },
  actor: Actor | null,
  f: { type?: string; userId?: string; username?: string; actor?: string; limit: number; offset: number },
): Promise<{ items: AuditView[]; total: number }> {
  requireRole(actor, "admin");
  // A filter naming nobody is a 404 naming it, as the points filters answer, not an empty log.
  if (f.userId && !(await repo.userExists(deps.db.orm, { id: f.userId })))
    throw notFound("USER_NOT_FOUND", `No user with id ${f.userId}`, { field: "userId" });
  if (f.username && !(await repo.userExists(deps.db.orm, { username: f.username })))
    throw notFound("USER_NOT_FOUND", `No user "${f.username}"`, { field: "user" });
  if (f.actor && !(await repo.userExists(deps.db.orm, { username: f.actor })))
    throw notFound("USER_NOT_FOUND", `No user "${f.actor}"`, { field: "actor" });
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
