// Runtime settings of scheduled snapshots: when the daily and weekly runs happen and which boards
// each one freezes. Values are checked when an admin saves them, with messages naming the problem.
import { Type } from "typebox";
import type { SettingsService } from "../settings/settings.service.ts";
import { cronProblem } from "./cron.ts";

export const SNAPSHOT_SETTINGS = {
  dailyCron: "leaderboard.snapshotDailyCron",
  weeklyCron: "leaderboard.snapshotWeeklyCron",
  boards: "leaderboard.snapshotBoards",
  weekBoards: "leaderboard.snapshotWeekBoards",
} as const;

/** Every category / every running campaign (and those that ended since the previous run). */
export const ALL_CATEGORIES = "category:*";
export const ALL_CAMPAIGNS = "campaign:*";

const BOARD_PATTERN = /^(global|(category|campaign):([a-z0-9][a-z0-9-]*|\*))$/;

const cronSchema = Type.Refine(
  Type.String({ description: "Five-field cron, UTC; empty disables", maxLength: 100 }),
  (value) => cronProblem(value) === null,
  (value) =>
    `is not a usable cron expression: ${cronProblem(value)} (use e.g. "0 0 * * *", or "" to disable)`,
);

const boardListSchema = Type.Array(
  Type.Refine(
    Type.String({ maxLength: 100 }),
    (value) => BOARD_PATTERN.test(value),
    (value) =>
      `contains "${value}", which is not a board: use global, category:<slug>, category:*, campaign:<slug> or campaign:*`,
  ),
  { maxItems: 50 },
);

/** Declares the snapshot settings with their defaults. */
export function defineSnapshotSettings(settings: SettingsService): void {
  settings.define({
    key: SNAPSHOT_SETTINGS.dailyCron,
    description:
      "When the daily run freezes the boards of leaderboard.snapshotBoards (cron, UTC; empty disables)",
    schema: cronSchema,
    default: "0 0 * * *",
  });
  settings.define({
    key: SNAPSHOT_SETTINGS.weeklyCron,
    description:
      "When the weekly run freezes the week boards of leaderboard.snapshotWeekBoards (cron, UTC; empty disables)",
    schema: cronSchema,
    default: "0 0 * * 1",
  });
  settings.define({
    key: SNAPSHOT_SETTINGS.boards,
    description:
      "Boards the daily run freezes (all-time period): global, category:<slug>, campaign:<slug>, category:* (every category), campaign:* (every campaign running since the previous run)",
    schema: boardListSchema,
    default: ["global", ALL_CATEGORIES, ALL_CAMPAIGNS],
  });
  settings.define({
    key: SNAPSHOT_SETTINGS.weekBoards,
    description:
      "Boards whose week (the one ending at the run: Monday 00:00 freezes the week just finished) the weekly run freezes; same names as leaderboard.snapshotBoards",
    schema: boardListSchema,
    default: ["global"],
  });
}

export interface SnapshotSchedule {
  trigger: "daily" | "weekly";
  cron: string;
  period: "all" | "week";
  boards: string[];
}

/** The two schedules as the settings define them now. */
export async function readSchedules(settings: SettingsService): Promise<SnapshotSchedule[]> {
  const [dailyCron, weeklyCron, boards, weekBoards] = await Promise.all([
    settings.get<string>(SNAPSHOT_SETTINGS.dailyCron),
    settings.get<string>(SNAPSHOT_SETTINGS.weeklyCron),
    settings.get<string[]>(SNAPSHOT_SETTINGS.boards),
    settings.get<string[]>(SNAPSHOT_SETTINGS.weekBoards),
  ]);
  return [
    { trigger: "daily", cron: dailyCron, period: "all", boards },
    { trigger: "weekly", cron: weeklyCron, period: "week", boards: weekBoards },
  ];
}
