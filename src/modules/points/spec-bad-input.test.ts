// Adversarial input on the points API: ids PostgreSQL refuses, dates whose instant leaves the
// calendar, evidence URLs a browser would run, blank names, not-found answers naming the field.
// Every refusal is a 4xx with the house error body and changes nothing: no row of the points tables
// moves and `points verify` still finds the totals equal to the ledger.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  createSpecWorld,
  expectError,
  expectNamesField,
  type Method,
  NO_SUCH_ID,
  type SpecWorld,
  specApi,
} from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z");
let w: SpecWorld;
const { req, award } = specApi(() => w);
/** A contribution of ann's (code, 10 points) and a campaign, made before the tests. */
let contribution: string;

/** Tables a refused request must leave as they were. */
const POINTS_TABLES = [
  "contribution_categories",
  "contribution_types",
  "multipliers",
  "contributions",
  "ledger_entries",
  "campaigns",
  "campaign_types",
  "board_totals",
  "board_bands",
  "leaderboard_snapshots",
  "leaderboard_snapshot_entries",
];

/** Row count and digest of every points table, plus what `points verify` finds. */
async function pointsState() {
  const out: Record<string, string | number> = {};
  for (const t of POINTS_TABLES) {
    const [r] = await w.merit.core.db.query<{ n: number; digest: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest FROM "${t}" t`,
    );
    out[t] = `${r.n} ${r.digest}`;
  }
  out.verifyDifferences = (await w.merit.composition.points.ledger.verify()).differences;
  return out;
}

type Case = [
  label: string,
  method: Method,
  url: string,
  body: unknown,
  status: number,
  field: string,
  code?: string,
];

/** Sends each case as the admin and checks the status, the code and the field named; nothing changes. */
async function expectRefused(cases: Case[]) {
  const before = await pointsState();
  expect(before.verifyDifferences).toBe(0);
  for (const [label, method, url, body, status, field, code] of cases) {
    const r = await req(method, url, { token: w.admin, body });
    const e = expectError(r, status, code, label);
    if (field) expectNamesField(e, field);
  }
  expect(await pointsState()).toEqual(before);
}

beforeAll(async () => {
  w = await createSpecWorld(clock);
  contribution = (await award("ann", "code", 10, "2026-03-10T00:00:00Z")).id;
  const camp = await req("POST", "/api/campaigns", {
    token: w.admin,
    body: { slug: "spring", name: "Spring", startsAt: "2026-03-01T00:00:00Z" },
  });
  expect(camp.statusCode, camp.body).toBe(201);
}, 60_000);
afterAll(() => w?.merit.destroy());

describe("ids", () => {
  it("refuses a uuid with the urn:uuid: prefix (PostgreSQL's uuid type does not read it) with 400 naming the field", async () => {
    const urn = (id: string) => `urn:uuid:${id}`;
    const c = contribution;
    const code = w.types.code;
    await expectRefused([
      ["contribution", "GET", `/api/contributions/${urn(c)}`, undefined, 400, "id"],
      ["revoke", "DELETE", `/api/contributions/${urn(c)}`, { reason: "r" }, 400, "id"],
      ["correct", "POST", `/api/contributions/${urn(c)}/corrections`, { points: 9, reason: "r" }, 400, "id"],
      ["type", "PATCH", `/api/contributions/types/${urn(code)}`, { name: "X" }, 400, "id"],
      ["snapshot", "GET", `/api/leaderboard/snapshots/${urn(NO_SUCH_ID)}`, undefined, 400, "id"],
      ["ledger", "GET", `/api/admin/ledger?contribution=${urn(c)}`, undefined, 400, "contribution"],
      [
        "award userId",
        "POST",
        "/api/contributions",
        { userId: urn(w.ids.ann), contributionTypeId: code, points: 5 },
        400,
        "userId",
      ],
      [
        "award type",
        "POST",
        "/api/contributions",
        { username: "ann", contributionTypeId: urn(code), points: 5 },
        400,
        "contributionTypeId",
      ],
      [
        "multiplier type",
        "POST",
        "/api/leaderboard/multipliers",
        { contributionTypeId: urn(code), value: "2", validFrom: "2026-03-01T00:00:00Z" },
        400,
        "contributionTypeId",
      ],
      [
        "campaign types",
        "POST",
        "/api/campaigns",
        { slug: "urn-camp", name: "U", startsAt: "2026-03-01T00:00:00Z", contributionTypes: [urn(code)] },
        400,
        "contributionTypes",
      ],
    ]);
  });

  it("answers a uuid of the wrong kind as an unknown one: 404 in the path, 422 naming the body field", async () => {
    const { ann } = w.ids;
    const code = w.types.code;
    await expectRefused([
      [
        "type id as contribution",
        "GET",
        `/api/contributions/${code}`,
        undefined,
        404,
        "",
        "CONTRIBUTION_NOT_FOUND",
      ],
      [
        "user id as type",
        "PATCH",
        `/api/contributions/types/${ann}`,
        { name: "X" },
        404,
        "",
        "CONTRIBUTION_TYPE_NOT_FOUND",
      ],
      [
        "contribution as snapshot",
        "GET",
        `/api/leaderboard/snapshots/${contribution}`,
        undefined,
        404,
        "",
        "SNAPSHOT_NOT_FOUND",
      ],
      [
        "revoke a type id",
        "DELETE",
        `/api/contributions/${code}`,
        { reason: "r" },
        404,
        "",
        "CONTRIBUTION_NOT_FOUND",
      ],
      [
        "award a type id as user",
        "POST",
        "/api/contributions",
        { userId: code, contributionTypeId: code, points: 5 },
        422,
        "userId",
        "USER_NOT_FOUND",
      ],
      [
        "award a user id as type",
        "POST",
        "/api/contributions",
        { username: "ann", contributionTypeId: ann, points: 5 },
        422,
        "contributionTypeId",
        "CONTRIBUTION_TYPE_NOT_FOUND",
      ],
      [
        "campaign counting a user id",
        "POST",
        "/api/campaigns",
        { slug: "wrong-kind", name: "W", startsAt: "2026-03-01T00:00:00Z", contributionTypes: [ann] },
        422,
        "contributionTypes",
        "CONTRIBUTION_TYPE_NOT_FOUND",
      ],
    ]);
  });
});

describe("dates", () => {
  it("refuses contribution dates whose instant falls outside years 1-9999 with 422 INVALID_DATE", async () => {
    const at = (contributionDate: string): Case => [
      contributionDate,
      "POST",
      "/api/contributions",
      { username: "ann", contributionTypeId: w.types.code, points: 5, contributionDate },
      422,
      "contributionDate",
      "INVALID_DATE",
    ];
    // Year 0 written out, or reached from 0001-01-01 by an offset: the lookup ran before the rules.
    await expectRefused([
      at("0000-01-01T00:00:00Z"),
      at("0001-01-01T00:30:00+01:00"),
      at("0001-01-01T00:00:00Z"),
    ]);
  });
});

describe("evidence", () => {
  it("takes http and https URLs only: a script, data or file URL would run or open from every viewer's page", async () => {
    const withUrl = (url: string): Case => [
      url,
      "POST",
      "/api/contributions",
      { username: "ann", contributionTypeId: w.types.code, points: 5, evidence: [{ url }] },
      400,
      "evidence.0.url",
    ];
    await expectRefused(
      [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:text/plain,hello",
        "file:///etc/passwd",
        "mailto:someone@example.test",
        "ftp://example.test/file",
        "https:example.test",
      ].map(withUrl),
    );
    for (const url of ["https://example.test/pr/1?x=1#y", "HTTP://EXAMPLE.TEST/"]) {
      const r = await req("POST", "/api/contributions", {
        token: w.admin,
        body: { username: "ben", contributionTypeId: w.types.code, points: 5, evidence: [{ url }] },
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().evidence).toEqual([{ url }]);
    }
  });
});

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
    await expectRefused([
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
  it("names the query or body field whose board, participant or type is unknown in details.field", async () => {
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
        404,
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
        404,
        "contributionTypeId",
        "CONTRIBUTION_TYPE_NOT_FOUND",
      ],
    ];
    await expectRefused(cases);
    for (const [label, method, url, body, , field] of cases) {
      const e = (await req(method, url, { token: w.admin, body })).json().error;
      expect(e.details, label).toMatchObject({ field });
    }
  });
});
