// The API's contract on bad input, checked for every operation of the app's own OpenAPI document
// (so a new route is covered by being documented): anonymous callers get 401 where a user is
// needed, participants 403 on staff routes, and malformed input derived from each schema gets a
// 4xx with the house error body naming the field, never a 500, and changes no table.
import { randomUUID } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MEMBER_PASSWORD } from "../src/modules/accounts/accounts.seed.ts";
import { call, freshIp, signedInUser } from "../src/modules/accounts/accounts.test-support.ts";
import { DEMO_CAMPAIGN_SLUG } from "../src/modules/forum/forum-demo.ts";
import { createForumSim, type ForumSim } from "../src/modules/forum/sim/forum-sim.server.ts";
import {
  accepts,
  acceptsText,
  invalidTexts,
  invalidValues,
  type Operation,
  oddTexts,
  operationsOf,
  type Schema,
  validValue,
} from "./support/openapi-inputs.ts";
import { createTestMerit, type TestMerit } from "./support/test-app.ts";

/**
 * Operations the generic checks skip, each with its reason. Keep this short: a route belongs here
 * only when a generic request cannot describe it.
 */
const SKIP: Record<string, string> = {
  "GET /api/leaderboard/stream": "server-sent events: the answer never ends (leaderboard tests read it)",
};

/**
 * Public auth operations without a rate limit, each with why none is needed. Every other one must
 * answer 429 to one client repeating a bad attempt.
 */
const UNLIMITED_AUTH: Record<string, string> = {
  "POST /api/auth/confirm-email": "its token is 32 random bytes: guessing one is hopeless",
  "POST /api/auth/refresh": "its token is 32 random bytes: guessing one is hopeless",
  "POST /api/auth/logout": "its token is 32 random bytes, and it can only end that token's session",
  "POST /api/appeals": "its appeal token is signed by the server: it cannot be guessed",
};

/**
 * Range ends at the limits of four-digit years; a zone or a whole day's end carries the last three
 * across them (year 0, year 10000).
 */
const CALENDAR_ENDS: Array<[string, string]> = [
  ["0001-01-01", "9999-12-30"],
  ["0001-01-01", "9999-12-31"],
  ["0000-06-01", "2026-01-01"],
  ["0001-01-01T00:30:00+01:00", "9999-12-31T23:00:00-05:00"],
];

/** Tables the requests above write by design, with the reason (the rest must not change). */
const WRITTEN_BY_DESIGN: Record<string, string> = {
  rate_limit_counters: "counts every attempt at a limited endpoint, refused or not: that is its job",
  siwe_nonces: "GET /api/auth/siwe/nonce issues a nonce to any anonymous caller",
};

/** Staff routes: the admin area, or documented as "Admins ..." (participants must get 403). */
const isStaffOnly = (op: Operation) =>
  op.path.startsWith("/api/admin/") ||
  (op.tags ?? []).some((t) => t === "admin" || t === "forum-admin") ||
  /^Admins\b/.test(op.description ?? "");

let merit: TestMerit;
let sim: ForumSim;
let ops: Operation[];
let admin: string;
let member: string;
/** A real value for each path parameter, by the path up to it (e.g. `/api/contributions/{id}`). */
const fixtures: Record<string, string> = {};

beforeAll(async () => {
  // The forum simulator on loopback stands in for Bitcointalk (no network in tests); the demo seed
  // fills every area (contributions, campaigns, forum campaign, designs, verified profiles).
  sim = createForumSim();
  const { url } = await sim.listen(0, "127.0.0.1");
  merit = await createTestMerit({ env: { SEED_DEMO: "true", BITCOINTALK_URL: url } });
  admin = (await signedInUser(merit, "contract-admin", ["admin", "member"])).accessToken;
  member = (await signedInUser(merit, "contract-mia")).accessToken;
  ops = operationsOf((await merit.app.inject({ url: "/docs/openapi.json" })).json());

  const get = async (url: string) => {
    const r = await call(merit, "GET", url, { token: admin });
    expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    return r.json();
  };
  const first = async (url: string) => (await get(url)).items[0];
  // A banned member's appeal, made through the API as a user would.
  await call(merit, "PATCH", `/api/admin/users/${(await first("/api/admin/users?search=frank")).id}`, {
    token: admin,
    body: { banned: true, banReason: "contract test" },
  });
  const banned = await call(merit, "POST", "/api/auth/login", {
    body: { login: "frank", password: DEMO_MEMBER_PASSWORD },
    ip: freshIp(),
  });
  const appeal = await call(merit, "POST", "/api/appeals", {
    body: { appealToken: banned.json().error.details.appealToken, message: "please" },
    ip: freshIp(),
  });
  expect(appeal.statusCode, appeal.body).toBe(201);
  const key = await call(merit, "POST", "/api/users/me/api-keys", {
    token: member,
    body: { name: "contract", scopes: ["read"] },
  });
  const snapshot = await call(merit, "POST", "/api/leaderboard/snapshots", {
    token: admin,
    body: { board: "global" },
  });
  const profile = await first(`/api/admin/forum/campaigns/${DEMO_CAMPAIGN_SLUG}/profiles`);
  Object.assign(fixtures, {
    "/api/users/me/sessions/{id}": (await first("/api/users/me/sessions")).id,
    "/api/admin/users/{id}": (await first("/api/admin/users?search=alice")).id,
    "/api/admin/appeals/{id}": appeal.json().id,
    "/api/users/me/api-keys/{id}": key.json().id,
    "/api/contributions/types/{id}": (await first("/api/contributions/types")).id,
    "/api/categories/{id}": (await first("/api/categories")).id,
    "/api/contributions/{id}": (await first("/api/contributions")).id,
    "/api/leaderboard/snapshots/{id}": snapshot.json().id,
    "/api/campaigns/{slug}": (await first("/api/campaigns")).slug,
    "/api/participants/{username}": "alice",
    "/api/forum/campaigns/{slug}": DEMO_CAMPAIGN_SLUG,
    "/api/admin/forum/campaigns/{slug}": DEMO_CAMPAIGN_SLUG,
    "/api/forum/profiles/{id}": profile.id,
    "/api/admin/forum/profiles/{id}": profile.id,
    "/api/forum/ranks/{id}": (await first("/api/forum/ranks?site=bitcointalk")).id,
    "/api/forum/signatures/{id}": (await first("/api/forum/signatures")).id,
  });
}, 120_000);

afterAll(async () => {
  await merit?.destroy();
  await sim?.close();
});

const label = (op: Operation) => `${op.method} ${op.path}`;
const checked = () => ops.filter((op) => !SKIP[label(op)]);

/** The path with each parameter replaced: by `values`, else by its fixture. */
function urlOf(op: Operation, values: Record<string, string> = {}, query: Record<string, string> = {}) {
  const path = op.path.replace(/\{(\w+)\}/g, (whole, name: string, at: number) => {
    const value = values[name] ?? fixtures[op.path.slice(0, at) + whole];
    if (value === undefined)
      throw new Error(`${label(op)}: add a fixture for ${op.path.slice(0, at) + whole}`);
    return encodeURIComponent(value);
  });
  const q = new URLSearchParams(query).toString();
  return q ? `${path}?${q}` : path;
}

/** Values for the required query parameters (which alone never decide the test's outcome). */
function requiredQuery(op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters)
    if (p.in === "query" && p.required) out[p.name] = String(validValue(p.schema));
  return out;
}

/** One request from a fresh client IP (per-IP limits stay out of the way): a JSON body or raw text. */
function send(op: Operation, url: string, opts: { token?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": freshIp() };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (payload !== undefined) headers["content-type"] = "application/json";
  return merit.app.inject({ method: op.method, url, headers, ...(payload !== undefined ? { payload } : {}) });
}

/** What is wrong with an error answer (empty when it has the house shape and one of the statuses). */
function errorProblems(r: LightMyRequestResponse, statuses: number[], field?: string): string[] {
  if (!statuses.includes(r.statusCode))
    return [`answered ${r.statusCode}, wanted ${statuses}: ${r.body.slice(0, 300)}`];
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } };
  try {
    body = r.json();
  } catch {
    return [`${r.statusCode} without a JSON body: ${r.body.slice(0, 200)}`];
  }
  const e = body.error;
  const shape =
    e &&
    Object.keys(body).length === 1 &&
    typeof e.code === "string" &&
    /^[A-Z][A-Z0-9_]*$/.test(e.code) &&
    typeof e.message === "string" &&
    e.message.length > 0 &&
    Object.keys(e).every((k) => ["code", "message", "details"].includes(k));
  if (!shape)
    return [`${r.statusCode} body is not {"error":{code,message,details?}}: ${r.body.slice(0, 300)}`];
  if (field && !String(e.message).includes(field)) return [`message does not name ${field}: ${e.message}`];
  return [];
}

/** A JSON body the operation's schema accepts (undefined without a body). */
const validBody = (op: Operation) => (op.body ? validValue(op.body) : undefined);

/** Every row of every table in the public schema, as a count and digest per table. */
async function tableDigests(): Promise<Record<string, string>> {
  const tables = await merit.core.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [r] = await merit.core.db.query<{ n: number; digest: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest
         FROM "${name}" t`,
    );
    out[name] = `${r.n} rows, ${r.digest}`;
  }
  return out;
}

describe("the OpenAPI document", () => {
  it("lists the API's operations with fixtures for their path parameters", () => {
    expect(ops.length).toBeGreaterThan(80);
    for (const op of checked()) expect(() => urlOf(op)).not.toThrow();
    for (const op of ops.filter(isStaffOnly)) expect(op.security, `${label(op)} security`).toBeDefined();
  });

  it("gives every operation a summary and a description (the /docs page shows both)", () => {
    const bare = ops.filter((op) => !op.summary?.trim() || !op.description?.trim()).map(label);
    expect(bare).toEqual([]);
  });

  it("documents what every operation answers on success (204 alone has no body)", () => {
    const silent = ops
      .filter((op) => {
        const ok = Object.entries(op.responses).filter(([code]) => code.startsWith("2"));
        return ok.length === 0 || ok.some(([code, r]) => code !== "204" && !r.content);
      })
      .map(label);
    expect(silent).toEqual([]);
  });
});

describe("every operation on bad input", () => {
  let before: Record<string, string>;
  beforeAll(async () => {
    before = await tableDigests();
  });

  it("answers 401 without credentials where a user is needed, and never 500", async () => {
    const problems: string[] = [];
    for (const op of checked()) {
      const url = urlOf(op, {}, requiredQuery(op));
      const body = validBody(op);
      for (const token of [undefined, "not-a-token"]) {
        // Public writes with a valid body would really act (register, sign in): see the last tests.
        if (!op.security && op.method !== "GET") continue;
        const r = await send(op, url, { token, body });
        const who = token ? "a bogus token" : "no credentials";
        if (op.security)
          problems.push(...errorProblems(r, [401]).map((p) => `${label(op)} with ${who}: ${p}`));
        else if (r.statusCode >= 500) problems.push(`${label(op)} with ${who}: ${r.statusCode} ${r.body}`);
        else if (r.statusCode === 401 && r.json().error?.code === "UNAUTHENTICATED")
          problems.push(`${label(op)} needs a user but declares no security`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("answers 403 to a participant on staff routes", async () => {
    const problems: string[] = [];
    for (const op of checked().filter(isStaffOnly)) {
      const r = await send(op, urlOf(op, {}, requiredQuery(op)), { token: member, body: validBody(op) });
      problems.push(...errorProblems(r, [403]).map((p) => `${label(op)} as a participant: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it("refuses malformed bodies naming the field, as an admin", async () => {
    const problems: string[] = [];
    for (const op of checked().filter((o) => o.body)) {
      const url = urlOf(op, {}, requiredQuery(op));
      const schema = op.body as Schema;
      const base = validValue(schema) as Record<string, unknown>;
      const bad = async (what: string, opts: { body?: unknown; raw?: string }, field?: string) => {
        const r = await send(op, url, { token: admin, ...opts });
        problems.push(...errorProblems(r, [400], field).map((p) => `${label(op)} ${what}: ${p}`));
      };
      await bad("without a body", {});
      await bad("with broken JSON", { raw: '{"oops": ' });
      await bad("with an array body", { raw: "[]" });
      for (const field of schema.required ?? []) {
        // The server fills a missing field that has a default (so it is not really required).
        if (schema.properties?.[field]?.default !== undefined) continue;
        const { [field]: _, ...rest } = base;
        await bad(`without ${field}`, { body: rest }, field);
      }
      for (const [field, prop] of Object.entries(schema.properties ?? {})) {
        for (const c of invalidValues(prop))
          await bad(`with ${field} ${c.what}`, { body: { ...base, [field]: c.value } }, field);
        // One level down (e.g. caps.total), where the object's own value can be built.
        if (prop.type === "object" && prop.properties) {
          const inner = validValue(prop) as Record<string, unknown>;
          for (const [sub, subProp] of Object.entries(prop.properties))
            for (const c of invalidValues(subProp)) {
              const body = { ...base, [field]: { ...inner, [sub]: c.value } };
              await bad(`with ${field}.${sub} ${c.what}`, { body }, `${field}.${sub}`);
            }
        }
      }
      if (schema.properties && accepts(schema, { ...base, unknownField: 1 }) === false)
        await bad("with an unknown field", { body: { ...base, unknownField: 1 } }, "unknownField");
    }
    expect(problems).toEqual([]);
  });

  it("refuses strings PostgreSQL cannot store (NUL) with a 4xx", async () => {
    const problems: string[] = [];
    for (const op of checked().filter((o) => o.body?.properties)) {
      const url = urlOf(op, {}, requiredQuery(op));
      const base = validValue(op.body as Schema) as Record<string, unknown>;
      for (const field of Object.keys(op.body?.properties ?? {})) {
        const body = { ...base, [field]: "a\u0000b" };
        if (!accepts(op.body as Schema, body)) continue;
        const r = await send(op, url, { token: admin, body });
        problems.push(...errorProblems(r, [400], field).map((p) => `${label(op)} ${field} with NUL: ${p}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it("refuses bad query values naming the parameter, and odd ones with a 4xx", async () => {
    const problems: string[] = [];
    for (const op of checked()) {
      const body = validBody(op);
      for (const p of op.parameters.filter((x) => x.in === "query")) {
        const query = requiredQuery(op);
        for (const c of invalidTexts(p.schema)) {
          const r = await send(op, urlOf(op, {}, { ...query, [p.name]: c.text }), { token: admin, body });
          problems.push(
            ...errorProblems(r, [400], p.name).map((e) => `${label(op)} ${p.name} ${c.what}: ${e}`),
          );
        }
        // Only reads: a write with a valid body would act on its fixture.
        if (op.method !== "GET") continue;
        for (const c of oddTexts(p.schema)) {
          const r = await send(op, urlOf(op, {}, { ...query, [p.name]: c.text }), { token: admin });
          if (r.statusCode >= 400)
            problems.push(
              ...errorProblems(r, [400, 404, 409, 422]).map((e) => `${label(op)} ${p.name} ${c.what}: ${e}`),
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("refuses date ranges at the calendar's ends with a 4xx (operations with from and to)", async () => {
    const problems: string[] = [];
    for (const op of checked().filter((o) => o.method === "GET")) {
      const names = op.parameters.filter((p) => p.in === "query").map((p) => p.name);
      if (!names.includes("from") || !names.includes("to")) continue;
      // Each value of an enum parameter (period=custom is where a range counts).
      const variants: Array<Record<string, string>> = [{}];
      for (const p of op.parameters.filter((x) => x.in === "query"))
        for (const b of p.schema.anyOf ?? []) if (b.enum) variants.push({ [p.name]: String(b.enum[0]) });
      for (const variant of variants)
        for (const [from, to] of CALENDAR_ENDS) {
          const query = { ...requiredQuery(op), ...variant, from, to };
          const r = await send(op, urlOf(op, {}, query), { token: admin });
          if (r.statusCode >= 400)
            problems.push(
              ...errorProblems(r, [400, 404, 422]).map(
                (e) => `${label(op)} ${new URLSearchParams(query)}: ${e}`,
              ),
            );
        }
    }
    expect(problems).toEqual([]);
  });

  it("answers 404 for unknown path ids and 400 for malformed ones", async () => {
    const problems: string[] = [];
    for (const op of checked()) {
      const query = requiredQuery(op);
      const body = validBody(op);
      for (const p of op.parameters.filter((x) => x.in === "path")) {
        const unknown =
          p.schema.format === "uuid" ? randomUUID() : `no-such-${p.name}-${randomUUID().slice(0, 8)}`;
        const r = await send(op, urlOf(op, { [p.name]: unknown }, query), { token: admin, body });
        problems.push(...errorProblems(r, [404]).map((e) => `${label(op)} unknown ${p.name}: ${e}`));
        for (const c of [...invalidTexts(p.schema), ...oddTexts(p.schema)]) {
          if (c.text === "") continue; // an empty segment is another route
          const rr = await send(op, urlOf(op, { [p.name]: c.text }, query), { token: admin, body });
          // The router refuses segments over 100 characters (414) before the schema sees them.
          const statuses =
            c.text.length > 100 ? [400, 404, 414] : acceptsText(p.schema, c.text) ? [400, 404] : [400];
          problems.push(...errorProblems(rr, statuses).map((e) => `${label(op)} ${p.name} ${c.what}: ${e}`));
        }
        const broken = urlOf(op, { [p.name]: "BROKEN" }, query).replace("BROKEN", "%E0%A4%A");
        const rb = await send(op, broken, { token: admin, body });
        problems.push(
          ...errorProblems(rb, [400]).map((e) => `${label(op)} ${p.name} a malformed %-escape: ${e}`),
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("changed no table", async () => {
    const after = await tableDigests();
    const changed = Object.keys(before).filter((t) => before[t] !== after[t] && !WRITTEN_BY_DESIGN[t]);
    expect(changed).toEqual([]);
  });
});

describe("valid input", () => {
  // After the "changed no table" check: these requests are valid, so an operation may act on them.
  it("never answers 500 to public writes without credentials", async () => {
    const problems: string[] = [];
    for (const op of checked().filter((o) => !o.security && o.method !== "GET")) {
      const r = await send(op, urlOf(op, {}, requiredQuery(op)), { body: validBody(op) });
      if (r.statusCode >= 300)
        problems.push(
          ...errorProblems(r, [400, 401, 403, 404, 409, 410, 422]).map((e) => `${label(op)}: ${e}`),
        );
    }
    expect(problems).toEqual([]);
  });

  it("never answers 500 for date-times a zone carries out of years 1-9999", async () => {
    const problems: string[] = [];
    const isDateTime = (p: Schema) =>
      p.format === "date-time" || (p.anyOf ?? []).some((b) => b.format === "date-time");
    for (const op of checked().filter((o) => o.body?.properties)) {
      const url = urlOf(op, {}, requiredQuery(op));
      const base = validValue(op.body as Schema) as Record<string, unknown>;
      const dateTimes = Object.entries(op.body?.properties ?? {}).filter(([, p]) => isDateTime(p));
      for (const [field] of dateTimes)
        for (const value of ["0001-01-01T00:30:00+01:00", "9999-12-31T23:00:00-05:00"]) {
          const r = await send(op, url, { token: admin, body: { ...base, [field]: value } });
          if (r.statusCode >= 300)
            problems.push(
              ...errorProblems(r, [400, 404, 409, 422]).map((e) => `${label(op)} ${field}=${value}: ${e}`),
            );
        }
    }
    expect(problems).toEqual([]);
  });
});

describe("auth endpoints under repeated bad attempts", () => {
  // Last: these fill rate-limit windows and lock accounts on purpose.
  const isPublicAuth = (op: Operation) => !op.security && (op.tags ?? []).includes("auth");

  it("answer 429 to one client repeating them (public sign-in, sign-up and recovery routes)", async () => {
    const problems: string[] = [];
    for (const op of checked().filter((o) => isPublicAuth(o) && !UNLIMITED_AUTH[label(o)])) {
      const ip = freshIp();
      const statuses: number[] = [];
      // The largest per-IP window is 30 attempts (sign-in, SIWE nonces).
      for (let i = 0; i < 31 && !statuses.includes(429); i++) {
        const r = await call(merit, op.method as "GET" | "POST", urlOf(op), { ip, body: validBody(op) });
        statuses.push(r.statusCode);
        if (r.statusCode === 429) problems.push(...errorProblems(r, [429]).map((e) => `${label(op)}: ${e}`));
      }
      if (!statuses.includes(429))
        problems.push(`${label(op)}: no 429 after ${statuses.length} tries (${[...new Set(statuses)]})`);
    }
    expect(problems).toEqual([]);
  });

  it("lock the account after wrong current passwords (routes that ask for it again)", async () => {
    const problems: string[] = [];
    const reauth = checked().filter(
      (o) =>
        o.security &&
        (o.body?.required ?? []).some((f) => /password$/i.test(f)) &&
        !(o.body?.required ?? []).includes("code"),
    );
    expect(reauth.length).toBeGreaterThan(0);
    for (const [n, op] of reauth.entries()) {
      const { accessToken } = await signedInUser(merit, `contract-reauth-${n}`);
      const body = {
        ...(validBody(op) as object),
        password: "Wrong-password-1",
        currentPassword: "Wrong-password-1",
      };
      const known = Object.keys(op.body?.properties ?? {});
      const sent = Object.fromEntries(Object.entries(body).filter(([k]) => known.includes(k)));
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await send(op, urlOf(op), { token: accessToken, body: sent })).statusCode);
      if (statuses.at(-1) !== 429)
        problems.push(`${label(op)}: ${statuses} (no 429 after 5 wrong passwords)`);
    }
    expect(problems).toEqual([]);
  });
});
