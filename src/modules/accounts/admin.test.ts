import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ensureAdmin } from "./accounts.service.ts";
import { call, freshIp, STRONG_PASSWORD, signedInUser } from "./accounts.test-support.ts";

let merit: TestMerit;
let admin: Awaited<ReturnType<typeof signedInUser>>;
beforeAll(async () => {
  merit = await createTestMerit();
  admin = await signedInUser(merit, "boss", ["admin", "member"]);
});
afterAll(() => merit?.destroy());

const login = (loginName: string) =>
  call(merit, "POST", "/api/auth/login", {
    body: { login: loginName, password: STRONG_PASSWORD },
    ip: freshIp(),
  });

describe("admin routes", () => {
  it("are closed to members and stewards", async () => {
    const member = await signedInUser(merit, "plainmember");
    const steward = await signedInUser(merit, "steward1", ["steward", "member"]);
    for (const token of [member.accessToken, steward.accessToken]) {
      for (const url of [
        "/api/admin/users",
        "/api/admin/appeals",
        "/api/admin/outbox",
        "/api/admin/audit-log",
      ]) {
        const r = await call(merit, "GET", url, { token });
        expect(r.statusCode, url).toBe(403);
        expect(r.json().error.code).toBe("FORBIDDEN");
      }
      expect(
        (await call(merit, "PATCH", `/api/admin/users/${member.user.id}`, { token, body: { hidden: true } }))
          .statusCode,
      ).toBe(403);
    }
    expect((await call(merit, "GET", "/api/admin/users")).statusCode).toBe(401);
  });

  it("searches users and changes roles, with an audit trail", async () => {
    const target = await signedInUser(merit, "promotable");
    const list = await call(merit, "GET", "/api/admin/users?search=promot&limit=5", {
      token: admin.accessToken,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(1);
    expect(list.json().items[0]).toMatchObject({ username: "promotable", banned: false, hidden: false });
    const r = await call(merit, "PATCH", `/api/admin/users/${target.user.id}`, {
      token: admin.accessToken,
      body: { roles: ["steward", "member"], hidden: true },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ roles: ["steward", "member"], hidden: true });
    // Role changes apply to existing access tokens at once.
    expect((await call(merit, "GET", "/api/users/me", { token: target.accessToken })).json().roles).toEqual([
      "steward",
      "member",
    ]);
    const stewards = await call(merit, "GET", "/api/admin/users?role=steward", { token: admin.accessToken });
    expect(stewards.json().items.map((u: { username: string }) => u.username)).toContain("promotable");
    const audit = await call(
      merit,
      "GET",
      `/api/admin/audit-log?type=role.changed&userId=${target.user.id}`,
      { token: admin.accessToken },
    );
    expect(audit.json().items[0]).toMatchObject({
      type: "role.changed",
      actorId: admin.user.id,
      username: "promotable",
      actorUsername: admin.user.username,
      details: { to: ["steward", "member"] },
    });
    // The same events by username, in any case; a filter naming nobody is a 404 naming it.
    const byName = await call(merit, "GET", "/api/admin/audit-log?type=role.changed&user=PROMOTABLE", {
      token: admin.accessToken,
    });
    expect(byName.json().items.map((e: { id: string }) => e.id)).toEqual(
      audit.json().items.map((e: { id: string }) => e.id),
    );
    const nobody = await call(merit, "GET", "/api/admin/audit-log?user=nobody-here", {
      token: admin.accessToken,
    });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().error).toMatchObject({ code: "USER_NOT_FOUND", details: { field: "user" } });
    const noId = await call(
      merit,
      "GET",
      "/api/admin/audit-log?userId=00000000-0000-4000-8000-000000000000",
      {
        token: admin.accessToken,
      },
    );
    expect(noId.statusCode).toBe(404);
    expect(noId.json().error).toMatchObject({ code: "USER_NOT_FOUND", details: { field: "userId" } });
    const missing = await call(merit, "PATCH", "/api/admin/users/00000000-0000-4000-8000-000000000000", {
      token: admin.accessToken,
      body: { hidden: true },
    });
    expect(missing.statusCode).toBe(404);
  });

  it("does not let an admin demote or ban themselves", async () => {
    const demote = await call(merit, "PATCH", `/api/admin/users/${admin.user.id}`, {
      token: admin.accessToken,
      body: { roles: ["member"] },
    });
    expect(demote.statusCode).toBe(422);
    expect(demote.json().error.code).toBe("CANNOT_DEMOTE_SELF");
    const ban = await call(merit, "PATCH", `/api/admin/users/${admin.user.id}`, {
      token: admin.accessToken,
      body: { banned: true },
    });
    expect(ban.statusCode).toBe(422);
    expect(ban.json().error.code).toBe("CANNOT_BAN_SELF");
    expect((await call(merit, "GET", "/api/users/me", { token: admin.accessToken })).json().roles).toContain(
      "admin",
    );
  });

  it("bans: sessions and keys stop, sign-in refused with an appeal token, one appeal, admin lifts", async () => {
    const u = await signedInUser(merit, "rulebreaker");
    const key = (
      await call(merit, "POST", "/api/users/me/api-keys", {
        token: u.accessToken,
        body: { name: "k", scopes: ["read"] },
      })
    ).json().key;
    const ban = await call(merit, "PATCH", `/api/admin/users/${u.user.id}`, {
      token: admin.accessToken,
      body: { banned: true, banReason: "spam" },
    });
    expect(ban.statusCode).toBe(200);
    expect(ban.json()).toMatchObject({ banned: true, banReason: "spam" });
    expect((await call(merit, "GET", "/api/users/me", { token: u.accessToken })).statusCode).toBe(401);
    expect((await call(merit, "GET", "/api/users/me", { token: key })).statusCode).toBe(401);
    expect(
      (await call(merit, "POST", "/api/auth/refresh", { body: { refreshToken: u.refreshToken } })).statusCode,
    ).toBe(401);
    const notice = await merit.core.db.query(
      "SELECT 1 FROM mail_outbox WHERE template = 'ban-notice' AND to_address = 'rulebreaker@example.test'",
    );
    expect(notice).toHaveLength(1);

    const refused = await login("rulebreaker");
    expect(refused.statusCode).toBe(403);
    const err = refused.json().error;
    expect(err.code).toBe("ACCOUNT_BANNED");
    expect(err.details.banReason).toBe("spam");
    const bad = await call(merit, "POST", "/api/appeals", { body: { appealToken: "forged", message: "hi" } });
    expect(bad.statusCode).toBe(401);
    const appeal = await call(merit, "POST", "/api/appeals", {
      body: { appealToken: err.details.appealToken, message: "I was hacked" },
    });
    expect(appeal.statusCode).toBe(201);
    // Signing in again offers no second appeal; the first token, still valid, cannot file one either.
    expect((await login("rulebreaker")).json().error.details.appealToken).toBeNull();
    const second = await call(merit, "POST", "/api/appeals", {
      body: { appealToken: err.details.appealToken, message: "again" },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe("APPEAL_EXISTS");

    const open = await call(merit, "GET", "/api/admin/appeals?status=open", { token: admin.accessToken });
    expect(open.json().items).toEqual([
      expect.objectContaining({ username: "rulebreaker", message: "I was hacked", banReason: "spam" }),
    ]);
    const id = appeal.json().id;
    const lift = await call(merit, "POST", `/api/admin/appeals/${id}/decision`, {
      token: admin.accessToken,
      body: { decision: "lift", note: "ok" },
    });
    expect(lift.statusCode).toBe(200);
    expect(lift.json().status).toBe("lifted");
    const twice = await call(merit, "POST", `/api/admin/appeals/${id}/decision`, {
      token: admin.accessToken,
      body: { decision: "uphold" },
    });
    expect(twice.statusCode).toBe(409);
    expect((await login("rulebreaker")).statusCode).toBe(200);
    expect((await call(merit, "GET", "/api/users/me", { token: key })).statusCode).toBe(200);

    const types = (
      await call(merit, "GET", `/api/admin/audit-log?userId=${u.user.id}&limit=50`, {
        token: admin.accessToken,
      })
    )
      .json()
      .items.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "user.banned",
        "appeal.filed",
        "appeal.decided",
        "user.unbanned",
        "sign-in",
        "api-key.created",
      ]),
    );
  });

  it("lifting an appeal against an earlier ban leaves a later ban in force", async () => {
    const u = await signedInUser(merit, "reoffender");
    const patch = (body: Record<string, unknown>) =>
      call(merit, "PATCH", `/api/admin/users/${u.user.id}`, { token: admin.accessToken, body });
    await patch({ banned: true, banReason: "first" });
    const token = (await login("reoffender")).json().error.details.appealToken;
    const appeal = (
      await call(merit, "POST", "/api/appeals", { body: { appealToken: token, message: "sorry" } })
    ).json();
    // The admin lifts the first ban directly, and later bans again for something else.
    await patch({ banned: false });
    merit.clock.advance(60_000);
    await patch({ banned: true, banReason: "second" });
    const lift = await call(merit, "POST", `/api/admin/appeals/${appeal.id}/decision`, {
      token: admin.accessToken,
      body: { decision: "lift" },
    });
    expect(lift.statusCode).toBe(200);
    const refused = await login("reoffender");
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.details.banReason).toBe("second");
  });

  it("asks a banned user with two-factor on for the code before telling them about the ban", async () => {
    const u = await signedInUser(merit, "banned2fa");
    const { secret } = (await call(merit, "POST", "/api/auth/2fa/setup", { token: u.accessToken })).json();
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
    const enable = await call(merit, "POST", "/api/auth/2fa/enable", {
      token: u.accessToken,
      body: { code: totp.generate({ timestamp: merit.clock.now().getTime() }), password: STRONG_PASSWORD },
    });
    expect(enable.statusCode).toBe(200);
    await call(merit, "PATCH", `/api/admin/users/${u.user.id}`, {
      token: admin.accessToken,
      body: { banned: true, banReason: "spam" },
    });
    // Someone with the password only gets no appeal token (it would spend the owner's one appeal).
    const passwordOnly = await login("banned2fa");
    expect(passwordOnly.statusCode).toBe(401);
    expect(passwordOnly.json().error.code).toBe("OTP_REQUIRED");
    const wrongCode = await call(merit, "POST", "/api/auth/login", {
      body: { login: "banned2fa", password: STRONG_PASSWORD, otp: "000000" },
      ip: freshIp(),
    });
    expect(wrongCode.json().error.code).toBe("OTP_INVALID");
    merit.clock.advance(30_000);
    const withCode = await call(merit, "POST", "/api/auth/login", {
      body: {
        login: "banned2fa",
        password: STRONG_PASSWORD,
        otp: totp.generate({ timestamp: merit.clock.now().getTime() }),
      },
      ip: freshIp(),
    });
    expect(withCode.statusCode).toBe(403);
    expect(withCode.json().error.code).toBe("ACCOUNT_BANNED");
    expect(withCode.json().error.details.appealToken).toEqual(expect.any(String));
  });

  it("upholding keeps the ban", async () => {
    const u = await signedInUser(merit, "stillbanned");
    await call(merit, "PATCH", `/api/admin/users/${u.user.id}`, {
      token: admin.accessToken,
      body: { banned: true },
    });
    const token = (await login("stillbanned")).json().error.details.appealToken;
    const appeal = (
      await call(merit, "POST", "/api/appeals", { body: { appealToken: token, message: "please" } })
    ).json();
    await call(merit, "POST", `/api/admin/appeals/${appeal.id}/decision`, {
      token: admin.accessToken,
      body: { decision: "uphold" },
    });
    expect((await login("stillbanned")).statusCode).toBe(403);
    const banned = await call(merit, "GET", "/api/admin/users?banned=true", { token: admin.accessToken });
    expect(banned.json().items.map((x: { username: string }) => x.username)).toContain("stillbanned");
  });

  it("shows the outbox to admins", async () => {
    await call(merit, "POST", "/api/auth/register", {
      body: { email: "outboxed@example.test", username: "outboxed", password: STRONG_PASSWORD },
      ip: freshIp(),
    });
    const r = await call(merit, "GET", "/api/admin/outbox?limit=100", { token: admin.accessToken });
    expect(r.statusCode).toBe(200);
    const mail = r.json().items.find((m: { to: string }) => m.to === "outboxed@example.test");
    expect(mail).toMatchObject({
      status: "queued",
      attempts: 0,
      sentAt: null,
      subject: "Confirm your e-mail address",
    });
    expect(mail.html).toContain("<a href=");
  });

  it("documents the accounts API in OpenAPI", async () => {
    const doc = (await merit.app.inject({ url: "/docs/openapi.json" })).json();
    for (const path of [
      "/api/auth/login",
      "/api/users/me",
      "/api/admin/users",
      "/api/admin/audit-log",
      "/api/auth/siwe/nonce",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const params = doc.paths["/api/admin/users"].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(["search", "role", "banned", "limit", "offset"]));
  });
});

describe("the admin account from ADMIN_EMAIL", () => {
  const operatorPassword = "Operator-Chosen-Secret-1";
  const signInWith = (loginName: string, password: string) =>
    call(merit, "POST", "/api/auth/login", { body: { login: loginName, password }, ip: freshIp() });

  it("does not hand the admin role to someone who registered the address without owning it", async () => {
    const squat = await call(merit, "POST", "/api/auth/register", {
      body: { email: "Owner@Example.test", username: "claimjumper", password: "Squatters-Secret-9!" },
      ip: freshIp(),
    });
    expect(squat.statusCode).toBe(201);
    expect(
      await ensureAdmin({ db: merit.core.db, clock: merit.clock }, "owner@example.test", operatorPassword),
    ).toBe("exists");
    const squatter = await signInWith("owner@example.test", "Squatters-Secret-9!");
    expect(squatter.statusCode).toBe(401);
    expect(squatter.json().error.code).toBe("INVALID_CREDENTIALS");
    const operator = await signInWith("owner@example.test", operatorPassword);
    expect(operator.statusCode).toBe(200);
    expect(operator.json().user.roles).toContain("admin");
  });

  it("promotes a confirmed account with that address and keeps its password", async () => {
    await signedInUser(merit, "promotee");
    expect(
      await ensureAdmin({ db: merit.core.db, clock: merit.clock }, "promotee@example.test", operatorPassword),
    ).toBe("exists");
    const r = await signInWith("promotee", STRONG_PASSWORD);
    expect(r.statusCode).toBe(200);
    expect(r.json().user.roles).toContain("admin");
  });
});
