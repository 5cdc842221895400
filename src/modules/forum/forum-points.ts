// How the forum module hands matured posts to the points ledger. Kept behind a small interface so
// crediting decisions (stored in forum_posts) do not depend on how the ledger is wired.

export interface ForumAward {
  forumCampaignId: string;
  pointsCampaignId: string | null;
  contributionTypeId: string | null;
  userId: string;
  /** Exact decimal string. */
  points: string;
  postedAt: Date;
  /** Stable idempotency reference: `forum-post:<post id>`. */
  sourceRef: string;
  evidenceUrl: string;
}

export interface PointsSink {
  /** Writes the award to the ledger; returns the contribution id, or null when no ledger is wired. */
  award(input: ForumAward): Promise<string | null>;
  /** Reverses an earlier award through the ledger. */
  revoke(contributionId: string, reason: string): Promise<void>;
  /** Creates (or finds) the points-side campaign and contribution type of a forum campaign. */
  ensureCampaign?(c: {
    slug: string;
    name: string;
    startsAt: Date;
    endsAt: Date | null;
    poolAmount: string | null;
    poolToken: string | null;
  }): Promise<{ pointsCampaignId: string | null; contributionTypeId: string | null }>;
}

/** A sink that records nothing: forum_posts alone hold the credited points. */
export const nullPointsSink: PointsSink = {
  award: async () => null,
  revoke: async () => undefined,
};
