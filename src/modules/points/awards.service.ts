// Awards, one at a time (API) or in bulk (seeds, imports). Both apply the same rules (awards.rules.ts:
// checkAward, checkCaps) and write through the same set-based statement (awards.repo insertAwards),
// so a bulk award leaves exactly the totals, bands and ledger that the same single awards would.
//
// Round trips of one uncapped award: one lookup (participant + type + multiplier on the date) and
// one statement that writes everything; it is atomic on its own, so no BEGIN/COMMIT. Concurrent
// single awards share both: lookups and writes go through batchers (core/batcher.ts), so under load
// one statement and one commit serve many callers, and each caller still returns only after its own
// award is committed (read-your-writes). Both statements are named prepared statements on
// PostgreSQL (Database.named), so they are planned once per connection. Capped types add a
// transaction that locks the type row before reading cap usage, so concurrent awards cannot both
// pass a cap; they are not batched.
import { createBatcher } from "../../core/batcher.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import * as repo from "./awards.repo.ts";
import { type Checked, checkAward, checkCaps, parseDate } from "./awards.rules.ts";
import { type ContributionView, contributionView } from "./contribution-view.ts";
import { findByOrigins, type Origin, originKey } from "./contributions.repo.ts";
import type { AwardInput, AwardOptions } from "./contributions.service.ts";
import { decimalString, iso, type PointsDeps } from "./points.shared.ts";
import type { PointsEvent } from "./points-events.ts";

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

  function publish(
    views: ContributionView[],
    written: Map<string, string[]>,
    listed: boolean[],
    now: Date,
  ): void {
    for (const [i, v] of views.entries()) {
      const event: PointsEvent = {
        type: "award",
        contributionId: v.id,
        userId: v.userId,
        username: v.username,
        points: v.globalPoints,
        boards: written.get(v.id) ?? [],
        contributionDate: v.contributionDate,
        listed: listed[i],
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
    const isFresh = (_: unknown, i: number) => written[i] !== null;
    publish(
      views.filter(isFresh),
      new Map(written.flatMap((w) => (w ? [[w.id, w.boards] as const] : []))),
      checked.filter(isFresh).map((c) => c.ctx.user_listed !== false),
      now,
    );
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
