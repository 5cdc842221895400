// The award rules, shared by single and bulk awards (awards.service.ts) and by corrections: who and
// what may be awarded (checkAward, in the order errors are reported) and the caps, checked under a
// lock of the capped types so concurrent awards cannot both pass one.
import { randomUUID } from "node:crypto";
import type { Tx } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { unprocessable } from "../../core/errors.ts";
import { parseInstant } from "../../core/instants.ts";
import * as repo from "./awards.repo.ts";
import type { AwardInput, AwardOptions } from "./contributions.service.ts";
import { BEGINNING_OF_TIME, exactTimes } from "./points.shared.ts";

export interface Checked {
  ctx: repo.AwardContextRow;
  row: repo.AwardRow;
  capped: boolean;
  /** The input's position in a bulk award (errors name it), null for a single award. */
  index: number | null;
}

/**
 * Validates a date given by the caller; the lookup runs at `now` when it is invalid, errors come in
 * rule order. An instant outside years 1-9999 UTC (year 0 written out, or 0001-01-01 moved there by
 * its offset) is invalid too: PostgreSQL refused it in the lookup, a 500 before any rule ran.
 */
export function parseDate(input: AwardInput, now: Date): Date | null {
  if (!input.contributionDate) return now;
  try {
    return parseInstant(input.contributionDate, "contributionDate");
  } catch {
    return null;
  }
}

/** The frozen multiplier: the type's on the contribution date, times the caller's bonus factor if any. */
function multiplierOf(typeMultiplier: string, options: AwardOptions): string {
  const factor = options.bonusFactor;
  if (factor === undefined || (/^\d+(\.\d+)?$/.test(factor) && new Decimal(factor).eq(1)))
    return typeMultiplier;
  if (!/^\d+(\.\d+)?$/.test(factor) || new Decimal(factor).lte(0)) {
    throw unprocessable("INVALID_BONUS_FACTOR", "bonusFactor must be a decimal > 0", {
      field: "bonusFactor",
    });
  }
  return exactTimes(typeMultiplier, factor);
}

/** The award rules, in the order their errors are reported; `index` names the input in a bulk award. */
export function checkAward(
  ctx: repo.AwardContextRow | null | undefined,
  input: AwardInput,
  date: Date | null,
  now: Date,
  by: string,
  ord: number,
  index: number | null,
  options: AwardOptions = {},
): Checked {
  const at = index === null ? {} : { index };
  if (!input.userId && !input.username) {
    throw unprocessable("USER_REQUIRED", "Give username or userId", { field: "username", ...at });
  }
  if (!ctx?.user_id || ctx.user_deleted_at) {
    throw unprocessable("USER_NOT_FOUND", `No participant "${input.username ?? input.userId}"`, {
      field: input.userId ? "userId" : "username",
      ...at,
    });
  }
  if (input.userId && input.username && input.username.toLowerCase() !== ctx.username.toLowerCase()) {
    throw unprocessable(
      "USER_MISMATCH",
      `userId and username "${input.username}" name different participants`,
      {
        field: "username",
        ...at,
      },
    );
  }
  if (!date || date < BEGINNING_OF_TIME) {
    throw unprocessable("INVALID_DATE", "contributionDate must be a date-time after 1970", {
      field: "contributionDate",
      ...at,
    });
  }
  if (date > now) {
    throw unprocessable("CONTRIBUTION_DATE_IN_FUTURE", "contributionDate cannot be in the future", {
      field: "contributionDate",
      ...at,
    });
  }
  if (!ctx.type_id)
    throw unprocessable(
      "CONTRIBUTION_TYPE_NOT_FOUND",
      `No contribution type with id ${input.contributionTypeId}`,
      {
        field: "contributionTypeId",
        ...at,
      },
    );
  if (!ctx.is_active)
    throw unprocessable("CONTRIBUTION_TYPE_INACTIVE", "This contribution type is not active", {
      field: "contributionTypeId",
      ...at,
    });
  if (input.points < ctx.min_points || input.points > ctx.max_points) {
    throw unprocessable(
      "POINTS_OUT_OF_RANGE",
      `points must be between ${ctx.min_points} and ${ctx.max_points} for this type`,
      { field: "points", min: ctx.min_points, max: ctx.max_points, ...at },
    );
  }
  if (!ctx.multiplier)
    throw unprocessable("NO_MULTIPLIER", "This type has no multiplier for that date", { ...at });
  const multiplier = multiplierOf(ctx.multiplier, options);
  return {
    ctx,
    capped: ctx.cap_total !== null || ctx.cap_per_participant_week !== null,
    index,
    row: {
      ord,
      id: randomUUID(),
      userId: ctx.user_id,
      typeId: ctx.type_id,
      categoryId: ctx.category_id,
      points: input.points,
      multiplier,
      globalPoints: exactTimes(String(input.points), multiplier),
      date: date.toISOString(),
      evidence: input.evidence ?? [],
      notes: input.notes ?? null,
      source: input.source ?? "manual",
      sourceRef: input.sourceRef ?? null,
      by,
      at: now.toISOString(),
    },
  };
}

/** The cap rule: `used` live base points plus `adding` must stay within each cap. 422 CAP_EXCEEDED. */
function enforceCaps(
  caps: { cap_total: number | null; cap_per_participant_week: number | null },
  used: { total: number; week: number },
  adding: number,
  at: Record<string, unknown>,
): void {
  const { cap_total: capTotal, cap_per_participant_week: capWeek } = caps;
  if (capTotal !== null && used.total + adding > capTotal) {
    throw unprocessable("CAP_EXCEEDED", `This type's total cap of ${capTotal} points would be exceeded`, {
      cap: "total",
      limit: capTotal,
      used: used.total,
      ...at,
    });
  }
  if (capWeek !== null && used.week + adding > capWeek) {
    throw unprocessable(
      "CAP_EXCEEDED",
      `This participant's weekly cap of ${capWeek} points for this type would be exceeded`,
      { cap: "perParticipantPerWeek", limit: capWeek, used: used.week, ...at },
    );
  }
}

/**
 * Caps of the capped awards, in input order: live usage read after the types are locked, plus what
 * earlier awards of the same call add. Throws 422 CAP_EXCEEDED naming the first award over a cap.
 */
export async function checkCaps(tx: Tx, checked: Checked[]): Promise<void> {
  const capped = checked.filter((c) => c.capped);
  if (capped.length === 0) return;
  await repo.lockTypes(tx, [...new Set(capped.map((c) => c.row.typeId))].sort());
  const usage = await repo.capUsage(
    tx,
    capped.map((c) => ({ ord: c.row.ord, userId: c.row.userId, typeId: c.row.typeId, date: c.row.date })),
  );
  const byOrd = new Map(usage.map((u) => [u.ord, u]));
  const addedTotal = new Map<string, number>();
  const addedWeek = new Map<string, number>();
  for (const c of capped) {
    const u = byOrd.get(c.row.ord) ?? { total: 0, week: 0, week_key: "" };
    const weekKey = `${c.row.typeId}|${c.row.userId}|${u.week_key}`;
    const used = {
      total: u.total + (addedTotal.get(c.row.typeId) ?? 0),
      week: u.week + (addedWeek.get(weekKey) ?? 0),
    };
    enforceCaps(c.ctx, used, c.row.points, c.index === null ? {} : { index: c.index });
    addedTotal.set(c.row.typeId, (addedTotal.get(c.row.typeId) ?? 0) + c.row.points);
    addedWeek.set(weekKey, (addedWeek.get(weekKey) ?? 0) + c.row.points);
  }
}

/**
 * Caps of a correction that raises a live contribution from `from` to `to` base points: the same
 * rule as an award of the difference, with the type locked first (lowering is always allowed, also
 * under a cap lowered since). Call inside the correcting transaction.
 */
export async function checkCorrectionCaps(
  tx: Tx,
  c: { userId: string; typeId: string; date: Date; from: number; to: number },
  caps: { cap_total: number | null; cap_per_participant_week: number | null },
): Promise<void> {
  if (c.to <= c.from || (caps.cap_total === null && caps.cap_per_participant_week === null)) return;
  await repo.lockTypes(tx, [c.typeId]);
  const [u] = await repo.capUsage(tx, [
    { ord: 0, userId: c.userId, typeId: c.typeId, date: c.date.toISOString() },
  ]);
  enforceCaps(caps, { total: u?.total ?? 0, week: u?.week ?? 0 }, c.to - c.from, { field: "points" });
}
