// Helpers of the adversarial input tests (spec-bad-input*.test.ts): a fingerprint of every points
// table plus what `points verify` finds, and a table of requests that must all be refused and
// change nothing.
import { expect } from "vitest";
import type { ManualClock } from "../../core/clock.ts";
import { call } from "../accounts/accounts.test-support.ts";
import {
  createSpecWorld,
  expectError,
  expectNamesField,
  type Method,
  type SpecWorld,
  specApi,
} from "./spec.test-support.ts";

/**
 * The world of the bad-input files: the spec world, a contribution of ann's (code, 10 points) to
 * change or name, and an open campaign "spring".
 */
export async function badInputWorld(clock: ManualClock): Promise<{ w: SpecWorld; contribution: string }> {
  const w = await createSpecWorld(clock);
  const { req, award } = specApi(() => w);
  const contribution = (await award("ann", "code", 10, "2026-03-10T00:00:00Z")).id;
  const camp = await req("POST", "/api/campaigns", {
    token: w.admin,
    body: { slug: "spring", name: "Spring", startsAt: "2026-03-01T00:00:00Z" },
  });
  expect(camp.statusCode, camp.body).toBe(201);
  return { w, contribution };
}

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

/** Row count and digest of every points table, plus the differences `points verify` finds. */
export async function pointsState(w: SpecWorld): Promise<Record<string, string | number>> {
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

/** A request expected to be refused: status, the field its error names ("" for none) and code. */
export type Case = [
  label: string,
  method: Method,
  url: string,
  body: unknown,
  status: number,
  field: string,
  code?: string,
];

/**
 * Sends each case as the admin and checks the house error body, status, code and the field named;
 * afterwards every points table is as before and `points verify` finds no difference.
 */
export async function expectRefused(w: SpecWorld, cases: Case[]): Promise<void> {
  const before = await pointsState(w);
  expect(before.verifyDifferences).toBe(0);
  for (const [label, method, url, body, status, field, code] of cases) {
    const r = await call(w.merit, method, url, { token: w.admin, body });
    const e = expectError(r, status, code, label);
    if (field) expectNamesField(e, field);
  }
  expect(await pointsState(w)).toEqual(before);
}
