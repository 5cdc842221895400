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
} from "./robustness.test-support.ts";

describe("boundaries to the millisecond", () => {
  const clock = new ManualClock("2026-02-02T10:00:00Z"); // a Monday; February 1 is a Sunday
  let merit: TestMerit;
  let admin: string;
  let ids: Record<string, string>;
  let work: string;
  let weekly: string;

  beforeAll(async () => {
    merit = await createTestMerit({ clock });
    admin = (await signedInUser(merit, "edgeboss", ["admin", "member"])).accessToken;
    ids = await makeUsers(merit, ["root", "bea", "bob", "cam", "dee"]);
    const root = adminActor(ids.root);
    work = (await makeType(merit, root, { slug: "edge-work", category: "edges", max: 1000 })).id;
    weekly = (
      await makeType(merit, root, {
        slug: "edge-weekly",
        category: "edges",
        caps: { perParticipantPerWeek: 10 },
      })
    ).id;
  }, 60_000);
  afterAll(() => merit?.destroy());

  const award = async (username: string, points: number, contributionDate: string, type = work) => {
    const r = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: { username, contributionTypeId: type, points, contributionDate },
    });
    return r;
  };
  const pointsOf = async (query: string, username: string) =>
    (await fullBoard(merit, query)).items.find((i) => i.username === username)?.points ?? null;

  it("cuts weeks at Monday 00:00:00.000 UTC and months at the 1st, to the millisecond", async () => {
    expectStatus(await award("bea", 1, "2026-01-31T23:59:59.999Z"), 201); // Saturday, January
    expectStatus(await award("bea", 2, "2026-02-01T00:00:00.000Z"), 201); // Sunday, February
    expectStatus(await award("bea", 4, "2026-02-01T23:59:59.999Z"), 201); // Sunday, last ms of the week
    expectStatus(await award("bea", 8, "2026-02-02T00:00:00.000Z"), 201); // Monday, new week
    expect(await pointsOf("board=global&period=week", "bea")).toBe("8");
    expect(await pointsOf("board=global&period=month", "bea")).toBe("14");
    expect(await pointsOf("board=global", "bea")).toBe("15");
    expect(await pointsOf("board=category:edges&period=week", "bea")).toBe("8");
    // A date-time with an offset counts by its UTC instant: Monday 00:30 in UTC+1 is Sunday 23:30 UTC.
    expectStatus(await award("dee", 16, "2026-02-02T00:30:00+01:00"), 201);
    expect(await pointsOf("board=global&period=week", "dee")).toBeNull();
    expect(await pointsOf("board=global&period=month", "dee")).toBe("16");
    expectStatus(await award("dee", 32, "2026-02-01T23:30:00-01:00"), 201); // Monday 00:30 UTC
    expect(await pointsOf("board=global&period=week", "dee")).toBe("32");
    expect(await pointsOf("board=global&period=custom&from=2026-02-01&to=2026-02-01", "dee")).toBe("16");
    try {
      // Seen from the last millisecond of the previous week, the week board is that week's.
      clock.set("2026-02-01T23:59:59.999Z");
      expect(await pointsOf("board=global&period=week", "bea")).toBe("7");
      expect(await pointsOf("board=global&period=month", "bea")).toBe("14");
      clock.set("2026-01-31T23:59:59.999Z");
      expect(await pointsOf("board=global&period=month", "bea")).toBe("1");
      expect(await pointsOf("board=global&period=week", "bea")).toBe("7");
    } finally {
      clock.set("2026-02-02T10:00:00Z");
    }
    await expectLedgerClean(merit);
  });

  it("reads custom ranges: from == to as plain dates is that whole UTC day, date-time ends are exclusive", async () => {
    const custom = (from: string, to: string) =>
      pointsOf(
        `board=global&period=custom&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        "bea",
      );
    expect(await custom("2026-02-01", "2026-02-01")).toBe("6");
    expect(await custom("2026-01-31", "2026-01-31")).toBe("1");
    expect(await custom("2026-02-02", "2026-02-02")).toBe("8");
    expect(await custom("2026-01-31", "2026-02-02")).toBe("15");
    expect(await custom("2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z")).toBe("6");
    expect(await custom("2026-02-01T00:00:00Z", "2026-02-01T23:59:59.999Z")).toBe("2");
    expect(await custom("2026-01-31T23:59:59.999Z", "2026-02-01T00:00:00.001Z")).toBe("3");
    expect(await custom("2026-02-01T01:00:00+01:00", "2026-02-02T01:00:00+01:00")).toBe("6");
    expect(await custom("2026-02-01T23:59:59.999Z", "2026-02-02T00:00:00Z")).toBe("4");
    const page = await getJson<{ from: string; to: string }>(
      merit,
      "/api/leaderboard?board=global&period=custom&from=2026-02-01&to=2026-02-01",
    );
    expect([page.from, page.to]).toEqual(["2026-02-01T00:00:00.000Z", "2026-02-02T00:00:00.000Z"]);
    const r = await merit.app.inject({
      url: "/api/leaderboard?board=global&period=custom&from=2026-02-02T00:00:00Z&to=2026-02-02T00:00:00Z",
    });
    expectStatus(r, 422);
  });

  it("reads dates at the ends of years 1 and 9999 or refuses them with a 4xx, never a 500", async () => {
    // A plain `to` of the last day there is counts everything, on boards and contribution lists.
    expect(await pointsOf("board=global&period=custom&from=2026-01-01&to=9999-12-31", "bea")).toBe("15");
    expect(await pointsOf("board=global&period=custom&from=0001-01-01&to=2026-02-02", "bea")).toBe("15");
    const listed = await getJson<{ total: number }>(
      merit,
      "/api/contributions?user=bea&from=0001-01-01&to=9999-12-31",
    );
    expect(listed.total).toBe(4);
    // Offsets that move an instant out of years 1-9999 UTC.
    const refused = async (method: "GET" | "POST", url: string, body?: unknown) => {
      const r = await call(merit, method, url, { token: admin, body });
      expect(r.statusCode, `${url} ${JSON.stringify(body)} -> ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${url} ${JSON.stringify(body)} -> ${r.body}`).toBeLessThan(500);
    };
    const late = encodeURIComponent("9999-12-31T23:30:00-01:00");
    await refused("GET", `/api/leaderboard?period=custom&from=2026-01-01&to=${late}`);
    await refused("GET", "/api/leaderboard?period=custom&from=0000-01-01&to=2026-01-01");
    await refused("GET", `/api/contributions?from=2026-01-01&to=${late}`);
    const camp = { slug: "far-camp", name: "Far" };
    await refused("POST", "/api/campaigns", { ...camp, startsAt: "0000-06-01T00:00:00Z" });
    await refused("POST", "/api/campaigns", { ...camp, startsAt: "0001-01-01T00:30:00+01:00" });
    await refused("POST", "/api/campaigns", {
      ...camp,
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "9999-12-31T23:30:00-01:00",
    });
    await refused("POST", "/api/leaderboard/multipliers", {
      contributionTypeId: work,
      value: "2",
      validFrom: "9999-12-31T23:30:00-01:00",
    });
    expect((await call(merit, "GET", "/api/campaigns/far-camp", {})).statusCode).toBe(404);
  });

  it("applies the weekly cap per Monday-Sunday UTC week, to the millisecond", async () => {
    expectStatus(await award("bob", 10, "2026-02-01T23:59:59.999Z", weekly), 201);
    const over = await award("bob", 1, "2026-01-26T00:00:00.000Z", weekly); // same week's first ms
    expectStatus(over, 422);
    expect(over.json().error).toMatchObject({
      code: "CAP_EXCEEDED",
      details: { cap: "perParticipantPerWeek", used: 10 },
    });
    expectStatus(await award("bob", 10, "2026-02-02T00:00:00.000Z", weekly), 201);
    expectStatus(await award("bob", 10, "2026-01-25T23:59:59.999Z", weekly), 201); // the week before
    const monday = await award("bob", 1, "2026-02-02T09:00:00Z", weekly);
    expect(monday.json().error?.code).toBe("CAP_EXCEEDED");
    await expectLedgerClean(merit);
  });

  it("counts a contribution at a campaign's startsAt and not one at its endsAt, and moves them when the window moves", async () => {
    const at = [
      ["cam", 1, "2026-01-19T23:59:59.999Z"], // 1 ms before startsAt: out
      ["cam", 2, "2026-01-20T00:00:00.000Z"], // startsAt: in
      ["cam", 4, "2026-01-26T23:59:59.999Z"], // 1 ms before endsAt: in
      ["cam", 8, "2026-01-27T00:00:00.000Z"], // endsAt: out
    ] as const;
    for (const [u, p, d] of at) expectStatus(await award(u, p, d), 201);
    const r = await call(merit, "POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "edge-camp",
        name: "Edge",
        startsAt: "2026-01-20T00:00:00.000Z",
        endsAt: "2026-01-27T00:00:00.000Z",
        pool: { amount: "10", token: "VTX", decimals: 0 },
        contributionTypes: [work],
      },
    });
    expectStatus(r, 201);
    expect(await pointsOf("board=campaign:edge-camp", "cam")).toBe("6");
    // An award into the running window after creation lands on the same side of each edge.
    expectStatus(await award("bea", 16, "2026-01-20T00:00:00.000Z"), 201);
    expectStatus(await award("bea", 32, "2026-01-27T00:00:00.000Z"), 201);
    expect(await pointsOf("board=campaign:edge-camp", "bea")).toBe("16");
    const list = await getJson<{ items: Contribution[] }>(
      merit,
      "/api/contributions?campaign=edge-camp&limit=100",
    );
    expect(list.items.map((c) => c.points).sort((a, b) => a - b)).toEqual([2, 4, 16]);
    // The custom-range view of the campaign board follows the same window.
    expect(
      await pointsOf("board=campaign:edge-camp&period=custom&from=2026-01-01&to=2026-01-31", "cam"),
    ).toBe("6");
    // Moving endsAt 1 ms later takes the contributions at the old end in; startsAt 1 ms later drops the first.
    const patch = await call(merit, "PATCH", "/api/campaigns/edge-camp", {
      token: admin,
      body: { startsAt: "2026-01-20T00:00:00.001Z", endsAt: "2026-01-27T00:00:00.001Z" },
    });
    expectStatus(patch, 200);
    expect(await pointsOf("board=campaign:edge-camp", "cam")).toBe("12");
    expect(await pointsOf("board=campaign:edge-camp", "bea")).toBe("32");
    const board = await fullBoard(merit, "board=campaign:edge-camp");
    expect(board.items.reduce((s, i) => s + Number(i.share), 0)).toBe(10);
    await expectLedgerClean(merit);
  });
});
