// How the forum module hands matured posts to the points ledger. Kept behind a small interface so
// crediting decisions (stored in forum_posts) do not depend on how the ledger is wired.
import type { Actor } from "../../core/http/actor.ts";

/** Most points one post may earn before its rank bonus (whole numbers: the ledger's base points). */
export const MAX_POST_POINTS = 1_000_000;

export interface ForumAward {
  forumCampaignId: string;
  pointsCampaignId: string | null;
  contributionTypeId: string | null;
  userId: string;
  /** Exact decimal string: postPoints x (1 + bonusPercent / 100), as stored on the post. */
  points: string;
  /** The rank bonus included in `points`, percent (exact decimal string, "0" without a bonus). */
  bonusPercent: string;
  postedAt: Date;
  /** Stable idempotency reference: `forum-post:<post id>`. */
  sourceRef: string;
  /** The post on the forum (its public address), the award's evidence. */
  evidenceUrl: string;
}

/** The fields of a forum campaign its points-side campaign mirrors. */
export interface ForumCampaignLink {
  slug: string;
  name: string;
  startsAt: Date;
  /** Null: open-ended. */
  endsAt: Date | null;
  poolAmount: string | null;
  poolToken: string | null;
}

export interface PointsLink {
  pointsCampaignId: string | null;
  contributionTypeId: string | null;
}

export interface PointsSink {
  /** Writes the award to the ledger; returns the contribution id, or null when no ledger is wired. */
  award(input: ForumAward): Promise<string | null>;
  /** Reverses an earlier award through the ledger. */
  revoke(contributionId: string, reason: string): Promise<void>;
  /** Creates (or finds) the points-side campaign and contribution type of a forum campaign. */
  ensureCampaign?(c: ForumCampaignLink): Promise<PointsLink>;
  /**
   * Mirrors an edited forum campaign's name, window and pool on its points campaign (creating it when
   * the forum campaign has none yet), on behalf of the admin who edited it (recorded in the audit
   * log). Throws, changing nothing, when the points side refuses the values; returns the link to store.
   */
  updateCampaign?(c: ForumCampaignLink & PointsLink, by: Actor): Promise<PointsLink>;
}

/** A sink that records nothing: forum_posts alone hold the credited points. */
export const nullPointsSink: PointsSink = {
  award: async () => null,
  revoke: async () => undefined,
};
