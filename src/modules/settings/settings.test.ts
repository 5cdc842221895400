import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";

let merit: TestMerit;
let adminToken: string;
let memberToken: string;
beforeAll(async () => {
  merit = await createTestMerit();
  adminToken = (await signedInUser(merit, "settings-admin", ["admin", "member"])).accessToken;
  memberToken = (await signedInUser(merit, "settings-member")).accessToken;
});
afterAll(() => merit?.destroy());

const setting = (items: Array<{ key: string }>, key: string) => items.find((s) => s.key === key);

describe("runtime settings", () => {
  it("lists every setting with its default for admins only", async () => {
    const r = await call(merit, "GET", "/api/admin/settings", { token: adminToken });
    expect(r.statusCode).toBe(200);
    const signup = setting(r.json().items, "accounts.signupOpen");
    expect(signup).toMatchObject({ value: true, default: true, isDefault: true, updatedAt: null });
    const denied = await call(merit, "GET", "/api/admin/settings", { token: memberToken });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe("FORBIDDEN");
  });

  it("changes values, validates every key first, and changes nothing when one is bad", async () => {
    const ok = await call(merit, "PATCH", "/api/admin/settings", {
      token: adminToken,
      body: { "accounts.signupOpen": false },
    });
    expect(ok.statusCode).toBe(200);
    expect(setting(ok.json().items, "accounts.signupOpen")).toMatchObject({ value: false, isDefault: false });
    expect(await merit.composition.settings.get("accounts.signupOpen")).toBe(false);

    const bad = await call(merit, "PATCH", "/api/admin/settings", {
      token: adminToken,
      body: { "accounts.signupOpen": true, "accounts.closedBeta": "yes please", "no.such.key": 1 },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe("INVALID_SETTING");
    const fields = bad.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(["accounts.closedBeta", "no.such.key"]);
    expect(await merit.composition.settings.get("accounts.signupOpen")).toBe(false);
  });

  it("stores the change in the settings table, so it survives a restart", async () => {
    const rows = await merit.core.db.query<{ key: string; value: unknown }>(
      "SELECT key, value FROM settings WHERE key = 'accounts.signupOpen'",
    );
    expect(rows).toEqual([{ key: "accounts.signupOpen", value: false }]);
  });
});
