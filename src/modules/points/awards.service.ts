// Awards, one at a time (API) or in bulk (seeds, imports). Both apply the same rules (checkAward,
// checkCaps) and write through the same set-based statement (awards.repo insertAwards), so a bulk
// award leaves exactly the totals, bands and ledger that the same single awards would.
//
// Round trips of one uncapped award: one lookup (participant + type + multiplier on the date) and
// one statement that writes everything; it is atomic on its own, so no BEGIN/COMMIT. Concurrent
// single awards share both: lookups and writes go through batchers (core/batcher.ts), so under load
// one statement and one commit serve many callers, and each caller still returns only after its own
// award is committed (read-your-writes). Both statements are named prepared statements on
// PostgreSQL (Database.named), so they are planned once per connection. Capped types add a
// transaction that locks the type row before reading cap usage, so concurrent awards cannot both
// pass a cap; they are not batched.
import { randomUUID } from "node:crypto";
import { createBatcher } from "../../core/batcher.ts";
import type { Tx } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import * as repo from "./awards.repo.ts";
import { type ContributionView, contributionView } from "./contribution-view.ts";
import { findByOrigins, type Origin, originKey } from "./contributions.repo.ts";
import type { AwardInput, AwardOptions } from "./contributions.service.ts";
import { BEGINNING_OF_TIME, decimalString, exactTimes, iso, type PointsDeps } from "./points.shared.ts";
import type { PointsEvent } from "./points-events.ts";

interface Checked {
  ctx: repo.AwardContextRow;
  row: repo.AwardRow;
  capped: boolean;
  /** The input's position in a bulk award (errors name it), null for a single award. */
  index: number | null;
}

/** Validates a date given by the caller; the lookup runs at `now` when it is invalid, errors come in rule order. */
function parseDate(input: AwardInput, now: Date): Date | null {
  const date = input.contributionDate ? new Date(input.contributionDate) : now;
  return Number.isNaN(date.getTime()) ? null : date;
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
function checkAward(
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
async function checkCaps(tx: Tx, checked: Checked[]): Promise<void> {
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

function viewOf(c: Checked, w: repo.WrittenAward, awardedBy: string): ContributionView {
  return {
    id: w.id,
    userId: c.row.userId,
    username: w.username,
    displayName: c.ctx.display_name,
    contributionTypeId: c.row.typeId,
    contributionType: c.ctx.type_slug,
    contributionTypeName: c.ctx.type_name,
    category: c.ctx.category_slug,
    points: c.row.points,
    multiplierAtCreation: c.row.multiplier,
    globalPoints: decimalString(c.row.globalPoints),
    contributionDate: c.row.date,
    evidence: w.evidence,
    notes: c.row.notes,
    source: c.row.source,
    sourceRef: c.row.sourceRef,
    awardedBy,
    createdAt: iso(w.created_at)!,
    revokedAt: null,
    revokeReason: null,
  };
}

/** The origin an award names (manual unless a source is given), or null without a sourceRef. */
function originOf(a: { source?: string | null; sourceRef?: string | null }): Origin | null {
  return a.sourceRef == null ? null : { source: a.source ?? "manual", sourceRef: a.sourceRef };
}

/** The lookup of one award's participant, type and multiplier on its date. */
function probeOf(input: AwardInput, ord: number, date: Date): repo.BatchProbe {
  return {
    ord,
    userId: input.userId ?? null,
    username: input.userId ? null : (input.username ?? null),
    typeId: input.contributionTypeId,
    date: date.toISOString(),
  };
}

/** Concurrent single awards combined into one lookup or one write statement (one in flight: bigger batches measured faster). */
const BATCH = { maxBatch: 64, concurrency: 1 };

/** Builds award and awardMany. */
export function createAwardsService(deps: PointsDeps) {
  const { db, clock, events } = deps;

  const contexts = createBatcher(async (probes: repo.BatchProbe[]) => {
    const found = await db.named<repo.AwardContextRow & { ord: number }>(
      "merit_award_context",
      repo.batchContextSql(probes.map((p, ord) => ({ ...p, ord }))),
    );
    const byOrd = new Map(found.map((r) => [r.ord, r]));
    return probes.map((_, ord) => byOrd.get(ord) ?? null);
  }, BATCH);

  // One result per award in input order: its written row, or null where its origin was awarded before.
  const writes = createBatcher(async (awards: repo.AwardRow[]) => {
    const rows = awards.map((a, ord) => ({ ...a, ord }));
    return repo.byInput(
      rows,
      await db.named<repo.WrittenAward>("merit_insert_awards", repo.insertAwardsSql(rows)),
    );
  }, BATCH);

  /**
   * The contributions already written for the origins of the awards that wrote nothing (null in
   * `written`): another caller awarded the same origin between this call's look-up and its write.
   */
  async function replayed(
    checked: Checked[],
    written: Array<repo.WrittenAward | null>,
    viewer: Actor,
  ): Promise<Array<ContributionView | null>> {
    const lost = checked.flatMap((c, i) => (written[i] === null ? [c] : []));
    if (lost.length === 0) return written.map(() => null);
    const found = await findByOrigins(
      db.orm,
      lost.flatMap((c) => originOf(c.row) ?? []),
    );
    return checked.map((c, i) => {
      if (written[i] !== null) return null;
      const origin = originOf(c.row);
      const row = origin ? found.get(originKey(origin)) : undefined;
      // Only an award with an origin can write nothing, and the contribution of its origin stays.
      if (!row) throw new Error(`award ${i} wrote nothing and no contribution has its origin`);
      return contributionView(row, viewer);
    });
  }

  /** The contributions already awarded for the inputs' origins, by originKey, as `viewer` sees them. */
  async function earlierAwards(inputs: AwardInput[], viewer: Actor): Promise<Map<string, ContributionView>> {
    const found = await findByOrigins(
      db.orm,
      inputs.flatMap((i) => originOf(i) ?? []),
    );
    return new Map([...found].map(([k, row]) => [k, contributionView(row, viewer)]));
  }

  function publish(views: ContributionView[], written: Map<string, string[]>, now: Date): void {
    for (const v of views) {
      const event: PointsEvent = {
        type: "award",
        contributionId: v.id,
        userId: v.userId,
        username: v.username,
        points: v.globalPoints,
        boards: written.get(v.id) ?? [],
        contributionDate: v.contributionDate,
        at: now.toISOString(),
      };
      events.publish(event);
    }
  }

  async function run(checked: Checked[], by: Actor, now: Date, bulk: boolean): Promise<ContributionView[]> {
    let written: Array<repo.WrittenAward | null>;
    if (!bulk && checked.length === 1 && !checked[0].capped) {
      // One uncapped award: a single atomic statement, shared with concurrent callers.
      written = [await writes.submit(checked[0].row)];
    } else {
      written = await db.transaction(async (tx) => {
        await checkCaps(tx, checked);
        const rows = checked.map((c) => c.row);
        return repo.byInput(rows, await repo.insertAwards(tx, rows));
      });
    }
    const earlier = await replayed(checked, written, by);
    const views = written.map((w, i) => (w ? viewOf(checked[i], w, by.userId) : earlier[i]!));
    // Only new awards changed anything: replays are not announced again.
    const fresh = views.filter((_, i) => written[i] !== null);
    publish(fresh, new Map(written.flatMap((w) => (w ? [[w.id, w.boards] as const] : []))), now);
    return views;
  }

  return {
    /**
     * Awards points (admins and stewards): frozen multiplier, exact globalPoints, ledger entry, every
     * board. `options` come from internal callers only (see AwardOptions).
     */
    async award(
      actor: Actor | null,
      input: AwardInput,
      options: AwardOptions = {},
    ): Promise<ContributionView> {
      const by = requireRole(actor, "admin", "steward");
      // An origin awarded before answers with that contribution, before any rule: a retry must not
      // fail because a type was deactivated or a cap filled since (by this very award, say).
      const origin = originOf(input);
      const earlier = origin ? (await earlierAwards([input], by)).get(originKey(origin)) : undefined;
      if (earlier) return earlier;
      const now = clock.now();
      const date = parseDate(input, now);
      const named = input.userId || input.username;
      const ctx = named ? await contexts.submit(probeOf(input, 0, date ?? now)) : null;
      const checked = checkAward(ctx, input, date, now, by.userId, 0, null, options);
      const [view] = await run([checked], by, now, false);
      return view;
    },

    /**
     * Awards many contributions in one transaction with set-based SQL (seeds, imports): the same
     * rules as award, all or nothing; errors name the input by `details.index`.
     */
    async awardMany(actor: Actor | null, inputs: AwardInput[]): Promise<ContributionView[]> {
      const by = requireRole(actor, "admin", "steward");
      if (inputs.length === 0) return [];
      // As in award: an origin awarded before answers with that contribution, and an origin named
      // again in this call with the award of its first naming; only the rest meet the rules.
      const earlier = await earlierAwards(inputs, by);
      const firstOf = new Map<string, number>();
      const fresh: number[] = [];
      for (const [i, input] of inputs.entries()) {
        const origin = originOf(input);
        const key = origin && originKey(origin);
        if (key && (earlier.has(key) || firstOf.has(key))) continue;
        if (key) firstOf.set(key, i);
        fresh.push(i);
      }
      const now = clock.now();
      const dates = fresh.map((i) => parseDate(inputs[i], now));
      const ctxs = await repo.batchContext(
        db.orm,
        fresh.map((i, ord) => probeOf(inputs[i], ord, dates[ord] ?? now)),
      );
      const checked = fresh.map((i, ord) =>
        checkAward(ctxs[ord], inputs[i], dates[ord], now, by.userId, ord, i),
      );
      const views = new Map(
        (checked.length ? await run(checked, by, now, true) : []).map((v, ord) => [fresh[ord], v]),
      );
      return inputs.map((input, i) => {
        const mine = views.get(i);
        if (mine) return mine;
        const key = originKey(originOf(input)!);
        return earlier.get(key) ?? views.get(firstOf.get(key)!)!;
      });
    },
  };
}
