// Conformance of the points HTTP API with the specification (issue 4, API part): multipliers —
// their bad input, one per type and instant, which one is active, and the multiplier frozen into
// each award.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  addType,
  createSpecWorld,
  DECIMAL,
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
let types: Record<string, string>;
const { req, get, board, award } = specApi(() => w);

beforeAll(async () => {
  w = await createSpecWorld(clock);
  ({ admin, types } = w);
  // A second writer type, to show another type may take a multiplier at the same instant.
  types.talk = await addType(w.merit, admin, {
    name: "Talk",
    slug: "talk",
    category: "writer",
    minPoints: 0,
    maxPoints: 10,
  });
});
afterAll(() => w?.merit.destroy());

describe("multipliers", () => {
  it("refuses bad values and dates with 400/404/422 naming the field, and adds nothing", async () => {
    const before = (await get("/api/leaderboard/multipliers")).json().total;
    const ok = { contributionTypeId: types.docs, value: "1.50", validFrom: "2026-02-01T00:00:00Z" };
    const cases: Array<[unknown, number, string, string?]> = [
      [{ ...ok, value: "0" }, 422, "value", "INVALID_MULTIPLIER"],
      [{ ...ok, value: "0.000000" }, 422, "value", "INVALID_MULTIPLIER"],
      [{ ...ok, value: "-1.5" }, 400, "value"],
      [{ ...ok, value: "1.1234567" }, 400, "value"],
      [{ ...ok, value: "abc" }, 400, "value"],
      [{ ...ok, value: "1e3" }, 400, "value"],
      [{ ...ok, value: "" }, 400, "value"],
      [{ ...ok, value: "1000.5" }, 422, "value", "INVALID_MULTIPLIER"],
      [{ ...ok, value: undefined }, 400, "value"],
      [{ ...ok, validFrom: undefined }, 400, "validFrom"],
      [{ ...ok, validFrom: "yesterday" }, 400, "validFrom"],
      [{ ...ok, validFrom: "2026-02-30T00:00:00Z" }, 400, "validFrom"],
      [{ ...ok, validFrom: "1969-12-31T23:59:59Z" }, 422, "validFrom", "INVALID_DATE"],
      [{ ...ok, contributionTypeId: "docs" }, 400, "contributionTypeId"],
      [{ ...ok, contributionTypeId: NO_SUCH_ID }, 422, "contributionTypeId", "CONTRIBUTION_TYPE_NOT_FOUND"],
      [{ ...ok, extra: true }, 400, "extra"],
    ];
    for (const [body, status, field, code] of cases) {
      const e = expectError(
        await req("POST", "/api/leaderboard/multipliers", { token: admin, body }),
        status,
        code,
      );
      if (field) expectNamesField(e, field);
    }
    expect((await get("/api/leaderboard/multipliers")).json().total).toBe(before);
  });

  it("409s on the same type and instant however the instant is written; other types may share it", async () => {
    const at = { contributionTypeId: types.docs, value: "2", validFrom: "2026-02-01T00:00:00Z" };
    const first = await req("POST", "/api/leaderboard/multipliers", { token: admin, body: at });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      contributionType: "docs",
      value: "2.00",
      validFrom: "2026-02-01T00:00:00.000Z",
    });
    expect(first.json().value).toMatch(DECIMAL);
    const again = await req("POST", "/api/leaderboard/multipliers", {
      token: admin,
      body: { ...at, value: "3", validFrom: "2026-02-01T01:00:00+01:00" },
    });
    expectNamesField(expectError(again, 409, "MULTIPLIER_EXISTS"), "validFrom");
    const other = await req("POST", "/api/leaderboard/multipliers", {
      token: admin,
      body: { ...at, contributionTypeId: types.talk },
    });
    expect(other.statusCode).toBe(201);
    const docs = (await get("/api/leaderboard/multipliers?contributionType=docs")).json();
    expect(docs.items.map((m: { value: string }) => m.value)).toEqual(["1.00", "2.00"]);
    // The filter takes the id as well as the slug.
    expect((await get(`/api/leaderboard/multipliers?contributionType=${types.docs}`)).json()).toEqual(docs);
  });

  it("404s a multiplier filter naming an unknown type", async () => {
    expectError(
      await get("/api/leaderboard/multipliers?contributionType=nope"),
      404,
      "CONTRIBUTION_TYPE_NOT_FOUND",
    );
    expectError(
      await get(`/api/leaderboard/multipliers?contributionType=${NO_SUCH_ID}`),
      404,
      "CONTRIBUTION_TYPE_NOT_FOUND",
    );
  });

  it("lists active multipliers: one per type, the latest validFrom not after now (future ones wait)", async () => {
    const future = await req("POST", "/api/leaderboard/multipliers", {
      token: admin,
      body: { contributionTypeId: types.docs, value: "5", validFrom: "2026-04-01T00:00:00Z" },
    });
    expect(future.statusCode).toBe(201);
    const active = expectList(await get("/api/leaderboard/multipliers/active")) as {
      items: Array<{ contributionTypeId: string; value: string }>;
    };
    const byType = active.items.filter((m) => m.contributionTypeId === types.docs);
    expect(byType.map((m) => m.value)).toEqual(["2.00"]);
    expect(new Set(active.items.map((m) => m.contributionTypeId)).size).toBe(active.items.length);
    expect(
      (await get("/api/contributions/types?category=writer"))
        .json()
        .items.find((t: { id: string }) => t.id === types.docs).currentMultiplier,
    ).toBe("2.00");
    const now = clock.now();
    clock.set("2026-04-01T00:00:00Z");
    const later = (await get("/api/leaderboard/multipliers/active")).json();
    expect(
      later.items.find((m: { contributionTypeId: string }) => m.contributionTypeId === types.docs).value,
    ).toBe("5.00");
    clock.set(now);
  });

  it("freezes the multiplier of the contribution date; globalPoints are exact and survive later multipliers", async () => {
    const add = (value: string, validFrom: string) =>
      req("POST", "/api/leaderboard/multipliers", {
        token: admin,
        body: { contributionTypeId: types.other, value, validFrom },
      });
    expect((await add("1.333333", "2026-03-01T00:00:00Z")).statusCode).toBe(201);
    const a = await award("cat", "other", 3, "2026-03-02T00:00:00Z");
    expect(a).toMatchObject({ multiplierAtCreation: "1.333333", globalPoints: "3.999999", points: 3 });
    expect(typeof a.multiplierAtCreation).toBe("string");
    expect(typeof a.globalPoints).toBe("string");
    const before = await award("cat", "other", 7, "2026-02-28T23:59:59Z");
    expect(before).toMatchObject({ multiplierAtCreation: "1.00", globalPoints: "7" });
    const boardBefore = await board("board=category:pool&search=cat");
    // A later multiplier that would now apply to those dates changes nothing awarded.
    expect((await add("9", "2026-02-15T00:00:00Z")).statusCode).toBe(201);
    expect((await get(`/api/contributions/${a.id}`)).json()).toMatchObject({
      multiplierAtCreation: "1.333333",
      globalPoints: "3.999999",
    });
    expect((await get(`/api/contributions/${before.id}`)).json()).toMatchObject({
      multiplierAtCreation: "1.00",
      globalPoints: "7",
    });
    expect(await board("board=category:pool&search=cat")).toEqual(boardBefore);
    // A new award on such a date takes the new multiplier.
    const c = await award("cat", "other", 2, "2026-02-20T00:00:00Z");
    expect(c).toMatchObject({ multiplierAtCreation: "9.00", globalPoints: "18" });
    const row = (await board("board=category:pool&search=cat")).items[0];
    expect(row.points).toBe("28.999999");
  });
});
