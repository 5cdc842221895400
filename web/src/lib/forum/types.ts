// Shapes of the forum campaigns API (issue 5), taken from the generated OpenAPI types
// ($lib/api/schema.d.ts, `npm run gen:api`) so they cannot drift. Decimals (points, percents, pools,
// tokens) are strings: keep them as strings and format them with $lib/points/decimal.
import type { ApiBody, ApiResponse, ListItem } from "$lib/api/api";

export type ForumSite = ListItem<ApiResponse<"/api/forum/sites">>;
export type ForumRank = ListItem<ApiResponse<"/api/forum/ranks">>;
export type SignatureDesign = ListItem<ApiResponse<"/api/forum/signatures">>;
export type NewSignatureDesign = ApiBody<"/api/forum/signatures", "post">;
export type ForumCampaign = ApiResponse<"/api/forum/campaigns/{slug}">;
/** The fields of a new campaign (POST); PATCH takes the same without slug and site, all optional. */
export type CampaignInput = ApiBody<"/api/forum/campaigns", "post">;
export type CampaignPatch = ApiBody<"/api/forum/campaigns/{slug}", "patch">;
export type CheckResult = ApiResponse<"/api/forum/profiles/check", "post">;
export type MyProfile = ListItem<ApiResponse<"/api/forum/profiles/mine">>;
/** A forum profile as every endpoint shows it (MyProfile adds the participant's totals). */
export type ForumProfile = Omit<MyProfile, "points" | "posts">;
export type ForumPost = ListItem<ApiResponse<"/api/forum/profiles/{id}/posts">>;

export type Standings = ApiResponse<"/api/forum/campaigns/{slug}/standings">;
export type Standing = ListItem<Standings>;

// The server declares the responses below only as "an object" (see forum-admin.routes.ts), so their
// shapes are stated here until its schemas describe them.

export interface AdminPost extends ForumPost {
  profileId: string;
  forumUsername: string;
}

export interface AdminProfile extends ForumProfile {
  meritUsername: string;
  checks: number;
  maxGapSeconds: number;
}

export interface Scrape {
  id: number;
  kind: string;
  outcome: string;
  httpStatus: number | null;
  attempts: number;
  pages: number;
  signatureFound: boolean | null;
  links: string[] | null;
  missingLinks: string[] | null;
  newPosts: number | null;
  error: string | null;
  durationMs: number;
  at: string;
}

export interface CoverageProfile {
  id: string;
  username: string;
  forumUserId: number;
  status: string;
  checks: number;
  lastCheckedAt: string | null;
  lastAttemptAt: string | null;
  lastOutcome: string | null;
  maxGapSeconds: number;
  secondsSinceCheck: number | null;
  pendingPosts: number;
}

export interface Coverage {
  campaign: string;
  scrapeIntervalSeconds: number;
  requestsPerSecond: number;
  lastRoundAt: string | null;
  nextRoundAt: string | null;
  lastPlan: { budget?: number; at?: string; [key: string]: unknown } | null;
  budgetTooSmall: boolean;
  warning: string | null;
  verifiedProfiles: number;
  maturingProfiles: number;
  maxGapSecondsMaturing: number;
  oldestCheckSecondsMaturing: number;
  profiles: CoverageProfile[];
}

/** What "check now" did: skipped (another check holds the profile, or it is not verified) or the outcome. */
export interface RescrapeResult {
  profileId: string;
  skipped?: "LEASED" | "NOT_VERIFIED";
  outcome?: string;
  signatureFound?: boolean | null;
  newPosts?: number;
  credited?: number;
  uncredited?: number;
}

export interface ResetResult {
  deletedPosts: number;
  deletedScrapes: number;
  revokedContributions: number;
}

/** 422 SIGNATURE_NOT_FOUND details. */
export interface SignatureMismatch {
  missing: string[];
  unexpected: string[];
}
