// Revoke reasons are moderators' notes: every reader sees that a contribution was revoked, only staff
// and the participant it was taken from see why, and who awarded it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { parseCsv } from "./robustness.test-support.ts";

const REASON = "sock puppet of banned user";

let merit: TestMerit;
const tokens: Record<string, string> = {};
let revokedId: string;
let stewardId: string;
beforeAll(async () => {
  merit = await createTestMerit();
  tokens.admin = (await signedInUser(merit, "boss", ["admin", "member"])).accessToken;
  tokens.steward = (await signedInUser(merit, "stew", ["steward", "member"])).accessToken;
  tokens.owner = (await signedInUser(merit, "olga")).accessToken;
  tokens.other = (await signedInUser(merit, "otto")).accessToken;
  const as = (token: string) => ({ token });
  await call(merit, "POST", "/api/categories", { ...as(tokens.admin), body: { name: "B", slug: "builder" } });
  const type = await call(merit, "POST", "/api/contributions/types", {
    ...as(tokens.admin),
    body: { name: "Code", slug: "code", category: "builder", minPoints: 1, maxPoints: 100 },
  });
  const award = await call(merit, "POST", "/api/contributions", {
    ...as(tokens.steward),
    body: { username: "olga", contributionTypeId: type.json().id, points: 5 },
  });
  revokedId = award.json().id;
  stewardId = award.json().awardedBy;
  expect(stewardId).toMatch(/^[0-9a-f-]{36}$/);
  const del = await call(merit, "DELETE", `/api/contributions/${revokedId}`, {
    ...as(tokens.steward),
    body: { reason: REASON },
  });
  expect(del.statusCode).toBe(200);
});
afterAll(() => merit?.destroy());

type Viewer = "anonymous" | "other" | "owner" | "steward" | "admin";
const tokenOf = (v: Viewer) => (v === "anonymous" ? undefined : tokens[v]);
const hidden: Viewer[] = ["anonymous", "other"];
const allowed: Viewer[] = ["owner", "steward", "admin"];

describe("revoked contributions", () => {
  it.each([...hidden.map((v) => [v, null] as const), ...allowed.map((v) => [v, REASON] as const)])(
    "the list shows %s that it was revoked, with reason %s",
    async (viewer, reason) => {
      const r = await call(merit, "GET", "/api/contributions?user=olga&includeRevoked=true", {
        token: tokenOf(viewer),
      });
      expect(r.statusCode).toBe(200);
      const item = r.json().items.find((c: { id: string }) => c.id === revokedId);
      expect(item.revokedAt).not.toBeNull();
      expect(item.revokeReason).toBe(reason);
      expect(item.awardedBy).toBe(reason === null ? null : stewardId);
    },
  );

  it.each([...hidden.map((v) => [v, null] as const), ...allowed.map((v) => [v, REASON] as const)])(
    "one contribution shows %s the reason %s",
    async (viewer, reason) => {
      const r = await call(merit, "GET", `/api/contributions/${revokedId}`, { token: tokenOf(viewer) });
      expect(r.statusCode).toBe(200);
      expect(r.json().revokedAt).not.toBeNull();
      expect(r.json().revokeReason).toBe(reason);
    },
  );

  it.each([...hidden.map((v) => [v, ""] as const), ...allowed.map((v) => [v, REASON] as const)])(
    "the CSV export gives %s the reason '%s'",
    async (viewer, reason) => {
      const r = await call(merit, "GET", "/api/contributions/export.csv?user=olga&includeRevoked=true", {
        token: tokenOf(viewer),
      });
      expect(r.statusCode).toBe(200);
      const [header, ...records] = parseCsv(r.body);
      const row = records.find((x) => x[0] === revokedId);
      expect(row?.[header.indexOf("revoked_at")]).not.toBe("");
      expect(row?.[header.indexOf("revoke_reason")]).toBe(reason);
    },
  );
});
