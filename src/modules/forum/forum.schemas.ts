// Request/response schemas of the forum API (they also feed OpenAPI).
import { type TSchema, Type } from "typebox";
import { DEFAULT_FORUM_SITE } from "./forum-sites.ts";

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Decimal = (description: string) =>
  Type.String({ pattern: "^-?\\d+(\\.\\d+)?$", description, examples: ["100"] });
export const DateTime = Type.String({ format: "date-time" });

export const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 64 }) });

export const Site = Type.Object({ id: Type.String(), name: Type.String(), url: Type.String() });

export const Rank = Type.Object({
  id: Type.String({ format: "uuid" }),
  site: Type.String(),
  name: Type.String({ description: "Forum position, e.g. Sr. Member" }),
  bonusPercent: Decimal("Bonus on postPoints for posts made at this rank, percent"),
  allowed: Type.Boolean({ description: "Whether members of this rank may join" }),
});
export const RankPatch = Type.Object(
  {
    bonusPercent: Type.Optional(Type.String({ pattern: "^\\d{1,4}(\\.\\d{1,4})?$" })),
    allowed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Signature = Type.Object({
  id: Type.String({ format: "uuid" }),
  site: Type.String(),
  name: Type.String(),
  code: Type.String({ description: "BBCode to paste into the forum profile" }),
  imageUrl: Nullable(Type.String()),
  allowedRanks: Type.Array(Type.String()),
  active: Type.Boolean(),
});
const signatureFields = {
  site: Type.Optional(Type.String()),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  code: Type.String({ minLength: 1, maxLength: 5000 }),
  imageUrl: Type.Optional(Nullable(Type.String({ format: "uri", maxLength: 2000 }))),
  allowedRanks: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 30 }),
  active: Type.Optional(Type.Boolean()),
};
export const NewSignature = Type.Object(signatureFields, { additionalProperties: false });
export const SignaturePatch = Type.Partial(Type.Object(signatureFields), { additionalProperties: false });

const campaignFields = {
  slug: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,62}$" }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  site: Type.Optional(Type.String()),
  startsAt: DateTime,
  endsAt: Type.Optional(Nullable(DateTime)),
  pool: Type.Optional(
    Nullable(
      Type.String({ pattern: "^\\d+(\\.\\d+)?$", maxLength: 80, description: "Tokens to share, exact" }),
    ),
  ),
  poolToken: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  postPoints: Type.Optional(
    Type.String({
      pattern: "^\\d+(\\.\\d+)?$",
      description:
        "Points per post before rank bonus (default 100): a whole number from 0 to 1000000, 422 INVALID_POST_POINTS otherwise; the bonus goes into the ledger multiplier so post points stay exact",
    }),
  ),
  maturationMinutes: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 525_600, description: "default 1440" }),
  ),
  uptimeThresholdPercent: Type.Optional(
    Type.String({ pattern: "^\\d{1,3}(\\.\\d+)?$", description: "default 90" }),
  ),
  scrapeIntervalSeconds: Type.Optional(
    Type.Integer({ minimum: 5, maximum: 86_400, description: "default 300" }),
  ),
  minPostLength: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000 }))),
  excludedBoards: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200 })),
  weeklyPostCap: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 1,
        maximum: 10_000,
        description:
          "Most posts per member and week that can earn points, earliest first; later ones are WEEKLY_CAP, and one of them takes the slot of a counted post that is uncredited (deleted, low uptime)",
      }),
    ),
  ),
  weekResetDay: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 6,
      description: "0 = Sunday ... 6 = Saturday, UTC (default 1, Monday)",
    }),
  ),
};
export const NewCampaign = Type.Object(campaignFields, { additionalProperties: false });
const { slug: _slug, site: _site, ...patchable } = campaignFields;
export const CampaignPatch = Type.Partial(Type.Object(patchable), { additionalProperties: false });

export const Campaign = Type.Object({
  id: Type.String({ format: "uuid" }),
  slug: Type.String(),
  name: Type.String(),
  site: Type.String(),
  startsAt: DateTime,
  endsAt: Nullable(DateTime),
  pool: Nullable(Type.String()),
  poolToken: Nullable(Type.String()),
  postPoints: Type.String(),
  maturationMinutes: Type.Integer(),
  uptimeThresholdPercent: Type.String(),
  scrapeIntervalSeconds: Type.Integer(),
  minPostLength: Nullable(Type.Integer()),
  excludedBoards: Type.Array(Type.String()),
  weeklyPostCap: Nullable(Type.Integer()),
  weekResetDay: Type.Integer(),
  pointsCampaignId: Nullable(Type.String()),
});

export const CheckBody = Type.Object(
  {
    site: Type.Optional(
      Type.String({
        default: DEFAULT_FORUM_SITE,
        description: `Forum site; ${DEFAULT_FORUM_SITE} when left out`,
      }),
    ),
    forumUser: Type.String({ minLength: 1, maxLength: 300, description: "Forum user id or profile URL" }),
  },
  { additionalProperties: false },
);
export const CheckResult = Type.Object({
  found: Type.Boolean(),
  forumUserId: Type.Integer(),
  username: Nullable(Type.String()),
  position: Nullable(Type.String()),
  allowed: Type.Boolean(),
  bonusPercent: Type.Optional(Type.String()),
  claimed: Type.Boolean({
    description:
      "Whether a Merit account has verified this forum account (unverified claims reserve nothing)",
  }),
  claimedByMe: Type.Optional(
    Type.Boolean({ description: "Whether you hold a claim of it, verified or not" }),
  ),
});
export const ClaimBody = Type.Object(
  {
    site: Type.Optional(
      Type.String({
        default: DEFAULT_FORUM_SITE,
        description: `Forum site; ${DEFAULT_FORUM_SITE} when left out`,
      }),
    ),
    forumUser: Type.String({ minLength: 1, maxLength: 300 }),
    campaign: Type.String({ minLength: 1, description: "Campaign slug" }),
  },
  { additionalProperties: false },
);

export const Profile = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  site: Type.String(),
  campaign: Nullable(Type.String()),
  forumUserId: Type.Integer(),
  username: Type.String(),
  position: Type.String(),
  signatureId: Nullable(Type.String()),
  status: Type.String({ description: "unverified | verified | inactive" }),
  verifiedAt: Nullable(DateTime),
  ownerVerifiedAt: Nullable(
    Type.String({
      format: "date-time",
      description: "When the claim's verification code was found on the forum profile; null until then",
    }),
  ),
  lastCheckedAt: Nullable(DateTime),
  lastAttemptAt: Nullable(DateTime),
  lastOutcome: Nullable(Type.String()),
  signatureFound: Nullable(Type.Boolean()),
});
const VerificationCode = Type.String({
  description:
    "The claim's own code (merit- and 8 characters); it must be in the forum signature at the first verification. Shown to the claimant only.",
});
export const ClaimResult = Type.Object({ id: Type.String(), verificationCode: VerificationCode });
export const MyProfile = Type.Intersect([
  Profile,
  Type.Object({
    verificationCode: VerificationCode,
    points: Type.Object({ credited: Type.String(), pending: Type.String() }),
    posts: Type.Object({ pending: Type.Integer(), credited: Type.Integer(), uncredited: Type.Integer() }),
  }),
]);

export const Post = Type.Object({
  id: Type.String(),
  messageId: Type.Integer(),
  topicId: Type.Integer(),
  boardName: Nullable(Type.String()),
  postedAt: DateTime,
  maturesAt: DateTime,
  contentLength: Type.Integer(),
  rank: Type.String({ description: "Rank when the post was found" }),
  bonusPercent: Type.String(),
  points: Type.String({ description: "Points the post earns (credited) or would earn (pending)" }),
  status: Type.String({ description: "pending | credited | uncredited" }),
  reason: Nullable(
    Type.String({
      description:
        "Why uncredited: LOW_UPTIME, DELETED, TOO_SHORT, EXCLUDED_BOARD, WEEKLY_CAP, RANK_NOT_ALLOWED, OUTSIDE_WINDOW, ACCOUNT_DELETED (the participant deleted their Merit account before the post matured). On a pending post, POINTS_REFUSED:<code> when the post matured but the points rules refused its award (for example CAP_EXCEEDED, CONTRIBUTION_TYPE_INACTIVE, POINTS_OUT_OF_RANGE): it stays pending and is awarded at a later check once the rule allows it.",
    }),
  ),
  uptimePercent: Nullable(Type.String()),
  missingSeconds: Type.Integer(),
  decidedAt: Nullable(DateTime),
});

export const Standing = Type.Object({
  rank: Type.Integer({ description: "1-based; equal points share a rank" }),
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  displayName: Nullable(Type.String({ description: "Shown instead of username where set" })),
  forumUsername: Type.String(),
  creditedPosts: Type.Integer(),
  pendingPosts: Type.Integer(),
  points: Decimal("Credited points, exact"),
  pendingPoints: Decimal("Points of the posts still maturing"),
  sharePercent: Decimal("Share of the campaign's credited points, percent, rounded down to 4 places"),
  estimatedTokens: Nullable(Decimal("Estimated pool tokens, rounded down to 8 places; null without a pool")),
});
export const Standings = Type.Object({
  campaign: Type.String({ description: "Campaign slug" }),
  pool: Nullable(Type.String()),
  poolToken: Nullable(Type.String()),
  totalPoints: Decimal("Credited points of every participant"),
  totalCreditedPosts: Type.Integer(),
  participants: Type.Integer({
    description:
      "Members with a verified forum account in the campaign (hidden and banned ones left out), with or without credited posts; the campaign's points board lists only those with points",
  }),
  items: Type.Array(Standing),
});

/** The daily series' window when a request names none. */
export const DEFAULT_DAILY_DAYS = 30;

export const DailyQuery = Type.Object({
  days: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 366,
      default: DEFAULT_DAILY_DAYS,
      description: "How many UTC days, ending today (included)",
    }),
  ),
});
const dailyCounts = {
  found: Type.Integer({ description: "Posts tracked that were written this day (every status)" }),
  pending: Type.Integer({ description: "Of those, still maturing" }),
  credited: Type.Integer({ description: "Of those, credited into the ledger" }),
  uncredited: Type.Integer({ description: "Of those, uncredited (see the posts for each reason)" }),
  creditedPoints: Decimal("Points of the credited posts, exact"),
  pendingPoints: Decimal("Points the pending posts earn if they mature with the signature in place"),
};
const DailySeries = {
  from: Type.String({ format: "date", description: "First day (UTC), YYYY-MM-DD" }),
  to: Type.String({ format: "date", description: "Last day (UTC, today), YYYY-MM-DD" }),
  days: Type.Integer(),
  items: Type.Array(
    Type.Object({ day: Type.String({ format: "date", description: "UTC day, YYYY-MM-DD" }), ...dailyCounts }),
    { description: "One entry per day, oldest first; days without posts have zeros" },
  ),
  totals: Type.Object(dailyCounts, { description: "Sums over the whole window" }),
};
export const ProfileDaily = Type.Object({ profileId: Type.String({ format: "uuid" }), ...DailySeries });
export const CampaignDaily = Type.Object({ campaign: Type.String(), ...DailySeries });

// Venue's `leaderboard-data` (snake_case, numbers rounded to 2 places), for Venue's front end.

const VenueForumStat = Type.Object({
  forumSite: Type.String({ description: "Forum site name" }),
  value: Type.Integer(),
  color: Type.String({ description: "Chart colour, #rrggbb" }),
});
export const VenueLeaderboard = Type.Object(
  {
    success: Type.Boolean({ description: "Always true" }),
    rankings: Type.Array(
      Type.Object({
        username: Type.String({ description: "Merit username" }),
        rank: Type.Integer({ description: "1-based; equal points share a rank" }),
        total_posts: Type.Integer({ description: "Credited posts" }),
        total_points: Type.Number({ description: "Credited points" }),
        total_tokens: Type.Number({ description: "Estimated pool tokens; 0 without a pool" }),
      }),
    ),
    sitewide: Type.Object(
      {
        available_tokens: Type.Optional(
          Type.String({ description: "Token pool, en-US grouped, e.g. 120,000" }),
        ),
        total_users: Type.Optional(Type.Integer({ description: "Participants" })),
        total_posts: Type.Optional(Type.Integer({ description: "Credited posts" })),
        total_points: Type.Optional(Type.Number({ description: "Credited points" })),
      },
      { description: "Empty when no forum campaign is running" },
    ),
    userstats: Type.Object(
      {
        overall_rank: Type.Optional(Nullable(Type.Integer({ description: "Null when not ranked" }))),
        total_tokens: Type.Optional(Type.Integer({ description: "Estimated pool tokens, rounded" })),
      },
      { description: "The caller's standing; empty when signed out or no forum campaign is running" },
    ),
    forumstats: Type.Object({
      posts: Type.Array(VenueForumStat, { description: "Credited posts per forum site" }),
      users: Type.Array(VenueForumStat, { description: "Participants per forum site" }),
    }),
  },
  { description: "Venue leaderboard data for the current forum campaign" },
);
