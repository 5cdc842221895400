// An award's origin (source, sourceRef: a forum post, a submission...) is awarded at most once,
// enforced by the database (migration 0012): retries, concurrent workers and bulk imports naming an
// origin again get the contribution already written back, and nothing is counted twice.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { rows } from "../../core/db/client.ts";
import { AppError } from "../../core/errors.ts";
import type { Actor } from "../../core/http/actor.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";
import type { PointsEvent } from "./points-events.ts";

let merit: TestMerit;
let admin: Actor;
let ids: Record<string, string>;
let plain: string;
let capped: string;
let tight: string;
const events: PointsEvent[] = [];

beforeAll(async () => {
  merit = await createTestMerit({ clock: new ManualClock("2026-03-11T12:00:00Z") });
  ids = await makeUsers(merit, ["root", "amy", "bob"]);
  admin = adminActor(ids.root);
  plain = (await makeType(merit, admin, { slug: "post", max: 50 })).id;
  capped = (await makeType(merit, admin, { slug: "capped", max: 50, caps: { perParticipantPerWeek: 500 } }))
    .id;
  tight = (await makeType(merit, admin, { slug: "tight", max: 50, caps: { perParticipantPerWeek: 50 } })).id;
  merit.composition.points.events.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await merit?.close();
});

const svc = () => merit.composition.points.contributions;

/** Contributions and ledger entries of an origin, and amy's global total. */
async function counted(ref: string) {
  const [c] = await rows<{ contributions: number; entries: number }>(
    merit.core.db.orm,
    sql`SELECT (SELECT count(*)::int FROM contributions WHERE source = 'test' AND source_ref = ${ref}) AS contributions,
          (SELECT count(*)::int FROM ledger_entries l JOIN contributions c ON c.id = l.contribution_id
            WHERE c.source = 'test' AND c.source_ref = ${ref}) AS entries`,
  );
  return c;
}

async function amyGlobal(): Promise<string | null> {
  const [r] = await rows<{ points: string }>(
    merit.core.db.orm,
    sql`SELECT points::text AS points FROM board_totals WHERE board = 'global' AND bucket = 'all' AND user_id = ${ids.amy}`,
  );
  return r?.points ?? null;
}

async function expectVerifyClean() {
  const report = await merit.composition.points.ledger.verify();
  expect(report.differences).toBe(0);
}

describe("an award's origin is awarded once", () => {
  it("a second award of an origin answers with the first, and counts nothing", async () => {
    const input = {
      userId: ids.amy,
      contributionTypeId: plain,
      points: 10,
      source: "test",
      sourceRef: "post-1",
    };
    const first = await svc().award(admin, input);
    const before = await amyGlobal();
    const eventsBefore = events.length;
    const again = await svc().award(admin, { ...input, points: 30 });
    expect(again.id).toBe(first.id);
    expect(again.points).toBe(10);
    expect(await counted("post-1")).toEqual({ contributions: 1, entries: 1 });
    expect(await amyGlobal()).toBe(before);
    expect(events.length).toBe(eventsBefore); // a replay is not announced as a new award
    await expectVerifyClean();
  });

  it("concurrent awards of one origin (one write batch) write one contribution", async () => {
    const input = {
      userId: ids.amy,
      contributionTypeId: plain,
      points: 7,
      source: "test",
      sourceRef: "post-2",
    };
    const before = Number(await amyGlobal());
    const results = await Promise.all(Array.from({ length: 8 }, () => svc().award(admin, input)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await counted("post-2")).toEqual({ contributions: 1, entries: 1 });
    expect(Number(await amyGlobal())).toBe(before + 7);
    await expectVerifyClean();
  });

  it("an origin alongside other awards in one batch leaves the others written", async () => {
    const one = {
      userId: ids.bob,
      contributionTypeId: plain,
      points: 3,
      source: "test",
      sourceRef: "post-3",
    };
    const results = await Promise.all([
      svc().award(admin, one),
      svc().award(admin, { userId: ids.bob, contributionTypeId: plain, points: 4 }),
      svc().award(admin, one),
      svc().award(admin, { userId: ids.bob, contributionTypeId: plain, points: 5 }),
    ]);
    expect(results[0].id).toBe(results[2].id);
    expect(new Set(results.map((r) => r.id)).size).toBe(3);
    expect(results.map((r) => r.points)).toEqual([3, 4, 3, 5]);
    expect(await counted("post-3")).toEqual({ contributions: 1, entries: 1 });
    await expectVerifyClean();
  });

  it("a revoked origin stays revoked: awarding it again answers with the revoked contribution", async () => {
    const input = {
      userId: ids.amy,
      contributionTypeId: plain,
      points: 9,
      source: "test",
      sourceRef: "post-4",
    };
    const first = await svc().award(admin, input);
    await svc().revoke(admin, first.id, "spam");
    const before = await amyGlobal();
    const again = await svc().award(admin, input);
    expect(again.id).toBe(first.id);
    expect(again.revokedAt).not.toBeNull();
    expect(await amyGlobal()).toBe(before);
    expect(await counted("post-4")).toEqual({ contributions: 1, entries: 2 }); // award + revocation
    await expectVerifyClean();
  });

  it("bulk awards: an origin named twice, or awarded before, is written once", async () => {
    const earlier = await svc().award(admin, {
      userId: ids.bob,
      contributionTypeId: plain,
      points: 2,
      source: "test",
      sourceRef: "post-5",
    });
    const out = await svc().awardMany(admin, [
      { userId: ids.bob, contributionTypeId: plain, points: 6, source: "test", sourceRef: "post-5" },
      { userId: ids.amy, contributionTypeId: plain, points: 8, source: "test", sourceRef: "post-6" },
      { userId: ids.amy, contributionTypeId: plain, points: 8, source: "test", sourceRef: "post-6" },
      { userId: ids.amy, contributionTypeId: plain, points: 1 },
    ]);
    expect(out[0].id).toBe(earlier.id);
    expect(out[0].points).toBe(2);
    expect(out[1].id).toBe(out[2].id);
    expect(out[3].id).not.toBe(out[1].id);
    expect(await counted("post-5")).toEqual({ contributions: 1, entries: 1 });
    expect(await counted("post-6")).toEqual({ contributions: 1, entries: 1 });
    await expectVerifyClean();
  });

  it("capped awards (their own transaction) replay the same way, and a replay uses no cap", async () => {
    const input = {
      userId: ids.amy,
      contributionTypeId: capped,
      points: 40,
      source: "test",
      sourceRef: "post-7",
    };
    const first = await svc().award(admin, input);
    const again = await Promise.all([svc().award(admin, input), svc().award(admin, input)]);
    expect(again.map((r) => r.id)).toEqual([first.id, first.id]);
    expect(await counted("post-7")).toEqual({ contributions: 1, entries: 1 });
    await expectVerifyClean();
  });

  it("the same sourceRef under another source is another origin; awards without one never collide", async () => {
    const a = await svc().award(admin, {
      userId: ids.amy,
      contributionTypeId: plain,
      points: 1,
      source: "other",
      sourceRef: "post-1",
    });
    expect((await counted("post-1")).contributions).toBe(1);
    const plainOnes = await Promise.all(
      [1, 2].map(() => svc().award(admin, { userId: ids.amy, contributionTypeId: plain, points: 1 })),
    );
    expect(new Set([a.id, ...plainOnes.map((p) => p.id)]).size).toBe(3);
    await expectVerifyClean();
  });

  it("a repeat meets no rule: not a cap its own award filled, nor a type deactivated since", async () => {
    const input = {
      userId: ids.bob,
      contributionTypeId: tight,
      points: 40,
      source: "test",
      sourceRef: "post-8",
    };
    const first = await svc().award(admin, input);
    expect((await svc().award(admin, input)).id).toBe(first.id); // 40 + 40 would pass the weekly 50
    await merit.composition.points.catalog.updateType(admin, tight, { active: false });
    expect((await svc().award(admin, input)).id).toBe(first.id);
    const [bulk] = await svc().awardMany(admin, [input]);
    expect(bulk.id).toBe(first.id);
    await merit.composition.points.catalog.updateType(admin, tight, { active: true });
    expect(await counted("post-8")).toEqual({ contributions: 1, entries: 1 });
  });

  it("bulk: an origin named twice counts once against a cap, and errors name the input's own position", async () => {
    const twice = {
      userId: ids.amy,
      contributionTypeId: tight,
      points: 30,
      source: "test",
      sourceRef: "post-9",
    };
    const out = await svc().awardMany(admin, [twice, twice]);
    expect(out[0].id).toBe(out[1].id);
    expect(await counted("post-9")).toEqual({ contributions: 1, entries: 1 });

    const err = await svc()
      .awardMany(admin, [twice, { userId: ids.amy, contributionTypeId: tight, points: 30 }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("CAP_EXCEEDED");
    expect((err as AppError).details).toMatchObject({ index: 1 });
    const bad = await svc()
      .awardMany(admin, [twice, { userId: ids.amy, contributionTypeId: plain, points: 999 }])
      .catch((e: unknown) => e);
    expect((bad as AppError).code).toBe("POINTS_OUT_OF_RANGE");
    expect((bad as AppError).details).toMatchObject({ index: 1 });
    await expectVerifyClean();
  });
});
