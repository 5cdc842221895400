// Response schemas of the forum's admin views (forum-admin.routes.ts); they also feed OpenAPI.
import { Type } from "typebox";
import { DateTime, Nullable, Post, Profile } from "./forum.schemas.ts";

export const AdminProfile = Type.Intersect([
  Profile,
  Type.Object({
    meritUsername: Type.String({ description: "Username of the Merit account that claimed the profile" }),
    checks: Type.Integer({ description: "Successful checks (since the last reset)" }),
    maxGapSeconds: Type.Integer({ description: "Longest time between two successful checks, seconds" }),
  }),
]);

export const Scrape = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: "verify | profile | history" }),
  outcome: Type.String({
    description: "ok | not-found | rate-limited | cloudflare | error | timeout | circuit-open",
  }),
  httpStatus: Nullable(Type.Integer({ description: "Status of the last attempt; null without a response" })),
  attempts: Type.Integer({ description: "Requests made, retries included" }),
  pages: Type.Integer({ description: "Pages read" }),
  signatureFound: Nullable(
    Type.Boolean({ description: "Null when no signature was read (history, failure)" }),
  ),
  links: Nullable(Type.Array(Type.String(), { description: "Links in the profile's signature" })),
  missingLinks: Nullable(
    Type.Array(Type.String(), { description: "Links of the design missing from the signature" }),
  ),
  newPosts: Nullable(Type.Integer({ description: "Posts found by a history scan; null for other kinds" })),
  error: Nullable(Type.String()),
  durationMs: Type.Integer(),
  at: DateTime,
});

export const RescrapeResult = Type.Object(
  {
    profileId: Type.String({ format: "uuid" }),
    skipped: Type.Optional(
      Type.Union([Type.Literal("LEASED"), Type.Literal("NOT_VERIFIED"), Type.Literal("LEASE_EXPIRED")], {
        description:
          "Set when the check did not finish: another check holds the profile (LEASED), it is not verified, or the forum kept it waiting (Retry-After, a busy host) until its 10-minute lease was nearly over (LEASE_EXPIRED; what was read is kept, the next round checks again)",
      }),
    ),
    outcome: Type.Optional(
      Type.String({ description: "Outcome of the profile page request, as in scrapes" }),
    ),
    signatureFound: Type.Optional(Nullable(Type.Boolean({ description: "Null when the page was not read" }))),
    newPosts: Type.Optional(Type.Integer({ description: "Posts found by the history scan" })),
    credited: Type.Optional(Type.Integer({ description: "Posts that matured and were credited" })),
    uncredited: Type.Optional(Type.Integer({ description: "Posts that matured and were uncredited" })),
  },
  {
    description:
      "What the check did. The fields after `profileId` are there as far as the check got: none when skipped, `outcome` and `signatureFound` alone when the profile page could not be read.",
  },
);

export const AdminPost = Type.Intersect([
  Post,
  Type.Object({ profileId: Type.String({ format: "uuid" }), forumUsername: Type.String() }),
]);

const RoundPlan = Type.Object(
  {
    budget: Type.Integer({ description: "Requests a round may make: request rate x interval" }),
    neededForMaturing: Type.Integer({ description: "Requests the profiles with maturing posts alone need" }),
    needed: Type.Integer({ description: "Requests every due profile (maturing and idle) would need" }),
    maturing: Type.Integer({ description: "Profiles with maturing posts" }),
    selected: Type.Integer({ description: "Profiles chosen for the round" }),
    selectedMaturing: Type.Integer({ description: "Of those, profiles with maturing posts" }),
    skippedMaturing: Type.Integer({
      description: "Profiles with maturing posts left out for lack of budget",
    }),
    planned: Type.Integer({ description: "Requests the chosen profiles cost" }),
    budgetTooSmall: Type.Boolean(),
    warning: Nullable(Type.String()),
    at: Type.String({ format: "date-time", description: "When the round was planned" }),
  },
  { description: "The last round's plan; null before the first round (or after a reset)" },
);
const CoverageProfile = Type.Object({
  id: Type.String({ format: "uuid" }),
  username: Type.String({ description: "Forum username" }),
  forumUserId: Type.Integer(),
  status: Type.String({ description: "unverified | verified | inactive" }),
  checks: Type.Integer({ description: "Successful checks" }),
  lastCheckedAt: Nullable(Type.String({ format: "date-time", description: "Last successful check" })),
  lastAttemptAt: Nullable(DateTime),
  lastOutcome: Nullable(Type.String()),
  maxGapSeconds: Type.Integer({ description: "Longest time between two successful checks, seconds" }),
  secondsSinceCheck: Nullable(
    Type.Integer({ description: "Since the last successful check; null if never" }),
  ),
  pendingPosts: Type.Integer({ description: "Posts still maturing" }),
});
export const Coverage = Type.Object(
  {
    campaign: Type.String({ description: "Campaign slug" }),
    scrapeIntervalSeconds: Type.Integer(),
    requestsPerSecond: Type.Number({ description: "Request rate to the forum host (setting)" }),
    lastRoundAt: Nullable(DateTime),
    nextRoundAt: Nullable(DateTime),
    lastPlan: Nullable(RoundPlan),
    budgetTooSmall: Type.Boolean({
      description: "The last plan could not check every maturing profile within the coverage target",
    }),
    warning: Nullable(Type.String({ description: "The last plan's warning, if any" })),
    verifiedProfiles: Type.Integer(),
    maturingProfiles: Type.Integer({ description: "Verified profiles with maturing posts" }),
    maxGapSecondsMaturing: Type.Integer({ description: "Largest maxGapSeconds among the maturing profiles" }),
    oldestCheckSecondsMaturing: Type.Integer({
      description: "Largest secondsSinceCheck among the maturing profiles",
    }),
    profiles: Type.Array(CoverageProfile, {
      description: "Every profile of the campaign, by forum username",
    }),
  },
  { description: "How often each profile was checked, the last round's plan and its warning" },
);

export const ResetCounts = Type.Object(
  {
    deletedPosts: Type.Integer(),
    deletedScrapes: Type.Integer(),
    revokedContributions: Type.Integer({
      description: "Credited posts whose ledger contributions were revoked",
    }),
  },
  { description: "What the reset removed" },
);
