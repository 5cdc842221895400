import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import {
  call,
  freshIp,
  lastMailTo,
  STRONG_PASSWORD,
  signedInUser,
  signIn,
  tokenFromText,
} from "./accounts.test-support.ts";

let merit: TestMerit;
beforeAll(async () => {
  merit = await createTestMerit();
});
afterAll(() => merit?.destroy());

describe("access tokens under concurrency", () => {
  it("answers each of many concurrent requests for its own session, live or revoked", async () => {
    const people = await Promise.all(["conc-a", "conc-b", "conc-c"].map((n) => signedInUser(merit, n)));
    const [a, b] = people;
    const second = await signIn(merit, "conc-a");
    // a's first session ends; its access token must stop working while the others keep theirs.
    const out = await call(merit, "POST", "/api/auth/logout", { body: { refreshToken: a.refreshToken } });
    expect(out.statusCode).toBe(204);
    const tokens = [a.accessToken, second.accessToken, b.accessToken, people[2].accessToken, "not-a-jwt"];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(merit, "GET", "/api/users/me", { token: tokens[i % tokens.length] }).then((r) => [
          i % tokens.length,
          r.statusCode,
          r.statusCode === 200 ? r.json().username : null,
        ]),
      ),
    );
    const byToken = new Map(answers.map(([t, status, who]) => [t, `${status} ${who}`]));
    expect(Object.fromEntries(byToken)).toEqual({
      0: "401 null",
      1: "200 conc-a",
      2: "200 conc-b",
      3: "200 conc-c",
      4: "401 null",
    });
    for (const [t, status] of answers) expect(`${status}`).toBe(byToken.get(t)?.split(" ")[0]);
  });
});

describe("password flows", () => {
  it("resets a forgotten password once, ends every session, and answers 202 for unknown addresses", async () => {
    const u = await signedInUser(merit, "forgetful");
    const unknown = await call(merit, "POST", "/api/auth/password/forgot", {
      body: { email: "nobody@example.test" },
      ip: freshIp(),
    });
    expect(unknown.statusCode).toBe(202);
    expect(await lastMailTo(merit, "nobody@example.test")).toBeNull();
    const r = await call(merit, "POST", "/api/auth/password/forgot", {
      body: { email: "FORGETFUL@example.test" },
      ip: freshIp(),
    });
    expect(r.statusCode).toBe(202);
    const mail = await lastMailTo(merit, "forgetful@example.test", "reset-password");
    expect(mail?.text_body).toContain("http://merit.test/reset-password?token=");
    const token = tokenFromText(mail!.text_body);

    const weak = await call(merit, "POST", "/api/auth/password/reset", {
      body: { token, password: "short" },
      ip: freshIp(),
    });
    expect(weak.statusCode).toBe(422);
    const ok = await call(merit, "POST", "/api/auth/password/reset", {
      body: { token, password: "Brand-New-Secret-7" },
      ip: freshIp(),
    });
    expect(ok.statusCode).toBe(200);
    const reuse = await call(merit, "POST", "/api/auth/password/reset", {
      body: { token, password: "Another-Secret-8!" },
      ip: freshIp(),
    });
    expect(reuse.statusCode).toBe(410);
    expect((await call(merit, "GET", "/api/users/me", { token: u.accessToken })).statusCode).toBe(401);
    expect(
      (await call(merit, "POST", "/api/auth/refresh", { body: { refreshToken: u.refreshToken } })).statusCode,
    ).toBe(401);
    await expect(signIn(merit, "forgetful")).rejects.toThrow(/401/);
    await signIn(merit, "forgetful", "Brand-New-Secret-7");
  });

  it("expires reset links after an hour", async () => {
    await signedInUser(merit, "slowreset");
    await call(merit, "POST", "/api/auth/password/forgot", {
      body: { email: "slowreset@example.test" },
      ip: freshIp(),
    });
    const token = tokenFromText(
      (await lastMailTo(merit, "slowreset@example.test", "reset-password"))!.text_body,
    );
    merit.clock.advance(61 * 60 * 1000);
    const r = await call(merit, "POST", "/api/auth/password/reset", {
      body: { token, password: "Brand-New-Secret-7" },
      ip: freshIp(),
    });
    expect(r.statusCode).toBe(410);
    expect(r.json().error.code).toBe("TOKEN_EXPIRED");
  });

  it("changes the password with the current one and ends other sessions only", async () => {
    const a = await signedInUser(merit, "changer");
    const b = await signIn(merit, "changer");
    const wrong = await call(merit, "POST", "/api/users/me/password", {
      token: a.accessToken,
      body: { currentPassword: "Wrong-password-1", newPassword: "Brand-New-Secret-7" },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe("WRONG_PASSWORD");
    const ok = await call(merit, "POST", "/api/users/me/password", {
      token: a.accessToken,
      body: { currentPassword: STRONG_PASSWORD, newPassword: "Brand-New-Secret-7" },
    });
    expect(ok.statusCode).toBe(204);
    expect((await call(merit, "GET", "/api/users/me", { token: a.accessToken })).statusCode).toBe(200);
    expect((await call(merit, "GET", "/api/users/me", { token: b.accessToken })).statusCode).toBe(401);
  });
});

describe("e-mailed links after a credential change", () => {
  const forgot = (email: string) =>
    call(merit, "POST", "/api/auth/password/forgot", { body: { email }, ip: freshIp() });
  const requestMove = (accessToken: string, newEmail: string, password = STRONG_PASSWORD) =>
    call(merit, "POST", "/api/users/me/email", { token: accessToken, body: { newEmail, password } });
  const linkIn = async (to: string, template: string) =>
    tokenFromText((await lastMailTo(merit, to, template))!.text_body);

  it("a password reset cancels a pending e-mail change (an intruder's move to their address)", async () => {
    const u = await signedInUser(merit, "hijackee");
    expect((await requestMove(u.accessToken, "intruder@example.test")).statusCode).toBe(202);
    const intruderLink = await linkIn("intruder@example.test", "confirm-new-email");
    await forgot("hijackee@example.test");
    const reset = await call(merit, "POST", "/api/auth/password/reset", {
      body: {
        token: await linkIn("hijackee@example.test", "reset-password"),
        password: "Brand-New-Secret-7",
      },
      ip: freshIp(),
    });
    expect(reset.statusCode).toBe(200);
    const late = await call(merit, "POST", "/api/auth/confirm-email", { body: { token: intruderLink } });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe("TOKEN_USED");
    const me = await signIn(merit, "hijackee", "Brand-New-Secret-7");
    expect((await call(merit, "GET", "/api/users/me", { token: me.accessToken })).json().email).toBe(
      "hijackee@example.test",
    );
  });

  it("a password change cancels open reset links and pending e-mail changes", async () => {
    const u = await signedInUser(merit, "rechanger");
    await forgot("rechanger@example.test");
    const resetLink = await linkIn("rechanger@example.test", "reset-password");
    await requestMove(u.accessToken, "elsewhere@example.test");
    const moveLink = await linkIn("elsewhere@example.test", "confirm-new-email");
    const changed = await call(merit, "POST", "/api/users/me/password", {
      token: u.accessToken,
      body: { currentPassword: STRONG_PASSWORD, newPassword: "Brand-New-Secret-7" },
    });
    expect(changed.statusCode).toBe(204);
    const reset = await call(merit, "POST", "/api/auth/password/reset", {
      body: { token: resetLink, password: "Old-Link-Secret-9" },
      ip: freshIp(),
    });
    expect(reset.statusCode).toBe(410);
    const move = await call(merit, "POST", "/api/auth/confirm-email", { body: { token: moveLink } });
    expect(move.statusCode).toBe(410);
    await signIn(merit, "rechanger", "Brand-New-Secret-7");
  });

  it("a confirmed e-mail change cancels reset links sent to the old address and other pending moves", async () => {
    const u = await signedInUser(merit, "relocator");
    await forgot("relocator@example.test");
    const oldReset = await linkIn("relocator@example.test", "reset-password");
    await requestMove(u.accessToken, "first-choice@example.test");
    const first = await linkIn("first-choice@example.test", "confirm-new-email");
    await requestMove(u.accessToken, "second-choice@example.test");
    const second = await linkIn("second-choice@example.test", "confirm-new-email");
    expect(
      (await call(merit, "POST", "/api/auth/confirm-email", { body: { token: second } })).statusCode,
    ).toBe(200);
    const stale = await call(merit, "POST", "/api/auth/password/reset", {
      body: { token: oldReset, password: "Old-Link-Secret-9" },
      ip: freshIp(),
    });
    expect(stale.statusCode).toBe(410);
    expect(
      (await call(merit, "POST", "/api/auth/confirm-email", { body: { token: first } })).statusCode,
    ).toBe(410);
    await signIn(merit, "second-choice@example.test");
  });
});

describe("profile, e-mail, username", () => {
  it("updates profile fields and validates them", async () => {
    const u = await signedInUser(merit, "profiler");
    const r = await call(merit, "PATCH", "/api/users/me", {
      token: u.accessToken,
      body: { displayName: "Pro Filer", locale: "de" },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ displayName: "Pro Filer", locale: "de" });
    const bad = await call(merit, "PATCH", "/api/users/me", {
      token: u.accessToken,
      body: { locale: "klingon!" },
    });
    expect(bad.statusCode).toBe(400);
    expect((await call(merit, "PATCH", "/api/users/me", { body: { displayName: "x" } })).statusCode).toBe(
      401,
    );
  });

  it("changes the e-mail after confirmation at the new address, in the user's language", async () => {
    const u = await signedInUser(merit, "mover");
    await call(merit, "PATCH", "/api/users/me", { token: u.accessToken, body: { locale: "de-AT" } });
    await signedInUser(merit, "squatter");
    const taken = await call(merit, "POST", "/api/users/me/email", {
      token: u.accessToken,
      body: { newEmail: "squatter@example.test", password: STRONG_PASSWORD },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("EMAIL_TAKEN");
    const wrongPw = await call(merit, "POST", "/api/users/me/email", {
      token: u.accessToken,
      body: { newEmail: "new@example.test", password: "nope-Nope-1" },
    });
    expect(wrongPw.statusCode).toBe(422);
    const r = await call(merit, "POST", "/api/users/me/email", {
      token: u.accessToken,
      body: { newEmail: "new@example.test", password: STRONG_PASSWORD },
    });
    expect(r.statusCode).toBe(202);
    const notice = await lastMailTo(merit, "mover@example.test", "email-change-notice");
    expect(notice?.subject).toBe("Deine E-Mail-Adresse wird geändert");
    const mail = await lastMailTo(merit, "new@example.test", "confirm-new-email");
    expect(mail?.subject).toBe("Bestätige deine neue E-Mail-Adresse");
    expect((await call(merit, "GET", "/api/users/me", { token: u.accessToken })).json().email).toBe(
      "mover@example.test",
    );
    const c = await call(merit, "POST", "/api/auth/confirm-email", {
      body: { token: tokenFromText(mail!.text_body) },
    });
    expect(c.statusCode).toBe(200);
    expect((await call(merit, "GET", "/api/users/me", { token: u.accessToken })).json().email).toBe(
      "new@example.test",
    );
    await signIn(merit, "new@example.test");
  });

  it("changes the username unless it is taken or malformed", async () => {
    const u = await signedInUser(merit, "renamer");
    await signedInUser(merit, "occupied");
    const taken = await call(merit, "POST", "/api/users/me/username", {
      token: u.accessToken,
      body: { username: "OCCUPIED" },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("USERNAME_TAKEN");
    const bad = await call(merit, "POST", "/api/users/me/username", {
      token: u.accessToken,
      body: { username: "a b" },
    });
    expect(bad.statusCode).toBe(422);
    const ok = await call(merit, "POST", "/api/users/me/username", {
      token: u.accessToken,
      body: { username: "renamed" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().username).toBe("renamed");
  });
});

describe("account deletion", () => {
  it("anonymises personal data, ends sessions and keys, keeps the row", async () => {
    const u = await signedInUser(merit, "leaving");
    // Traces the deletion must remove: a rename, a requested address change (mail to the new
    // address), a failed sign-in by name.
    expect(
      (
        await call(merit, "POST", "/api/users/me/username", {
          token: u.accessToken,
          body: { username: "leaving2" },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await call(merit, "POST", "/api/users/me/email", {
          token: u.accessToken,
          body: { newEmail: "Leaving.New@example.test", password: STRONG_PASSWORD },
        })
      ).statusCode,
    ).toBeLessThan(300);
    await call(merit, "POST", "/api/auth/login", {
      body: { login: "leaving2", password: "Wrong-one-123" },
      ip: freshIp(),
    });
    const traces = async () =>
      merit.core.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE user_id = $1 AND (details::text ~* 'leaving' OR ip IS NOT NULL)`,
        [u.user.id],
      );
    expect((await traces())[0].n).toBeGreaterThan(0);
    const mailTo = async () =>
      merit.core.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM mail_outbox WHERE to_address ILIKE '%leaving%'",
      );
    expect((await mailTo())[0].n).toBeGreaterThan(0);
    const key = (
      await call(merit, "POST", "/api/users/me/api-keys", {
        token: u.accessToken,
        body: { name: "bot", scopes: ["read"] },
      })
    ).json().key;
    expect(key).toMatch(/^mk_/);
    const wrong = await call(merit, "DELETE", "/api/users/me", {
      token: u.accessToken,
      body: { password: "Wrong-one-123" },
    });
    expect(wrong.statusCode).toBe(422);
    const r = await call(merit, "DELETE", "/api/users/me", {
      token: u.accessToken,
      body: { password: STRONG_PASSWORD },
    });
    expect(r.statusCode).toBe(204);
    const rows = await merit.core.db.query<Record<string, unknown>>("SELECT * FROM users WHERE id = $1", [
      u.user.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      email: null,
      password_hash: null,
      wallet_address: null,
      display_name: null,
    });
    expect(rows[0].username).toMatch(/^deleted-[0-9a-f]{12}$/);
    expect(rows[0].deleted_at).not.toBeNull();
    expect((await call(merit, "GET", "/api/users/me", { token: u.accessToken })).statusCode).toBe(401);
    expect((await call(merit, "GET", "/api/users/me", { token: key })).statusCode).toBe(401);
    await expect(signIn(merit, "leaving2")).rejects.toThrow(/401/);
    const audit = await merit.core.db.query(
      "SELECT 1 FROM audit_log WHERE type = 'account.deleted' AND user_id = $1",
      [u.user.id],
    );
    expect(audit).toHaveLength(1);
    // What happened stays; who it was (names, addresses, IPs) and the mail sent to them go.
    expect((await traces())[0].n).toBe(0);
    expect((await mailTo())[0].n).toBe(0);
    const kept = await merit.core.db.query<{ type: string }>(
      "SELECT type FROM audit_log WHERE user_id = $1 ORDER BY created_at",
      [u.user.id],
    );
    expect(kept.map((k) => k.type)).toEqual(
      expect.arrayContaining(["username.changed", "email.change-requested"]),
    );
  });
});
