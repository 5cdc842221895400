// The points API as functions over the typed client (paths, queries, bodies and responses are checked
// against the generated OpenAPI schema; each function states the page-facing type it returns).
import { api } from "$lib/api/api";
import type {
  AwardInput,
  BoardPage,
  BoardQuery,
  Campaign,
  CampaignPatch,
  Category,
  Contribution,
  ContributionQuery,
  ContributionType,
  LedgerEntry,
  Multiplier,
  NewCampaign,
  NewContributionType,
  Page,
  ParticipantProfile,
  ParticipantSummary,
  RankView,
  Snapshot,
  SnapshotScheduleView,
  SnapshotSummary,
  Stats,
} from "./types";

/** Leaves out empty strings so optional filters are not sent as `?x=`. */
function clean<T extends object>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== "" && v !== undefined)) as T;
}

function boardQuery(q: Omit<BoardQuery, "limit" | "offset"> & { limit?: number; offset?: number }) {
  const custom = q.period === "custom";
  return clean({ ...q, from: custom ? q.from : undefined, to: custom ? q.to : undefined });
}

/**
 * Every item of a short list the API pages by 100 (categories, types, multipliers, campaigns), as
 * one `{items, total}`: further pages are asked for only when there are more than 100.
 */
async function everyPage<T>(
  page: (query: { limit: number; offset: number }) => Promise<Page<T>>,
): Promise<Page<T>> {
  const first = await page({ limit: 100, offset: 0 });
  const items = [...first.items];
  while (items.length < first.total) {
    const next = await page({ limit: 100, offset: items.length });
    if (next.items.length === 0) break;
    items.push(...next.items);
  }
  return { items, total: first.total };
}

export const points = {
  categories: (signal?: AbortSignal): Promise<Page<Category>> =>
    everyPage((query) => api.get("/api/categories", { query, signal })),
  createCategory: (body: { name: string; slug: string; description?: string | null }): Promise<Category> =>
    api.post("/api/categories", { body }),
  updateCategory: (id: string, body: { name?: string; description?: string | null }): Promise<Category> =>
    api.patch("/api/categories/{id}", { path: { id }, body }),

  types: (signal?: AbortSignal): Promise<Page<ContributionType>> =>
    everyPage((query) => api.get("/api/contributions/types", { query, signal })),
  createType: (body: NewContributionType): Promise<ContributionType> =>
    api.post("/api/contributions/types", { body }),
  updateType: (id: string, body: Partial<NewContributionType>): Promise<ContributionType> =>
    api.patch("/api/contributions/types/{id}", { path: { id }, body }),

  multipliers: (contributionType?: string, signal?: AbortSignal): Promise<Page<Multiplier>> =>
    everyPage((page) =>
      api.get("/api/leaderboard/multipliers", { query: { ...clean({ contributionType }), ...page }, signal }),
    ),
  createMultiplier: (body: {
    contributionTypeId: string;
    value: string;
    validFrom: string;
    description?: string | null;
  }): Promise<Multiplier> => api.post("/api/leaderboard/multipliers", { body }),

  award: (body: AwardInput): Promise<Contribution> => api.post("/api/contributions", { body }),
  contributions: (query: ContributionQuery, signal?: AbortSignal): Promise<Page<Contribution>> =>
    api.get("/api/contributions", { query: clean(query), signal }),
  revoke: (id: string, reason: string): Promise<Contribution> =>
    api.delete("/api/contributions/{id}", { path: { id }, body: { reason } }),
  correct: (id: string, newPoints: number, reason: string): Promise<Contribution> =>
    api.post("/api/contributions/{id}/corrections", { path: { id }, body: { points: newPoints, reason } }),

  board: (query: BoardQuery, signal?: AbortSignal): Promise<BoardPage> =>
    api.get("/api/leaderboard", { query: boardQuery(query), signal }),
  /**
   * One participant's rank, points and (campaign boards with a pool, period all) estimated share on
   * a board for period all (default), week, month, or custom with `range`.
   */
  rank: (
    board: string,
    user: string,
    signal?: AbortSignal,
    period: "all" | "week" | "month" | "custom" = "all",
    range?: { from: string; to: string },
  ): Promise<RankView> =>
    api.get("/api/leaderboard/rank", { query: { board, user, period, ...range }, signal }),

  snapshots: (
    query: { board?: string; limit: number; offset: number },
    signal?: AbortSignal,
  ): Promise<Page<SnapshotSummary>> => api.get("/api/leaderboard/snapshots", { query: clean(query), signal }),
  snapshot: (
    id: string,
    query: { limit?: number; offset?: number } = {},
    signal?: AbortSignal,
  ): Promise<Snapshot> => api.get("/api/leaderboard/snapshots/{id}", { path: { id }, query, signal }),
  snapshotSchedule: (): Promise<Page<SnapshotScheduleView>> => api.get("/api/leaderboard/snapshots/schedule"),
  takeSnapshot: (body: {
    board: string;
    period?: "all" | "week" | "month";
    label?: string;
  }): Promise<Snapshot> => api.post("/api/leaderboard/snapshots", { body }),

  participants: (
    query: { search?: string; limit: number; offset: number },
    signal?: AbortSignal,
  ): Promise<Page<ParticipantSummary>> => api.get("/api/participants", { query: clean(query), signal }),
  participant: (username: string, signal?: AbortSignal): Promise<ParticipantProfile> =>
    api.get("/api/participants/{username}", { path: { username }, signal }),
  stats: (signal?: AbortSignal): Promise<Stats> => api.get("/api/stats", { signal }),

  /** How many categories, types and campaigns there are: one one-item page of each, not the whole lists. */
  catalogCounts: async (
    signal?: AbortSignal,
  ): Promise<{ categories: number; types: number; campaigns: number }> => {
    const one = { limit: 1, offset: 0 };
    const [categories, types, campaigns] = await Promise.all([
      api.get("/api/categories", { query: one, signal }),
      api.get("/api/contributions/types", { query: one, signal }),
      api.get("/api/campaigns", { query: one, signal }),
    ]);
    return { categories: categories.total, types: types.total, campaigns: campaigns.total };
  },
  campaigns: (signal?: AbortSignal): Promise<Page<Campaign>> =>
    everyPage((query) => api.get("/api/campaigns", { query, signal })),
  campaign: (slug: string, signal?: AbortSignal): Promise<Campaign> =>
    api.get("/api/campaigns/{slug}", { path: { slug }, signal }),
  createCampaign: (body: NewCampaign): Promise<Campaign> => api.post("/api/campaigns", { body }),
  updateCampaign: (slug: string, body: CampaignPatch): Promise<Campaign> =>
    api.patch("/api/campaigns/{slug}", { path: { slug }, body }),

  ledger: (
    query: { user?: string; contribution?: string; limit: number; offset: number },
    signal?: AbortSignal,
  ): Promise<Page<LedgerEntry>> => api.get("/api/admin/ledger", { query: clean(query), signal }),
};

/** Link that downloads a whole board as CSV (same board, period and range as the page). */
export function boardCsvHref(query: Omit<BoardQuery, "limit" | "offset" | "search">): string {
  const { board, period, from, to } = boardQuery(query);
  const params = new URLSearchParams(clean({ board, period, from: from ?? "", to: to ?? "" }));
  return `/api/leaderboard/export.csv?${params}`;
}

/** Path of the contributions CSV export with the same filters as the list. */
export function contributionsCsvHref(query: Omit<ContributionQuery, "limit" | "offset">): string {
  const params = new URLSearchParams(Object.entries(clean(query)).map(([k, v]) => [k, String(v)]));
  return `/api/contributions/export.csv?${params}`;
}

/** The SSE stream of points events. */
export const STREAM_PATH = "/api/leaderboard/stream";
