// The leaderboard's view lives in its URL (?board=&period=&from=&to=&q=&offset=), so a view can be
// shared and the back button goes back: the two directions of that mapping.
import type { BoardQuery, Period } from "./types";

const PERIODS: Period[] = ["all", "week", "month", "custom"];

/** The board view a URL asks for (unknown periods read as all time, bad offsets as 0). */
export function boardQueryOf(params: URLSearchParams, limit: number): BoardQuery {
  const period = params.get("period") as Period | null;
  return {
    board: params.get("board") || "global",
    period: period && PERIODS.includes(period) ? period : "all",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    search: params.get("q") ?? "",
    limit,
    offset: Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0),
  };
}

/**
 * The URL (search part, or `pathname` when nothing differs from the defaults) of `query` changed by
 * `next`; any change goes back to the first page unless `next` names an offset.
 */
export function boardSearchOf(
  query: BoardQuery,
  next: Partial<Omit<BoardQuery, "limit">>,
  pathname: string,
): string {
  const merged = { ...query, offset: 0, ...next };
  const params = new URLSearchParams();
  if (merged.board !== "global") params.set("board", merged.board);
  if (merged.period !== "all") params.set("period", merged.period);
  if (merged.period === "custom") {
    if (merged.from) params.set("from", merged.from);
    if (merged.to) params.set("to", merged.to);
  }
  if (merged.search) params.set("q", merged.search);
  if (merged.offset) params.set("offset", String(merged.offset));
  const qs = params.toString();
  return qs ? `?${qs}` : pathname;
}
