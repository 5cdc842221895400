// Shapes of the points API (issue 4), taken from the generated OpenAPI types ($lib/api/schema.d.ts,
// `npm run gen:api`) so they cannot drift. Decimal values (points, multipliers, shares, pool amounts)
// are strings: keep them as strings and format them with $lib/points/decimal.
import type { ApiBody, ApiQuery, ApiResponse, ListItem } from "$lib/api/api";

/** T with the keys K required (the pages always send them, the API has defaults). */
type WithRequired<T, K extends keyof T> = Omit<T, K> & Required<Pick<T, K>>;

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  total: number;
}

export type Category = ListItem<ApiResponse<"/api/categories">>;

export type ContributionType = ListItem<ApiResponse<"/api/contributions/types">>;
export type Caps = ContributionType["caps"];
export type NewContributionType = ApiBody<"/api/contributions/types", "post">;

export type Multiplier = ListItem<ApiResponse<"/api/leaderboard/multipliers">>;

export type Contribution = ListItem<ApiResponse<"/api/contributions">>;
export type Evidence = Contribution["evidence"][number];
export type AwardInput = ApiBody<"/api/contributions", "post">;
export type ContributionQuery = WithRequired<ApiQuery<"/api/contributions">, "limit" | "offset">;

export type BoardQuery = WithRequired<ApiQuery<"/api/leaderboard">, "board" | "period" | "limit" | "offset">;
export type Period = BoardQuery["period"];
export type BoardPage = ApiResponse<"/api/leaderboard">;
export type BoardItem = BoardPage["items"][number];
/** One participant's rank on a board (with `share` on campaign boards with a pool). */
export type RankView = ApiResponse<"/api/leaderboard/rank">;

export type SnapshotSummary = ListItem<ApiResponse<"/api/leaderboard/snapshots">>;
export type Snapshot = ApiResponse<"/api/leaderboard/snapshots/{id}">;
/** The daily or weekly run with its next and last run. */
export type SnapshotScheduleView = ListItem<ApiResponse<"/api/leaderboard/snapshots/schedule">>;

export type ParticipantSummary = ListItem<ApiResponse<"/api/participants">>;
export type ParticipantProfile = ApiResponse<"/api/participants/{username}">;
export type BoardRank = ParticipantProfile["ranks"][number];
export type RankHistoryPoint = ParticipantProfile["rankHistory"][number];
export type DailyPoints = ParticipantProfile["pointsSeries"][number];

export type Campaign = ApiResponse<"/api/campaigns/{slug}">;
export type Pool = NonNullable<Campaign["pool"]>;
export type NewCampaign = ApiBody<"/api/campaigns", "post">;
export type CampaignPatch = ApiBody<"/api/campaigns/{slug}", "patch">;

export type LedgerEntry = ListItem<ApiResponse<"/api/admin/ledger">>;

export type Stats = ApiResponse<"/api/stats">;

// Client-only shapes: the SSE stream is not described by the OpenAPI document.

/** What the SSE stream sends on each award, correction or revocation. */
export interface PointsEvent {
  type: "award" | "revocation" | "correction";
  contributionId: string;
  userId: string;
  username: string;
  points: string;
  boards: string[];
  /** The contribution's date (absent from older servers). */
  contributionDate?: string;
  at: string;
}

/** How a board row changed since the previous refresh (for highlighting). */
export type RowChange = "up" | "down" | "points" | "new";
