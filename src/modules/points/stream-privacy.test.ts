// The public live stream leaves out hidden, banned and deleted participants, as the boards do: their
// awards, corrections and revocations must not show their names (or that they earned anything).
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";

let merit: TestMerit;
let admin: string;
let typeId: string;
const ids: Record<string, string> = {};
beforeAll(async () => {
  merit = await createTestMerit();
  admin = (await signedInUser(merit, "boss", ["admin", "member"])).accessToken;
  for (const name of ["shown", "veiled", "barred"]) ids[name] = (await signedInUser(merit, name)).user.id;
  await call(merit, "POST", "/api/categories", { token: admin, body: { name: "Builder", slug: "builder" } });
  const t = await call(merit, "POST", "/api/contributions/types", {
    token: admin,
    body: { name: "Code", slug: "code", category: "builder", minPoints: 1, maxPoints: 100 },
  });
  typeId = t.json().id;
});
afterAll(() => merit?.destroy());

const award = async (username: string) => {
  const r = await call(merit, "POST", "/api/contributions", {
    token: admin,
    body: { username, contributionTypeId: typeId, points: 5 },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
};

it("streams the changes of listed participants only", async () => {
  // Contributions made while visible, changed after the participant is hidden or banned.
  const veiledEarlier = await award("veiled");
  const barredEarlier = await award("barred");
  expect(
    (await call(merit, "PATCH", `/api/admin/users/${ids.veiled}`, { token: admin, body: { hidden: true } }))
      .statusCode,
  ).toBe(200);
  const ban = await call(merit, "PATCH", `/api/admin/users/${ids.barred}`, {
    token: admin,
    body: { banned: true, banReason: "spam" },
  });
  expect(ban.statusCode, ban.body).toBe(200);

  const address = await merit.app.listen({ port: 0, host: "127.0.0.1" });
  const controller = new AbortController();
  const res = await fetch(`${address}/api/leaderboard/stream`, { signal: controller.signal });
  const reader = res.body!.getReader();
  let text = "";
  while (!text.includes(": connected")) text += new TextDecoder().decode((await reader.read()).value);

  await award("veiled");
  await call(merit, "POST", `/api/contributions/${veiledEarlier}/corrections`, {
    token: admin,
    body: { points: 7, reason: "recount" },
  });
  await call(merit, "DELETE", `/api/contributions/${barredEarlier}`, {
    token: admin,
    body: { reason: "spam" },
  });
  await award("barred");
  // Events arrive in order: once the listed participant's award is here, the others would be too.
  await award("shown");
  while (!text.includes('"username":"shown"')) text += new TextDecoder().decode((await reader.read()).value);
  controller.abort();

  const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => JSON.parse(m[2]));
  expect(events.map((e) => [e.type, e.username])).toEqual([["award", "shown"]]);
  expect(text).not.toContain("veiled");
  expect(text).not.toContain("barred");
  // The changes themselves happened (the admin ledger shows them).
  const ledger = await call(merit, "GET", "/api/admin/ledger?limit=100", { token: admin });
  expect(
    ledger.json().items.map((e: { kind: string; username: string }) => `${e.kind}:${e.username}`),
  ).toEqual([
    "award:shown",
    "award:barred",
    "revocation:barred",
    "correction:veiled",
    "award:veiled",
    "award:barred",
    "award:veiled",
  ]);
});
