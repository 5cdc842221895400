// What deleting an account makes points forget. Snapshots are frozen for ever, but the names in them
// are copies of personal data: they become the account's anonymous name (ranks and points stay).
// Evidence links and notes of its contributions are about the person too: they are emptied, while
// points, the ledger and verify are unchanged.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, STRONG_PASSWORD, signedInUser } from "../accounts/accounts.test-support.ts";

let merit: TestMerit;
let admin: string;
beforeAll(async () => {
  merit = await createTestMerit();
  admin = (await signedInUser(merit, "boss", ["admin", "member"])).accessToken;
});
afterAll(() => merit?.destroy());

it("replaces a deleted account's name and display name in every snapshot, keeping ranks and points", async () => {
  await call(merit, "POST", "/api/categories", { token: admin, body: { name: "Builder", slug: "builder" } });
  const type = await call(merit, "POST", "/api/contributions/types", {
    token: admin,
    body: { name: "Code", slug: "code", category: "builder", minPoints: 1, maxPoints: 100 },
  });
  const leaver = await signedInUser(merit, "leaver");
  const named = await call(merit, "PATCH", "/api/users/me", {
    token: leaver.accessToken,
    body: { displayName: "Lea Ver" },
  });
  expect(named.statusCode, named.body).toBe(200);
  await signedInUser(merit, "stayer");
  for (const [username, points] of [
    ["leaver", 9],
    ["stayer", 4],
  ] as const) {
    const r = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: { username, contributionTypeId: type.json().id, points },
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  const snapshot = async () => {
    const r = await call(merit, "POST", "/api/leaderboard/snapshots", {
      token: admin,
      body: { board: "global" },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const ids = [await snapshot(), await snapshot()];
  const entries = async (id: string) =>
    (await call(merit, "GET", `/api/leaderboard/snapshots/${id}`)).json().items as Array<
      Record<string, unknown>
    >;
  expect((await entries(ids[0]))[0]).toMatchObject({ rank: 1, username: "leaver", displayName: "Lea Ver" });

  const gone = await call(merit, "DELETE", "/api/users/me", {
    token: leaver.accessToken,
    body: { password: STRONG_PASSWORD },
  });
  expect(gone.statusCode, gone.body).toBe(204);
  for (const id of ids) {
    const items = await entries(id);
    expect(items.map((e) => [e.rank, e.points])).toEqual([
      [1, "9"],
      [2, "4"],
    ]);
    expect(items[0].username).toMatch(/^deleted-[0-9a-f]{12}$/);
    expect(items[0].displayName).toBeNull();
    expect(items[1]).toMatchObject({ username: "stayer" });
  }
  const stored = await merit.core.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM leaderboard_snapshot_entries WHERE username = 'leaver' OR display_name = 'Lea Ver'",
  );
  expect(stored[0].n).toBe(0);
});

it("empties the evidence and notes of a deleted account's contributions, keeping points and the ledger clean", async () => {
  const type = (await call(merit, "GET", "/api/contributions/types")).json().items[0].id as string;
  const leaver = await signedInUser(merit, "leaver2");
  const evidence = [{ url: "https://github.com/leaver2/merit/pull/7", description: "Their pull request" }];
  const mine = await call(merit, "POST", "/api/contributions", {
    token: admin,
    body: {
      username: "leaver2",
      contributionTypeId: type,
      points: 12,
      evidence,
      notes: "Met Lea at the meetup",
    },
  });
  expect(mine.statusCode, mine.body).toBe(201);
  await signedInUser(merit, "stayer2");
  const theirs = await call(merit, "POST", "/api/contributions", {
    token: admin,
    body: { username: "stayer2", contributionTypeId: type, points: 3, evidence, notes: "Kept" },
  });
  const gone = await call(merit, "DELETE", "/api/users/me", {
    token: leaver.accessToken,
    body: { password: STRONG_PASSWORD },
  });
  expect(gone.statusCode, gone.body).toBe(204);
  const read = async (id: string) =>
    (await call(merit, "GET", `/api/contributions/${id}`, { token: admin })).json();
  expect(await read(mine.json().id)).toMatchObject({ points: 12, evidence: [], notes: null });
  expect(await read(theirs.json().id)).toMatchObject({ evidence, notes: "Kept" });
  const stored = await merit.core.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM contributions WHERE evidence::text LIKE '%leaver2/merit%' AND notes IS DISTINCT FROM 'Kept'",
  );
  expect(stored[0].n).toBe(0);
  expect((await merit.composition.points.ledger.verify()).differences).toBe(0);
});
