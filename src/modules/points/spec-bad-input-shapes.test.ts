// The shapes of bad input that the schemas and the HTTP core already refuse on the points API, kept
// refused: numbers past the columns' limits, decimals in exponent or signed forms, time zones
// that do not exist, JSON with duplicate or prototype keys, bodies of other media types, nested
// unknown fields and NUL characters. Each is a 4xx in the house error body that changes nothing
// (bad-input.test-support.ts). Unicode text that is valid is stored and returned as given.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { type Case, expectRefused, pointsState } from "./bad-input.test-support.ts";
import { createSpecWorld, expectError, type SpecWorld, specApi } from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z");
let w: SpecWorld;
const { req, get, award } = specApi(() => w);
let contribution: string;

beforeAll(async () => {
  w = await createSpecWorld(clock);
  contribution = (await award("ann", "code", 10, "2026-03-10T00:00:00Z")).id;
}, 60_000);
afterAll(() => w?.merit.destroy());

describe("numbers and decimals", () => {
  it("refuses decimals in exponent, signed, spaced or non-ASCII forms, and numbers past int4 and int8", async () => {
    const mult = (value: unknown, status = 400, code?: string): Case => [
      `multiplier ${JSON.stringify(value)}`,
      "POST",
      "/api/leaderboard/multipliers",
      { contributionTypeId: w.types.code, value, validFrom: "2026-03-01T00:00:00Z" },
      status,
      "value",
      code,
    ];
    const camp = { slug: "pooled", name: "Pooled", startsAt: "2026-03-01T00:00:00Z" };
    const pool = (amount: unknown, status = 400, code?: string): Case => [
      `pool ${JSON.stringify(amount)}`,
      "POST",
      "/api/campaigns",
      { ...camp, pool: { amount, token: "VTX", decimals: 2 } },
      status,
      "pool.amount",
      code,
    ];
    const award = (points: unknown): Case => [
      `points ${points}`,
      "POST",
      "/api/contributions",
      { username: "ann", contributionTypeId: w.types.code, points },
      400,
      "points",
    ];
    const type = { name: "Capped", slug: "capped", category: "builder", minPoints: 1, maxPoints: 5 };
    await expectRefused(w, [
      ...["1.5e-10", "-0", "NaN", "Infinity", " 1.5", "1.5 ", "+2", "１.５", "٢"].map((v) => mult(v)),
      mult(2),
      mult("0.00", 422, "INVALID_MULTIPLIER"),
      ...["1e3", "-0", "NaN", "Infinity", "1,000", "9".repeat(81)].map((a) => pool(a)),
      pool(100),
      pool("0.00", 422, "INVALID_POOL"),
      award(2 ** 31),
      award(2 ** 63),
      award(Number.MAX_SAFE_INTEGER + 2),
      award("5"),
      [
        "caps past int4",
        "POST",
        "/api/contributions/types",
        { ...type, caps: { total: 2 ** 31 } },
        400,
        "caps.total",
      ],
      [
        "correction past int4",
        "POST",
        `/api/contributions/${contribution}/corrections`,
        { points: 2 ** 31, reason: "r" },
        400,
        "points",
      ],
      ["limit past int8", "GET", "/api/leaderboard?limit=9223372036854775808", undefined, 400, "limit"],
      ["offset past int8", "GET", "/api/contributions?offset=99999999999999999999", undefined, 400, "offset"],
      ["offset past the bound", "GET", "/api/admin/ledger?offset=1000000001", undefined, 400, "offset"],
    ]);
  });

  it("refuses zones that do not exist, in bodies and in query ranges", async () => {
    const range = (from: string): Case => [
      `range from ${from}`,
      "GET",
      `/api/leaderboard?period=custom&from=${encodeURIComponent(from)}&to=2026-03-18`,
      undefined,
      422,
      "from",
      "INVALID_DATE",
    ];
    const validFrom = (at: string): Case => [
      `validFrom ${at}`,
      "POST",
      "/api/leaderboard/multipliers",
      { contributionTypeId: w.types.code, value: "2", validFrom: at },
      400,
      "validFrom",
    ];
    await expectRefused(w, [
      range("2026-03-01T00:00:00+24:00"),
      range("2026-03-01T00:00:00+99:00"),
      range("2026-03-01T00:00:00[Europe/Paris]"),
      range("2026-03-01T00:00:00 CET"),
      range("2026-03-01T00:00:00"),
      validFrom("2026-03-01T00:00:00+24:00"),
      validFrom("2026-03-01T00:00:00 Europe/Paris"),
      validFrom("2026-03-01T00:00:00"),
      range("2026-03-01T00:00:00+01:60"),
    ]);
  });

  it("reads a zone written without its colon the same way in a campaign, a multiplier and a range", async () => {
    const admin = { authorization: `Bearer ${w.admin}` };
    const campaign = await w.merit.app.inject({
      method: "POST",
      url: "/api/campaigns",
      headers: admin,
      payload: { slug: "zoned", name: "Z", startsAt: "2026-03-01T00:00:00+0100" },
    });
    expect(campaign.statusCode).toBe(201);
    expect(campaign.json().startsAt).toBe("2026-02-28T23:00:00.000Z");
    const multiplier = await w.merit.app.inject({
      method: "POST",
      url: "/api/leaderboard/multipliers",
      headers: admin,
      payload: { contributionTypeId: w.types.code, value: "2", validFrom: "2026-03-01T00:00:00-0230" },
    });
    expect(multiplier.statusCode).toBe(201);
    expect(multiplier.json().validFrom).toBe("2026-03-01T02:30:00.000Z");
    const board = await w.merit.app.inject({
      url: `/api/leaderboard?period=custom&from=${encodeURIComponent("2026-03-01T00:00:00+0100")}&to=2026-03-18`,
    });
    expect(board.statusCode).toBe(200);
  });
});

describe("request shapes", () => {
  /** A raw body with a content type, as the admin. */
  const raw = (method: "POST" | "GET", url: string, payload: string, type = "application/json") =>
    w.merit.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${w.admin}`, "content-type": type },
    });

  it("refuses other media types, prototype keys, oversized bodies and a duplicate key's bad last value", async () => {
    const before = await pointsState(w);
    const category = JSON.stringify({ name: "Raw", slug: "raw" });
    const refusals: Array<[string, Promise<import("fastify").LightMyRequestResponse>, number]> = [
      ["form", raw("POST", "/api/categories", "name=Raw&slug=raw", "application/x-www-form-urlencoded"), 415],
      ["multipart", raw("POST", "/api/categories", category, "multipart/form-data; boundary=x"), 415],
      ["octets", raw("POST", "/api/categories", category, "application/octet-stream"), 415],
      ["json:api", raw("POST", "/api/categories", category, "application/vnd.api+json"), 415],
      ["text", raw("POST", "/api/categories", category, "text/plain"), 400],
      ["__proto__", raw("POST", "/api/categories", '{"name":"R","slug":"raw","__proto__":{"x":1}}'), 400],
      [
        "constructor",
        raw("POST", "/api/categories", '{"name":"R","slug":"raw","constructor":{"prototype":{}}}'),
        400,
      ],
      ["a string", raw("POST", "/api/categories", '"raw"'), 400],
      [
        "too large",
        raw("POST", "/api/categories", `{"name":"R","slug":"raw","description":"${"x".repeat(1_100_000)}"}`),
        413,
      ],
      // JSON.parse keeps the last of duplicate keys, and that value is what is validated.
      [
        "duplicate key",
        raw(
          "POST",
          "/api/contributions",
          `{"username":"ann","contributionTypeId":"${w.types.code}","points":5,"points":5000}`,
        ),
        422,
      ],
    ];
    for (const [label, pending, status] of refusals) expectError(await pending, status, undefined, label);
    expect(await pointsState(w)).toEqual(before);
  });

  it("refuses unknown fields and NUL characters inside nested objects, naming the nested field", async () => {
    const ok = { username: "ann", contributionTypeId: w.types.code, points: 5 };
    const type = { name: "Nested", slug: "nested", category: "builder", minPoints: 1, maxPoints: 5 };
    const camp = { slug: "nested", name: "N", startsAt: "2026-03-01T00:00:00Z" };
    await expectRefused(w, [
      [
        "evidence extra",
        "POST",
        "/api/contributions",
        { ...ok, evidence: [{ url: "https://x.test", by: "me" }] },
        400,
        "evidence.0.by",
      ],
      [
        "caps extra",
        "POST",
        "/api/contributions/types",
        { ...type, caps: { total: 5, daily: 1 } },
        400,
        "caps.daily",
      ],
      [
        "pool extra",
        "POST",
        "/api/campaigns",
        { ...camp, pool: { amount: "1", token: "T", decimals: 0, chain: 1 } },
        400,
        "pool.chain",
      ],
      [
        "NUL in evidence",
        "POST",
        "/api/contributions",
        { ...ok, evidence: [{ url: "https://x.test", description: "a\u0000b" }] },
        400,
        "evidence.0.description",
      ],
      [
        "NUL in pool token",
        "POST",
        "/api/campaigns",
        { ...camp, pool: { amount: "1", token: "T\u0000", decimals: 0 } },
        400,
        "pool.token",
      ],
    ]);
  });

  it("refuses a read with a query parameter it does not take, and answers one with a body as without it", async () => {
    const plain = (await get("/api/leaderboard")).json();
    // A misspelt filter used to be ignored: the answer read as filtered when it was not.
    const typo = await get("/api/leaderboard?perod=week&foo=1");
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.details).toEqual([expect.objectContaining({ field: "querystring.perod" })]);
    expect((await raw("GET", "/api/leaderboard", '{"board":"category:nope"}')).json()).toEqual(plain);
    expect((await raw("GET", "/api/leaderboard", '{"broken": ')).json()).toEqual(plain);
  });
});

describe("unicode", () => {
  it("stores names, notes and labels with right-to-left marks, combining characters and emoji as given", async () => {
    const name = "Ｍérite\u0301 \u202eevil\u202c 👩🏽‍💻 مرحبا";
    const cat = await req("POST", "/api/categories", {
      token: w.admin,
      body: { name, slug: "intl", description: name },
    });
    expect(cat.statusCode, cat.body).toBe(201);
    expect(cat.json()).toMatchObject({ name, description: name });
    // maxLength counts code points: 100 emoji are 200 UTF-16 units.
    const long = "😀".repeat(100);
    const t = await req("POST", "/api/contributions/types", {
      token: w.admin,
      body: { name: long, slug: "emoji", category: "intl", minPoints: 1, maxPoints: 5 },
    });
    expect(t.statusCode, t.body).toBe(201);
    expect(t.json().name).toBe(long);
    const c = await req("POST", "/api/contributions", {
      token: w.admin,
      body: {
        ...{ username: "ben", contributionTypeId: w.types.code, points: 5 },
        notes: name,
        evidence: [{ url: "https://x.test/", description: name }],
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    expect((await get(`/api/contributions/${c.json().id}`)).json()).toMatchObject({
      notes: name,
      evidence: [{ description: name }],
    });
    const s = await req("POST", "/api/leaderboard/snapshots", {
      token: w.admin,
      body: { board: "global", label: name },
    });
    expect(s.json().label).toBe(name);
  });

  it("refuses unicode slugs and answers unicode names of nothing with 404/422", async () => {
    await expectRefused(w, [
      ["slug", "POST", "/api/categories", { name: "N", slug: "mérite" }, 400, "slug"],
      [
        "slug emoji",
        "POST",
        "/api/campaigns",
        { slug: "😀", name: "N", startsAt: "2026-03-01T00:00:00Z" },
        400,
        "slug",
      ],
      [
        "board",
        "GET",
        `/api/leaderboard?board=${encodeURIComponent("category:mérite")}`,
        undefined,
        400,
        "board",
      ],
      [
        "profile",
        "GET",
        `/api/participants/${encodeURIComponent("a\u0301nn")}`,
        undefined,
        404,
        "",
        "PARTICIPANT_NOT_FOUND",
      ],
      [
        "campaign",
        "GET",
        `/api/campaigns/${encodeURIComponent("\u202espring")}`,
        undefined,
        404,
        "",
        "CAMPAIGN_NOT_FOUND",
      ],
      [
        "award",
        "POST",
        "/api/contributions",
        { username: "👩🏽‍💻", contributionTypeId: w.types.code, points: 5 },
        422,
        "username",
        "USER_NOT_FOUND",
      ],
    ]);
  });
});
