// Shapes of the forum campaigns API (issue 5). Decimals (points, percents, pools, tokens) are strings:
// keep them as strings and format them with $lib/points/decimal.

export interface ForumSite {
  id: string;
  name: string;
  url: string;
}

export interface ForumRank {
  id: string;
  site: string;
  name: string;
  bonusPercent: string;
  allowed: boolean;
}

export interface SignatureDesign {
  id: string;
  site: string;
  name: string;
  code: string;
  imageUrl: string | null;
  allowedRanks: string[];
  active: boolean;
}

export interface NewSignatureDesign {
  site?: string;
  name: string;
  code: string;
  imageUrl?: string | null;
  allowedRanks: string[];
  active?: boolean;
}

export interface ForumCampaign {
  id: string;
  slug: string;
  name: string;
  site: string;
  startsAt: string;
  endsAt: string | null;
  pool: string | null;
  poolToken: string | null;
  postPoints: string;
  maturationMinutes: number;
  uptimeThresholdPercent: string;
  scrapeIntervalSeconds: number;
  minPostLength: number | null;
  excludedBoards: string[];
  weeklyPostCap: number | null;
  weekResetDay: number;
  pointsCampaignId: string | null;
}

/** The editable fields of a campaign (POST takes them all plus slug and site). */
export interface CampaignInput {
  slug: string;
  name: string;
  site?: string;
  startsAt: string;
  endsAt?: string | null;
  pool?: string | null;
  poolToken?: string | null;
  postPoints?: string;
  maturationMinutes?: number;
  uptimeThresholdPercent?: string;
  scrapeIntervalSeconds?: number;
  minPostLength?: number | null;
  excludedBoards?: string[];
  weeklyPostCap?: number | null;
  weekResetDay?: number;
}

export interface Standing {
  rank: number;
  userId: string;
  username: string;
  forumUsername: string;
  creditedPosts: number;
  pendingPosts: number;
  points: string;
  pendingPoints: string;
  sharePercent: string;
  estimatedTokens: string | null;
}

export interface Standings {
  campaign: string;
  pool: string | null;
  poolToken: string | null;
  totalPoints: string;
  totalCreditedPosts: number;
  participants: number;
  items: Standing[];
}

export interface CheckResult {
  found: boolean;
  forumUserId: number;
  username: string | null;
  position: string | null;
  allowed: boolean;
  bonusPercent?: string;
  claimed: boolean;
  claimedByMe?: boolean;
}

export type ProfileStatus = "unverified" | "verified" | "inactive";

export interface ForumProfile {
  id: string;
  userId: string;
  site: string;
  campaign: string | null;
  forumUserId: number;
  username: string;
  position: string;
  signatureId: string | null;
  status: string;
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  lastAttemptAt: string | null;
  lastOutcome: string | null;
  signatureFound: boolean | null;
}

export interface MyProfile extends ForumProfile {
  points: { credited: string; pending: string };
  posts: { pending: number; credited: number; uncredited: number };
}

export type PostStatus = "pending" | "credited" | "uncredited";

export interface ForumPost {
  id: string;
  messageId: number;
  topicId: number;
  boardName: string | null;
  postedAt: string;
  maturesAt: string;
  contentLength: number;
  rank: string;
  bonusPercent: string;
  points: string;
  status: string;
  reason: string | null;
  uptimePercent: string | null;
  missingSeconds: number;
  decidedAt: string | null;
}

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
