// Conformance of the points HTTP API with the specification (issue 4, API part): who may call each
// write. Everything goes through app.inject on this file's own database clone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { createSpecWorld, expectError, type Method, type SpecWorld, specApi } from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday

let w: SpecWorld;
let steward: string;
let member: string;
let types: Record<string, string>;
const { req, get, contributionCount } = specApi(() => w);

beforeAll(async () => {
  w = await createSpecWorld(clock);
  ({ steward, member, types } = w);
});
afterAll(() => w?.merit.destroy());

describe("authorization on every write", () => {
  const writes = (): Array<[string, Method, string, () => unknown, boolean]> => [
    ["category", "POST", "/api/categories", () => ({ name: "X", slug: "auth-x" }), false],
    [
      "type",
      "POST",
      "/api/contributions/types",
      () => ({ name: "X", slug: "auth-x", category: "builder", minPoints: 1, maxPoints: 2 }),
      false,
    ],
    ["type patch", "PATCH", `/api/contributions/types/${types.code}`, () => ({ name: "Hacked" }), false],
    [
      "multiplier",
      "POST",
      "/api/leaderboard/multipliers",
      () => ({ contributionTypeId: types.code, value: "9", validFrom: "2026-03-01T00:00:00Z" }),
      false,
    ],
    ["snapshot", "POST", "/api/leaderboard/snapshots", () => ({ board: "global" }), false],
    [
      "campaign",
      "POST",
      "/api/campaigns",
      () => ({ slug: "auth-x", name: "X", startsAt: "2026-03-01T00:00:00Z" }),
      false,
    ],
    [
      "award",
      "POST",
      "/api/contributions",
      () => ({
        username: "ann",
        contributionTypeId: types.code,
        points: 1,
        contributionDate: "2026-03-02T00:00:00Z",
      }),
      true,
    ],
  ];

  it("refuses anonymous callers with 401 and participants with 403, changing nothing", async () => {
    const before = {
      categories: (await get("/api/categories")).json().total,
      types: (await get("/api/contributions/types")).json().total,
      multipliers: (await get("/api/leaderboard/multipliers")).json().total,
      snapshots: (await get("/api/leaderboard/snapshots")).json().total,
      campaigns: (await get("/api/campaigns")).json().total,
      contributions: await contributionCount(),
      code: (await get("/api/contributions/types?category=builder")).json().items,
    };
    for (const [what, method, url, body] of writes()) {
      const anon = await req(method, url, { body: body() });
      expect(anon.statusCode, `${what} anonymous`).toBe(401);
      expectError(anon, 401);
      const bogus = await req(method, url, { body: body(), token: "not-a-token" });
      expect(bogus.statusCode, `${what} bad token`).toBe(401);
      const mine = await req(method, url, { body: body(), token: member });
      expect(mine.statusCode, `${what} participant`).toBe(403);
      expectError(mine, 403);
    }
    expect({
      categories: (await get("/api/categories")).json().total,
      types: (await get("/api/contributions/types")).json().total,
      multipliers: (await get("/api/leaderboard/multipliers")).json().total,
      snapshots: (await get("/api/leaderboard/snapshots")).json().total,
      campaigns: (await get("/api/campaigns")).json().total,
      contributions: await contributionCount(),
      code: (await get("/api/contributions/types?category=builder")).json().items,
    }).toEqual(before);
  });

  it("lets stewards award (and revoke) but not manage the catalog, multipliers, snapshots or campaigns", async () => {
    for (const [what, method, url, body, stewardMay] of writes()) {
      const r = await req(method, url, { body: body(), token: steward });
      if (stewardMay) expect(r.statusCode, `${what} steward`).toBe(201);
      else expectError(r, 403, "FORBIDDEN");
    }
    const mine = (await get("/api/contributions?user=ann&type=code")).json().items[0];
    expectError(
      await req("DELETE", `/api/contributions/${mine.id}`, { body: { reason: "x" }, token: member }),
      403,
    );
    expectError(await req("DELETE", `/api/contributions/${mine.id}`, { body: { reason: "x" } }), 401);
    const ok = await req("DELETE", `/api/contributions/${mine.id}`, {
      body: { reason: "test" },
      token: steward,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().revokedAt).not.toBeNull();
  });
});
