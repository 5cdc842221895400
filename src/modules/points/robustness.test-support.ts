// Shared helpers of the robustness tests (robustness-*.test.ts): board pages read whole, the live
// sums every board must equal, the ledger check, CSV parsing, named users, and the world of the
// concurrency tests.
import { randomBytes } from "node:crypto";
import type { SQL } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import type { ManualClock } from "../../core/clock.ts";
import { rows, sql } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import type { Merit } from "../../server.ts";
import { signedInUser } from "../accounts/accounts.test-support.ts";
import type { BoardItem } from "./leaderboard.service.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";

export type Item = BoardItem;
export interface Page {
  items: Item[];
  total: number;
}
export interface Contribution {
  id: string;
  username: string;
  points: number;
  globalPoints: string;
  contributionDate: string;
  revokedAt: string | null;
}
/** Either a test app (destroy) or a plain Merit on a database of its own (restart test). */
export type AnyMerit = Pick<Merit, "app" | "core" | "composition">;

export const norm = (v: string | number) => new Decimal(v).toFixed();

/** Standard competition ranks of points listed best first. */
export function competitionRanks(points: string[]): number[] {
  return points.map((p, i) => {
    const first = points.findIndex((q) => new Decimal(q).eq(p));
    return first === -1 ? i + 1 : first + 1;
  });
}

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      out.push(row);
      row = [];
      field = "";
    } else if (ch !== "\r") field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    out.push(row);
  }
  return out;
}

export function expectStatus(r: LightMyRequestResponse, status: number) {
  expect(r.statusCode, r.body).toBe(status);
}

export async function getJson<T>(m: AnyMerit, url: string, token?: string): Promise<T> {
  const r = await m.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  expectStatus(r, 200);
  return r.json() as T;
}

/** Every row of a board, through pages of 100. */
export async function fullBoard(m: AnyMerit, query: string): Promise<Page> {
  const items: Item[] = [];
  let total = 0;
  for (let offset = 0; ; offset += 100) {
    const p = await getJson<Page>(m, `/api/leaderboard?${query}&limit=100&offset=${offset}`);
    total = p.total;
    items.push(...p.items);
    if (p.items.length < 100) break;
  }
  return { items, total };
}

/** Live points and contribution counts of visible participants, straight from the contributions table. */
export async function liveSums(m: AnyMerit, where: SQL = sql`TRUE`) {
  const r = await rows<{ username: string; points: string; n: number }>(
    m.core.db.orm,
    sql`SELECT u.username, sum(c.global_points)::text AS points, count(*)::int AS n
        FROM contributions c JOIN users u ON u.id = c.user_id
        WHERE c.revoked_at IS NULL AND NOT (u.hidden OR u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL)
          AND ${where}
        GROUP BY u.username`,
  );
  return new Map(r.map((x) => [x.username, [norm(x.points), x.n] as const]));
}

/**
 * The board equals the live contributions matching `where`: same participants, points and counts,
 * best first with competition ranks, and a total that counts them.
 */
export async function expectBoardIsLive(m: AnyMerit, query: string, where: SQL = sql`TRUE`): Promise<Page> {
  const board = await fullBoard(m, query);
  const expected = await liveSums(m, where);
  const actual = new Map(board.items.map((i) => [i.username, [i.points, i.contributions] as const]));
  expect(Object.fromEntries(actual), query).toEqual(Object.fromEntries(expected));
  expect(board.total, query).toBe(expected.size);
  const points = board.items.map((i) => i.points);
  const sorted = [...points].sort((a, b) => new Decimal(b).comparedTo(a));
  expect(points, query).toEqual(sorted);
  expect(
    board.items.map((i) => i.rank),
    query,
  ).toEqual(competitionRanks(points));
  return board;
}

export async function expectLedgerClean(m: AnyMerit) {
  const report = await m.composition.points.ledger.verify();
  expect(report.sample).toEqual([]);
  expect(report.differences).toBe(0);
}

/** A participant with a chosen display name (straight into the users table, like makeUsers). */
export async function makeNamedUser(m: AnyMerit, username: string, displayName: string): Promise<string> {
  const r = await rows<{ id: string }>(
    m.core.db.orm,
    sql`INSERT INTO users (email, username, display_name, referral_code, roles)
        VALUES (${`${username.replace(/[^a-z0-9]/gi, "x")}-${randomBytes(3).toString("hex")}@test.local`}, ${username}, ${displayName},
          ${`ref-${randomBytes(6).toString("hex")}`}, ARRAY['member']::text[]) RETURNING id`,
  );
  return r[0].id;
}

/** The twelve participants of the concurrency tests (cu00..cu11). */
export const RACE_USERS = Array.from({ length: 12 }, (_, i) => `cu${String(i).padStart(2, "0")}`);
/** Contribution dates of the week of March 16 and of March 2026, for liveSums. */
export const WEEK = sql`c.contribution_date >= '2026-03-16T00:00:00Z' AND c.contribution_date < '2026-03-23T00:00:00Z'`;
export const MONTH = sql`c.contribution_date >= '2026-03-01T00:00:00Z' AND c.contribution_date < '2026-04-01T00:00:00Z'`;

export interface RaceWorld {
  merit: TestMerit;
  /** Access tokens of an admin and a steward. */
  admin: string;
  steward: string;
  /** User ids of root (the actor of the setup), RACE_USERS and hx. */
  ids: Record<string, string>;
  /** Type ids: `work` (x2 from January) and `capped` (total 100, 30 a participant a week). */
  work: string;
  capped: string;
}

/** The world of the concurrency tests: builder types work and capped, and a March campaign on work. */
export async function createRaceWorld(clock: ManualClock): Promise<RaceWorld> {
  const merit = await createTestMerit({ clock });
  const admin = (await signedInUser(merit, "conboss", ["admin", "member"])).accessToken;
  const steward = (await signedInUser(merit, "constew", ["steward", "member"])).accessToken;
  const ids = await makeUsers(merit, ["root", ...RACE_USERS, "hx"]);
  const root = adminActor(ids.root);
  const work = (await makeType(merit, root, { slug: "work", category: "builder", max: 1000 })).id;
  const capped = (
    await makeType(merit, root, {
      slug: "capped",
      category: "builder",
      max: 50,
      caps: { total: 100, perParticipantPerWeek: 30 },
    })
  ).id;
  await merit.composition.points.catalog.createMultiplier(root, {
    contributionTypeId: work,
    value: "2",
    validFrom: "2026-01-01T00:00:00Z",
  });
  await merit.composition.points.campaigns.create(root, {
    slug: "spring",
    name: "Spring",
    startsAt: "2026-03-01T00:00:00Z",
    endsAt: "2026-04-01T00:00:00Z",
    contributionTypes: [work],
    pool: { amount: "1000", token: "VTX", decimals: 2 },
  });
  return { merit, admin, steward, ids, work, capped };
}

/** Every board of the race world equals the live contributions; the ledger explains every total. */
export async function expectRaceWorldConsistent(w: RaceWorld) {
  const { merit, work } = w;
  await expectLedgerClean(merit);
  await expectBoardIsLive(merit, "board=global");
  await expectBoardIsLive(merit, "board=global&period=week", WEEK);
  await expectBoardIsLive(merit, "board=global&period=month", MONTH);
  await expectBoardIsLive(merit, "board=category:builder");
  await expectBoardIsLive(merit, "board=campaign:spring", sql`c.contribution_type_id = ${work} AND ${MONTH}`);
  const shares = (await fullBoard(merit, "board=campaign:spring")).items.map((i) => i.share ?? "x");
  if (shares.length > 0) {
    expect(shares.reduce((s, x) => s.plus(x), new Decimal(0)).toFixed()).toBe("1000");
  }
}
