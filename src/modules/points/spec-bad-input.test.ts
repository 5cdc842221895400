// Adversarial input on the points API: ids PostgreSQL refuses, dates whose instant leaves the
// calendar, evidence URLs a browser would run. Every refusal is a 4xx with the house error body and
// changes nothing: no row of the points tables moves and `points verify` still finds the totals
// equal to the ledger (bad-input.test-support.ts). Blank text and unknown references:
// spec-bad-input-text.test.ts; concurrent claims of one name: spec-bad-input-races.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { badInputWorld, type Case, expectRefused } from "./bad-input.test-support.ts";
import { NO_SUCH_ID, type SpecWorld, specApi } from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z");
let w: SpecWorld;
const { req, award } = specApi(() => w);
/** A contribution of ann's (code, 10 points) and a campaign, made before the tests. */
let contribution: string;

beforeAll(async () => {
  ({ w, contribution } = await badInputWorld(clock));
}, 60_000);
afterAll(() => w?.merit.destroy());

describe("ids", () => {
  it("refuses a uuid with the urn:uuid: prefix (PostgreSQL's uuid type does not read it) with 400 naming the field", async () => {
    const urn = (id: string) => `urn:uuid:${id}`;
    const c = contribution;
    const code = w.types.code;
    await expectRefused(w, [
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
    await expectRefused(w, [
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
    await expectRefused(w, [
      at("0000-01-01T00:00:00Z"),
      at("0001-01-01T00:30:00+01:00"),
      at("0001-01-01T00:00:00Z"),
    ]);
  });

  it("keeps a campaign window in years 1-99 as given, also when another field is edited", async () => {
    const window = { startsAt: "0001-01-01T00:00:00.000Z", endsAt: "0049-12-31T00:00:00.000Z" };
    const old = await req("POST", "/api/campaigns", {
      token: w.admin,
      body: { slug: "antiquity", name: "Antiquity", ...window },
    });
    expect(old.statusCode, old.body).toBe(201);
    expect(old.json()).toMatchObject(window);
    // An open-ended one from year 1 counts the contributions of 1990 and 2026.
    await award("cat", "code", 3, "1990-06-01T00:00:00Z");
    const r = await req("POST", "/api/campaigns", {
      token: w.admin,
      body: { slug: "always", name: "Always", startsAt: window.startsAt },
    });
    expect(r.json()).toMatchObject({ startsAt: window.startsAt, points: "13" });
    // Renaming it must not move its start (read back as 2001, it was written back so).
    const renamed = await req("PATCH", "/api/campaigns/always", { token: w.admin, body: { name: "Ever" } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: "Ever", startsAt: window.startsAt, points: "13" });
    expect((await req("GET", "/api/campaigns/antiquity", {})).json()).toMatchObject(window);
    expect((await w.merit.composition.points.ledger.verify()).differences).toBe(0);
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
      w,
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
