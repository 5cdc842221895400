// Shared helpers of the API conformance tests (spec-*.test.ts): the house error body, camelCase
// and list-page checks, and the small world every spec file starts from (each file on a database
// of its own, so each seeds whatever else it reads).
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import type { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import type { BoardItem } from "./leaderboard.service.ts";
import { makeUsers } from "./points.test-support.ts";

export const NO_SUCH_ID = "00000000-0000-4000-8000-000000000000";
export const DECIMAL = /^-?\d+(\.\d+)?$/;

export type Method = "GET" | "POST" | "PATCH" | "DELETE";
export type Item = BoardItem;

export interface ErrorShape {
  code: string;
  message: string;
  details?: unknown;
}

/** Asserts the house error body and status; returns the error. */
export function expectError(
  r: LightMyRequestResponse,
  status: number,
  code?: string,
  label = "",
): ErrorShape {
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
export function expectNamesField(e: ErrorShape, field: string) {
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
export function expectCamel(value: unknown, path = "$") {
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
export function expectList(r: LightMyRequestResponse) {
  expect(r.statusCode, r.body).toBe(200);
  const body = r.json() as { items: unknown[]; total: number };
  expect(Array.isArray(body.items)).toBe(true);
  expect(Number.isInteger(body.total)).toBe(true);
  expect(body.total).toBeGreaterThanOrEqual(body.items.length);
  expectCamel(body);
  return body;
}

export interface SpecWorld {
  merit: TestMerit;
  /** Access tokens: boss (admin), stew (steward), mia (participant). */
  admin: string;
  steward: string;
  member: string;
  /** User ids of ann, ben, cat, dan, a_x and abx, who have no contributions yet. */
  ids: Record<string, string>;
  /** Type ids by slug; a file may add its own. */
  types: Record<string, string>;
}

/** Creates a contribution type through the API as `admin`; returns its id. */
export async function addType(merit: TestMerit, admin: string, body: Record<string, unknown>) {
  const r = await call(merit, "POST", "/api/contributions/types", { token: admin, body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

/**
 * Signed-in staff and a participant, six participants without contributions, categories builder,
 * writer and pool, and types code, docs (5-50), bounty, other, weekly (capped at 10 a week),
 * total (capped at 5) and retired (inactive), all at multiplier 1.00.
 */
export async function createSpecWorld(clock: ManualClock): Promise<SpecWorld> {
  const merit = await createTestMerit({ clock });
  const admin = (await signedInUser(merit, "boss", ["admin", "member"])).accessToken;
  const steward = (await signedInUser(merit, "stew", ["steward", "member"])).accessToken;
  const member = (await signedInUser(merit, "mia")).accessToken;
  const ids = await makeUsers(merit, ["ann", "ben", "cat", "dan", "a_x", "abx"]);
  for (const [name, slug] of [
    ["Builder", "builder"],
    ["Writer", "writer"],
    ["Pool", "pool"],
  ]) {
    const r = await call(merit, "POST", "/api/categories", { token: admin, body: { name, slug } });
    expect(r.statusCode).toBe(201);
  }
  const types: Record<string, string> = {};
  const mk = async (body: Record<string, unknown>) => {
    types[body.slug as string] = await addType(merit, admin, body);
  };
  await mk({ name: "Code", slug: "code", category: "builder", minPoints: 1, maxPoints: 100 });
  await mk({ name: "Docs", slug: "docs", category: "writer", minPoints: 5, maxPoints: 50 });
  await mk({ name: "Bounty", slug: "bounty", category: "pool", minPoints: 1, maxPoints: 1000 });
  await mk({ name: "Other", slug: "other", category: "pool", minPoints: 1, maxPoints: 1000 });
  const capped = { category: "builder", minPoints: 1, maxPoints: 100 };
  await mk({ name: "Weekly", slug: "weekly", ...capped, caps: { perParticipantPerWeek: 10 } });
  await mk({ name: "Total", slug: "total", ...capped, caps: { total: 5 } });
  await mk({ name: "Retired", slug: "retired", ...capped, active: false });
  return { merit, admin, steward, member, ids, types };
}

/** Request helpers on the world `world()` returns (read when called, so before beforeAll is fine). */
export function specApi(world: () => SpecWorld) {
  const req = (method: Method, url: string, opts: { body?: unknown; token?: string } = {}) =>
    call(world().merit, method, url, opts);
  const get = (url: string, token?: string) => req("GET", url, { token });
  const board = async (query: string) =>
    expectList(await get(`/api/leaderboard?${query}`)) as unknown as { items: Item[]; total: number };
  /** Awards through POST /api/contributions (as the admin unless `token`), expecting 201. */
  const award = async (
    username: string,
    type: string,
    points: number,
    contributionDate: string,
    token = world().admin,
  ) => {
    const r = await req("POST", "/api/contributions", {
      token,
      body: { username, contributionTypeId: world().types[type], points, contributionDate },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as {
      id: string;
      userId: string;
      points: number;
      multiplierAtCreation: string;
      globalPoints: string;
    };
  };
  /** Contributions of every state, revoked ones included. */
  const contributionCount = async () =>
    (await get("/api/contributions?includeRevoked=true", world().admin)).json().total;
  /** Adds a multiplier as the admin, expecting 201. */
  const addMultiplier = async (type: string, value: string, validFrom: string) => {
    const r = await req("POST", "/api/leaderboard/multipliers", {
      token: world().admin,
      body: { contributionTypeId: world().types[type], value, validFrom },
    });
    expect(r.statusCode, r.body).toBe(201);
  };
  return { req, get, board, award, contributionCount, addMultiplier };
}
