// Campaign edits (PATCH /api/campaigns/:slug) and open-ended campaigns: the board follows the new
// window and types at once, shares still add up, the ledger still verifies, errors change nothing.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { Decimal } from "../../core/decimal.ts";
import { call, signedInUser, signIn } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType } from "./points.test-support.ts";

let merit: TestMerit;
let admin: string;
let member: string;
let adminId: string;
let typeA: string;
let typeB: string;

/** Every award of the file, to compute the expected boards independently of the totals. */
const awarded: Array<{ username: string; type: string; date: string; global: string }> = [];

async function award(username: string, type: string, points: number, date: string) {
  const r = await call(merit, "POST", "/api/contributions", {
    token: admin,
    body: { username, contributionTypeId: type, points, contributionDate: date },
  });
  expect(r.statusCode).toBe(201);
  awarded.push({ username, type, date, global: r.json().globalPoints });
}

/** What the campaign board must show: summed global points per participant of the covered awards. */
function expected(w: { from: string; to: string | null; types: string[] }): Record<string, string> {
  const out: Record<string, Decimal> = {};
  for (const a of awarded) {
    const t = Date.parse(a.date);
    if (t < Date.parse(w.from) || (w.to !== null && t >= Date.parse(w.to))) continue;
    if (w.types.length > 0 && !w.types.includes(a.type)) continue;
    out[a.username] = (out[a.username] ?? new Decimal(0)).plus(a.global);
  }
  return Object.fromEntries(Object.entries(out).map(([u, p]) => [u, p.toFixed()]));
}

async function board(slug: string) {
  const r = await call(merit, "GET", `/api/leaderboard?board=campaign:${slug}&limit=100`);
  expect(r.statusCode).toBe(200);
  return r.json() as { items: Array<{ username: string; points: string; share?: string }>; total: number };
}

async function expectBoard(slug: string, w: { from: string; to: string | null; types: string[] }) {
  const b = await board(slug);
  const shown = Object.fromEntries(b.items.map((i) => [i.username, new Decimal(i.points).toFixed()]));
  expect(shown).toEqual(expected(w));
  return b;
}

const patch = (slug: string, body: unknown, token = admin) =>
  call(merit, "PATCH", `/api/campaigns/${slug}`, { token, body });

beforeAll(async () => {
  merit = await createTestMerit({ clock: new ManualClock("2026-04-20T12:00:00Z") });
  const a = await signedInUser(merit, "boss", ["admin", "member"]);
  admin = a.accessToken;
  adminId = a.user.id;
  member = (await signedInUser(merit, "pia")).accessToken;
  for (const name of ["ana", "ben", "cai"]) await signedInUser(merit, name);
  typeA = (await makeType(merit, adminActor(adminId), { slug: "code" })).id;
  typeB = (await makeType(merit, adminActor(adminId), { slug: "talk", category: "community" })).id;
  await merit.composition.points.catalog.createMultiplier(adminActor(adminId), {
    contributionTypeId: typeA,
    value: "1.5",
    validFrom: "2026-03-10T00:00:00Z",
  });
  // Dates on both sides of every window used below, across week and month boundaries.
  await award("ana", typeA, 10, "2026-02-27T10:00:00Z");
  await award("ana", typeA, 7, "2026-03-02T10:00:00Z");
  await award("ben", typeA, 9, "2026-03-14T23:59:59Z");
  await award("ben", typeB, 20, "2026-03-05T10:00:00Z");
  await award("cai", typeA, 3, "2026-03-15T00:00:00Z");
  await award("cai", typeA, 11, "2026-03-31T10:00:00Z");
  await award("ana", typeB, 5, "2026-04-02T10:00:00Z");
  await award("ben", typeA, 4, "2026-04-15T10:00:00Z");
});
afterAll(() => merit?.destroy());

describe("PATCH /api/campaigns/:slug", () => {
  it("moves contributions in and out of the board when the window or types change; shares add up; verify is clean", async () => {
    const created = await call(merit, "POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "march",
        name: "March",
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-03-15T00:00:00Z",
        pool: { amount: "100", token: "VTX", decimals: 8 },
        contributionTypes: [typeA],
      },
    });
    expect(created.statusCode).toBe(201);
    await expectBoard("march", { from: "2026-03-01T00:00:00Z", to: "2026-03-15T00:00:00Z", types: [typeA] });

    // Longer: cai's two March awards come in.
    let r = await patch("march", { endsAt: "2026-04-01T00:00:00Z" });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      slug: "march",
      endsAt: "2026-04-01T00:00:00.000Z",
      board: "campaign:march",
    });
    let w = { from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z" as string | null, types: [typeA] };
    let b = await expectBoard("march", w);
    expect(b.items.map((i) => i.username)).toContain("cai");
    const sum = Object.values(expected(w)).reduce((s, p) => s.plus(p), new Decimal(0));
    expect(r.json()).toMatchObject({ participants: Object.keys(expected(w)).length, points: sum.toFixed() });

    // Later start: ana's March 2 award leaves; every type counts: ben's talk award comes in.
    r = await patch("march", { startsAt: "2026-03-03T00:00:00Z", contributionTypes: [] });
    expect(r.statusCode).toBe(200);
    expect(r.json().contributionTypes).toEqual([]);
    w = { from: "2026-03-03T00:00:00Z", to: "2026-04-01T00:00:00Z", types: [] };
    b = await expectBoard("march", w);
    expect(b.items.map((i) => i.username)).not.toContain("ana");

    // Open-ended: everything from the start on, including April.
    r = await patch("march", { endsAt: null, pool: { amount: "1000.5", token: "VTX", decimals: 2 } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ endsAt: null, pool: { amount: "1000.5", token: "VTX", decimals: 2 } });
    w = { from: "2026-03-03T00:00:00Z", to: null, types: [] };
    b = await expectBoard("march", w);
    const units = b.items.map((i) => BigInt(new Decimal(i.share!).times(100).toFixed()));
    expect(units.reduce((s, u) => s + u, 0n)).toBe(100050n);
    // A rank lookup gives each participant the share the page gives (the same split).
    for (const i of b.items) {
      const rank = await merit.app.inject({
        url: `/api/leaderboard/rank?board=campaign:march&user=${i.username}`,
      });
      expect(rank.json()).toMatchObject({ username: i.username, points: i.points, share: i.share });
    }
    const global = await merit.app.inject({
      url: `/api/leaderboard/rank?board=global&user=${b.items[0].username}`,
    });
    expect(global.json()).not.toHaveProperty("share");

    // The incremental path uses the new window: an award in April lands at once.
    await award("cai", typeB, 2, "2026-04-18T10:00:00Z");
    await expectBoard("march", w);

    // Week and month buckets were rebuilt too: the ledger and every live total agree.
    expect((await merit.composition.points.ledger.verify()).differences).toBe(0);
  });

  it("writes who changed what to the audit log", async () => {
    merit.clock.advance(1000);
    const r = await patch("march", { name: "March and on", description: "Edited" });
    expect(r.statusCode).toBe(200);
    const log = await call(merit, "GET", "/api/admin/audit-log?type=campaign.updated", { token: admin });
    expect(log.statusCode).toBe(200);
    const [last] = log.json().items;
    expect(last).toMatchObject({
      actorId: adminId,
      details: {
        campaign: "march",
        boardRebuilt: false,
        changes: { name: { from: "March", to: "March and on" }, description: { from: null, to: "Edited" } },
      },
    });
  });

  it("refuses bad input with a code naming the problem and changes nothing", async () => {
    const before = (await call(merit, "GET", "/api/campaigns/march")).json();
    const boardBefore = await board("march");
    const cases: Array<[unknown, number, string]> = [
      [{ startsAt: "2026-03-03T00:00:00Z", endsAt: "2026-03-03T00:00:00Z" }, 422, "INVALID_CAMPAIGN_WINDOW"],
      [{ pool: { amount: "1.001", token: "VTX", decimals: 2 } }, 422, "INVALID_POOL"],
      [{ pool: { amount: "0", token: "VTX", decimals: 2 } }, 422, "INVALID_POOL"],
      [
        { contributionTypes: [typeA, "00000000-0000-4000-8000-000000000000"] },
        422,
        "CONTRIBUTION_TYPE_NOT_FOUND",
      ],
      [{ slug: "renamed" }, 400, "VALIDATION_ERROR"],
      [{}, 400, "VALIDATION_ERROR"],
    ];
    for (const [body, status, code] of cases) {
      const r = await patch("march", body);
      expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
    }
    // A start after the stored end is a bad window too.
    await patch("march", { endsAt: "2026-05-01T00:00:00Z" });
    const mid = (await call(merit, "GET", "/api/campaigns/march")).json();
    const late = await patch("march", { startsAt: "2026-06-01T00:00:00Z" });
    expect([late.statusCode, late.json().error.code]).toEqual([422, "INVALID_CAMPAIGN_WINDOW"]);
    expect((await call(merit, "GET", "/api/campaigns/march")).json()).toEqual(mid);
    await patch("march", { endsAt: null });
    expect((await call(merit, "GET", "/api/campaigns/march")).json()).toEqual(before);
    expect(await board("march")).toEqual(boardBefore);

    const missing = await patch("nope", { name: "x" });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, "CAMPAIGN_NOT_FOUND"]);
  });

  it("is for admins: a participant gets 403, an anonymous caller 401", async () => {
    expect((await patch("march", { name: "Mine" }, member)).statusCode).toBe(403);
    expect((await call(merit, "PATCH", "/api/campaigns/march", { body: { name: "Mine" } })).statusCode).toBe(
      401,
    );
    expect((await call(merit, "GET", "/api/campaigns/march")).json().name).toBe("March and on");
  });
});

describe("open-ended campaigns", () => {
  it("are created without endsAt and count every later contribution", async () => {
    const r = await call(merit, "POST", "/api/campaigns", {
      token: admin,
      body: { slug: "always", name: "Always", startsAt: "2026-03-31T00:00:00Z", contributionTypes: [typeA] },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().endsAt).toBeNull();
    const w = { from: "2026-03-31T00:00:00Z", to: null, types: [typeA] };
    await expectBoard("always", w);
    merit.clock.set("2027-01-10T00:00:00Z");
    admin = (await signIn(merit, "boss")).accessToken;
    await award("ana", typeA, 6, "2027-01-09T00:00:00Z");
    await expectBoard("always", w);
    const filtered = await call(merit, "GET", "/api/contributions?campaign=always&limit=100");
    expect(filtered.json().total).toBe(
      awarded.filter((a) => a.type === typeA && a.date >= "2026-03-31T00:00:00Z").length,
    );
    // A custom range of an open-ended campaign's board covers the same contributions.
    const range = await call(
      merit,
      "GET",
      "/api/leaderboard?board=campaign:always&period=custom&from=2026-01-01&to=2027-02-01&limit=100",
    );
    expect(range.statusCode).toBe(200);
    const ranged = Object.fromEntries(
      (range.json().items as Array<{ username: string; points: string }>).map((i) => [
        i.username,
        new Decimal(i.points).toFixed(),
      ]),
    );
    expect(ranged).toEqual(expected(w));
    expect((await merit.composition.points.ledger.verify()).differences).toBe(0);
  });
});

describe("bonus factor (internal award option)", () => {
  it("folds into the frozen multiplier so global points are exact; the HTTP API does not take it", async () => {
    const c = await merit.composition.points.contributions.award(
      adminActor(adminId),
      { username: "ben", contributionTypeId: typeA, points: 33, contributionDate: "2026-04-19T00:00:00Z" },
      { bonusFactor: "1.0333" },
    );
    expect(c).toMatchObject({ points: 33, multiplierAtCreation: "1.54995", globalPoints: "51.14835" });
    const r = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: { username: "ben", contributionTypeId: typeA, points: 1, bonusFactor: "2" },
    });
    expect(r.statusCode).toBe(400);
    expect((await merit.composition.points.ledger.verify()).differences).toBe(0);
  });
});
