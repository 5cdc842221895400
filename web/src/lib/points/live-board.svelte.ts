// State of one visible board page that follows the live stream: on each points event touching the
// board it reloads the same page and marks the rows whose rank or points changed.
import { ApiError } from "$lib/api/api";
import { points } from "./client";
import { compareDecimals } from "./decimal";
import { rangeMayChange } from "./live-filter";
import { PointsStream } from "./stream.svelte";
import type { BoardItem, BoardQuery, PointsEvent, RowChange } from "./types";

const HIGHLIGHT_MS = 2600;
const LIVE_DEBOUNCE_MS = 150;

/** Row changes between two loads of the same board page. */
export function diffRows(before: BoardItem[], after: BoardItem[]): Map<string, RowChange> {
  const previous = new Map(before.map((item) => [item.userId, item]));
  const changes = new Map<string, RowChange>();
  for (const item of after) {
    const old = previous.get(item.userId);
    if (!old) changes.set(item.userId, "new");
    else if (item.rank < old.rank) changes.set(item.userId, "up");
    else if (item.rank > old.rank) changes.set(item.userId, "down");
    else if (compareDecimals(item.points, old.points) !== 0) changes.set(item.userId, "points");
  }
  return changes;
}

export class LiveBoard {
  items = $state<BoardItem[]>([]);
  total = $state(0);
  isLoading = $state(true);
  error = $state<ApiError | null>(null);
  changes = $state(new Map<string, RowChange>());
  updatedAt = $state<Date | null>(null);
  /** The query the shown items answer (null before the first load). */
  loaded = $state<BoardQuery | null>(null);
  /** The week or month the board was read in ("w:2026-11-30", "m:2026-11"); "all" or null otherwise. */
  bucket = $state<string | null>(null);
  /** Number of live refreshes applied, for "n updates" hints and tests. */
  liveUpdates = $state(0);
  readonly stream: PointsStream;

  private query: BoardQuery | null = null;
  private controller: AbortController | null = null;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.stream = new PointsStream((event) => this.onEvent(event));
  }

  /** Loads the page for `query` (a new query replaces any request in flight). */
  async load(query: BoardQuery, isLive = false): Promise<void> {
    this.query = query;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    if (!isLive) {
      this.isLoading = true;
      // An error belongs to the query that caused it (a "No such board" must not outlive its board).
      this.error = null;
    }
    try {
      const page = await points.board(query, controller.signal);
      if (controller.signal.aborted) return;
      if (isLive) {
        this.markChanges(diffRows(this.items, page.items));
        this.liveUpdates += 1;
      } else {
        this.changes = new Map();
      }
      this.items = page.items;
      this.total = page.total;
      this.bucket = page.bucket;
      this.loaded = query;
      this.error = null;
      this.updatedAt = new Date();
    } catch (cause) {
      if (controller.signal.aborted) return;
      this.error =
        cause instanceof ApiError ? cause : new ApiError(0, "UNKNOWN", "Could not load the board.");
    } finally {
      if (!controller.signal.aborted) this.isLoading = false;
    }
  }

  /** Connects to the live stream; returns the disconnect function. */
  connect(): () => void {
    const close = this.stream.open();
    return () => {
      close();
      clearTimeout(this.liveTimer);
      clearTimeout(this.clearTimer);
      this.controller?.abort();
    };
  }

  private onEvent(event: PointsEvent): void {
    const query = this.query;
    if (!query) return;
    if (event.boards.length > 0 && !event.boards.includes(query.board)) return;
    if (query.period === "custom" && !rangeMayChange(query.from, query.to, event.contributionDate)) return;
    // Bursts of awards (batch jobs) become one reload.
    clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => {
      if (this.query) void this.load(this.query, true);
    }, LIVE_DEBOUNCE_MS);
  }

  private markChanges(changes: Map<string, RowChange>): void {
    if (changes.size === 0) return;
    this.changes = changes;
    clearTimeout(this.clearTimer);
    this.clearTimer = setTimeout(() => {
      this.changes = new Map();
    }, HIGHLIGHT_MS);
  }
}
