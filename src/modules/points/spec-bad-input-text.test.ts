// Adversarial text and references on the points API: names, tokens and reasons of nothing but
// whitespace, unknown boards, participants and types named in a query or body. Every refusal is a
// 4xx with the house error body naming the field, and changes nothing (bad-input.test-support.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { badInputWorld, type Case, expectRefused } from "./bad-input.test-support.ts";
import { type Method, NO_SUCH_ID, type SpecWorld, specApi } from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z");
let w: SpecWorld;
const { req, award } = specApi(() => w);
/** A contribution of ann's (code, 10 points), made before the tests. */
let contribution: string;

beforeAll(async () => {
  ({ w, contribution } = await badInputWorld(clock));
}, 60_000);
afterAll(() => w?.merit.destroy());

describe("blank text", () => {
  it("refuses names, tokens and reasons of nothing but whitespace with 422 BLANK_FIELD naming the field", async () => {
    const c = `/api/contributions/${contribution}`;
    const typeUrl = `/api/contributions/types/${w.types.code}`;
    const type = { slug: "blank-type", category: "builder", minPoints: 1, maxPoints: 5 };
    const camp = { slug: "blank-camp", startsAt: "2026-03-01T00:00:00Z" };
    const pool = (token: string) => ({ ...camp, name: "P", pool: { amount: "10", token, decimals: 0 } });
    const blank = (label: string, method: Method, url: string, body: unknown, field: string): Case => [
      label,
      method,
      url,
      body,
      422,
      field,
      "BLANK_FIELD",
    ];
    await expectRefused(w, [
      blank("category", "POST", "/api/categories", { name: "   ", slug: "blank-cat" }, "name"),
      blank("type", "POST", "/api/contributions/types", { ...type, name: "\t\n " }, "name"),
      blank("type rename", "PATCH", typeUrl, { name: "\u00a0\u3000" }, "name"),
      blank("campaign", "POST", "/api/campaigns", { ...camp, name: "  " }, "name"),
      blank("campaign rename", "PATCH", "/api/campaigns/spring", { name: " " }, "name"),
      blank("pool token", "POST", "/api/campaigns", pool("  "), "pool.token"),
      blank(
        "pool token edit",
        "PATCH",
        "/api/campaigns/spring",
        { pool: { amount: "5", token: " ", decimals: 0 } },
        "pool.token",
      ),
      blank("revocation reason", "DELETE", c, { reason: "   " }, "reason"),
      blank("correction reason", "POST", `${c}/corrections`, { points: 11, reason: "\n" }, "reason"),
    ]);
  });

  it("keeps names and reasons without the whitespace around them", async () => {
    const cat = await req("POST", "/api/categories", {
      token: w.admin,
      body: { name: "  Design ", slug: "design" },
    });
    expect(cat.statusCode, cat.body).toBe(201);
    expect(cat.json().name).toBe("Design");
    const id = (await award("ben", "code", 7, "2026-03-11T00:00:00Z")).id;
    const r = await req("DELETE", `/api/contributions/${id}`, {
      token: w.admin,
      body: { reason: " duplicate\n" },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().revokeReason).toBe("duplicate");
  });
});

describe("not found", () => {
  it("names the query or body field whose board, participant or type is unknown in details.field (404 from a path or query, 422 from a body)", async () => {
    const type = { value: "2", validFrom: "2026-03-01T00:00:00Z" };
    const cases: Case[] = [
      ["page", "GET", "/api/leaderboard?board=category:nope", undefined, 404, "board", "BOARD_NOT_FOUND"],
      [
        "week",
        "GET",
        "/api/leaderboard?board=campaign:nope&period=week",
        undefined,
        404,
        "board",
        "BOARD_NOT_FOUND",
      ],
      [
        "rank",
        "GET",
        "/api/leaderboard/rank?board=category:nope&user=ann",
        undefined,
        404,
        "board",
        "BOARD_NOT_FOUND",
      ],
      [
        "csv",
        "GET",
        "/api/leaderboard/export.csv?board=campaign:nope",
        undefined,
        404,
        "board",
        "BOARD_NOT_FOUND",
      ],
      [
        "snapshots",
        "GET",
        "/api/leaderboard/snapshots?board=category:nope",
        undefined,
        404,
        "board",
        "BOARD_NOT_FOUND",
      ],
      [
        "snapshot",
        "POST",
        "/api/leaderboard/snapshots",
        { board: "campaign:nope" },
        422,
        "board",
        "BOARD_NOT_FOUND",
      ],
      [
        "rank user",
        "GET",
        "/api/leaderboard/rank?user=nobody",
        undefined,
        404,
        "user",
        "PARTICIPANT_NOT_FOUND",
      ],
      [
        "rank user id",
        "GET",
        `/api/leaderboard/rank?user=${NO_SUCH_ID}`,
        undefined,
        404,
        "user",
        "PARTICIPANT_NOT_FOUND",
      ],
      [
        "multiplier filter",
        "GET",
        "/api/leaderboard/multipliers?contributionType=nope",
        undefined,
        404,
        "contributionType",
        "CONTRIBUTION_TYPE_NOT_FOUND",
      ],
      [
        "new multiplier",
        "POST",
        "/api/leaderboard/multipliers",
        { ...type, contributionTypeId: NO_SUCH_ID },
        422,
        "contributionTypeId",
        "CONTRIBUTION_TYPE_NOT_FOUND",
      ],
    ];
    await expectRefused(w, cases);
    for (const [label, method, url, body, , field] of cases) {
      const e = (await req(method, url, { token: w.admin, body })).json().error;
      expect(e.details, label).toMatchObject({ field });
    }
  });
});

describe("ledger filters", () => {
  it("answers an unknown contribution filter with 404 naming it, as it answers an unknown user", async () => {
    const cases: Case[] = [
      ["user", "GET", "/api/admin/ledger?user=nobody", undefined, 404, "user", "PARTICIPANT_NOT_FOUND"],
      [
        "contribution",
        "GET",
        `/api/admin/ledger?contribution=${NO_SUCH_ID}`,
        undefined,
        404,
        "contribution",
        "CONTRIBUTION_NOT_FOUND",
      ],
    ];
    await expectRefused(w, cases);
    const e = (await req("GET", `/api/admin/ledger?contribution=${NO_SUCH_ID}`, { token: w.admin })).json();
    expect(e.error.details).toEqual({ field: "contribution" });
    const mine = await req("GET", `/api/admin/ledger?contribution=${contribution}`, { token: w.admin });
    expect(mine.json().items.map((x: { kind: string }) => x.kind)).toEqual(["award"]);
  });
});
