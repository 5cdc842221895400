import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { adminActor, makeType, makeUsers, memberActor, stewardActor } from "./points.test-support.ts";

let merit: TestMerit;
let ids: Record<string, string>;
beforeAll(async () => {
  merit = await createTestMerit();
  ids = await makeUsers(merit, ["root", "stew", "alice", "bob"]);
});
afterAll(() => merit?.destroy());

const points = () => merit.composition.points;

describe("awards", () => {
  it("freezes the multiplier chosen by contribution date (before, at, after validFrom)", async () => {
    const admin = adminActor(ids.root);
    const type = await makeType(merit, admin, { slug: "code-review" });
    expect(type.currentMultiplier).toBe("1.00");
    await points().catalog.createMultiplier(admin, {
      contributionTypeId: type.id,
      value: "1.50",
      validFrom: "2026-01-01T00:00:00Z",
    });
    const award = (date: string) =>
      points().contributions.award(stewardActor(ids.stew), {
        username: "alice",
        contributionTypeId: type.id,
        points: 7,
        contributionDate: date,
      });
    const before = await award("2025-12-31T23:59:59Z");
    const at = await award("2026-01-01T00:00:00Z");
    const after = await award("2026-01-03T10:00:00Z");
    expect([before.multiplierAtCreation, at.multiplierAtCreation, after.multiplierAtCreation]).toEqual([
      "1.00",
      "1.50",
      "1.50",
    ]);
    expect([before.globalPoints, at.globalPoints, after.globalPoints]).toEqual(["7", "10.5", "10.5"]);

    await points().catalog.createMultiplier(admin, {
      contributionTypeId: type.id,
      value: "3.333333",
      validFrom: "2025-06-01T00:00:00Z",
    });
    const again = await points().contributions.get(admin, before.id);
    expect(again.globalPoints).toBe("7");
    expect(again.multiplierAtCreation).toBe("1.00");
    const exact = await award("2025-12-01T00:00:00Z");
    expect(exact.globalPoints).toBe("23.333331");
  });

  it("refuses out-of-range points with 422 POINTS_OUT_OF_RANGE and changes nothing", async () => {
    const admin = adminActor(ids.root);
    const type = await makeType(merit, admin, { slug: "range", min: 5, max: 10 });
    await expect(
      points().contributions.award(admin, { username: "bob", contributionTypeId: type.id, points: 11 }),
    ).rejects.toMatchObject({ status: 422, code: "POINTS_OUT_OF_RANGE" });
    await expect(
      points().contributions.award(memberActor(ids.bob), {
        username: "bob",
        contributionTypeId: type.id,
        points: 6,
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("refuses a second multiplier with the same validFrom (409)", async () => {
    const admin = adminActor(ids.root);
    const type = await makeType(merit, admin, { slug: "dup" });
    await expect(
      points().catalog.createMultiplier(admin, {
        contributionTypeId: type.id,
        value: "2",
        validFrom: "1970-01-01T00:00:00Z",
      }),
    ).rejects.toMatchObject({ status: 409, code: "MULTIPLIER_EXISTS" });
  });
});
