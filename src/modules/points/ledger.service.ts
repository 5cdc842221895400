// `points verify` / `points rebuild`: recompute every total from the append-only ledger.
import { sql } from "drizzle-orm";
import { notifySql } from "../../core/changes.ts";
import * as repo from "./ledger.repo.ts";
import type { PointsDeps } from "./points.shared.ts";

export interface VerifyReport {
  differences: number;
  sample: repo.Difference[];
  ms: number;
}

/** Builds the verify/rebuild service. */
export function createLedgerService(deps: Pick<PointsDeps, "db" | "changes" | "clock">) {
  const { db, changes, clock } = deps;
  /** The week and month keys at the last prune: buckets age out only when these change. */
  let prunedAt: string | null = null;
  return {
    /** Compares live totals, bands and contributions with the ledger; lists up to `limit` differences. */
    async verify(limit = 20): Promise<VerifyReport> {
      const t0 = performance.now();
      const r = await db.transaction(async (tx) => {
        await tx.execute(repo.noJitSql);
        return repo.findDifferences(tx, limit, clock.now());
      });
      return { differences: r.count, sample: r.sample, ms: Math.round(performance.now() - t0) };
    },

    /**
     * Moves pending band deltas into board_bands (migration 0007), in batches; returns how many were
     * folded. Reads are exact either way; folding keeps the pending set small so they stay fast.
     */
    async foldBands(batch = 20_000): Promise<number> {
      let folded = 0;
      for (;;) {
        const r = await db.query<{ n: number }>("SELECT points_fold_bands($1) AS n", [batch]);
        folded += r[0].n;
        if (r[0].n < batch) return folded;
      }
    },

    /**
     * Deletes week and month totals that are no longer kept (points_bucket_kept, migration 0010).
     * Runs with the band folder; does the work once per process and week or month rollover (a
     * cheap key lookup otherwise). Returns the totals deleted.
     */
    async pruneBuckets(): Promise<number> {
      const now = clock.now().toISOString();
      const r = await db.query<{ k: string }>(
        "SELECT points_period_key('week', $1::timestamptz) || ' ' || points_period_key('month', $1::timestamptz) AS k",
        [now],
      );
      if (r[0].k === prunedAt) return 0;
      const n = await db.transaction((tx) => repo.pruneBuckets(tx, now));
      prunedAt = r[0].k;
      return n;
    },

    /** Replaces every total and band with the ledger's figures, atomically. */
    async rebuild(): Promise<{ totals: number; bands: number; ms: number }> {
      const t0 = performance.now();
      const r = await db.transaction(async (tx) => {
        // Writers wait while totals are replaced, so no award lands between the delete and the insert.
        await tx.execute(repo.noJitSql);
        await tx.execute(repo.lockTotalsSql);
        const rebuilt = await repo.rebuildTotals(tx, clock.now());
        // Board caches in running servers drop their pages when this commits.
        await tx.execute(sql.raw(notifySql("boards")));
        return rebuilt;
      });
      changes.emit("boards");
      return { ...r, ms: Math.round(performance.now() - t0) };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
