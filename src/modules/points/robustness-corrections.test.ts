import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";
import {
  type Contribution,
  expectLedgerClean,
  expectStatus,
  fullBoard,
  getJson,
  parseCsv,
} from "./robustness.test-support.ts";

describe("what revocations and corrections change", () => {
  const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday: week of March 16
  let merit: TestMerit;
  let admin: string;
  let typeId: string;
  const made: Record<string, Contribution> = {};

  beforeAll(async () => {
    merit = await createTestMerit({ clock });
    admin = (await signedInUser(merit, "revboss", ["admin", "member"])).accessToken;
    const ids = await makeUsers(merit, ["root", "ra", "rb", "rc"]);
    typeId = (await makeType(merit, adminActor(ids.root), { slug: "rev-work", category: "revs", max: 1000 }))
      .id;
    const r = await call(merit, "POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "rev-camp",
        name: "Rev",
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-04-01T00:00:00Z",
        pool: { amount: "100", token: "VTX", decimals: 0 },
      },
    });
    expectStatus(r, 201);
    for (const [key, username, points, date] of [
      ["raNow", "ra", 30, "2026-03-17T10:00:00Z"],
      ["rbNow", "rb", 20, "2026-03-16T10:00:00Z"],
      ["rcPast", "rc", 10, "2026-03-10T10:00:00Z"],
      ["raPast", "ra", 5, "2026-03-09T10:00:00Z"],
      ["rbFeb", "rb", 7, "2026-02-27T10:00:00Z"],
    ] as const) {
      const a = await call(merit, "POST", "/api/contributions", {
        token: admin,
        body: { username, contributionTypeId: typeId, points, contributionDate: date },
      });
      expectStatus(a, 201);
      made[key] = a.json();
    }
  }, 60_000);
  afterAll(() => merit?.destroy());

  const BOARDS = [
    "board=global",
    "board=global&period=week",
    "board=global&period=month",
    "board=category:revs",
    "board=category:revs&period=week",
    "board=campaign:rev-camp",
    "board=campaign:rev-camp&period=week",
    "board=global&period=custom&from=2026-03-09&to=2026-03-15",
  ];
  const snapshot = async () => {
    const out: Record<string, Array<[string, string, number, string | null]>> = {};
    for (const q of BOARDS)
      out[q] = (await fullBoard(merit, q)).items.map((i) => [i.username, i.points, i.rank, i.share ?? null]);
    return out;
  };

  it("takes a revoked contribution off every board it counted on, pool shares included", async () => {
    const before = await snapshot();
    expect(before["board=campaign:rev-camp"]).toEqual([
      ["ra", "35", 1, "54"],
      ["rb", "20", 2, "31"],
      ["rc", "10", 3, "15"],
    ]);
    const r = await call(merit, "DELETE", `/api/contributions/${made.raNow.id}`, {
      token: admin,
      body: { reason: "duplicate" },
    });
    expectStatus(r, 200);
    const after = await snapshot();
    expect(after["board=global"]).toEqual([
      ["rb", "27", 1, null],
      ["rc", "10", 2, null],
      ["ra", "5", 3, null],
    ]);
    expect(after["board=global&period=week"]).toEqual([["rb", "20", 1, null]]);
    expect(after["board=category:revs&period=week"]).toEqual([["rb", "20", 1, null]]);
    expect(after["board=global&period=month"]).toEqual([
      ["rb", "20", 1, null],
      ["rc", "10", 2, null],
      ["ra", "5", 3, null],
    ]);
    // 100 VTX over 35 points: 57.14 / 28.57 / 14.28 -> 57, 29, 14 by largest remainder.
    expect(after["board=campaign:rev-camp"]).toEqual([
      ["rb", "20", 1, "57"],
      ["rc", "10", 2, "29"],
      ["ra", "5", 3, "14"],
    ]);
    expect(after["board=campaign:rev-camp&period=week"]).toEqual([["rb", "20", 1, null]]);
    // The past week's range never had it.
    expect(after["board=global&period=custom&from=2026-03-09&to=2026-03-15"]).toEqual(
      before["board=global&period=custom&from=2026-03-09&to=2026-03-15"],
    );
    const week = await getJson<{ rank: number | null; points: string }>(
      merit,
      "/api/leaderboard/rank?user=ra&period=week",
    );
    expect([week.rank, week.points]).toEqual([null, "0"]);
    const share = await getJson<{ share?: string }>(
      merit,
      "/api/leaderboard/rank?user=ra&board=campaign:rev-camp",
    );
    expect(share.share).toBe("14");
    // The campaign export carries the same shares as the pages.
    const csv = parseCsv(
      (await merit.app.inject({ url: "/api/leaderboard/export.csv?board=campaign:rev-camp" })).body,
    );
    // ...each beside the token it is counted in; a period board of the campaign has neither column.
    expect(csv[0].slice(-2)).toEqual(["share", "token"]);
    expect(csv.slice(1).map((x) => [x[1], x[4], Number(x[0]), x[6]])).toEqual(
      after["board=campaign:rev-camp"],
    );
    expect(new Set(csv.slice(1).map((x) => x[7]))).toEqual(new Set(["VTX"]));
    const weekCsv = parseCsv(
      (await merit.app.inject({ url: "/api/leaderboard/export.csv?board=campaign:rev-camp&period=week" }))
        .body,
    );
    expect(weekCsv[0]).toEqual(["rank", "username", "display_name", "user_id", "points", "contributions"]);
    await expectLedgerClean(merit);
  });

  it("changes only the boards of a past week's contribution when it is corrected", async () => {
    const before = await snapshot();
    const r = await call(merit, "POST", `/api/contributions/${made.rcPast.id}/corrections`, {
      token: admin,
      body: { points: 25, reason: "recount" },
    });
    expectStatus(r, 200);
    const after = await snapshot();
    // This week's boards do not move.
    for (const q of BOARDS.filter((x) => x.includes("period=week"))) expect(after[q], q).toEqual(before[q]);
    expect(after["board=global&period=custom&from=2026-03-09&to=2026-03-15"]).toEqual([
      ["rc", "25", 1, null],
      ["ra", "5", 2, null],
    ]);
    expect(after["board=global"]).toEqual([
      ["rb", "27", 1, null],
      ["rc", "25", 2, null],
      ["ra", "5", 3, null],
    ]);
    expect(after["board=global&period=month"]).toEqual([
      ["rc", "25", 1, null],
      ["rb", "20", 2, null],
      ["ra", "5", 3, null],
    ]);
    // 100 over 50: exactly 50 / 40 / 10.
    expect(after["board=campaign:rev-camp"]).toEqual([
      ["rc", "25", 1, "50"],
      ["rb", "20", 2, "40"],
      ["ra", "5", 3, "10"],
    ]);
    // A February contribution corrected leaves every March board alone.
    const beforeFeb = await snapshot();
    expectStatus(
      await call(merit, "POST", `/api/contributions/${made.rbFeb.id}/corrections`, {
        token: admin,
        body: { points: 3, reason: "recount" },
      }),
      200,
    );
    const afterFeb = await snapshot();
    const allTime = ["board=global", "board=category:revs"];
    for (const q of BOARDS.filter((x) => !allTime.includes(x))) expect(afterFeb[q], q).toEqual(beforeFeb[q]);
    for (const q of allTime)
      expect(afterFeb[q], q).toEqual([
        ["rc", "25", 1, null],
        ["rb", "23", 2, null],
        ["ra", "5", 3, null],
      ]);
    await expectLedgerClean(merit);
  });

  it("refuses to correct (or revoke again) a revoked contribution with 409, changing nothing", async () => {
    const before = await snapshot();
    const ledgerBefore = await getJson<{ total: number }>(merit, "/api/admin/ledger?limit=1", admin);
    const corr = await call(merit, "POST", `/api/contributions/${made.raNow.id}/corrections`, {
      token: admin,
      body: { points: 50, reason: "too late" },
    });
    expectStatus(corr, 409);
    expect(corr.json().error.code).toBe("ALREADY_REVOKED");
    const again = await call(merit, "DELETE", `/api/contributions/${made.raNow.id}`, {
      token: admin,
      body: { reason: "again" },
    });
    expectStatus(again, 409);
    expect(await snapshot()).toEqual(before);
    expect((await getJson<{ total: number }>(merit, "/api/admin/ledger?limit=1", admin)).total).toBe(
      ledgerBefore.total,
    );
    const c = await getJson<Contribution>(merit, `/api/contributions/${made.raNow.id}`);
    expect([c.points, c.revokedAt !== null]).toEqual([30, true]);
    await expectLedgerClean(merit);
  });

  it("exports revoked contributions only on request, a formula-like revoke reason defused", async () => {
    const a = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: {
        username: "rb",
        contributionTypeId: typeId,
        points: 1,
        contributionDate: "2026-03-18T09:00:00Z",
      },
    });
    expectStatus(a, 201);
    const reason = '=HYPERLINK("http://evil.example","refund")';
    expectStatus(
      await call(merit, "DELETE", `/api/contributions/${a.json().id}`, { token: admin, body: { reason } }),
      200,
    );
    const exported = async (query: string) =>
      parseCsv((await call(merit, "GET", `/api/contributions/export.csv?${query}`, { token: admin })).body);
    const [header, ...all] = await exported("user=rb&includeRevoked=true");
    const row = all.find((x) => x[0] === a.json().id);
    expect(row?.[header.indexOf("revoke_reason")]).toBe(`'${reason}`);
    expect(row?.[header.indexOf("revoked_at")]).toBe("2026-03-18T12:00:00.000Z");
    expect((await exported("user=rb")).slice(1).map((x) => x[0])).not.toContain(a.json().id);
  });
});
