// Scheduled snapshot runs. Each minute tick finds, per schedule, the latest slot its cron matched in
// the last hour; the run of that slot has a deterministic key ("daily:2026-01-26T00:00:00.000Z"), so a
// retried, late or concurrent tick takes the same run again and the unique (trigger, slot, board,
// period) index keeps one snapshot per board. A run is marked finished once every board is frozen.
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { AppError } from "../../core/errors.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import { latestMatch, nextMatch } from "./cron.ts";
import * as repo from "./snapshots.repo.ts";
import { ALL_CAMPAIGNS, ALL_CATEGORIES, readSchedules, type SnapshotSchedule } from "./snapshots.settings.ts";

/** How far back a tick looks for a slot it has not taken yet. */
export const CATCH_UP_MINUTES = 60;
/** A board named in the settings that does not exist is skipped (and reported), not retried. */
const CONFIG_ERRORS = new Set(["BOARD_NOT_FOUND", "INVALID_BOARD"]);
/** Ended campaigns are frozen by the first run after their end, not by runs long after it. */
const MAX_CAMPAIGN_LOOKBACK_MS = 8 * 86_400_000;

/** A scheduled run's key and its snapshots' label, from its trigger and slot (its due minute). */
export const runKeyOf = (trigger: string, slot: string) => `${trigger}:${slot}`;
export const runLabelOf = (trigger: string, slot: string) => `${trigger} ${slot.slice(0, 10)}`;

export type TakeScheduled = (
  board: string,
  period: "all" | "week",
  opts: { label: string; trigger: "daily" | "weekly"; slot: string; bucketAt: Date },
) => Promise<string | null>;

export interface RunReport {
  runKey: string;
  /** Boards the run asked for (after expanding category:* and campaign:*). */
  boards: string[];
  /** Snapshots this call created (0 when a retry finds them all taken). */
  taken: number;
  /** Board names of the settings that name no existing category or campaign. */
  unknown: string[];
}

/** Builds the scheduler over a `take` function (the snapshots service's). */
export function createSnapshotScheduler(deps: {
  db: Database;
  clock: Clock;
  settings: SettingsService;
  take: TakeScheduled;
}) {
  const { db, clock, settings, take } = deps;

  /** Board names of a run: the settings' list with category:* and campaign:* expanded, without repeats. */
  async function expandBoards(names: string[], trigger: string, due: Date): Promise<string[]> {
    const out = new Set<string>();
    for (const name of names) {
      if (name === ALL_CATEGORIES) {
        for (const c of await repo.categorySlugs(db.orm)) out.add(`category:${c.slug}`);
      } else if (name === ALL_CAMPAIGNS) {
        const previous = await repo.previousRunDue(db.orm, trigger, due);
        const floor = due.getTime() - MAX_CAMPAIGN_LOOKBACK_MS;
        const since = new Date(Math.max(previous?.getTime() ?? due.getTime(), floor));
        for (const c of await repo.campaignSlugsRunning(db.orm, since, due)) out.add(`campaign:${c.slug}`);
      } else {
        out.add(name);
      }
    }
    return [...out];
  }

  /** Takes every board of one run; throws after trying them all when some failed (so the job retries). */
  async function run(schedule: SnapshotSchedule, due: Date): Promise<RunReport> {
    const slot = due.toISOString();
    const runKey = runKeyOf(schedule.trigger, slot);
    await repo.startRun(db.orm, { runKey, trigger: schedule.trigger, dueAt: due, at: clock.now() });
    const boards = await expandBoards(schedule.boards, schedule.trigger, due);
    const report: RunReport = { runKey, boards, taken: 0, unknown: [] };
    const failures: unknown[] = [];
    // The week that ends at the slot: a Monday 00:00 run freezes the week just finished.
    const bucketAt = new Date(due.getTime() - 1);
    const label = runLabelOf(schedule.trigger, slot);
    for (const board of boards) {
      try {
        const id = await take(board, schedule.period, { label, trigger: schedule.trigger, slot, bucketAt });
        if (id) report.taken += 1;
      } catch (err) {
        if (err instanceof AppError && CONFIG_ERRORS.has(err.code)) report.unknown.push(board);
        else failures.push(err);
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `Snapshot run ${runKey}: ${failures.length} board(s) failed`);
    }
    await repo.finishRun(db.orm, { runKey, trigger: schedule.trigger, slot, at: clock.now() });
    return report;
  }

  return {
    /**
     * Runs every schedule whose latest slot (within CATCH_UP_MINUTES) has no finished run yet; one
     * schedule failing does not stop the other, and the error is rethrown at the end.
     */
    async runDue(): Promise<RunReport[]> {
      const now = clock.now();
      const reports: RunReport[] = [];
      const errors: unknown[] = [];
      for (const schedule of await readSchedules(settings)) {
        const due = latestMatch(schedule.cron, now, CATCH_UP_MINUTES);
        if (!due) continue;
        const done = await repo.findRun(db.orm, runKeyOf(schedule.trigger, due.toISOString()));
        if (done?.finished_at) continue;
        await run(schedule, due).then(
          (r) => reports.push(r),
          (err: unknown) => errors.push(err),
        );
      }
      if (errors.length > 0)
        throw errors.length === 1 ? errors[0] : new AggregateError(errors, "Snapshot runs failed");
      return reports;
    },
  };
}

export type SnapshotScheduler = ReturnType<typeof createSnapshotScheduler>;

/** One schedule as the admin page shows it: its settings, when it runs next, how its last run went. */
export interface ScheduleView {
  trigger: "daily" | "weekly";
  cron: string;
  period: "all" | "week";
  boards: string[];
  /** The next minute the cron matches (null: switched off, or a date that never comes). */
  nextRunAt: string | null;
  lastRun: { dueAt: string; startedAt: string; finishedAt: string | null } | null;
}

/** The daily and weekly schedules with their next and last runs. */
export async function describeSchedules(deps: {
  db: Database;
  clock: Clock;
  settings: SettingsService;
}): Promise<ScheduleView[]> {
  const now = deps.clock.now();
  return Promise.all(
    (await readSchedules(deps.settings)).map(async (s) => {
      const last = await repo.latestRun(deps.db.orm, s.trigger);
      return {
        ...s,
        nextRunAt: nextMatch(s.cron, now)?.toISOString() ?? null,
        lastRun: last
          ? {
              dueAt: new Date(last.due_at).toISOString(),
              startedAt: new Date(last.started_at).toISOString(),
              finishedAt: last.finished_at ? new Date(last.finished_at).toISOString() : null,
            }
          : null,
      };
    }),
  );
}
