// Leaderboard snapshots: on demand (admins) and on daily/weekly schedules set in runtime settings
// (snapshots.settings.ts; the runs themselves are in snapshots.schedule.ts).
import { sql } from "drizzle-orm";
import { inBody, notFound } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import type { JobRegistry } from "../../core/jobs/job-registry.ts";
import type { Logger } from "../../core/logger.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import { type BoardNames, hasPoolShares } from "./boards.ts";
import { poolOf } from "./campaigns.edit.ts";
import type { CampaignsService } from "./campaigns.service.ts";
import { noJitSql } from "./ledger.repo.ts";
import { decimalString, iso, type PointsDeps } from "./points.shared.ts";
import * as repo from "./snapshots.repo.ts";
import {
  createSnapshotScheduler,
  describeSchedules,
  type RunReport,
  runKeyOf,
  runLabelOf,
} from "./snapshots.schedule.ts";
import { defineSnapshotSettings } from "./snapshots.settings.ts";

export const SNAPSHOT_TICK_JOB = "points.snapshot-tick";

type SnapshotPeriod = "all" | "week" | "month";

const summary = (r: repo.SnapshotRow) => ({
  id: r.id,
  board: r.board,
  period: r.period,
  bucket: r.bucket,
  label: r.label,
  trigger: r.trigger,
  takenAt: iso(r.taken_at)!,
  total: r.total,
  pool: poolOf(r),
});

/** Builds the snapshots service and declares its settings. */
export function createSnapshotsService(
  deps: PointsDeps & { boards: BoardNames; settings: SettingsService; campaigns: CampaignsService },
) {
  const { db, clock, boards, settings, campaigns } = deps;
  defineSnapshotSettings(settings);

  async function take(
    boardName: string,
    period: SnapshotPeriod,
    opts: {
      label: string | null;
      trigger: "manual" | "daily" | "weekly";
      slot: string | null;
      by: string | null;
      bucketAt?: Date;
    },
  ) {
    const board = await boards.resolve(boardName);
    const at = clock.now();
    return db.transaction(async (tx) => {
      // Entries and shares from one view of the board, whatever awards commit meanwhile.
      await tx.execute(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
      await tx.execute(noJitSql);
      const id = await repo.insertSnapshot(tx, {
        board: board.name,
        boardKey: board.key,
        period,
        at,
        ...opts,
      });
      const frozen = id && hasPoolShares(board, period) ? await campaigns.poolWithShares(board.id, tx) : null;
      if (id && frozen) await repo.setSnapshotShares(tx, id, frozen.pool, frozen.shares);
      return id;
    });
  }

  const scheduler = createSnapshotScheduler({
    db,
    clock,
    settings,
    take: (board, period, opts) => take(board, period, { ...opts, by: null }),
  });

  async function get(id: string, limit = 100, offset = 0) {
    const r = await repo.findSnapshot(db.orm, id);
    if (!r) throw notFound("SNAPSHOT_NOT_FOUND", "No snapshot with this id");
    const entries = await repo.snapshotEntries(db.orm, id, limit, offset);
    return {
      ...summary(r),
      items: entries.map((e) => ({
        rank: e.rank,
        userId: e.user_id,
        username: e.username,
        displayName: e.display_name,
        points: decimalString(e.points),
        contributions: e.contributions,
        ...(e.share === null ? {} : { share: e.share }),
      })),
    };
  }

  return {
    /** Freezes a board now (admins). */
    async create(actor: Actor | null, input: { board: string; period?: SnapshotPeriod; label?: string }) {
      const admin = requireRole(actor, "admin");
      await inBody(boards.resolve(input.board));
      const id = await take(input.board, input.period ?? "all", {
        label: input.label ?? null,
        trigger: "manual",
        slot: null,
        by: admin.userId,
      });
      return get(id!);
    },

    /** Snapshots, newest first. */
    async list(q: { board?: string; limit?: number; offset?: number }) {
      const board = q.board ? (await boards.resolve(q.board)).name : null;
      const limit = q.limit ?? 20;
      const [items, total] = await Promise.all([
        repo.listSnapshots(db.orm, board, limit, q.offset ?? 0),
        repo.countSnapshots(db.orm, board),
      ]);
      return { items: items.map(summary), total };
    },

    get,

    /**
     * Demo history only (the seed): the daily run of a past slot `due`, with each board as it stood
     * then by contribution date. The seed's contributions are dated over past weeks but all awarded at
     * the seed, so without this a new demo's rank-history charts start empty. The entries come ranked
     * by the caller (the custom-range board up to `due`); a slot already taken is left as it is.
     */
    async recordPastRun(due: Date, frozen: { board: string; items: repo.GivenEntry[] }[]): Promise<void> {
      const slot = due.toISOString();
      const runKey = runKeyOf("daily", slot);
      await db.transaction(async (tx) => {
        await repo.startRun(tx, { runKey, trigger: "daily", dueAt: due, at: due });
        for (const f of frozen) {
          const board = await boards.resolve(f.board);
          await repo.insertSnapshotOf(
            tx,
            {
              board: board.name,
              boardKey: board.key,
              period: "all",
              label: runLabelOf("daily", slot),
              trigger: "daily",
              slot,
              at: due,
              by: null,
            },
            f.items,
          );
        }
        await repo.finishRun(tx, { runKey, trigger: "daily", slot, at: due });
      });
    },

    /** The daily and weekly schedules with their next run and last run (admins). */
    async schedules(actor: Actor | null) {
      requireRole(actor, "admin");
      return describeSchedules({ db, clock, settings });
    },

    /** The minute tick: runs the daily/weekly schedules that are due and not done yet. */
    runScheduled: (): Promise<RunReport[]> => scheduler.runDue(),

    /** The minute tick, counting the snapshots it created (0 when every due run is already done). */
    async tick(): Promise<number> {
      const reports = await scheduler.runDue();
      return reports.reduce((n, r) => n + r.taken, 0);
    },
  };
}

export type SnapshotsService = ReturnType<typeof createSnapshotsService>;

/** Registers the minute tick that takes scheduled snapshots. */
export function defineSnapshotJobs(registry: JobRegistry, snapshots: SnapshotsService, logger: Logger): void {
  registry.define({
    name: SNAPSHOT_TICK_JOB,
    retryLimit: 2,
    handler: async () => {
      for (const r of await snapshots.runScheduled()) {
        logger.info(
          { run: r.runKey, boards: r.boards.length, snapshots: r.taken },
          "took scheduled leaderboard snapshots",
        );
        if (r.unknown.length > 0)
          logger.warn(
            { run: r.runKey, boards: r.unknown },
            "snapshot settings name boards that do not exist; skipped",
          );
      }
    },
  });
  registry.schedule({ name: SNAPSHOT_TICK_JOB, cron: "* * * * *" });
}
