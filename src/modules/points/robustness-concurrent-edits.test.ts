// Robustness under concurrency, edits: racing revocations, corrections racing revocations and each
// other, awards racing edits of a campaign's window and types, then the CSV export of all that.
// Shared world in robustness.test-support.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { sql } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { call } from "../accounts/accounts.test-support.ts";
import { adminActor } from "./points.test-support.ts";
import {
  type Contribution,
  createRaceWorld,
  expectBoardIsLive,
  expectLedgerClean,
  expectRaceWorldConsistent,
  expectStatus,
  getJson,
  norm,
  parseCsv,
  type RaceWorld,
  RACE_USERS as USERS,
} from "./robustness.test-support.ts";

describe("concurrent revocations, corrections and edits", () => {
  const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday: week of March 16
  let w: RaceWorld;
  let merit: TestMerit;
  let admin: string;
  let steward: string;
  let ids: Record<string, string>;
  let work: string;
  let capped: string;

  beforeAll(async () => {
    w = await createRaceWorld(clock);
    ({ merit, admin, steward, ids, work, capped } = w);
  }, 60_000);
  afterAll(() => merit?.destroy());

  const post = (body: Record<string, unknown>, token = admin) =>
    call(merit, "POST", "/api/contributions", { token, body });
  const expectConsistent = () => expectRaceWorldConsistent(w);

  it("lets exactly one of six concurrent revocations of a contribution succeed; the others get 409", async () => {
    const c = (
      await post({
        username: USERS[0],
        contributionTypeId: work,
        points: 40,
        contributionDate: "2026-03-17T10:00:00Z",
      })
    ).json() as Contribution;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(merit, "DELETE", `/api/contributions/${c.id}`, {
          token: i % 2 ? steward : admin,
          body: { reason: `duplicate ${i}` },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) {
      expectStatus(r, 409);
      expect(r.json().error.code).toBe("ALREADY_REVOKED");
    }
    const ledger = await getJson<{ items: Array<{ kind: string; globalDelta: string }> }>(
      merit,
      `/api/admin/ledger?contribution=${c.id}`,
      admin,
    );
    expect(ledger.items.map((e) => [e.kind, e.globalDelta])).toEqual([
      ["revocation", "-80"],
      ["award", "80"],
    ]);
    await expectConsistent();
  });

  it("settles a correction racing a revocation either way, never both half-applied", async () => {
    const made: Contribution[] = [];
    for (const [i, u] of USERS.slice(0, 10).entries()) {
      const r = await post({
        username: u,
        contributionTypeId: work,
        points: 20 + i,
        contributionDate: "2026-03-16T08:00:00Z",
      });
      expectStatus(r, 201);
      made.push(r.json());
    }
    const results = await Promise.all(
      made.flatMap((c, i) => {
        const correct = call(merit, "POST", `/api/contributions/${c.id}/corrections`, {
          token: admin,
          body: { points: 77, reason: "recount" },
        });
        const revoke = call(merit, "DELETE", `/api/contributions/${c.id}`, {
          token: steward,
          body: { reason: "spam" },
        });
        return i % 2 ? [correct, revoke] : [revoke, correct];
      }),
    );
    for (const [i, c] of made.entries()) {
      const pair = results.slice(2 * i, 2 * i + 2);
      const [correct, revoke] = i % 2 ? pair : [pair[1], pair[0]];
      expectStatus(revoke, 200);
      const ledger = await getJson<{ items: Array<{ kind: string; globalDelta: string }> }>(
        merit,
        `/api/admin/ledger?contribution=${c.id}`,
        admin,
      );
      const award = norm(new Decimal(c.points).times("2").toFixed());
      if (correct.statusCode === 200) {
        expect(ledger.items.map((e) => [e.kind, e.globalDelta])).toEqual([
          ["revocation", "-154"],
          ["correction", norm(new Decimal("154").minus(award).toFixed())],
          ["award", award],
        ]);
      } else {
        expectStatus(correct, 409);
        expect(correct.json().error.code).toBe("ALREADY_REVOKED");
        expect(ledger.items.map((e) => [e.kind, e.globalDelta])).toEqual([
          ["revocation", `-${award}`],
          ["award", award],
        ]);
      }
      const now = await getJson<Contribution>(merit, `/api/contributions/${c.id}`);
      expect(now.revokedAt).not.toBeNull();
    }
    await expectConsistent();
  });

  it("chains concurrent corrections of one contribution in the ledger; the last one written is the points", async () => {
    const c = (
      await post({
        username: USERS[2],
        contributionTypeId: work,
        points: 10,
        contributionDate: "2026-03-17T11:00:00Z",
      })
    ).json() as Contribution;
    const targets = Array.from({ length: 10 }, (_, i) => 11 + i);
    const results = await Promise.all(
      targets.map((points) =>
        call(merit, "POST", `/api/contributions/${c.id}/corrections`, {
          token: admin,
          body: { points, reason: `to ${points}` },
        }),
      ),
    );
    for (const r of results) expectStatus(r, 200);
    const ledger = await getJson<{
      items: Array<{ kind: string; pointsDelta: number; reason: string | null }>;
    }>(merit, `/api/admin/ledger?contribution=${c.id}&limit=100`, admin);
    // Oldest first: each correction moves the points from where the previous one left them.
    const entries = [...ledger.items].reverse();
    expect(entries.map((e) => e.kind)).toEqual(["award", ...targets.map(() => "correction")]);
    let points = 0;
    for (const e of entries) {
      points += e.pointsDelta;
      if (e.kind === "correction") expect(`to ${points}`).toBe(e.reason);
    }
    const now = await getJson<Contribution>(merit, `/api/contributions/${c.id}`);
    expect(now.points).toBe(points);
    expect(now.globalPoints).toBe(String(points * 2));
    expect(targets).toContain(points);
    await expectConsistent();
  });

  it("keeps a campaign board exact when awards race edits of its window and types", async () => {
    const root = adminActor(ids.root);
    const campaigns = merit.composition.points.campaigns;
    await campaigns.create(root, {
      slug: "race",
      name: "Race",
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-03-10T00:00:00Z",
      contributionTypes: [work],
    });
    const now = clock.now().getTime();
    const burst = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) =>
        post({
          username: USERS[(i + seed) % USERS.length],
          contributionTypeId: i % 4 === 0 ? capped : work,
          points: i % 4 === 0 ? 1 : 1 + ((i * 11 + seed) % 40),
          contributionDate: new Date(now - ((i * 53 + seed) % 500) * 3_600_000).toISOString(),
        }),
      );
    const edit = (patch: Record<string, unknown>) =>
      call(merit, "PATCH", "/api/campaigns/race", { token: admin, body: patch });
    for (const [seed, patch] of [
      [1, { startsAt: "2026-03-05T00:00:00Z", endsAt: "2026-03-15T00:00:00Z" }],
      [2, { contributionTypes: [] }],
      [3, { startsAt: "2026-02-26T00:00:00Z", endsAt: "2026-03-12T12:00:00Z", contributionTypes: [work] }],
    ] as const) {
      const first = burst(15, seed);
      const patched = edit(patch);
      const second = burst(15, seed + 100);
      const all = await Promise.all([...first, patched, ...second]);
      for (const r of all) expect([200, 201, 422]).toContain(r.statusCode);
      expectStatus(await patched, 200);
      const c = await getJson<{ startsAt: string; endsAt: string; contributionTypes: string[] }>(
        merit,
        "/api/campaigns/race",
      );
      const types =
        c.contributionTypes.length === 0
          ? sql`TRUE`
          : sql`c.contribution_type_id = ANY(${`{${c.contributionTypes.join(",")}}`}::uuid[])`;
      await expectBoardIsLive(
        merit,
        "board=campaign:race",
        sql`${types} AND c.contribution_date >= ${c.startsAt}::timestamptz AND c.contribution_date < ${c.endsAt}::timestamptz`,
      );
      await expectLedgerClean(merit);
    }
    await expectConsistent();
  });

  // The cap rule locks the capped type's row; a campaign edit listing that type holds the totals and
  // inserts campaign_types rows, whose foreign key check takes a KEY SHARE lock on the same type row.
  // With FOR UPDATE on the type, an award holding it and waiting on the totals deadlocked with the
  // edit. Needs other sessions to order the steps: PostgreSQL only.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "lets a capped award and an edit that starts counting its type wait on each other without a deadlock",
    async () => {
      const root = adminActor(ids.root);
      const points = merit.composition.points;
      await points.campaigns.create(root, {
        slug: "cap-race",
        name: "Cap race",
        startsAt: "2026-03-01T00:00:00Z",
        contributionTypes: [work],
      });
      const db = merit.core.db;
      const waitingOn = async (like: string) => {
        const r = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
          [like],
        );
        return r[0].n > 0;
      };
      const until = async (done: () => Promise<boolean>) => {
        for (let i = 0; i < 400 && !(await done()); i++) await new Promise((r) => setTimeout(r, 25));
      };
      // Another session holds up the award's write after its cap check has locked the type.
      let release = () => {};
      const released = new Promise<void>((r) => {
        release = r;
      });
      let held = () => {};
      const holding = new Promise<void>((r) => {
        held = r;
      });
      const blocker = db.withSession(async (s) => {
        await s.exec("BEGIN");
        await s.exec("LOCK TABLE contributions IN SHARE MODE");
        held();
        await released;
        await s.exec("COMMIT");
      });
      await holding;
      const award = points.contributions.award(root, {
        userId: ids[USERS[0]],
        contributionTypeId: capped,
        points: 1,
        contributionDate: "2026-03-17T10:00:00Z",
      });
      await until(() => waitingOn("%INSERT INTO contributions%"));
      // The edit takes the totals, then inserts its campaign_types row for the capped type.
      let settled = false;
      const edit = points.campaigns
        .update(root, "cap-race", { contributionTypes: [work, capped] })
        .finally(() => {
          settled = true;
        });
      await until(async () => settled || (await waitingOn("INSERT INTO campaign_types%")));
      release();
      const results = await Promise.allSettled([award, edit]);
      await blocker;
      const why = (r: PromiseSettledResult<unknown>) =>
        r.status === "fulfilled" ? "ok" : String((r.reason as Error).cause ?? r.reason);
      expect(results.map(why)).toEqual(["ok", "ok"]);
      await expectLedgerClean(merit);
    },
    60_000,
  );

  it("exports contributions as CSV honouring every filter, and only visible participants to the public", async () => {
    const csvIds = async (query: string, token?: string) => {
      const r = await merit.app.inject({
        url: `/api/contributions/export.csv?${query}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expectStatus(r, 200);
      const [header, ...records] = parseCsv(r.body);
      expect(header[0]).toBe("id");
      return records.map((x) => x[0]).sort();
    };
    const listIds = async (query: string, token?: string) => {
      const out: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const p = await getJson<{ items: Contribution[] }>(
          merit,
          `/api/contributions?${query}&limit=100&offset=${offset}`,
          token,
        );
        out.push(...p.items.map((c) => c.id));
        if (p.items.length < 100) break;
      }
      return out.sort();
    };
    const queries = [
      "",
      "includeRevoked=true",
      `user=${USERS[3]}`,
      `user=${ids[USERS[3]]}&includeRevoked=true`,
      "type=capped",
      `type=${work}&from=2026-03-10&to=2026-03-16`,
      "category=builder&from=2026-03-16T00:00:00Z&to=2026-03-17T12:00:00Z",
      "campaign=spring",
      "campaign=race&includeRevoked=true",
      "from=2026-03-18&to=2026-03-18",
    ];
    await call(merit, "PATCH", `/api/admin/users/${ids[USERS[1]]}`, { token: admin, body: { hidden: true } });
    try {
      for (const q of queries) {
        const staff = await csvIds(q, admin);
        expect(staff, q).toEqual(await listIds(q, admin));
        expect(staff.length, q).toBeGreaterThan(0);
        const publicIds = await csvIds(q);
        expect(publicIds, q).toEqual(await listIds(q));
        // The public never sees the hidden participant's contributions.
        const hiddenOnes = new Set(await listIds(`user=${USERS[1]}&includeRevoked=true`, admin));
        expect(
          publicIds.filter((id) => hiddenOnes.has(id)),
          q,
        ).toEqual([]);
      }
      // Checked by hand too: the date filter keeps [from, to + 1 day) for plain dates.
      const rowsOf = parseCsv(
        (await merit.app.inject({ url: "/api/contributions/export.csv?from=2026-03-10&to=2026-03-16" })).body,
      ).slice(1);
      for (const r of rowsOf) {
        expect(r[1] >= "2026-03-10T00:00:00.000Z" && r[1] < "2026-03-17T00:00:00.000Z", r[1]).toBe(true);
        expect(r[11]).toBe(""); // revoked_at: revoked ones only on request
      }
    } finally {
      await call(merit, "PATCH", `/api/admin/users/${ids[USERS[1]]}`, {
        token: admin,
        body: { hidden: false },
      });
    }
  });
});
