// Concurrent requests that claim the same name: exactly one wins (201/200), every other gets 409 with
// the house error body naming the field, never a 500, and the tables and totals stay consistent.
// The races are real on PostgreSQL (TEST_DATABASE_URL), where requests run on separate connections.
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  createSpecWorld,
  expectError,
  expectNamesField,
  type SpecWorld,
  specApi,
} from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z");
let w: SpecWorld;
const { req, get } = specApi(() => w);
const ROUNDS = 4;

beforeAll(async () => {
  w = await createSpecWorld(clock);
}, 60_000);
afterAll(() => w?.merit.destroy());

/** One success with `ok`, the rest 409 `code` naming `field`. */
function expectOneWinner(rs: LightMyRequestResponse[], ok: number, code: string, field: string) {
  const statuses = rs.map((r) => r.statusCode);
  expect(
    statuses.filter((s) => s === ok),
    `${statuses} ${rs.map((r) => r.body)}`,
  ).toHaveLength(1);
  for (const r of rs.filter((x) => x.statusCode !== ok)) expectNamesField(expectError(r, 409, code), field);
}

describe("concurrent claims of one name", () => {
  it("creates one category, type, campaign or multiplier of a slug (or instant); the others get 409", async () => {
    const post = (url: string, body: unknown) => req("POST", url, { token: w.admin, body });
    for (let round = 0; round < ROUNDS; round++) {
      const [cats, types, camps, mults] = await Promise.all([
        Promise.all(["A", "B", "C"].map((name) => post("/api/categories", { name, slug: `cat-${round}` }))),
        Promise.all(
          ["A", "B", "C"].map((name) =>
            post("/api/contributions/types", {
              name,
              slug: `type-${round}`,
              category: "builder",
              minPoints: 1,
              maxPoints: 5,
            }),
          ),
        ),
        Promise.all(
          ["A", "B", "C"].map((name) =>
            post("/api/campaigns", { slug: `camp-${round}`, name, startsAt: "2026-03-01T00:00:00Z" }),
          ),
        ),
        Promise.all(
          ["2", "3", "4"].map((value) =>
            post("/api/leaderboard/multipliers", {
              contributionTypeId: w.types.docs,
              value,
              validFrom: `2026-02-0${round + 1}T00:00:00Z`,
            }),
          ),
        ),
      ]);
      expectOneWinner(cats, 201, "SLUG_TAKEN", "slug");
      expectOneWinner(types, 201, "SLUG_TAKEN", "slug");
      expectOneWinner(camps, 201, "SLUG_TAKEN", "slug");
      expectOneWinner(mults, 201, "MULTIPLIER_EXISTS", "validFrom");
    }
    const slugs = (await get("/api/contributions/types")).json().items.map((t: { slug: string }) => t.slug);
    expect(slugs.filter((s: string) => s.startsWith("type-"))).toHaveLength(ROUNDS);
    expect((await get("/api/campaigns")).json().total).toBe(ROUNDS);
    expect((await w.merit.composition.points.ledger.verify()).differences).toBe(0);
  });

  it("renames one of two types to a free slug at once; the other gets 409 SLUG_TAKEN and keeps its slug", async () => {
    const rename = (type: string, slug: string) =>
      req("PATCH", `/api/contributions/types/${w.types[type]}`, { token: w.admin, body: { slug } });
    for (let round = 0; round < ROUNDS; round++) {
      const before = new Map(
        (await get("/api/contributions/types"))
          .json()
          .items.map((t: { id: string; slug: string }) => [t.id, t.slug]),
      );
      const rs = await Promise.all([rename("bounty", `race-${round}`), rename("other", `race-${round}`)]);
      expectOneWinner(rs, 200, "SLUG_TAKEN", "slug");
      const loser = rs.findIndex((r) => r.statusCode === 409);
      const id = w.types[["bounty", "other"][loser]];
      const after = (await get("/api/contributions/types")).json().items;
      expect(after.find((t: { id: string }) => t.id === id).slug).toBe(before.get(id));
      expect(after.filter((t: { slug: string }) => t.slug === `race-${round}`)).toHaveLength(1);
    }
  });
});
