// Conformance of the points HTTP API with the specification (issue 4, API part): the catalog —
// categories and contribution types, their bad input, and edits that never rewrite awarded points.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMerit } from "../../../test/support/test-app.ts";
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
let merit: TestMerit;
let admin: string;
let types: Record<string, string>;
const { req, get, board, award } = specApi(() => w);

beforeAll(async () => {
  w = await createSpecWorld(clock);
  ({ merit, admin, types } = w);
});
afterAll(() => w?.merit.destroy());

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

describe("PATCH /api/categories/:id", () => {
  it("renames a category and changes its description; the slug and its board stay", async () => {
    const made = await req("POST", "/api/categories", {
      token: admin,
      body: { name: "Desgin", slug: "visual", description: "Pixles" },
    });
    const id = made.json().id as string;
    const renamed = await req("PATCH", `/api/categories/${id}`, {
      token: admin,
      body: { name: "  Design  " },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id, slug: "visual", name: "Design", description: "Pixles" });
    const described = await req("PATCH", `/api/categories/${id}`, {
      token: admin,
      body: { description: "Pixels" },
    });
    expect(described.json()).toMatchObject({ name: "Design", description: "Pixels" });
    const cleared = await req("PATCH", `/api/categories/${id}`, {
      token: admin,
      body: { description: null },
    });
    expect(cleared.json()).toMatchObject({ name: "Design", description: null });
    const listed = (await get("/api/categories")).json().items as Array<{ id: string; name: string }>;
    expect(listed.find((c) => c.id === id)?.name).toBe("Design");
    expect((await board("board=category:visual")).total).toBe(0);
  });

  it("refuses other roles, unknown ids and bad fields, changing nothing", async () => {
    const id = (await get("/api/categories"))
      .json()
      .items.find((c: { slug: string }) => c.slug === "builder").id;
    const before = (await get("/api/categories")).json();
    expectError(await req("PATCH", `/api/categories/${id}`, { body: { name: "X" } }), 401);
    expectError(await req("PATCH", `/api/categories/${id}`, { token: w.steward, body: { name: "X" } }), 403);
    expectError(await req("PATCH", `/api/categories/${id}`, { token: w.member, body: { name: "X" } }), 403);
    expectError(
      await req("PATCH", `/api/categories/${NO_SUCH_ID}`, { token: admin, body: { name: "X" } }),
      404,
      "CATEGORY_NOT_FOUND",
    );
    const cases: Array<[unknown, number, string, string?]> = [
      [{ name: "   " }, 422, "name", "BLANK_FIELD"],
      [{ name: "" }, 400, "name"],
      [{ name: "x".repeat(101) }, 400, "name"],
      [{ slug: "renamed" }, 400, "slug"],
      [{ description: "x".repeat(2001) }, 400, "description"],
    ];
    for (const [body, status, field, code] of cases) {
      const e = expectError(
        await req("PATCH", `/api/categories/${id}`, { token: admin, body }),
        status,
        code,
      );
      expectNamesField(e, field);
    }
    expect((await get("/api/categories")).json()).toEqual(before);
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
    const e = expectError(await get("/api/contributions/types?category=nope"), 404, "CATEGORY_NOT_FOUND");
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
      // Caps are stored as integers (int4): a larger one was a 500.
      [{ ...ok, caps: { total: 3_000_000_000 } }, 400, "caps.total"],
      [{ ...ok, caps: { perParticipantPerWeek: 2_147_483_648 } }, 400, "caps.perParticipantPerWeek"],
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
      [{ caps: { total: 3_000_000_000 } }, 400, "caps.total"],
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
