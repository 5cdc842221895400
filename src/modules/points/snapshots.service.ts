// Leaderboard snapshots: on demand (admins) and on daily/weekly schedules set in runtime settings.
import { Type } from "typebox";
import { notFound } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import type { JobRegistry } from "../../core/jobs/job-registry.ts";
import type { Logger } from "../../core/logger.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import type { BoardNames } from "./boards.ts";
import { cronMatches } from "./cron.ts";
import { noJitSql } from "./ledger.repo.ts";
import { decimalString, iso, type PointsDeps } from "./points.shared.ts";
import * as repo from "./snapshots.repo.ts";

export const SNAPSHOT_TICK_JOB = "points.snapshot-tick";
const DAILY_KEY = "leaderboard.snapshotDailyCron";
const WEEKLY_KEY = "leaderboard.snapshotWeeklyCron";
const BOARDS_KEY = "leaderboard.snapshotBoards";

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
});

/** Builds the snapshots service and declares its settings. */
export function createSnapshotsService(deps: PointsDeps & { boards: BoardNames; settings: SettingsService }) {
  const { db, clock, boards, settings } = deps;
  const cronSchema = Type.String({ description: "Five-field cron, UTC; empty disables", maxLength: 100 });
  settings.define({
    key: DAILY_KEY,
    description: "When the daily leaderboard snapshots are taken (cron, UTC; empty disables)",
    schema: cronSchema,
    default: "0 0 * * *",
  });
  settings.define({
    key: WEEKLY_KEY,
    description: "When the weekly leaderboard snapshots are taken (cron, UTC; empty disables)",
    schema: cronSchema,
    default: "0 0 * * 1",
  });
  settings.define({
    key: BOARDS_KEY,
    description:
      "Boards frozen by scheduled snapshots (period all): global, category:<slug>, campaign:<slug>",
    schema: Type.Array(Type.String({ pattern: "^(global|(category|campaign):[a-z0-9-]+)$" }), {
      maxItems: 50,
    }),
    default: ["global"],
  });

  async function take(
    boardName: string,
    period: SnapshotPeriod,
    opts: {
      label: string | null;
      trigger: "manual" | "daily" | "weekly";
      slot: string | null;
      by: string | null;
    },
  ) {
    const board = await boards.resolve(boardName);
    const at = clock.now();
    return db.transaction(async (tx) => {
      await tx.execute(noJitSql);
      return repo.insertSnapshot(tx, { board: board.name, boardKey: board.key, period, at, ...opts });
    });
  }

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
      })),
    };
  }

  return {
    /** Freezes a board now (admins). */
    async create(actor: Actor | null, input: { board: string; period?: SnapshotPeriod; label?: string }) {
      const admin = requireRole(actor, "admin");
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

    /** The minute tick: takes the daily/weekly snapshots whose cron matches now (once per slot). */
    async tick(): Promise<number> {
      const now = clock.now();
      const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
      const boardNames = await settings.get<string[]>(BOARDS_KEY);
      let taken = 0;
      for (const [trigger, key] of [
        ["daily", DAILY_KEY],
        ["weekly", WEEKLY_KEY],
      ] as const) {
        if (!cronMatches(await settings.get<string>(key), minute)) continue;
        for (const name of boardNames) {
          const label = `${trigger} ${minute.toISOString().slice(0, 10)}`;
          if (await take(name, "all", { label, trigger, slot: minute.toISOString(), by: null })) taken += 1;
        }
      }
      return taken;
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
      const n = await snapshots.tick();
      if (n > 0) logger.info({ snapshots: n }, "took scheduled leaderboard snapshots");
    },
  });
  registry.schedule({ name: SNAPSHOT_TICK_JOB, cron: "* * * * *" });
}
