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

/**
 * Board reads by key: pages here, and the pool split cuts of campaign boards (campaigns.service.ts).
 * A generation is bumped by every points event and users/boards signal; a value computed while it
 * moved is not kept, so a write is visible on the next read. Concurrent readers of one cold value
 * share one computation.
 */
export function createPageCache<T>(signals: Signals) {
  let generation = 0;
  const pages = new Map<string, { generation: number; at: number; page: T }>();
  const inflight = new Map<string, { generation: number; page: Promise<T> }>();
  const invalidate = () => {
    generation += 1;
    pages.clear();
  };
  signals.events.subscribe(invalidate);
  signals.changes.subscribe("users", invalidate);
  signals.changes.subscribe("boards", invalidate);

  return {
    /** The page under `key` (null: never cached), computed by `compute` when missing or stale. */
    async through(key: string | null, compute: () => Promise<T>): Promise<T> {
      if (key === null) return compute();
      const startedAt = generation;
      const hit = pages.get(key);
      if (hit && hit.generation === startedAt && performance.now() - hit.at <= TTL_MS) return hit.page;
      const running = inflight.get(key);
      if (running && running.generation === startedAt) return running.page;
      const computing = compute();
      inflight.set(key, { generation: startedAt, page: computing });
      computing
        .finally(() => {
          if (inflight.get(key)?.page === computing) inflight.delete(key);
        })
        .catch(() => undefined);
      const page = await computing;
      if (startedAt === generation) {
        if (pages.size >= MAX_ENTRIES) pages.clear();
        pages.set(key, { generation, at: performance.now(), page });
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
