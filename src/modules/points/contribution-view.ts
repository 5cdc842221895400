// The API shape of a contribution, and who may read what of it. Used by awards (a replayed origin
// answers with the contribution already written), contributions, queries and participant profiles.
import { type Actor, hasRole } from "../../core/http/actor.ts";
import type * as repo from "./contributions.repo.ts";
import { decimalString, iso } from "./points.shared.ts";

export interface Evidence {
  url: string;
  description?: string;
}

export interface ContributionView {
  id: string;
  userId: string;
  username: string;
  displayName: string | null;
  contributionTypeId: string;
  contributionType: string;
  contributionTypeName: string;
  category: string;
  points: number;
  multiplierAtCreation: string;
  globalPoints: string;
  contributionDate: string;
  evidence: Evidence[];
  notes: string | null;
  source: string;
  sourceRef: string | null;
  awardedBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** Null unless the viewer may read it (see `canReadModeration`). */
  revokeReason: string | null;
}

/**
 * Whether `viewer` may read the moderation of a contribution of `ownerId`: which staff member awarded
 * it and why it was revoked. Only staff and the participant it belongs to see them; everyone sees
 * that it was awarded and revoked, and when.
 */
export function canReadModeration(viewer: Actor | null, ownerId: string): boolean {
  return hasRole(viewer, "admin", "steward") || viewer?.userId === ownerId;
}

/** API shape of a contribution row as `viewer` may see it. */
export function contributionView(r: repo.ContributionRow, viewer: Actor | null): ContributionView {
  const moderation = canReadModeration(viewer, r.user_id);
  return {
    id: r.id,
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    contributionTypeId: r.contribution_type_id,
    contributionType: r.type_slug,
    contributionTypeName: r.type_name,
    category: r.category_slug,
    points: r.points,
    multiplierAtCreation: r.multiplier_at_creation,
    globalPoints: decimalString(r.global_points),
    contributionDate: iso(r.contribution_date)!,
    evidence: r.evidence,
    notes: r.notes,
    source: r.source,
    sourceRef: r.source_ref,
    awardedBy: moderation ? r.awarded_by : null,
    createdAt: iso(r.created_at)!,
    revokedAt: iso(r.revoked_at),
    revokeReason: moderation ? r.revoke_reason : null,
  };
}
