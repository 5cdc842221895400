// Who is left out of public boards, standings and stats: hidden, banned or deleted participants.
// The rule in SQL (for queries over `users`) and in TypeScript (for a row already read) sits here, in
// the module that owns those columns, so the two forms cannot drift apart. The partial index
// `users_points_excluded_idx` (migrations) covers the same predicate.
import { type SQL, sql } from "drizzle-orm";
import { type Actor, hasRole } from "../../core/http/actor.ts";

/** SQL: true when the users row aliased `u` is left out of boards (hidden, banned or deleted). */
export const EXCLUDED = (u: string): SQL =>
  sql.raw(`(${u}.hidden OR ${u}.banned_at IS NOT NULL OR ${u}.deleted_at IS NOT NULL)`);

/** The same rule for a users row already read. */
export function isExcluded(u: { hidden: boolean; banned_at: Date | null; deleted_at: Date | null }): boolean {
  return u.hidden || u.banned_at !== null || u.deleted_at !== null;
}

/**
 * Whether `actor` may see this participant at all (profile, contributions filtered by them):
 * everyone sees included participants; staff and the participant themself also see excluded ones.
 */
export function canSeeParticipant(
  actor: Actor | null,
  u: { id: string; hidden: boolean; banned_at: Date | null; deleted_at: Date | null },
): boolean {
  return !isExcluded(u) || seesExcluded(actor, u.id);
}

/** Whether `actor` may see the excluded participant `userId`: staff, and the participant themself. */
export function seesExcluded(actor: Actor | null, userId: string): boolean {
  return hasRole(actor, "admin", "steward") || actor?.userId === userId;
}
