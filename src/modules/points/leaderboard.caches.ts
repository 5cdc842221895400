// In-process caches of the leaderboard reads (see the design notes in leaderboard.service.ts): board
// pages (and pool split cuts), and the totals of excluded participants that rank lookups take out.
// Both are dropped by the write signals (points events here at once, other processes over
// LISTEN/NOTIFY) and expire after TTL_MS as a safety net should a notification from another process
// be lost.

import { sql } from "drizzle-orm";
import { Decimal } from "../../core/decimal.ts";
import * as repo from "./leaderboard.repo.ts";
import type { PointsDeps } from "./points.shared.ts";

const TTL_MS = 10_000;
const MAX_ENTRIES = 2_000;

type Signals = Pick<PointsDeps, "events" | "changes">;

/** A custom range's bounds in epoch ms, [from, to): the contribution dates its page counts. */
export interface Span {
  from: number;
  to: number;
}

/** Whether a write to a contribution dated `date` (null: unknown) can change a page over `span` (null: any period). */
function touches(span: Span | null, date: number | null): boolean {
  return span === null || date === null || (date >= span.from && date < span.to);
}

/**
 * Board reads by key: pages here, and the pool split cuts of campaign boards (campaigns.service.ts).
 * A points event drops every page it can change: every page of a period, and the custom-range pages
 * whose range covers the event's contribution date (an award dated today leaves last month's range
 * cached). A users or boards signal drops everything. A value whose computation overlapped a write
 * that can change it is not kept, so a write is visible on the next read. Concurrent readers of one
 * cold value share one computation.
 */
export function createPageCache<T>(signals: Signals) {
  let generation = 0;
  const pages = new Map<string, { generation: number; at: number; span: Span | null; page: T }>();
  const inflight = new Map<
    string,
    { generation: number; span: Span | null; stale: boolean; page: Promise<T> }
  >();
  const invalidate = () => {
    generation += 1;
    pages.clear();
  };
  signals.events.subscribe((event) => {
    const parsed = event.contributionDate ? Date.parse(event.contributionDate) : Number.NaN;
    if (Number.isNaN(parsed)) return invalidate();
    for (const [key, hit] of pages) if (touches(hit.span, parsed)) pages.delete(key);
    for (const running of inflight.values()) if (touches(running.span, parsed)) running.stale = true;
  });
  signals.changes.subscribe("users", invalidate);
  signals.changes.subscribe("boards", invalidate);

  return {
    /**
     * The page under `key` (null: never cached), computed by `compute` when missing or stale; `span`
     * is the custom range the page counts (omitted: a period page, changed by any points event).
     */
    async through(key: string | null, compute: () => Promise<T>, span: Span | null = null): Promise<T> {
      if (key === null) return compute();
      const hit = pages.get(key);
      if (hit && hit.generation === generation && performance.now() - hit.at <= TTL_MS) return hit.page;
      const running = inflight.get(key);
      if (running && running.generation === generation && !running.stale) return running.page;
      const entry = { generation, span, stale: false, page: compute() };
      inflight.set(key, entry);
      entry.page
        .finally(() => {
          if (inflight.get(key) === entry) inflight.delete(key);
        })
        .catch(() => undefined);
      const page = await entry.page;
      if (entry.generation === generation && !entry.stale) {
        if (pages.size >= MAX_ENTRIES) pages.clear();
        pages.set(key, { generation, at: performance.now(), span, page });
      }
      return page;
    },
  };
}

/**
 * Totals of the hidden, banned and deleted participants per board bucket, sorted descending. They
 * change only on a users signal, a boards signal, or a points event of an excluded participant.
 */
export function createExcludedTotals(deps: Signals & Pick<PointsDeps, "db">) {
  let generation = 0;
  let excludedIds: Promise<Set<string>> | null = null;
  const byBucket = new Map<string, { generation: number; at: number; points: Promise<Decimal[]> }>();
  const drop = () => {
    generation += 1;
    excludedIds = null;
    byBucket.clear();
  };
  deps.changes.subscribe("users", drop);
  deps.changes.subscribe("boards", drop);
  deps.events.subscribe((e) => {
    const known = excludedIds;
    if (!known) return;
    known.then((ids) => ids.has(e.userId) && drop()).catch(drop);
  });

  return {
    of(boardKey: string, bucket: string): Promise<Decimal[]> {
      const key = `${boardKey}|${bucket}`;
      const hit = byBucket.get(key);
      if (hit && hit.generation === generation && performance.now() - hit.at <= TTL_MS) return hit.points;
      const startedAt = generation;
      excludedIds ??= repo.excludedIds(deps.db.orm).then((ids) => new Set(ids));
      const points = repo
        .excludedTotals(deps.db.orm, boardKey, sql`${bucket}::text`)
        .then((r) => r.map((p) => new Decimal(p)).sort((a, b) => b.comparedTo(a)));
      const entry = { generation: startedAt, at: performance.now(), points };
      points.then(
        () => {
          if (generation !== startedAt) return;
          if (byBucket.size >= MAX_ENTRIES) byBucket.clear();
          byBucket.set(key, entry);
        },
        () => undefined,
      );
      return points;
    },
  };
}

/** How many of `sortedDesc` are greater than `p` (binary search). */
export function countAbove(sortedDesc: Decimal[], p: Decimal): number {
  let lo = 0;
  let hi = sortedDesc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedDesc[mid].gt(p)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
