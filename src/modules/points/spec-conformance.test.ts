// Conformance of the points HTTP API with the specification (issue 4, API part): bad input on every
// write, authorization, 404s, pagination, decimal strings, the error body, and the model rules seen
// through the API. Everything goes through app.inject on one database clone, in file order.
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import type { BoardItem } from "./leaderboard.service.ts";
import { makeUsers } from "./points.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday
const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";
const DECIMAL = /^-?\d+(\.\d+)?$/;

let merit: TestMerit;
let admin: string;
let steward: string;
let member: string;
let ids: Record<string, string>;
/** Type ids by slug, created in beforeAll through the API. */
const types: Record<string, string> = {};

type Method = "GET" | "POST" | "PATCH" | "DELETE";
const req = (method: Method, url: string, opts: { body?: unknown; token?: string } = {}) =>
  call(merit, method, url, opts);
const get = (url: string, token?: string) => req("GET", url, { token });

interface ErrorShape {
  code: string;
  message: string;
  details?: unknown;
}

/** Asserts the house error body and status; returns the error. */
function expectError(r: LightMyRequestResponse, status: number, code?: string, label = ""): ErrorShape {
  expect(r.statusCode, `${label} -> ${r.body}`).toBe(status);
  const body = r.json() as { error: ErrorShape };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  for (const k of Object.keys(body.error)) expect(["code", "message", "details"]).toContain(k);
  if (code) expect(body.error.code).toBe(code);
  return body.error;
}

/** The error names `field` in its details (validation issues or {field}) or its message. */
function expectNamesField(e: ErrorShape, field: string) {
  const named: string[] = [e.message];
  if (Array.isArray(e.details))
    for (const d of e.details as Array<{ field?: string }>) named.push(d.field ?? "");
  else if (e.details && typeof e.details === "object")
    named.push(String((e.details as { field?: string }).field));
  expect(
    named.some((n) => n.includes(field)),
    `${field} in ${JSON.stringify(e)}`,
  ).toBe(true);
}

/** Every key of a JSON value is camelCase. */
function expectCamel(value: unknown, path = "$") {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) expectCamel(v, `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      expect(k, `${path}.${k}`).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expectCamel(v, `${path}.${k}`);
    }
  }
}

/** A `{items, total}` list page. */
function expectList(r: LightMyRequestResponse) {
  expect(r.statusCode, r.body).toBe(200);
  const body = r.json() as { items: unknown[]; total: number };
  expect(Array.isArray(body.items)).toBe(true);
  expect(Number.isInteger(body.total)).toBe(true);
  expect(body.total).toBeGreaterThanOrEqual(body.items.length);
  expectCamel(body);
  return body;
}

type Item = BoardItem;
const board = async (query: string) =>
  expectList(await get(`/api/leaderboard?${query}`)) as unknown as { items: Item[]; total: number };

function expectBoardItem(i: Item) {
  expect(Number.isInteger(i.rank)).toBe(true);
  expect(i.userId).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof i.username).toBe("string");
  expect(typeof i.points).toBe("string");
  expect(i.points).toMatch(DECIMAL);
  expect(Number.isInteger(i.contributions)).toBe(true);
}

const award = async (
  username: string,
  type: string,
  points: number,
  contributionDate: string,
  token = admin,
) => {
  const r = await req("POST", "/api/contributions", {
    token,
    body: { username, contributionTypeId: types[type], points, contributionDate },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; points: number; multiplierAtCreation: string; globalPoints: string };
};

const contributionCount = async () =>
  (await get("/api/contributions?includeRevoked=true", admin)).json().total;

beforeAll(async () => {
  merit = await createTestMerit({ clock });
  admin = (await signedInUser(merit, "boss", ["admin", "member"])).accessToken;
  steward = (await signedInUser(merit, "stew", ["steward", "member"])).accessToken;
  member = (await signedInUser(merit, "mia")).accessToken;
  ids = await makeUsers(merit, ["ann", "ben", "cat", "dan", "a_x", "abx"]);
  for (const [name, slug] of [
    ["Builder", "builder"],
    ["Writer", "writer"],
    ["Pool", "pool"],
  ]) {
    expect((await req("POST", "/api/categories", { token: admin, body: { name, slug } })).statusCode).toBe(
      201,
    );
  }
  const mk = async (body: Record<string, unknown>) => {
    const r = await req("POST", "/api/contributions/types", { token: admin, body });
    expect(r.statusCode, r.body).toBe(201);
    types[body.slug as string] = r.json().id;
  };
  await mk({ name: "Code", slug: "code", category: "builder", minPoints: 1, maxPoints: 100 });
  await mk({ name: "Docs", slug: "docs", category: "writer", minPoints: 5, maxPoints: 50 });
  await mk({ name: "Bounty", slug: "bounty", category: "pool", minPoints: 1, maxPoints: 1000 });
  await mk({ name: "Other", slug: "other", category: "pool", minPoints: 1, maxPoints: 1000 });
  await mk({
    name: "Weekly",
    slug: "weekly",
    category: "builder",
    minPoints: 1,
    maxPoints: 100,
    caps: { perParticipantPerWeek: 10 },
  });
  await mk({
    name: "Total",
    slug: "total",
    category: "builder",
    minPoints: 1,
    maxPoints: 100,
    caps: { total: 5 },
  });
  await mk({
    name: "Retired",
    slug: "retired",
    category: "builder",
    minPoints: 1,
    maxPoints: 100,
    active: false,
  });
});
afterAll(() => merit?.destroy());

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

describe("POST /api/categories", () => {
  it("creates a category (201, camelCase) and lists it as {items, total}", async () => {
    const r = await req("POST", "/api/categories", {
      token: admin,
      body: { name: "Design", slug: "design", description: "Pixels" },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ name: "Design", slug: "design", description: "Pixels" });
    expectCamel(r.json());
    const list = expectList(await get("/api/categories")) as {
      items: Array<{ slug: string }>;
      total: number;
    };
    expect(list.items.map((c) => c.slug)).toContain("design");
    expect(list.total).toBe(list.items.length);
    // Each category gets a board at once.
    expect((await board("board=category:design")).total).toBe(0);
  });

  it("refuses bad input with 400/409 naming the field and creates nothing", async () => {
    const before = (await get("/api/categories")).json().total;
    const cases: Array<[unknown, number, string]> = [
      [{ slug: "nameless" }, 400, "name"],
      [{ name: "No slug" }, 400, "slug"],
      [{ name: "", slug: "empty-name" }, 400, "name"],
      [{ name: "Bad", slug: "Bad Slug" }, 400, "slug"],
      [{ name: "Bad", slug: "-dash" }, 400, "slug"],
      [{ name: { x: 1 }, slug: "obj-name" }, 400, "name"],
      [{ name: "Extra", slug: "extra", color: "red" }, 400, "color"],
      [{ name: "Long", slug: "long", description: "x".repeat(2001) }, 400, "description"],
      [{ name: "Dup", slug: "builder" }, 409, "slug"],
    ];
    for (const [body, status, field] of cases) {
      const e = expectError(await req("POST", "/api/categories", { token: admin, body }), status);
      expectNamesField(e, field);
    }
    expect((await get("/api/categories")).json().total).toBe(before);
  });

  it("answers malformed or missing JSON with a 4xx error body, never a 500", async () => {
    const raw = await merit.app.inject({
      method: "POST",
      url: "/api/categories",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      payload: '{"name": "Broken", ',
    });
    expectError(raw, 400);
    const none = await merit.app.inject({
      method: "POST",
      url: "/api/categories",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    });
    expectError(none, 400);
  });
});

describe("contribution types", () => {
  it("creates a type with the defaults, a 1.00 multiplier from the beginning of time, and filters by category", async () => {
    const r = await req("POST", "/api/contributions/types", {
      token: admin,
      body: { name: "Talk", slug: "talk", category: "writer", minPoints: 0, maxPoints: 10 },
    });
    expect(r.statusCode).toBe(201);
    const t = r.json();
    types.talk = t.id;
    expect(t).toMatchObject({
      slug: "talk",
      category: "writer",
      minPoints: 0,
      maxPoints: 10,
      active: true,
      submittable: false,
      description: null,
      caps: { total: null, perParticipantPerWeek: null },
      currentMultiplier: "1.00",
    });
    expectCamel(t);
    const history = (await get("/api/leaderboard/multipliers?contributionType=talk")).json();
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ value: "1.00", validFrom: "1970-01-01T00:00:00.000Z" });
    const writer = expectList(await get("/api/contributions/types?category=writer")) as {
      items: Array<{ slug: string; category: string }>;
    };
    expect(writer.items.map((x) => x.slug).sort()).toEqual(["docs", "talk"]);
    const e = expectError(await get("/api/contributions/types?category=nope"), 422, "CATEGORY_NOT_FOUND");
    expectNamesField(e, "category");
  });

  it("refuses bad type input with 400/409/422 naming the field and creates nothing", async () => {
    const before = (await get("/api/contributions/types")).json().total;
    const ok = { name: "T", slug: "bad-type", category: "builder", minPoints: 1, maxPoints: 10 };
    const cases: Array<[unknown, number, string, string?]> = [
      [{ ...ok, maxPoints: undefined }, 400, "maxPoints"],
      [{ ...ok, minPoints: undefined }, 400, "minPoints"],
      [{ ...ok, category: undefined }, 400, "category"],
      [{ ...ok, minPoints: -1 }, 400, "minPoints"],
      [{ ...ok, minPoints: 1.5 }, 400, "minPoints"],
      [{ ...ok, maxPoints: "lots" }, 400, "maxPoints"],
      [{ ...ok, maxPoints: 2_000_000 }, 400, "maxPoints"],
      [{ ...ok, submittable: "maybe" }, 400, "submittable"],
      [{ ...ok, caps: { perWeek: 5 } }, 400, "perWeek"],
      [{ ...ok, slug: "UPPER" }, 400, "slug"],
      [{ ...ok, minPoints: 10, maxPoints: 5 }, 422, "maxPoints", "INVALID_POINTS_RANGE"],
      [{ ...ok, category: "nope" }, 422, "category", "CATEGORY_NOT_FOUND"],
      [{ ...ok, slug: "code" }, 409, "slug", "SLUG_TAKEN"],
    ];
    for (const [body, status, field, code] of cases) {
      const e = expectError(
        await req("POST", "/api/contributions/types", { token: admin, body }),
        status,
        code,
        JSON.stringify(body),
      );
      expectNamesField(e, field);
    }
    expect((await get("/api/contributions/types")).json().total).toBe(before);
  });

  it("PATCH changes fields, keeps the rest, and refuses bad changes without touching the type", async () => {
    const url = `/api/contributions/types/${types.docs}`;
    const r = await req("PATCH", url, { token: admin, body: { name: "Documentation", submittable: true } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ name: "Documentation", submittable: true, minPoints: 5, maxPoints: 50 });
    const current = (await get("/api/contributions/types?category=writer"))
      .json()
      .items.find((t: { id: string }) => t.id === types.docs);
    const cases: Array<[unknown, number, string, string?]> = [
      [{ minPoints: 60 }, 422, "maxPoints", "INVALID_POINTS_RANGE"],
      [{ maxPoints: 1 }, 422, "maxPoints", "INVALID_POINTS_RANGE"],
      [{ category: "builder" }, 422, "category", "CATEGORY_IMMUTABLE"],
      [{ slug: "code" }, 409, "slug", "SLUG_TAKEN"],
      [{ minPoints: -3 }, 400, "minPoints"],
      [{ name: "" }, 400, "name"],
      [{ unknownField: 1 }, 400, "unknownField"],
      [{ caps: { total: -1 } }, 400, "caps"],
    ];
    for (const [body, status, field, code] of cases) {
      const e = expectError(await req("PATCH", url, { token: admin, body }), status, code);
      expectNamesField(e, field);
    }
    const after = (await get("/api/contributions/types?category=writer"))
      .json()
      .items.find((t: { id: string }) => t.id === types.docs);
    expect(after).toEqual(current);
    expectError(
      await req("PATCH", `/api/contributions/types/${NO_SUCH_ID}`, { token: admin, body: { name: "x" } }),
      404,
      "CONTRIBUTION_TYPE_NOT_FOUND",
    );
    expectNamesField(
      expectError(
        await req("PATCH", "/api/contributions/types/not-a-uuid", { token: admin, body: { name: "x" } }),
        400,
      ),
      "id",
    );
  });

  it("PATCH caps apply to the next award; awarded points never change", async () => {
    const c = await award("dan", "code", 40, "2026-03-16T10:00:00Z");
    const r = await req("PATCH", `/api/contributions/types/${types.code}`, {
      token: admin,
      body: { maxPoints: 20, caps: { perParticipantPerWeek: 45 } },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().caps).toEqual({ total: null, perParticipantPerWeek: 45 });
    expect((await get(`/api/contributions/${c.id}`)).json()).toMatchObject({
      points: 40,
      globalPoints: "40",
    });
    const over = await req("POST", "/api/contributions", {
      token: admin,
      body: {
        username: "dan",
        contributionTypeId: types.code,
        points: 10,
        contributionDate: "2026-03-17T10:00:00Z",
      },
    });
    expect(expectError(over, 422, "CAP_EXCEEDED").details).toMatchObject({
      cap: "perParticipantPerWeek",
      limit: 45,
    });
    // Removing the cap and widening the range again.
    const back = await req("PATCH", `/api/contributions/types/${types.code}`, {
      token: admin,
      body: { maxPoints: 100, caps: { perParticipantPerWeek: null } },
    });
    expect(back.json().caps).toEqual({ total: null, perParticipantPerWeek: null });
    await award("dan", "code", 10, "2026-03-17T10:00:00Z");
  });
});

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
      [{ ...ok, contributionTypeId: NO_SUCH_ID }, 404, "", "CONTRIBUTION_TYPE_NOT_FOUND"],
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
      value: "2",
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
    expect(docs.items.map((m: { value: string }) => m.value)).toEqual(["1.00", "2"]);
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
    expect(byType.map((m) => m.value)).toEqual(["2"]);
    expect(new Set(active.items.map((m) => m.contributionTypeId)).size).toBe(active.items.length);
    expect(
      (await get("/api/contributions/types?category=writer"))
        .json()
        .items.find((t: { id: string }) => t.id === types.docs).currentMultiplier,
    ).toBe("2");
    const now = clock.now();
    clock.set("2026-04-01T00:00:00Z");
    const later = (await get("/api/leaderboard/multipliers/active")).json();
    expect(
      later.items.find((m: { contributionTypeId: string }) => m.contributionTypeId === types.docs).value,
    ).toBe("5");
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
    expect(c).toMatchObject({ multiplierAtCreation: "9", globalPoints: "18" });
    const row = (await board("board=category:pool&search=cat")).items[0];
    expect(row.points).toBe("28.999999");
  });
});

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
      multiplierAtCreation: "2",
      globalPoints: "10",
      notes: "Guide",
      evidence: [{ url: "https://example.test/pr/1", description: "PR" }],
      contributionDate: "2026-03-10T08:00:00.000Z",
      revokedAt: null,
    });
    expectCamel(c);
    expect((await get(`/api/contributions/${c.id}`)).json()).toEqual(c);
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
    // Unknown user/type: nothing matches.
    expect((await get("/api/contributions?user=nobody-here")).json()).toEqual({ items: [], total: 0 });
  });

  it("refuses a range with from after to, malformed dates and unknown category/campaign slugs", async () => {
    expectNamesField(
      expectError(await get("/api/contributions?from=2026-03-10&to=2026-03-01"), 422, "INVALID_RANGE"),
      "to",
    );
    expectNamesField(expectError(await get("/api/contributions?from=garbage"), 422, "INVALID_DATE"), "from");
    expectNamesField(expectError(await get("/api/contributions?to=2026-13-01"), 422, "INVALID_DATE"), "to");
    expectError(await get("/api/contributions?category=nope"), 404);
    expectError(await get("/api/contributions?campaign=nope"), 404);
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

describe("GET /api/leaderboard", () => {
  it("returns {items, total} with the specified item shape and decimal-string points", async () => {
    const g = await board("board=global&limit=100");
    expect(g.total).toBe(g.items.length);
    expect(g.items.length).toBeGreaterThan(2);
    for (const i of g.items) {
      expectBoardItem(i);
      expect(Object.keys(i).sort()).toEqual([
        "contributions",
        "displayName",
        "points",
        "rank",
        "userId",
        "username",
      ]);
    }
    // Standard competition ranks: each rank is 1 + the number of rows with more points.
    g.items.forEach((i) => {
      const above = g.items.filter((x) => Number(x.points) > Number(i.points)).length;
      expect(i.rank).toBe(above + 1);
    });
    expect((await board("")).items).toEqual((await board("board=global&period=all")).items.slice(0, 20));
  });

  it("refuses unknown boards and periods, bad ranges and bad pagination with a 4xx naming the field", async () => {
    const bad: Array<[string, number, string, string?]> = [
      ["board=bogus", 400, "board"],
      ["board=category:", 400, "board"],
      ["board=Global", 400, "board"],
      ["board=category:nope", 404, "", "BOARD_NOT_FOUND"],
      ["board=campaign:nope", 404, "", "BOARD_NOT_FOUND"],
      ["period=year", 400, "period"],
      ["period=custom", 400, "from", "RANGE_REQUIRED"],
      ["period=custom&from=2026-03-01", 400, "to", "RANGE_REQUIRED"],
      ["period=custom&to=2026-03-01", 400, "from", "RANGE_REQUIRED"],
      ["period=custom&from=2026-03-10&to=2026-03-01", 400, "to", "INVALID_RANGE"],
      ["period=custom&from=2026-03-10T00:00:00Z&to=2026-03-10T00:00:00Z", 400, "to", "INVALID_RANGE"],
      ["period=custom&from=garbage&to=2026-03-01", 422, "from", "INVALID_DATE"],
      ["period=custom&from=2026-03-01&to=2026-02-31T99:00:00Z", 422, "to", "INVALID_DATE"],
      ["limit=101", 400, "limit"],
      ["limit=0", 400, "limit"],
      ["limit=-5", 400, "limit"],
      ["offset=-1", 400, "offset"],
      ["offset=x", 400, "offset"],
      [`search=${"x".repeat(101)}`, 400, "search"],
    ];
    for (const [q, status, field, code] of bad) {
      const e = expectError(await get(`/api/leaderboard?${q}`), status, code);
      if (field) expectNamesField(e, field);
    }
    expect((await get("/api/leaderboard?limit=100&offset=0")).statusCode).toBe(200);
  });

  it("keeps total and ranks across pages; an offset past the end gives no items but the same total", async () => {
    const all = await board("board=global&limit=100");
    const pages: Item[] = [];
    for (let offset = 0; offset < all.total; offset += 2) {
      const p = await board(`board=global&limit=2&offset=${offset}`);
      expect(p.total).toBe(all.total);
      pages.push(...p.items);
    }
    expect(pages).toEqual(all.items);
    const beyond = await board(`board=global&offset=${all.total + 5}`);
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(all.total);
  });

  it("custom periods count contributions by date, a plain `to` date including that whole day", async () => {
    const sunday = await board("board=category:builder&period=custom&from=2026-03-15&to=2026-03-15");
    const monday = await board("board=category:builder&period=custom&from=2026-03-16&to=2026-03-16");
    const ann = (b: { items: Item[] }) => b.items.find((i) => i.username === "ann")?.points;
    expect(ann(sunday)).toBe("10");
    expect(ann(monday)).toBe("10");
    const r = (
      await get("/api/leaderboard?board=category:builder&period=custom&from=2026-03-15&to=2026-03-16")
    ).json();
    expect(r).toMatchObject({
      period: "custom",
      from: "2026-03-15T00:00:00.000Z",
      to: "2026-03-17T00:00:00.000Z",
    });
    expect(ann({ items: r.items })).toBe("20");
    const week = await board("board=category:builder&period=week");
    expect(ann(week)).toBe("10");
  });

  it("search matches username or display name, case-insensitively, and keeps board ranks", async () => {
    const full = await board("board=global&limit=100");
    const s = await board("board=global&search=BE");
    expect(s.items.map((i) => i.username)).toEqual(["ben"]);
    expect(s.items[0].rank).toBe(full.items.find((i) => i.username === "ben")?.rank);
    expect(s.total).toBe(1);
    expect((await board("board=global&search=zzzz")).total).toBe(0);
  });
});

describe("campaigns", () => {
  it("refuses bad campaigns with 400/409/422 naming the field and creates nothing", async () => {
    const before = (await get("/api/campaigns")).json().total;
    const ok = {
      slug: "bad-camp",
      name: "Bad",
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-04-01T00:00:00Z",
      pool: { amount: "100", token: "VTX", decimals: 2 },
    };
    const cases: Array<[unknown, number, string, string?]> = [
      [{ ...ok, slug: undefined }, 400, "slug"],
      [{ ...ok, slug: "Bad Slug" }, 400, "slug"],
      [{ ...ok, name: undefined }, 400, "name"],
      [{ ...ok, startsAt: undefined }, 400, "startsAt"],
      [{ ...ok, startsAt: "March" }, 400, "startsAt"],
      [{ ...ok, endsAt: "2026-04-31T00:00:00Z" }, 400, "endsAt"],
      [{ ...ok, endsAt: "2026-03-01T00:00:00Z" }, 422, "endsAt", "INVALID_CAMPAIGN_WINDOW"],
      [{ ...ok, endsAt: "2026-02-01T00:00:00Z" }, 422, "endsAt", "INVALID_CAMPAIGN_WINDOW"],
      [{ ...ok, pool: { amount: "0", token: "VTX", decimals: 2 } }, 422, "pool.amount", "INVALID_POOL"],
      [{ ...ok, pool: { amount: "1.001", token: "VTX", decimals: 2 } }, 422, "pool.amount", "INVALID_POOL"],
      [{ ...ok, pool: { amount: "-5", token: "VTX", decimals: 2 } }, 400, "amount"],
      [{ ...ok, pool: { amount: "100", token: "VTX", decimals: 2.5 } }, 400, "decimals"],
      [{ ...ok, pool: { amount: "100", token: "VTX", decimals: 19 } }, 400, "decimals"],
      [{ ...ok, pool: { amount: "100", decimals: 2 } }, 400, "token"],
      [{ ...ok, pool: { amount: "100", token: "", decimals: 2 } }, 400, "token"],
      [{ ...ok, contributionTypes: ["code"] }, 400, "contributionTypes"],
      [{ ...ok, contributionTypes: [NO_SUCH_ID] }, 422, "contributionTypes", "CONTRIBUTION_TYPE_NOT_FOUND"],
      [{ ...ok, extra: 1 }, 400, "extra"],
    ];
    for (const [body, status, field, code] of cases) {
      const e = expectError(await req("POST", "/api/campaigns", { token: admin, body }), status, code);
      expectNamesField(e, field);
    }
    expect((await get("/api/campaigns")).json().total).toBe(before);
    expectError(await get("/api/campaigns/bad-camp"), 404, "CAMPAIGN_NOT_FOUND");
    expectError(await get("/api/leaderboard?board=campaign:bad-camp"), 404);
  });

  it("counts only its types inside [startsAt, endsAt) and splits the pool exactly by largest remainder", async () => {
    for (const u of ["ann", "ben", "cat"]) {
      await award(u, "bounty", 10, "2026-03-05T10:00:00Z");
      clock.advance(1000); // who reached a total first decides the order inside a tie
    }
    await award("dan", "bounty", 10, "2026-03-10T00:00:00Z"); // at endsAt: outside
    await award("dan", "other", 50, "2026-03-06T00:00:00Z"); // type not counted
    const r = await req("POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "spring",
        name: "Spring",
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-03-10T00:00:00Z",
        pool: { amount: "100", token: "VTX", decimals: 0 },
        contributionTypes: [types.bounty],
      },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      slug: "spring",
      board: "campaign:spring",
      participants: 3,
      points: "30",
      pool: { amount: "100", token: "VTX", decimals: 0 },
      contributionTypes: [types.bounty],
      endsAt: "2026-03-10T00:00:00.000Z",
    });
    expectCamel(r.json());
    expect((await get("/api/campaigns/spring")).json()).toEqual(r.json());
    expect(
      (expectList(await get("/api/campaigns")) as { items: Array<{ slug: string }> }).items.map(
        (c) => c.slug,
      ),
    ).toContain("spring");
    expectError(
      await req("POST", "/api/campaigns", {
        token: admin,
        body: { slug: "spring", name: "Again", startsAt: "2026-03-01T00:00:00Z" },
      }),
      409,
      "SLUG_TAKEN",
    );
    const b = await board("board=campaign:spring");
    expect(b.items.map((i) => [i.rank, i.username, i.points, i.share])).toEqual([
      [1, "ann", "10", "34"],
      [1, "ben", "10", "33"],
      [1, "cat", "10", "33"],
    ]);
    expect(b.items.reduce((s, i) => s + BigInt(i.share ?? "x"), 0n)).toBe(100n);
    // The contribution list's campaign filter agrees with the board.
    expect((await get("/api/contributions?campaign=spring")).json().total).toBe(3);
  });

  it("gives shares as decimal strings with the token's decimals, and none without a pool", async () => {
    const r = await req("POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "thirds",
        name: "Thirds",
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-03-10T00:00:00Z",
        pool: { amount: "1", token: "VTX", decimals: 8 },
        contributionTypes: [types.bounty],
      },
    });
    expect(r.statusCode).toBe(201);
    const b = await board("board=campaign:thirds");
    expect(b.items.map((i) => i.share)).toEqual(["0.33333334", "0.33333333", "0.33333333"]);
    const plain = await req("POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "plain",
        name: "Plain",
        startsAt: "2026-03-01T00:00:00Z",
        contributionTypes: [types.bounty],
      },
    });
    expect(plain.json()).toMatchObject({ pool: null, endsAt: null });
    const p = await board("board=campaign:plain");
    expect(p.items.length).toBeGreaterThan(0);
    for (const i of p.items) expect(i).not.toHaveProperty("share");
  });
});

describe("snapshots", () => {
  it("refuses bad snapshot requests with 400/404 naming the field and takes none", async () => {
    const before = (await get("/api/leaderboard/snapshots")).json().total;
    const cases: Array<[unknown, number, string]> = [
      [{ board: "bogus" }, 400, "board"],
      [{ board: "category:nope" }, 404, ""],
      [{ board: "global", period: "custom" }, 400, "period"],
      [{ board: "global", period: "year" }, 400, "period"],
      [{ board: "global", label: "x".repeat(201) }, 400, "label"],
      [{ board: "global", items: [] }, 400, "items"],
    ];
    for (const [body, status, field] of cases) {
      const e = expectError(
        await req("POST", "/api/leaderboard/snapshots", { token: admin, body }),
        status,
        undefined,
        JSON.stringify(body),
      );
      if (field) expectNamesField(e, field);
    }
    expect((await get("/api/leaderboard/snapshots")).json().total).toBe(before);
    expectError(await get(`/api/leaderboard/snapshots/${NO_SUCH_ID}`), 404, "SNAPSHOT_NOT_FOUND");
    expectNamesField(expectError(await get("/api/leaderboard/snapshots/latest"), 400), "id");
    expectError(await get("/api/leaderboard/snapshots?board=category:nope"), 404);
    for (const q of ["limit=101", "limit=0", "offset=-1"])
      expectNamesField(expectError(await get(`/api/leaderboard/snapshots?${q}`), 400), q.split("=")[0]);
  });

  it("freezes a board with the live board's items and keeps them after later awards", async () => {
    const live = await board("board=category:builder&limit=100");
    const r = await req("POST", "/api/leaderboard/snapshots", {
      token: admin,
      body: { board: "category:builder", label: "mid-march" },
    });
    expect(r.statusCode).toBe(201);
    const snap = r.json();
    expect(snap).toMatchObject({
      board: "category:builder",
      period: "all",
      label: "mid-march",
      total: live.total,
    });
    expect(snap.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(snap.takenAt).toBe(clock.now().toISOString());
    expect(snap.items).toEqual(live.items);
    expectCamel(snap);
    const got = (await get(`/api/leaderboard/snapshots/${snap.id}`)).json();
    expect(got).toMatchObject({ id: snap.id, board: "category:builder", period: "all", total: live.total });
    expect(got.items).toEqual(live.items);
    await award("cat", "code", 100, "2026-03-18T00:00:00Z");
    expect((await get(`/api/leaderboard/snapshots/${snap.id}`)).json().items).toEqual(live.items);
    const page = (await get(`/api/leaderboard/snapshots/${snap.id}?limit=1&offset=1`)).json();
    expect(page.items).toEqual(live.items.slice(1, 2));
    expect(page.total).toBe(live.total);
    const list = expectList(await get("/api/leaderboard/snapshots?board=category:builder")) as {
      items: Array<{ id: string }>;
    };
    expect(list.items.map((s) => s.id)).toContain(snap.id);
    const week = await req("POST", "/api/leaderboard/snapshots", {
      token: admin,
      body: { board: "global", period: "week" },
    });
    expect(week.statusCode).toBe(201);
    expect(week.json()).toMatchObject({ board: "global", period: "week" });
    expect(week.json().items).toEqual((await board("board=global&period=week&limit=100")).items);
  });
});

describe("participants and stats", () => {
  it("lists participants as a paginated {items, total} with decimal-string points", async () => {
    const all = expectList(await get("/api/participants?limit=100")) as {
      items: Array<{ username: string; points: string; contributions: number }>;
      total: number;
    };
    for (const p of all.items) {
      expect(p.points).toMatch(DECIMAL);
      expect(Number.isInteger(p.contributions)).toBe(true);
    }
    const p2 = (await get("/api/participants?limit=2&offset=2")).json();
    expect(p2.total).toBe(all.total);
    expect(p2.items).toEqual(all.items.slice(2, 4));
    for (const q of ["limit=101", "limit=0", "offset=-1"])
      expectNamesField(expectError(await get(`/api/participants?${q}`), 400), q.split("=")[0]);
    expect(
      (await get("/api/participants?search=ANN")).json().items.map((p: { username: string }) => p.username),
    ).toEqual(["ann"]);
  });

  it("serves a profile with totals, ranks on each board, recent contributions and 404 for unknown names", async () => {
    const r = await get("/api/participants/ben");
    expect(r.statusCode).toBe(200);
    const p = r.json();
    expectCamel(p);
    expect(p).toMatchObject({ userId: ids.ben, username: "ben" });
    expect(p.totals.points).toMatch(DECIMAL);
    const global = (await board("board=global&search=ben")).items[0];
    expect(p.totals).toEqual({ points: global.points, contributions: global.contributions });
    const rank = p.ranks.find(
      (x: { board: string; period: string }) => x.board === "global" && x.period === "all",
    );
    expect(rank).toMatchObject({ rank: global.rank, points: global.points });
    expect(p.ranks.map((x: { board: string }) => x.board)).toEqual(
      expect.arrayContaining(["global", "category:writer", "campaign:spring"]),
    );
    expect(p.recentContributions.length).toBeGreaterThan(0);
    expect(p.recentContributions.every((c: { username: string }) => c.username === "ben")).toBe(true);
    expectError(await get("/api/participants/nobody-here"), 404, "PARTICIPANT_NOT_FOUND");
  });

  it("gives stats as decimal strings with a 30-day daily series", async () => {
    clock.advance(11_000); // past the stats cache
    const r = await get("/api/stats");
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expectCamel(s);
    expect(s.points).toMatch(DECIMAL);
    expect(s.daily).toHaveLength(30);
    expect(s.daily[29].date).toBe("2026-03-18");
    for (const d of s.daily) expect(d.points).toMatch(DECIMAL);
    const global = await board("board=global&limit=100");
    expect(s.participants).toBe(global.total);
  });
});

describe("hidden participants on a campaign board", () => {
  it("are left out without gaps, the pool split among the others still summing exactly, and profiles 404 for the public", async () => {
    const rank = await get("/api/leaderboard/rank?board=campaign:thirds&user=ann");
    expect(rank.json()).toMatchObject({ rank: 1, total: 3, share: "0.33333334" });
    expectError(await get("/api/leaderboard/rank?user=nobody-here"), 404, "PARTICIPANT_NOT_FOUND");
    expectNamesField(expectError(await get("/api/leaderboard/rank?user=ann&period=custom"), 400), "period");
    expectNamesField(expectError(await get("/api/leaderboard/rank?board=bogus&user=ann"), 400), "board");

    const hide = (hidden: boolean) =>
      req("PATCH", `/api/admin/users/${ids.ann}`, { token: admin, body: { hidden } });
    expect((await hide(true)).statusCode).toBe(200);
    try {
      const b = await board("board=campaign:thirds");
      expect(b.items.map((i) => [i.rank, i.username, i.share])).toEqual([
        [1, "ben", "0.50000000"],
        [1, "cat", "0.50000000"],
      ]);
      expect(b.total).toBe(2);
      expect((await get("/api/campaigns/thirds")).json()).toMatchObject({ participants: 2, points: "20" });
      expect((await get("/api/participants?search=ann")).json()).toEqual({ items: [], total: 0 });
      expectError(await get("/api/participants/ann"), 404, "PARTICIPANT_NOT_FOUND");
      const seen = await get("/api/participants/ann", admin);
      expect(seen.statusCode).toBe(200);
      expect(seen.json().ranks.every((r: { rank: number | null }) => r.rank === null)).toBe(true);
      expect((await get("/api/leaderboard/rank?board=campaign:thirds&user=ann")).json().rank).toBeNull();
    } finally {
      expect((await hide(false)).statusCode).toBe(200);
    }
    expect((await board("board=campaign:thirds")).total).toBe(3);
  });
});
