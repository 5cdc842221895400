// Conformance of the points HTTP API with the specification (issue 4, API part): contributions —
// awarding (bad input, caps by week and in total), listing with pagination and filters, and
// revoking through the ledger.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  createSpecWorld,
  expectCamel,
  expectError,
  expectList,
  expectNamesField,
  NO_SUCH_ID,
  type SpecWorld,
  specApi,
} from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday

let w: SpecWorld;
let admin: string;
let steward: string;
let ids: Record<string, string>;
let types: Record<string, string>;
const { req, get, board, award, contributionCount, addMultiplier } = specApi(() => w);

beforeAll(async () => {
  w = await createSpecWorld(clock);
  ({ admin, steward, ids, types } = w);
  // Docs awards are worth double (globalPoints = 2 x points).
  await addMultiplier("docs", "2", "2026-02-01T00:00:00Z");
});
afterAll(() => w?.merit.destroy());

describe("POST /api/contributions", () => {
  it("refuses bad awards with 400/422 naming the field and writes nothing", async () => {
    const before = await contributionCount();
    const ok = {
      username: "ann",
      contributionTypeId: types.docs,
      points: 10,
      contributionDate: "2026-03-10T00:00:00Z",
    };
    const cases: Array<[unknown, number, string, string?]> = [
      [{ ...ok, username: undefined }, 422, "username", "USER_REQUIRED"],
      [{ ...ok, username: "nobody-here" }, 422, "username", "USER_NOT_FOUND"],
      [{ ...ok, username: undefined, userId: NO_SUCH_ID }, 422, "userId", "USER_NOT_FOUND"],
      [{ ...ok, username: undefined, userId: "ann" }, 400, "userId"],
      [{ ...ok, contributionTypeId: undefined }, 400, "contributionTypeId"],
      [{ ...ok, contributionTypeId: "docs" }, 400, "contributionTypeId"],
      [{ ...ok, contributionTypeId: NO_SUCH_ID }, 422, "contributionTypeId", "CONTRIBUTION_TYPE_NOT_FOUND"],
      [{ ...ok, contributionTypeId: types.retired }, 422, "contributionTypeId", "CONTRIBUTION_TYPE_INACTIVE"],
      [{ ...ok, points: undefined }, 400, "points"],
      [{ ...ok, points: -1 }, 400, "points"],
      [{ ...ok, points: 2.5 }, 400, "points"],
      [{ ...ok, points: "ten" }, 400, "points"],
      [{ ...ok, points: 1e12 }, 400, "points"],
      [{ ...ok, points: 4 }, 422, "points", "POINTS_OUT_OF_RANGE"],
      [{ ...ok, points: 51 }, 422, "points", "POINTS_OUT_OF_RANGE"],
      [{ ...ok, contributionDate: "2026-03-10" }, 400, "contributionDate"],
      [{ ...ok, contributionDate: "soon" }, 400, "contributionDate"],
      [{ ...ok, contributionDate: "2026-02-30T00:00:00Z" }, 400, "contributionDate"],
      [
        { ...ok, contributionDate: "2026-03-19T00:00:00Z" },
        422,
        "contributionDate",
        "CONTRIBUTION_DATE_IN_FUTURE",
      ],
      [{ ...ok, contributionDate: "1969-12-31T00:00:00Z" }, 422, "contributionDate", "INVALID_DATE"],
      [{ ...ok, evidence: [{ url: "not a url" }] }, 400, "evidence"],
      [{ ...ok, evidence: "https://x.test" }, 400, "evidence"],
      [{ ...ok, notes: "x".repeat(5001) }, 400, "notes"],
      [{ ...ok, multiplier: "9" }, 400, "multiplier"],
      [{ ...ok, globalPoints: "900" }, 400, "globalPoints"],
    ];
    for (const [body, status, field, code] of cases) {
      const e = expectError(await req("POST", "/api/contributions", { token: admin, body }), status, code);
      expectNamesField(e, field);
    }
    const range = expectError(
      await req("POST", "/api/contributions", { token: admin, body: { ...ok, points: 51 } }),
      422,
      "POINTS_OUT_OF_RANGE",
    );
    expect(range.details).toMatchObject({ field: "points", min: 5, max: 50 });
    expect(await contributionCount()).toBe(before);
  });

  it("awards by userId with evidence and notes; 201 carries decimal strings and camelCase", async () => {
    const r = await req("POST", "/api/contributions", {
      token: steward,
      body: {
        userId: ids.ben,
        contributionTypeId: types.docs,
        points: 5,
        contributionDate: "2026-03-10T08:00:00Z",
        notes: "Guide",
        evidence: [{ url: "https://example.test/pr/1", description: "PR" }],
      },
    });
    expect(r.statusCode).toBe(201);
    const c = r.json();
    expect(c).toMatchObject({
      userId: ids.ben,
      username: "ben",
      contributionType: "docs",
      category: "writer",
      points: 5,
      multiplierAtCreation: "2.00",
      globalPoints: "10",
      notes: "Guide",
      evidence: [{ url: "https://example.test/pr/1", description: "PR" }],
      contributionDate: "2026-03-10T08:00:00.000Z",
      revokedAt: null,
    });
    expectCamel(c);
    expect((await get(`/api/contributions/${c.id}`, admin)).json()).toEqual(c);
    // Who awarded it is for staff and the participant only.
    expect((await get(`/api/contributions/${c.id}`)).json()).toEqual({ ...c, awardedBy: null });
    // Without a date the award is dated now.
    const now = await req("POST", "/api/contributions", {
      token: admin,
      body: { username: "ben", contributionTypeId: types.docs, points: 5 },
    });
    expect(now.json().contributionDate).toBe(clock.now().toISOString());
  });

  it("caps per participant per week cut at Monday 00:00 UTC, and the total cap counts everyone", async () => {
    await award("ann", "weekly", 10, "2026-03-15T23:59:59Z"); // Sunday: week of Mar 9
    await award("ann", "weekly", 10, "2026-03-16T00:00:00Z"); // Monday: a new week
    const over = await req("POST", "/api/contributions", {
      token: admin,
      body: {
        username: "ann",
        contributionTypeId: types.weekly,
        points: 1,
        contributionDate: "2026-03-18T00:00:00Z",
      },
    });
    expect(expectError(over, 422, "CAP_EXCEEDED").details).toMatchObject({ cap: "perParticipantPerWeek" });
    await award("ben", "weekly", 10, "2026-03-18T00:00:00Z"); // another participant, own cap

    await award("ann", "total", 3, "2026-03-01T00:00:00Z");
    const total = await req("POST", "/api/contributions", {
      token: admin,
      body: {
        username: "ben",
        contributionTypeId: types.total,
        points: 3,
        contributionDate: "2026-03-17T00:00:00Z",
      },
    });
    expect(expectError(total, 422, "CAP_EXCEEDED").details).toMatchObject({
      cap: "total",
      limit: 5,
      used: 3,
    });
    await award("ben", "total", 2, "2026-03-17T00:00:00Z");
    // A revocation gives the capped points back.
    const mine = (await get("/api/contributions?user=ann&type=total")).json().items[0];
    expect(
      (await req("DELETE", `/api/contributions/${mine.id}`, { token: admin, body: { reason: "dup" } }))
        .statusCode,
    ).toBe(200);
    await award("ben", "total", 3, "2026-03-17T00:00:00Z");
  });
});

describe("GET /api/contributions", () => {
  it("paginates with limit/offset and a stable total; refuses limit > 100, limit 0 and negative offset", async () => {
    const all = expectList(await get("/api/contributions?limit=100"));
    expect(all.total).toBeGreaterThan(3);
    const p1 = (await get("/api/contributions?limit=2&offset=0")).json();
    const p2 = (await get("/api/contributions?limit=2&offset=2")).json();
    expect([p1.total, p2.total]).toEqual([all.total, all.total]);
    expect([...p1.items, ...p2.items].map((c: { id: string }) => c.id)).toEqual(
      (all.items as Array<{ id: string }>).slice(0, 4).map((c) => c.id),
    );
    const beyond = (await get(`/api/contributions?offset=${all.total + 10}`)).json();
    expect(beyond).toEqual({ items: [], total: all.total });
    expect((await get("/api/contributions")).json().items.length).toBeLessThanOrEqual(20);
    for (const q of ["limit=101", "limit=0", "offset=-1", "limit=abc", "limit=1.5", "includeRevoked=maybe"]) {
      const e = expectError(await get(`/api/contributions?${q}`), 400);
      expectNamesField(e, q.split("=")[0]);
    }
    expect((await get("/api/contributions?limit=100")).statusCode).toBe(200);
  });

  it("filters by user (name or id), type (slug or id), category and date range; revoked only on request", async () => {
    const byName = (await get("/api/contributions?user=ben&limit=100")).json();
    const byId = (await get(`/api/contributions?user=${ids.ben}&limit=100`)).json();
    expect(byId).toEqual(byName);
    expect(byName.items.every((c: { username: string }) => c.username === "ben")).toBe(true);
    const docs = (await get("/api/contributions?type=docs&limit=100")).json();
    expect((await get(`/api/contributions?type=${types.docs}&limit=100`)).json()).toEqual(docs);
    expect(docs.items.every((c: { contributionType: string }) => c.contributionType === "docs")).toBe(true);
    const writer = (await get("/api/contributions?category=writer&limit=100")).json();
    expect(writer.items.every((c: { category: string }) => c.category === "writer")).toBe(true);
    const day = (await get("/api/contributions?from=2026-03-16&to=2026-03-16&limit=100")).json();
    expect(day.total).toBeGreaterThan(0);
    expect(
      day.items.every((c: { contributionDate: string }) => c.contributionDate.startsWith("2026-03-16")),
    ).toBe(true);
    const exact = (await get("/api/contributions?from=2026-03-16T00:00:00Z&to=2026-03-16T00:00:01Z")).json();
    expect(exact.items.map((c: { contributionDate: string }) => c.contributionDate)).toEqual(
      expect.arrayContaining(["2026-03-16T00:00:00.000Z"]),
    );
    const revoked = (await get("/api/contributions?type=total&includeRevoked=true")).json();
    const live = (await get("/api/contributions?type=total")).json();
    expect(revoked.total).toBe(live.total + 1);
    expect(revoked.items.some((c: { revokedAt: string | null }) => c.revokedAt !== null)).toBe(true);
  });

  it("answers 404 naming the filter for an unknown participant or type, in the list, the CSV export and the ledger", async () => {
    for (const url of ["/api/contributions", "/api/contributions/export.csv"]) {
      const user = expectError(await get(`${url}?user=nobody-here`), 404, "PARTICIPANT_NOT_FOUND");
      expectNamesField(user, "user");
      expect(user.message).toContain("nobody-here");
      expectError(await get(`${url}?user=${NO_SUCH_ID}`), 404, "PARTICIPANT_NOT_FOUND");
      const type = expectError(await get(`${url}?type=no-such-type`), 404, "CONTRIBUTION_TYPE_NOT_FOUND");
      expectNamesField(type, "type");
      expectError(await get(`${url}?type=${NO_SUCH_ID}`), 404, "CONTRIBUTION_TYPE_NOT_FOUND");
    }
    expectNamesField(
      expectError(await get("/api/admin/ledger?user=nobody-here", admin), 404, "PARTICIPANT_NOT_FOUND"),
      "user",
    );
  });

  it("filters by a hidden participant for staff and the participant only; the public gets the unknown participant's 404", async () => {
    const { id, userId } = await award("mia", "docs", 7, "2026-03-17T10:00:00Z");
    const hide = (hidden: boolean) =>
      req("PATCH", `/api/admin/users/${userId}`, { token: admin, body: { hidden } });
    expect((await hide(true)).statusCode).toBe(200);
    try {
      const anonymous = expectError(await get("/api/contributions?user=mia"), 404, "PARTICIPANT_NOT_FOUND");
      const unknown = expectError(await get("/api/contributions?user=nobody-here"), 404);
      expect(Object.keys(anonymous)).toEqual(Object.keys(unknown));
      // Nor one of their contributions by its id.
      expectError(await get(`/api/contributions/${id}`), 404, "CONTRIBUTION_NOT_FOUND");
      for (const token of [admin, steward, w.member])
        expect((await get(`/api/contributions/${id}`, token)).json()).toMatchObject({ id, points: 7 });
      for (const token of [admin, steward, w.member]) {
        const mine = await get("/api/contributions?user=mia", token);
        expect(mine.statusCode).toBe(200);
        expect(mine.json().items.map((c: { points: number }) => c.points)).toEqual([7]);
      }
    } finally {
      expect((await hide(false)).statusCode).toBe(200);
    }
    expect((await get("/api/contributions?user=mia")).json().total).toBe(1);
    expect((await get(`/api/contributions/${id}`)).statusCode).toBe(200);
  });

  it("refuses a range with from after to, malformed dates and unknown category/campaign slugs", async () => {
    expectNamesField(
      expectError(await get("/api/contributions?from=2026-03-10&to=2026-03-01"), 422, "INVALID_RANGE"),
      "to",
    );
    expectNamesField(expectError(await get("/api/contributions?from=garbage"), 422, "INVALID_DATE"), "from");
    expectNamesField(expectError(await get("/api/contributions?to=2026-13-01"), 422, "INVALID_DATE"), "to");
    expectNamesField(
      expectError(await get("/api/contributions?category=nope"), 404, "BOARD_NOT_FOUND"),
      "category",
    );
    expectNamesField(
      expectError(await get("/api/contributions?campaign=nope"), 404, "BOARD_NOT_FOUND"),
      "campaign",
    );
    expectError(await get(`/api/contributions/${NO_SUCH_ID}`), 404, "CONTRIBUTION_NOT_FOUND");
    expectNamesField(expectError(await get("/api/contributions/nope"), 400), "id");
  });
});

describe("DELETE /api/contributions/:id", () => {
  it("revokes through the ledger with a reason; refuses a missing reason, unknown ids and a second revocation", async () => {
    const c = await award("dan", "docs", 20, "2026-03-17T09:00:00Z");
    const boardBefore = (await board("board=category:writer&search=dan")).items[0];
    expect(boardBefore.points).toBe("40"); // 20 x 2
    const url = `/api/contributions/${c.id}`;
    expectNamesField(expectError(await req("DELETE", url, { token: admin }), 400), "body");
    expectNamesField(expectError(await req("DELETE", url, { token: admin, body: {} }), 400), "reason");
    expectNamesField(
      expectError(await req("DELETE", url, { token: admin, body: { reason: "" } }), 400),
      "reason",
    );
    expectError(
      await req("DELETE", `/api/contributions/${NO_SUCH_ID}`, { token: admin, body: { reason: "x" } }),
      404,
      "CONTRIBUTION_NOT_FOUND",
    );
    expectError(await req("DELETE", "/api/contributions/xyz", { token: admin, body: { reason: "x" } }), 400);
    expect((await get(url)).json().revokedAt).toBeNull();

    const r = await req("DELETE", url, { token: admin, body: { reason: "duplicate" } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ revokeReason: "duplicate", points: 20, globalPoints: "40" });
    expectError(
      await req("DELETE", url, { token: admin, body: { reason: "again" } }),
      409,
      "ALREADY_REVOKED",
    );
    const after = (await board("board=category:writer&search=dan")).items;
    expect(after).toEqual([]);
    const ledger = (await get(`/api/admin/ledger?contribution=${c.id}`, admin)).json();
    expect(ledger.items.map((e: { kind: string; globalDelta: string }) => [e.kind, e.globalDelta])).toEqual([
      ["revocation", "-40"],
      ["award", "40"],
    ]);
  });
});
