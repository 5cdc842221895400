// Shapes of the points API (issue 4). Decimal values (points, multipliers, shares, pool amounts)
// are strings: keep them as strings and format them with $lib/points/decimal.

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Category {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  createdAt: string;
}

export interface Caps {
  total: number | null;
  perParticipantPerWeek: number | null;
}

export interface ContributionType {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  /** Category slug. */
  category: string;
  categoryId: string;
  minPoints: number;
  maxPoints: number;
  active: boolean;
  submittable: boolean;
  caps: Caps;
  currentMultiplier: string;
  createdAt: string;
}

export interface NewContributionType {
  name: string;
  slug: string;
  category: string;
  description?: string | null;
  minPoints: number;
  maxPoints: number;
  submittable?: boolean;
  active?: boolean;
  caps?: { total?: number | null; perParticipantPerWeek?: number | null };
}

export interface Multiplier {
  id: string;
  contributionTypeId: string;
  /** Type slug. */
  contributionType: string;
  value: string;
  validFrom: string;
  description: string | null;
  createdAt: string;
}

export interface Evidence {
  url: string;
  description?: string;
}

export interface Contribution {
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
  revokeReason: string | null;
}

export interface AwardInput {
  username: string;
  contributionTypeId: string;
  points: number;
  contributionDate?: string;
  notes?: string;
  evidence?: Evidence[];
}

export interface ContributionQuery {
  user?: string;
  type?: string;
  category?: string;
  campaign?: string;
  from?: string;
  to?: string;
  includeRevoked?: boolean;
  limit: number;
  offset: number;
}

export type Period = "all" | "week" | "month" | "custom";

export interface BoardQuery {
  board: string;
  period: Period;
  from?: string;
  to?: string;
  search?: string;
  limit: number;
  offset: number;
}

export interface BoardItem {
  rank: number;
  userId: string;
  username: string;
  displayName: string | null;
  points: string;
  contributions: number;
  /** Campaign boards only: estimated part of the pool, in token units. */
  share?: string | null;
}

export interface BoardPage extends Page<BoardItem> {
  board: string;
  period: Period;
  bucket: string | null;
  from: string | null;
  to: string | null;
}

/** What the SSE stream sends on each award, correction or revocation. */
export interface PointsEvent {
  type: "award" | "revocation" | "correction";
  contributionId: string;
  userId: string;
  username: string;
  points: string;
  boards: string[];
  at: string;
}

export interface SnapshotSummary {
  id: string;
  board: string;
  period: string;
  bucket: string | null;
  label: string | null;
  /** manual, daily or weekly. */
  trigger: string;
  takenAt: string;
  total: number;
}

export interface Snapshot extends SnapshotSummary {
  items: BoardItem[];
}

export interface ParticipantSummary {
  userId: string;
  username: string;
  displayName: string | null;
  points: string;
  contributions: number;
}

export interface BoardRank {
  board: string;
  period: string;
  rank: number | null;
  points: string;
  contributions: number;
  total: number;
}

export interface RankHistoryPoint {
  snapshotId: string;
  board: string;
  period: string;
  takenAt: string;
  rank: number;
  points: string;
}

export interface DailyPoints {
  /** YYYY-MM-DD (UTC). */
  date: string;
  points: string;
  contributions: number;
}

export interface ParticipantProfile {
  userId: string;
  username: string;
  displayName: string | null;
  joinedAt: string;
  totals: { points: string; contributions: number };
  ranks: BoardRank[];
  recentContributions: Contribution[];
  rankHistory: RankHistoryPoint[];
  /** Points earned per day, by contribution date. */
  pointsSeries: DailyPoints[];
}

export interface Pool {
  amount: string;
  token: string;
  decimals: number;
}

export interface Campaign {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  pool: Pool | null;
  /** Type ids; empty: every type counts. */
  contributionTypes: string[];
  /** Board name for the leaderboard. */
  board: string;
  participants: number;
  points: string;
  createdAt: string;
}

export interface NewCampaign {
  slug: string;
  name: string;
  description?: string;
  startsAt: string;
  endsAt: string;
  pool?: Pool;
  contributionTypes?: string[];
}

export interface LedgerEntry {
  id: string;
  contributionId: string;
  userId: string;
  username: string;
  kind: "award" | "correction" | "revocation";
  pointsDelta: number;
  globalDelta: string;
  countDelta: number;
  actorId: string | null;
  actorUsername: string | null;
  reason: string | null;
  createdAt: string;
}

export interface Stats {
  participants: number;
  contributions: number;
  points: string;
  daily: { date: string; contributions: number; points: string; participants: number }[];
}

/** How a board row changed since the previous refresh (for highlighting). */
export type RowChange = "up" | "down" | "points" | "new";
