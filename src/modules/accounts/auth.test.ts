import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import {
  call,
  createConfirmedUser,
  freshIp,
  lastMailTo,
  STRONG_PASSWORD,
  signedInUser,
  signIn,
  tokenFromText,
} from "./accounts.test-support.ts";
import { REFRESH_RACE_SECONDS } from "./sessions.service.ts";

let merit: TestMerit;
beforeAll(async () => {
  merit = await createTestMerit();
});
afterAll(() => merit?.destroy());

const register = (body: Record<string, unknown>, ip = freshIp()) =>
  call(merit, "POST", "/api/auth/register", { body, ip });

describe("register -> confirm -> sign in", () => {
  it("registers, mails a confirmation link through the outbox, confirms and signs in", async () => {
    const r = await register({ email: "Ann@Example.test", username: "ann", password: STRONG_PASSWORD });
    expect(r.statusCode).toBe(201);
    const { user } = r.json();
    expect(user).toMatchObject({
      username: "ann",
      email: "Ann@Example.test",
      emailConfirmed: false,
      roles: ["member"],
    });
    expect(user.referralCode).toMatch(/^[A-Za-z0-9_-]{10}$/);

    const early = await call(merit, "POST", "/api/auth/login", {
      body: { login: "ann", password: STRONG_PASSWORD },
    });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe("EMAIL_NOT_CONFIRMED");

    const mail = await lastMailTo(merit, "ann@example.test", "confirm-email");
    expect(mail?.status).toBe("queued");
    expect(mail?.text_body).toContain("http://merit.test/confirm-email?token=");
    expect(mail?.html_body).toContain('<a href="http://merit.test/confirm-email?token=');
    const token = tokenFromText(mail!.text_body);

    const confirmed = await call(merit, "POST", "/api/auth/confirm-email", { body: { token } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().user.emailConfirmed).toBe(true);
    const again = await call(merit, "POST", "/api/auth/confirm-email", { body: { token } });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe("TOKEN_USED");

    const login = await call(merit, "POST", "/api/auth/login", {
      body: { login: "ANN@example.TEST", password: STRONG_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const pair = login.json();
    expect(pair.expiresIn).toBe(900);
    const me = await call(merit, "GET", "/api/users/me", { token: pair.accessToken });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      username: "ann",
      emailConfirmed: true,
      twoFactorEnabled: false,
      walletAddress: null,
    });
  });

  it("rejects unknown and expired confirmation tokens", async () => {
    const bad = await call(merit, "POST", "/api/auth/confirm-email", { body: { token: "nope" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("INVALID_TOKEN");
    await register({ email: "late@example.test", username: "late", password: STRONG_PASSWORD });
    const token = tokenFromText((await lastMailTo(merit, "late@example.test"))!.text_body);
    merit.clock.advance(25 * 3600 * 1000);
    const expired = await call(merit, "POST", "/api/auth/confirm-email", { body: { token } });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe("TOKEN_EXPIRED");
    // A fresh link can be requested; the answer is the same for unknown addresses.
    const resend = await call(merit, "POST", "/api/auth/resend-confirmation", {
      body: { email: "late@example.test" },
      ip: freshIp(),
    });
    expect(resend.statusCode).toBe(202);
    const unknown = await call(merit, "POST", "/api/auth/resend-confirmation", {
      body: { email: "ghost@example.test" },
      ip: freshIp(),
    });
    expect(unknown.statusCode).toBe(202);
    merit.clock.advance(1000);
    const fresh = tokenFromText((await lastMailTo(merit, "late@example.test"))!.text_body);
    expect(fresh).not.toBe(token);
    expect(
      (await call(merit, "POST", "/api/auth/confirm-email", { body: { token: fresh } })).statusCode,
    ).toBe(200);
  });

  it("names the taken field, rejects weak passwords and bad input without creating anything", async () => {
    await createConfirmedUser(merit, "taken");
    const dupEmail = await register({
      email: "TAKEN@example.test",
      username: "other1",
      password: STRONG_PASSWORD,
    });
    expect(dupEmail.statusCode).toBe(409);
    expect(dupEmail.json().error).toMatchObject({ code: "EMAIL_TAKEN", details: { field: "email" } });
    const dupName = await register({
      email: "x1@example.test",
      username: "Taken",
      password: STRONG_PASSWORD,
    });
    expect(dupName.statusCode).toBe(409);
    expect(dupName.json().error).toMatchObject({ code: "USERNAME_TAKEN", details: { field: "username" } });
    const weak = await register({ email: "weak@example.test", username: "weakling", password: "password" });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error.code).toBe("WEAK_PASSWORD");
    const badEmail = await register({
      email: "not-an-email",
      username: "bademail",
      password: STRONG_PASSWORD,
    });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.json().error.code).toBe("INVALID_EMAIL");
    const missing = await register({ email: "m@example.test", password: STRONG_PASSWORD });
    expect(missing.statusCode).toBe(400);
    const noUser = await call(merit, "POST", "/api/auth/login", {
      body: { login: "weakling", password: "password" },
    });
    expect(noUser.json().error.code).toBe("INVALID_CREDENTIALS");
  });

  it("treats an address typed in another Unicode form as the same address", async () => {
    const composed = "Ren\u00e9e@example.test";
    const decomposed = "rene\u0301e@example.test";
    const first = await register({ email: composed, username: "renee", password: STRONG_PASSWORD });
    expect(first.statusCode).toBe(201);
    const twin = await register({ email: decomposed, username: "renee2", password: STRONG_PASSWORD });
    expect(twin.statusCode).toBe(409);
    expect(twin.json().error.code).toBe("EMAIL_TAKEN");
    // Stored in one form, so the other form finds the account for sign-in and mails.
    const resend = await call(merit, "POST", "/api/auth/resend-confirmation", {
      body: { email: decomposed },
      ip: freshIp(),
    });
    expect(resend.statusCode).toBe(202);
    const token = tokenFromText((await lastMailTo(merit, composed, "confirm-email"))!.text_body);
    expect((await call(merit, "POST", "/api/auth/confirm-email", { body: { token } })).statusCode).toBe(200);
    const login = await call(merit, "POST", "/api/auth/login", {
      body: { login: decomposed.toUpperCase(), password: STRONG_PASSWORD },
      ip: freshIp(),
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.email).toBe(composed);
  });

  it("links a referral and rejects an unknown referral code", async () => {
    const referrer = await createConfirmedUser(merit, "referrer");
    const bad = await register({
      email: "r1@example.test",
      username: "ref1",
      password: STRONG_PASSWORD,
      referralCode: "nope",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe("INVALID_REFERRAL_CODE");
    const ok = await register({
      email: "r2@example.test",
      username: "ref2",
      password: STRONG_PASSWORD,
      referralCode: referrer.referral_code,
    });
    expect(ok.statusCode).toBe(201);
    const row = await merit.core.db.query<{ referred_by: string }>(
      "SELECT referred_by FROM users WHERE username = 'ref2'",
    );
    expect(row[0].referred_by).toBe(referrer.id);
  });

  it("honours sign-up closed and the closed-beta allow-list", async () => {
    const admin = await signedInUser(merit, "settingsadmin", ["admin", "member"]);
    const set = (body: Record<string, unknown>) =>
      call(merit, "PATCH", "/api/admin/settings", { body, token: admin.accessToken });
    expect((await set({ "accounts.signupOpen": false })).statusCode).toBe(200);
    const closed = await register({
      email: "c@example.test",
      username: "closed1",
      password: STRONG_PASSWORD,
    });
    expect(closed.statusCode).toBe(403);
    expect(closed.json().error.code).toBe("SIGNUP_CLOSED");
    await set({
      "accounts.signupOpen": true,
      "accounts.closedBeta": true,
      "accounts.betaAllowlist": ["Beta@Example.test"],
    });
    const notListed = await register({
      email: "c@example.test",
      username: "closed1",
      password: STRONG_PASSWORD,
    });
    expect(notListed.statusCode).toBe(403);
    expect(notListed.json().error.code).toBe("NOT_ON_ALLOWLIST");
    const listed = await register({
      email: "beta@example.TEST",
      username: "beta1",
      password: STRONG_PASSWORD,
    });
    expect(listed.statusCode).toBe(201);
    await set({ "accounts.closedBeta": false });
  });

  it("answers wrong credentials with 401 and audits the failure", async () => {
    await createConfirmedUser(merit, "wrongpw");
    const r = await call(merit, "POST", "/api/auth/login", {
      body: { login: "wrongpw", password: "Nope-nope-123" },
      ip: freshIp(),
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe("INVALID_CREDENTIALS");
    const audit = await merit.core.db.query<{ type: string }>(
      "SELECT a.type FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.username = 'wrongpw'",
    );
    expect(audit.map((a) => a.type)).toContain("sign-in.failed");
  });
});

describe("tokens", () => {
  it("rotates refresh tokens and revokes the family when a used one comes back", async () => {
    await createConfirmedUser(merit, "rotator");
    const first = await signIn(merit, "rotator");
    const second = (
      await call(merit, "POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } })
    ).json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await call(merit, "GET", "/api/users/me", { token: second.accessToken })).statusCode).toBe(200);

    merit.clock.advance(REFRESH_RACE_SECONDS * 1000);
    const replay = await call(merit, "POST", "/api/auth/refresh", {
      body: { refreshToken: first.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("REFRESH_TOKEN_REUSED");
    // The thief's and the owner's tokens of that family are dead now.
    const after = await call(merit, "POST", "/api/auth/refresh", {
      body: { refreshToken: second.refreshToken },
    });
    expect(after.statusCode).toBe(401);
    expect((await call(merit, "GET", "/api/users/me", { token: second.accessToken })).statusCode).toBe(401);
  });

  it("takes a used refresh token coming back within seconds for two tabs racing, not for theft", async () => {
    await createConfirmedUser(merit, "twotabs");
    const signedIn = await signIn(merit, "twotabs");
    const refresh = (refreshToken: string) =>
      call(merit, "POST", "/api/auth/refresh", { body: { refreshToken }, ip: freshIp() });
    const [a, b] = await Promise.all([refresh(signedIn.refreshToken), refresh(signedIn.refreshToken)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const lost = a.statusCode === 409 ? a : b;
    expect(lost.json().error.code).toBe("REFRESH_TOKEN_RACED");
    const won = (a.statusCode === 200 ? a : b).json();
    merit.clock.advance(REFRESH_RACE_SECONDS * 1000 - 1000);
    const late = await refresh(signedIn.refreshToken);
    expect(late.statusCode).toBe(409);
    // The session lives on: the winner's pair works and rotates.
    expect((await call(merit, "GET", "/api/users/me", { token: won.accessToken })).statusCode).toBe(200);
    const next = await refresh(won.refreshToken);
    expect(next.statusCode).toBe(200);
    // After the window, the old token coming back is reuse again: the session ends.
    merit.clock.advance(1000);
    const replay = await refresh(signedIn.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("REFRESH_TOKEN_REUSED");
    expect((await refresh(next.json().refreshToken)).statusCode).toBe(401);
  });

  it("expires access tokens after 15 minutes and refresh tokens after 30 days", async () => {
    await createConfirmedUser(merit, "expirer");
    const pair = await signIn(merit, "expirer");
    // Used once, so its verified signature is remembered: expiry must still apply.
    expect((await call(merit, "GET", "/api/users/me", { token: pair.accessToken })).statusCode).toBe(200);
    merit.clock.advance(15 * 60 * 1000 - 1000);
    expect((await call(merit, "GET", "/api/users/me", { token: pair.accessToken })).statusCode).toBe(200);
    merit.clock.advance(1000);
    expect((await call(merit, "GET", "/api/users/me", { token: pair.accessToken })).statusCode).toBe(401);
    merit.clock.advance(16 * 60 * 1000);
    expect((await call(merit, "GET", "/api/users/me", { token: pair.accessToken })).statusCode).toBe(401);
    const next = await call(merit, "POST", "/api/auth/refresh", {
      body: { refreshToken: pair.refreshToken },
    });
    expect(next.statusCode).toBe(200);
    merit.clock.advance(31 * 24 * 3600 * 1000);
    const late = await call(merit, "POST", "/api/auth/refresh", {
      body: { refreshToken: next.json().refreshToken },
    });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe("INVALID_REFRESH_TOKEN");
  });

  it("logs out one session or all of them", async () => {
    await createConfirmedUser(merit, "leaver");
    const a = await signIn(merit, "leaver");
    const b = await signIn(merit, "leaver");
    const list = (await call(merit, "GET", "/api/users/me/sessions", { token: a.accessToken })).json();
    expect(list.items).toHaveLength(2);
    expect(list.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(
      (await call(merit, "POST", "/api/auth/logout", { body: { refreshToken: b.refreshToken } })).statusCode,
    ).toBe(204);
    expect((await call(merit, "GET", "/api/users/me", { token: b.accessToken })).statusCode).toBe(401);
    expect((await call(merit, "GET", "/api/users/me", { token: a.accessToken })).statusCode).toBe(200);
    const c = await signIn(merit, "leaver");
    const sessions = (await call(merit, "GET", "/api/users/me/sessions", { token: a.accessToken })).json()
      .items;
    const other = sessions.find((s: { current: boolean }) => !s.current);
    expect(
      (await call(merit, "DELETE", `/api/users/me/sessions/${other.id}`, { token: a.accessToken }))
        .statusCode,
    ).toBe(204);
    expect((await call(merit, "GET", "/api/users/me", { token: c.accessToken })).statusCode).toBe(401);
    expect((await call(merit, "POST", "/api/auth/logout-all", { token: a.accessToken })).statusCode).toBe(
      204,
    );
    expect((await call(merit, "GET", "/api/users/me", { token: a.accessToken })).statusCode).toBe(401);
    expect((await call(merit, "POST", "/api/auth/logout-all")).statusCode).toBe(401);
  });
});
